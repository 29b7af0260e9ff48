"""An erasure of the review ledger is on record twice, in ``runs/ERASURES.jsonl`` and in
the ledger's own table, both written by one ``labelwright erase``: ``runs verify`` sets the
one against the other, so that an edited line of ERASURES.jsonl is named as such. An edited
reason passed as the record; an edited time was blamed on the ledger."""

from __future__ import annotations

import json

import pytest

from labelwright.project import run_project
from review_csv import sample_reviewed_by

EMAIL = "dana.reviewer@example.com"


@pytest.fixture
def erased(make_project, cli, tmp_path):
    """A project whose random sample dana and erin reviewed, read by a second run, then
    dana erased by ``erase --rater``; the second run's id."""
    root = make_project(extra="random_sample = 10\n")
    run_project(root, report=False)
    sample_reviewed_by(root, cli, tmp_path, ((EMAIL, "billing"), ("erin", "technical")))
    reading = run_project(root, report=False).run_id
    code, out = cli("erase", "--rater", EMAIL, "--reviewer", "lead", "--reason",
                    "erasure request 44", "-p", str(root))
    assert code == 0, out
    code, out = cli("runs", "verify", reading, "-p", str(root))
    assert code == 0, out
    return root, reading


def _edit_record(root, **fields):
    path = root / "runs" / "ERASURES.jsonl"
    (line,) = path.read_text(encoding="utf-8").splitlines()
    path.write_text(json.dumps({**json.loads(line), **fields}) + "\n", encoding="utf-8")


def test_an_edited_reason_of_the_record_is_named_against_the_ledgers_row(erased, cli):
    root, run = erased
    _edit_record(root, reason="erasure request 45", reviewer="mallory")
    code, out = cli("runs", "verify", run, "-p", str(root))
    said = " ".join(out.split())
    assert code == 1, out
    for field, line, row in (("reason", "erasure request 45", "erasure request 44"),
                             ("reviewer", "mallory", "lead")):
        assert (f"ERASURES.jsonl: line 1: {field} {line!r}, but the ledger's rater_erasures "
                "row of the erasure made at ") in said, out
        assert f"gives {row!r} (the two are written by one `labelwright erase`" in said, out
    assert "the line was edited since" in said


def test_an_edited_time_of_the_record_names_the_record_not_the_ledger(erased, cli):
    root, run = erased
    path = root / "runs" / "ERASURES.jsonl"
    when = json.loads(path.read_text(encoding="utf-8"))["erased_at"]
    _edit_record(root, erased_at="2026-01-01T00:00:00+00:00")
    code, out = cli("runs", "verify", run, "-p", str(root))
    said = " ".join(out.split())
    assert code == 1, out
    assert (f"but the ledger's own records of erasures (rater_erasures row made at {when}) "
            "lead the sha256 the run recorded to the ledger's now, and runs/ERASURES.jsonl "
            f"holds no erasure made at {when}: a line of ERASURES.jsonl was edited (its "
            "erased_at) or removed since") in said, out
    assert "the change is in an earlier decision" not in said, out
