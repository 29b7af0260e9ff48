"""The report's History: the report had no trend across runs, only the comparison with
the previous one. Rows come from the manifests alone."""

from __future__ import annotations

from report_runs import make_pair, make_run

from labelwright.percent import percent
from labelwright.project import run_project
from labelwright.report import render_report
from labelwright.report.history import history_section, past_runs, what_changed
from labelwright.runs.manifest import read_manifest


def _history(page: str) -> str:
    return page.split('<section id="history">')[1].split("</section>")[0]


def _rows(section: str) -> list[str]:
    return section.split("<tbody>")[1].split("</tbody>")[0].split("<tr>")[1:]


def test_the_history_has_a_row_per_run_newest_first_with_what_changed(tmp_path):
    first, second = make_pair(tmp_path)
    (first / "labels.parquet").unlink()  # read from the manifest alone
    (first / "label_matrix.parquet").unlink()
    page = render_report(second)
    assert '<a href="#history">' in page.split("</nav>")[0]
    newest, oldest = _rows(_history(page))
    assert f"<code>{second.name}</code> (this run)" in newest
    assert "LF code (edited: lf_2; removed: lf_5)" in newest
    assert f"<code>{first.name}</code>" in oldest and "2026-11-28 03:00 UTC" in oldest
    manifest = read_manifest(first)
    assert f'<td class="n">{manifest["data"]["rows"]}</td>' in oldest
    assert "not recorded" in oldest  # a synthetic run from before the labeled count
    assert oldest.rstrip().endswith("<td>—</td></tr>")  # nothing before it to compare


def test_a_first_run_has_no_history(tmp_path):
    run_dir = make_run(tmp_path / "runs", "20261128-030000-000000", n=60, examples=False)
    assert '<section id="history">' not in render_report(run_dir)


def test_a_run_whose_manifest_cannot_be_read_is_listed_as_such(tmp_path):
    runs = tmp_path / "runs"
    ids = ["20261128-030000-000000", "20261128-040000-000000", "20261128-050000-000000"]
    dirs = [make_run(runs, run_id, n=40, seed=k, examples=False) for k, run_id in
            enumerate(ids)]
    (dirs[1] / "manifest.json").write_text("{", encoding="utf-8")
    this, broken, oldest = _rows(_history(render_report(dirs[2])))
    assert f"run {ids[1]} cannot be read" in this
    assert f"<code>{ids[1]}</code>" in broken and "cannot be read: " in broken
    assert "cannot read the manifest" in broken
    assert f"<code>{ids[0]}</code>" in oldest
    (dirs[1] / "manifest.json").unlink()  # a folder that lost its manifest is a row too
    assert [run.run_id for run in past_runs(dirs[2], ids[2])[0]] == [ids[1], ids[0]]


def test_only_the_newest_runs_are_shown_and_the_rest_counted(tmp_path):
    runs = tmp_path / "runs"
    ids = [f"20261128-0{h}0000-000000" for h in range(1, 6)]
    dirs = [make_run(runs, run_id, n=30, seed=k, examples=False) for k, run_id in
            enumerate(ids)]
    earlier, left_out = past_runs(dirs[-1], ids[-1], limit=2)
    # one past the limit, so the oldest row shown can say what changed before it
    assert [run.run_id for run in earlier] == [ids[3], ids[2], ids[1]] and left_out == 2
    section = history_section(ids[-1], read_manifest(dirs[-1]), dirs[-1], limit=2)
    assert section is not None
    rows = _rows(section)
    assert len(rows) == 3 and ids[1] not in "".join(rows)
    assert "2 earlier run(s) are not shown" in section
    assert "nothing recorded" in rows[-1]  # compared with the run past the limit


def test_what_changed_names_data_model_glossaries_and_config():
    a = {"data": {"sha256": "a", "rows": 10}, "label_model": {"name": "auto", "params": {}},
         "glossaries": [{"name": "praise", "sha256": "1"}], "config": {"sha256": "c"},
         "labeling_functions": [{"name": "x", "source_sha256": "1"}]}
    b = {"data": {"sha256": "b", "rows": 1200}, "label_model": {"name": "snorkel"},
         "glossaries": [{"name": "praise", "sha256": "2"}], "config": {"sha256": "d"},
         "labeling_functions": [{"name": "x", "source_sha256": "1"}]}
    assert what_changed(a, b) == ["glossaries (edited: praise)", "data (10 -> 1,200 rows)",
                                  "label model (auto -> snorkel)", "config file"]
    assert what_changed(a, a) == []
    many = {**a, "labeling_functions": [{"name": f"n{k}", "source_sha256": "1"}
                                        for k in range(5)]}
    assert what_changed(a, many)[0] == "LF code (added: n0, n1, n2 and 2 more; removed: x)"


def test_a_run_records_its_labeled_items_and_the_history_shows_the_share(make_project):
    root = make_project()
    run_project(root, report=False)
    second = run_project(root)
    manifest = read_manifest(second.run_dir)
    labeled = int(second.labels["label"].notna().sum())
    assert manifest["labeled"] == labeled
    rows = manifest["data"]["rows"]
    (this, _) = _rows(_history((second.run_dir / "report.html").read_text()))
    assert f'<td class="n">{percent(labeled / rows)}</td>' in this
    assert "nothing recorded" in this
