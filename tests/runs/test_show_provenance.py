"""``runs show``: who reviewed, how the vote cache was used, and why a glossary has two
hashes (the report showed the first two; nothing said the third)."""

from __future__ import annotations

from datetime import UTC, datetime

from labelwright.project import run_project
from ticket_data import BILLING_GLOSSARY


def _decide(root, item_id, rater, run_id, n):
    from labelwright.review.decisions import ledger

    now = datetime.now(UTC).isoformat()
    ledger.append(ledger.ledger_path(root), [ledger.Decision(
        item_id, "billing", rater, "", now, now, "f.csv", f"s{n}", "line 2", run_id, "csv",
        "queue")], sha256=f"s{n}", reviewer=rater, source_file="f.csv", fmt="csv",
        imported_at=now)


def test_runs_show_names_reviewers_cache_use_and_the_glossary_lf_hash(make_project, cli):
    root = make_project(glossaries={"billing": BILLING_GLOSSARY})
    first = run_project(root, report=False)
    for n, (item, rater) in enumerate((("t1", "ana"), ("t3", "ana"), ("t1", "ben"))):
        _decide(root, item, rater, first.run_id, n)
    second = run_project(root, report=False)
    code, out = cli("runs", "show", second.run_id, "-p", str(root))
    assert code == 0, out
    assert "reviewers (the run's decisions): ana (2), ben (1)" in out
    assert ("apply: engine local, vote cache used (6 items read back whole, 0 with an LF "
            "computed)") in out
    assert ("(a glossary LF's source sha256 is of its file's sha256, the pipeline fingerprint "
            "and the matcher's hash, not the file's own") in out
    code, out = cli("runs", "show", first.run_id, "-p", str(root))
    assert "vote cache used (0 items read back whole, 6 with an LF computed)" in out
