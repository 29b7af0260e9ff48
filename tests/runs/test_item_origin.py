"""Which part file and row each of a run's items came from (``explain`` says it): derived
from ``labels.parquet``'s order, the manifest's ``data.parts`` row counts and the rows the
run skipped, as :mod:`labelwright.runs.item_origin` documents."""

from __future__ import annotations

import json

import pandas as pd

from labelwright import run_project
from labelwright.runs.item_origin import item_origin
from labelwright.runs.store import read_manifest


def _folder_project(make_project, extra: str = ""):
    root = make_project(extra=extra)
    folder = root / "data" / "parts"
    folder.mkdir()
    pd.DataFrame({"id": ["a1", "a2"], "text": ["refund please", "app crashes"],
                  "gold": ["billing", "technical"]}).to_csv(folder / "p1.csv", index=False)
    # the second part: a row without an id (skipped as bad) before b2
    (folder / "p2.csv").write_text("id,text,gold\nb1,charged twice,billing\n"
                                   ",no id here,billing\nb2,the app froze,technical\n",
                                   encoding="utf-8")
    config = root / "labelwright.toml"
    config.write_text(config.read_text().replace('path = "data/items.csv"',
                                                 'path = "data/parts"\nbad_rows = "skip"'))
    return root


def test_each_item_is_placed_in_its_part_and_row_as_the_read_numbers_it(make_project, cli):
    """`explain` showed text, votes and reviews but not which of the folder's files (and
    which row) the item came from; nothing the run wrote said it."""
    root = _folder_project(make_project)
    result = run_project(root, report=False)
    manifest = read_manifest(result.run_dir)
    labels = pd.read_parquet(result.run_dir / "labels.parquet")
    dataset = result.dataset
    assert list(labels["id"]) == list(dataset.ids)
    for k in range(len(dataset)):
        origin = item_origin(result.run_dir, manifest, k)
        assert origin is not None
        assert f"{origin.file}: row {origin.row}" == dataset.where(k)
    b2 = item_origin(result.run_dir, manifest, list(dataset.ids).index("b2"))
    assert (b2.part, b2.parts, b2.row) == (2, 2, 3)  # the skipped row counted
    assert b2.sha256 == manifest["data"]["parts"][1]["sha256"]
    edited = json.loads(json.dumps(manifest))
    edited["data"]["parts"][0]["rows"] += 1  # the parts no longer add up: none is placed
    assert item_origin(result.run_dir, edited, 0) is None
    code, out = cli("explain", "b2", "-p", str(root))
    assert code == 0, out
    assert "from: data/parts/p2.csv row 3 (data part 2 of 2)" in out, out


def test_a_missing_record_of_skipped_rows_places_no_item(make_project):
    """Without skipped_rows.jsonl the skipped row was not counted back: b2 was placed at
    row 2 of p2.csv, the row of the bad record, while the manifest counts one skipped."""
    root = _folder_project(make_project)
    result = run_project(root, report=False)
    manifest = read_manifest(result.run_dir)
    b2 = list(result.dataset.ids).index("b2")
    assert item_origin(result.run_dir, manifest, b2) is not None
    (result.run_dir / "skipped_rows.jsonl").unlink()
    assert item_origin(result.run_dir, manifest, b2) is None
    assert item_origin(result.run_dir, manifest, 0) is not None  # p1.csv skipped none


def test_one_file_and_an_edited_manifest(make_project):
    root = make_project()
    result = run_project(root, report=False)
    manifest = read_manifest(result.run_dir)
    origin = item_origin(result.run_dir, manifest, 1)
    assert origin is not None and (origin.row, origin.parts) == (2, 0)
    assert origin.file == manifest["data"]["path"]  # as recorded: absolute
    assert str(origin) == "data/items.csv row 2"  # shown within the project
    assert item_origin(result.run_dir, manifest, len(result.dataset)) is None


def test_explain_compares_the_items_own_part_with_the_run(make_project, cli):
    """One part of the folder changed and explain said of every item that the folder
    changed since the run, naming no part."""
    root = _folder_project(make_project)
    run_project(root, report=False)
    p1 = root / "data" / "parts" / "p1.csv"
    p1.write_text(p1.read_text().replace("app crashes", "app crashes daily"))
    code, out = cli("explain", "b2", "-p", str(root))
    assert code == 0, out
    assert "(parts changed, added or gone: p1.csv), but not p2.csv, the part holding the " \
        "item" in out, out
    code, out = cli("explain", "a1", "-p", str(root))
    assert code == 0, out
    assert "p1.csv, the part of " in out and " holding the item, changed since run " in out, out



def test_explain_says_when_no_part_changed_but_their_order_did(make_project, cli):
    """Parts listed in another order: the folder's digest changed, no part did, and
    explain named an empty list of changed parts."""
    root = _folder_project(make_project)
    config = root / "labelwright.toml"
    config.write_text(config.read_text().replace(
        'path = "data/parts"', 'path = ["data/parts/p1.csv", "data/parts/p2.csv"]'))
    run_project(root, report=False)
    config.write_text(config.read_text().replace(
        'path = ["data/parts/p1.csv", "data/parts/p2.csv"]',
        'path = ["data/parts/p2.csv", "data/parts/p1.csv"]'))
    code, out = cli("explain", "b2", "-p", str(root))
    assert code == 0, out
    assert "gone: )" not in out, out
    assert "each part as the run read it, read in another order" in out, out

RAISES_ON_B2 = '''
from labelwright import ABSTAIN, labeling_function


@labeling_function()
def refund(item):
    return "billing" if "refund" in item.text else ABSTAIN


@labeling_function()
def picky(item):
    if item.id == "b2":
        raise ValueError("no")
    return ABSTAIN
'''


def test_an_lfs_failures_name_the_part_and_row_of_the_items(make_project, cli):
    """"raised on 1 item (first: b2)" left a folder of parts to be searched for b2."""
    root = _folder_project(make_project)
    (root / "labeling_functions" / "picky.py").write_text(RAISES_ON_B2, encoding="utf-8")
    code, out = cli("run", "--no-report", "-p", str(root))
    assert "LF 'picky' raised on 1 item (first: b2 (p2.csv: row 3))" in out, out


ALWAYS_RAISES = '''
from labelwright import labeling_function


@labeling_function()
def broken(item):
    raise ValueError("no")
'''


def test_the_report_and_the_python_api_name_the_part_and_row_of_failed_items(
        make_project, caplog):
    """The CLI said "first: b2 (p2.csv: row 3)", while the report said "first: b2" and
    the API's log "first error (item 'a1')": a reader of a folder of parts searched every
    part. The report places the items as explain does (file, row, part), the API's log as
    the CLI does (the same helper)."""
    import logging

    from labelwright import load_project
    from labelwright.project.apply import apply_project
    from labelwright.report.data import load_run
    from labelwright.report.summary import summary

    root = _folder_project(make_project)
    (root / "labeling_functions" / "picky.py").write_text(RAISES_ON_B2, encoding="utf-8")
    result = run_project(root, report=False)
    origin = item_origin(result.run_dir, read_manifest(result.run_dir), 3)  # a1 a2 b1 b2
    assert origin is not None and origin.row == 3 and origin.part == 2
    shown = summary(load_run(result.run_dir))
    assert f"raised on 1 items (first: <bdi>b2 ({origin})</bdi>)" in shown, shown
    (root / "labeling_functions" / "picky.py").write_text(ALWAYS_RAISES, encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="labelwright.project.apply"):
        apply_project(load_project(root))
    said = [r.getMessage() for r in caplog.records if r.name == "labelwright.project.apply"]
    assert any("first error (item a1 (p1.csv: row 1), raised at" in m for m in said), said



def test_parts_of_a_double_star_wildcard_are_named_within_its_folder(make_project, cli):
    """Under `data/**/*.csv`, 2025/p2.csv and 2026/p2.csv were both said as "p2.csv" (or
    by their absolute path): the part is named within the wildcard's folder, as the read's
    own messages name it."""
    root = _folder_project(make_project)
    folder = root / "data" / "parts"
    for year in ("2025", "2026"):
        (folder / year).mkdir()
    (folder / "p1.csv").rename(folder / "2025" / "p1.csv")
    (folder / "p2.csv").rename(folder / "2026" / "p2.csv")
    config = root / "labelwright.toml"
    config.write_text(config.read_text().replace('path = "data/parts"',
                                                 'path = "data/parts/**/*.csv"'))
    (root / "labeling_functions" / "picky.py").write_text(RAISES_ON_B2, encoding="utf-8")
    code, out = cli("run", "--no-report", "-p", str(root))
    assert "LF 'picky' raised on 1 item (first: b2 (2026/p2.csv: row 3))" in out, out
    p1 = folder / "2025" / "p1.csv"
    p1.write_text(p1.read_text().replace("app crashes", "app crashes daily"))
    code, out = cli("explain", "b2", "-p", str(root))
    assert code == 0, out
    assert "(parts changed, added or gone: 2025/p1.csv), but not 2026/p2.csv" in out, out

def test_a_training_sets_provenance_lists_the_parts_the_run_read(make_project, tmp_path):
    from labelwright.review.training_set import export_training_set

    root = _folder_project(make_project)
    result = run_project(root, report=False)
    out = tmp_path / "train.jsonl"
    export_training_set(root, out)
    record = json.loads((tmp_path / "train.jsonl.provenance.json").read_text())
    parts = read_manifest(result.run_dir)["data"]["parts"]
    # each part as the manifest records it: its rows, and the rows it left out as read
    assert record["data_parts"] == [{k: p[k] for k in ("path", "sha256", "rows", "skipped")
                                     if k in p} for p in parts]
    assert [p["rows"] for p in record["data_parts"]] == [2, 2]


def test_each_items_part_is_told_by_the_manifests_counts_alone():
    """`runs verify --inputs` (naming a gone item's part) and `explain` (placing one item)
    each expanded the manifest's parts their own way; one reading now serves both."""
    from labelwright.runs.item_origin import counted_parts, part_of_each

    manifest = {"data": {"rows": 3, "parts": [{"path": "d/p1.csv", "rows": 2},
                                              {"path": "d/p2.csv", "rows": 1}]}}
    assert part_of_each(manifest, 3) == ["d/p1.csv", "d/p1.csv", "d/p2.csv"]
    assert part_of_each(manifest, 4) is None  # the counts do not add up to the items
    one_file = {"data": {"rows": 2, "path": "d/items.csv"}}
    assert part_of_each(one_file, 2) is None  # no parts to tell apart
    assert [p["path"] for p in counted_parts(one_file, 2) or []] == ["d/items.csv"]
    assert counted_parts({"data": {"rows": 2, "frame": True, "path": "x"}}, 2) is None
    negative = {"data": {"rows": 1, "parts": [{"path": "a", "rows": 2},
                                              {"path": "b", "rows": -1}]}}
    assert counted_parts(negative, 1) is None


def test_a_moved_project_shows_the_data_file_within_it(make_project, cli, tmp_path):
    """The manifest records the data's absolute path: after the project moved, explain
    showed the old one."""
    import shutil

    root = make_project()
    result = run_project(root, report=False)
    assert read_manifest(result.run_dir)["data"]["path"] == str(root / "data" / "items.csv")
    moved = tmp_path / "moved"
    shutil.move(str(root), str(moved))
    code, out = cli("explain", "t1", "-p", str(moved))
    assert code == 0, out
    assert "from: data/items.csv row 1" in out, out
    assert str(root) not in out.split("from:")[1].split("row")[0]
