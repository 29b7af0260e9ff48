"""The warnings `labelwright run` prints about a run are in its manifest and at the top of
its report, not only in a terminal long scrolled away."""

from __future__ import annotations

import json

from report_runs import make_run

from labelwright.project import run_project
from labelwright.report import render_report
from labelwright.review.decisions import ledger
from labelwright.runs.manifest import read_manifest
from labelwright.runs.store import changed_outputs


def _first_section(page: str) -> str:
    main = page.split("<main>")[1]
    return main.split("</section>")[0]


def test_the_runs_warnings_are_recorded_and_lead_the_report(make_project):
    """A reviewed label that differs from the item's gold label is a warning `run` printed;
    the manifest kept only the data reader's warnings, and the report showed none."""
    root = make_project()
    first = run_project(root, report=False)
    # t1's gold label is billing: a review says technical
    ledger.append(ledger.ledger_path(root), [
        ledger.Decision("t1", "technical", "ana", "", "", "now", "f.csv", "s1", "row 1",
                        first.run_id, "csv", "queue")], sha256="s1", reviewer="ana",
        source_file="f.csv", fmt="csv", imported_at="now")
    second = run_project(root)
    clash = [w for w in second.warnings if "differs from their gold label" in w]
    assert clash, second.warnings
    manifest = read_manifest(second.run_dir)
    assert manifest["run_warnings"] == second.warnings
    page = (second.run_dir / "report.html").read_text()
    top = _first_section(page)
    assert top.startswith('<section id="warnings"><h2>Warnings (')
    assert clash[0].split("(e.g.")[0] in top
    assert '<a href="#warnings">' in page.split("</nav>")[0]


def test_a_run_without_warnings_has_no_warnings_section(make_project):
    result = run_project(make_project())
    assert read_manifest(result.run_dir)["run_warnings"] == result.warnings == []
    page = (result.run_dir / "report.html").read_text()
    assert '<section id="warnings">' not in page
    # the first section is what the run found to act on, then the figures
    assert _first_section(page).startswith('<section id="next">')


def test_the_data_readers_warnings_are_at_the_top_too(tmp_path):
    run_dir = make_run(tmp_path / "runs", "20261128-030000-000000", n=60, examples=False)
    path = run_dir / "manifest.json"
    manifest = json.loads(path.read_text())
    manifest["data"]["warnings"] = ["data/items.csv: 3 empty texts"]
    manifest["run_warnings"] = ["the label model assumed equal classes"]
    path.write_text(json.dumps(manifest))
    top = _first_section(render_report(run_dir))
    assert top.index("the label model assumed equal classes") < top.index(
        "reading the data: data/items.csv: 3 empty texts")
    assert "Warnings (2)" in top


def test_an_older_run_without_the_record_still_loads_verifies_and_says_so(tmp_path):
    """Runs from before run_warnings was recorded read, verify and get a report that says
    their warnings are not on it (not that there were none)."""
    run_dir = make_run(tmp_path / "runs", "20261128-030000-000000", n=60, examples=False)
    manifest = read_manifest(run_dir)
    assert "run_warnings" not in manifest
    assert changed_outputs(run_dir, manifest) == []
    top = _first_section(render_report(run_dir))
    assert top.startswith('<section id="warnings"><h2>Warnings</h2>')
    assert "does not record the warnings <code>labelwright run</code> printed" in top


def test_a_warning_of_several_lines_keeps_them_on_the_page(tmp_path):
    """The misread warning is one line per LF; the report's hint box ran them together."""
    import re

    run_dir = make_run(tmp_path / "runs", "20261128-030000-000000", n=60, examples=False)
    path = run_dir / "manifest.json"
    manifest = json.loads(path.read_text())
    manifest["run_warnings"] = ["the label model misreads 2 LFs:\n  'a' 90% learned\n  'b'"]
    path.write_text(json.dumps(manifest))
    page = render_report(run_dir)
    assert "misreads 2 LFs:\n  &#x27;a&#x27; 90% learned\n" in page or \
        "misreads 2 LFs:\n  &#39;a&#39; 90% learned\n" in page
    rule = re.search(r"\.hint\{([^}]*)\}", page)
    assert rule and "white-space:pre-line" in rule.group(1).replace("\n", "")


def test_a_fall_in_accuracy_since_the_previous_run_is_in_the_manifest_and_the_report(
        make_project):
    """`run` printed "accuracy on held-out gold ... -> ..." but the manifest was written
    before the comparison with the previous run, so the report's Warnings lacked it."""
    root = make_project()
    run_project(root)
    # the refund LF now votes technical: t1 and t3 (gold billing) go wrong
    lfs = root / "labeling_functions" / "tickets.py"
    lfs.write_text(lfs.read_text().replace('return "billing" if "refund"',
                                           'return "technical" if "refund"'))
    second = run_project(root)
    drop = [w for w in second.warnings if "accuracy on held-out gold" in w]
    assert drop, second.warnings
    assert read_manifest(second.run_dir)["run_warnings"] == second.warnings
    top = _first_section((second.run_dir / "report.html").read_text())
    assert drop[0].split(" -> ")[0] in top
    assert "when the run was made" not in top  # made with the run: shown as recorded
    assert not changed_outputs(second.run_dir, read_manifest(second.run_dir))
    # rebuilt: the same fall, found again, is shown once and says when it was made
    (again,) = [h for h in _hints(render_report(second.run_dir)) if "accuracy on held-out" in h]
    assert again.startswith(drop[0] + " (when the run was made, ")
    assert ", and again as this report was made, " in again


def _hints(page: str) -> list[str]:
    import html

    return [html.unescape(h.split("</p>")[0])
            for h in _first_section(page).split('<p class="hint">')[1:]]


def test_a_rebuilt_report_shows_the_comparison_as_it_is_now(make_project):
    """A run that could not read the previous run's manifest recorded "not compared"; once
    that manifest was mended, a rebuilt report still led with the warning, above a Changes
    section that showed the comparison."""
    root = make_project()
    first = run_project(root, report=False)
    kept = (first.run_dir / "manifest.json").read_bytes()
    (first.run_dir / "manifest.json").write_text("{", encoding="utf-8")
    second = run_project(root, report=False)
    (then,) = [w for w in second.warnings if w.startswith("not compared with the previous")]
    # still unreadable: the run's warning stands, made then and again now
    (said,) = [h for h in _hints(render_report(second.run_dir)) if "not compared" in h]
    assert said.startswith(then + " (when the run was made, ")
    assert ", and again as this report was made, " in said
    # unreadable for another reason now: each says when it was made
    (first.run_dir / "manifest.json").write_text("[]", encoding="utf-8")
    now, old = [h for h in _hints(render_report(second.run_dir)) if "not compared" in h]
    assert "it holds a JSON list" in now and now.endswith(" UTC)") and (
        " (as this report was made, " in now)
    assert old.startswith(then + " (when the run was made, ")
    assert "as this report was made" not in old
    # mended: the comparison succeeds, and the page says only that
    (first.run_dir / "manifest.json").write_bytes(kept)
    page = render_report(second.run_dir)
    assert not [h for h in _hints(page) if "not compared" in h]
    top = _first_section(page)
    assert "1 warning(s) the comparison with the previous run gave when the run was made" in top
    assert "no longer hold" in top
    changes = page.split('<section id="changes">')[1]
    assert f"<code>{first.run_id}</code>" in changes and "cannot compare" not in changes


def test_the_comparisons_warnings_are_told_from_the_others():
    from labelwright.project.since_previous import not_compared_warning
    from labelwright.report.comparison_warnings import is_comparison_warning

    assert is_comparison_warning(not_compared_warning("run r: gone"))
    assert is_comparison_warning("since run 20261205-233945-383826: accuracy on held-out gold "
                                 "98.4% -> 96.4% (-2.0 pts, over the same gold items); ...")
    assert is_comparison_warning("1 item of run r is gone from the data (t5); ...")
    assert is_comparison_warning("2,000 items of run r are not in the data this run read "
                                 "(t1, t2, ...): it read b.csv, run r read a.csv; ...")
    assert not is_comparison_warning("since run r: 3 labels flipped")
    assert not is_comparison_warning("the label model assumed equal classes")


def test_rebuilding_a_report_that_differs_only_by_when_it_was_made_keeps_no_copy(
        make_project, monkeypatch):
    """A run whose comparison failed: each rebuild said "as this report was made, <minute>",
    so every rebuild a minute later kept the page before it in replaced/, though nothing
    on it but that time had changed."""
    from datetime import UTC, datetime

    from labelwright.report import rebuild_report
    from labelwright.runs.replaced import REPLACED

    root = make_project()
    first = run_project(root, report=False)
    (first.run_dir / "manifest.json").write_text("{", encoding="utf-8")
    second = run_project(root)  # its report, made with the run, says "not compared"
    times = iter([datetime(2026, 12, 7, 7, minute, tzinfo=UTC) for minute in (30, 31, 32, 33)])
    monkeypatch.setattr("labelwright.report.comparison_now", lambda: next(times))
    report, kept = rebuild_report(second.run_dir)
    assert kept is not None  # the run's own page says no time it was made: kept
    for minute in ("31", "32"):  # the same page but for the time it was made
        assert rebuild_report(second.run_dir) == (report, None)
        assert f"as this report was made, 2026-12-07 07:{minute} UTC" in report.read_text()
    assert [p.parent for p in (second.run_dir / REPLACED).glob("*/report.html")] == [kept]
    (first.run_dir / "manifest.json").write_text("[]", encoding="utf-8")  # another reason
    assert rebuild_report(second.run_dir)[1] is not None  # another page: kept


def test_items_gone_since_the_previous_run_are_said_once_in_the_report(make_project):
    """The run records its items-gone warning with its others, and the report compares
    again: the page said it twice, as recorded and as found again, being no warning it
    told for the comparison's (as it tells a fall in accuracy)."""
    from data_parts import split_into_parts
    from ticket_data import TICKETS

    root = make_project()
    split_into_parts(root, {"part-1.csv": TICKETS[:4], "part-2.csv": TICKETS[4:]})
    run_project(root, report=False)
    (root / "data" / "parts" / "part-2.csv").unlink()
    second = run_project(root)
    (gone,) = [w for w in second.warnings if "gone from the data" in w]
    shown = [h for h in _hints((second.run_dir / "report.html").read_text())
             if "gone from the data" in h]
    assert shown == [gone], shown
    (again,) = [h for h in _hints(render_report(second.run_dir)) if "gone from the data" in h]
    assert again.startswith(gone + " (when the run was made, ")
