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
    assert not changed_outputs(second.run_dir, read_manifest(second.run_dir))
