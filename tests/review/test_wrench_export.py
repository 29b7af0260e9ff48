"""``labelwright export --format wrench``: a run's votes as a folder the bench reads back."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from labelwright.bench.wrench import WrenchFormatError, load_wrench
from labelwright.matrix import LabelMatrix
from labelwright.project import run_project
from labelwright.review.decisions import ledger
from labelwright.review.wrench_export import export_wrench, scored_split
from labelwright.runs.file_names import MATRIX_FILE

LFS = '''
from labelwright import ABSTAIN, labeling_function


@labeling_function()
def refund(item):
    return "billing" if "refund" in item.text.lower() else ABSTAIN


@labeling_function()
def charge(item):
    return "billing" if "charge" in item.text.lower() else ABSTAIN


@labeling_function()
def crash(item):
    return "technical" if "crash" in item.text.lower() else ABSTAIN


@labeling_function()
def error(item):
    return "technical" if "error" in item.text.lower() else ABSTAIN
'''

#: 16 items, 8 of them with gold (4 of each label); u1-u8 without
ROWS = [
    *({"id": f"g{k}", "text": text, "gold": gold} for k, (text, gold) in enumerate([
        ("refund my order", "billing"), ("charged twice, refund", "billing"),
        ("a charge I do not know", "billing"), ("refund, and the app crashes", "billing"),
        ("the app crashes", "technical"), ("error 500", "technical"),
        ("crash on login, error shown", "technical"), ("it shows an error", "technical")])),
    *({"id": f"u{k}", "text": text, "gold": ""} for k, text in enumerate([
        "refund please", "charge on my card", "crash again", "another error",
        "hello there", "thanks", "refund the charge", "crash and error"])),
]


def project(make_project, **kwargs) -> Path:
    return make_project(rows=ROWS, lfs={"tickets": LFS}, **kwargs)


def read_back(folder: Path) -> dict[str, tuple[list[int], int, str]]:
    """Every item the bench's reader reads from ``folder``: id -> (votes, label, split)."""
    ds = load_wrench(folder)
    return {item_id: (split.L[k].tolist(), int(split.y[k]), name)
            for name, split in (("train", ds.train), ("valid", ds.valid), ("test", ds.test))
            if split is not None for k, item_id in enumerate(split.ids)}


def test_the_bench_reads_back_the_runs_matrix_and_labels(make_project, cli):
    root = project(make_project)
    run_dir = run_project(root, report=False).run_dir
    out = root / "w"
    code, said = cli("export", "-p", str(root), "--format", "wrench", "--out", str(out))
    assert code == 0, said
    assert "train.json 8 items, valid.json 4 items, test.json 4 items" in said
    assert f"labelwright bench wrench {out}" in said
    matrix = LabelMatrix.read_parquet(run_dir / MATRIX_FILE)
    read = read_back(out)
    assert list(read) != matrix.item_ids  # split, then each split in the data's order
    assert sorted(read) == sorted(matrix.item_ids)
    for k, item_id in enumerate(matrix.item_ids):
        votes, label, split = read[item_id]
        assert votes == matrix.votes[k].tolist(), item_id
        row = ROWS[k]
        if row["gold"]:
            assert split in ("valid", "test") and label == matrix.labels.index(row["gold"])
        else:
            assert (split, label) == ("train", -1)
    # stratified: each split has two items of each label
    for split in ("valid", "test"):
        assert sorted(label for _, label, s in read.values() if s == split) == [0, 0, 1, 1]
    assert load_wrench(out).classes == list(matrix.labels)
    assert json.loads((out / "test.json").read_text())["g0" if read["g0"][2] == "test" else
                                                       "g4"]["data"]["text"] in \
        {row["text"] for row in ROWS}
    code, said = cli("bench", "wrench", str(out), "--json", "-m", "majority", "--no-ranking")
    assert code == 0, said
    assert said.count('"model": "majority"') == 2  # gold none and valid
    # the same seed, the same split; another folder of the same run is the same
    export_wrench(root, root / "again")
    assert read_back(root / "again") == read


def test_scored_split_is_stratified_seeded_and_rounds_valid_down():
    y = np.array([0] * 6 + [1] * 3 + [2] * 1 + [-1] * 5)
    scored = y >= 0
    split = scored_split(y, scored, 0.5, seed=3)
    assert (split[~scored] == "train").all()
    assert (split == "valid").sum() == 5 and (split == "test").sum() == 5
    assert ((split == "valid") & (y == 0)).sum() == 3  # half of each label's items
    assert ((split == "valid") & (y == 1)).sum() in (1, 2)
    assert (split == scored_split(y, scored, 0.5, seed=3)).all()
    assert any((scored_split(y, scored, 0.5, seed=s) != split).any() for s in range(4, 10))
    assert (scored_split(y, scored, 0.3, seed=3) == "valid").sum() == 3  # floor(10 * 0.3)
    assert not (scored_split(y, scored, 0.0, seed=3) == "valid").any()
    with pytest.raises(ValueError, match="valid_share"):
        scored_split(y, scored, 1.0, seed=3)


def decision(item_id: str, label: str, run_id: str, export: str) -> ledger.Decision:
    return ledger.Decision(item_id, label, "ana", "ana", "", "now", f"{export}.csv",
                           f"sha-{item_id}", "row 1", run_id, "csv", export)


def test_reviews_from_a_random_sample_are_scored_the_queues_with_all_reviews(make_project):
    """u0 reviewed from the random sample, u2 from the queue, g0 (gold billing) reviewed
    technical from the queue: the sample's is a random item, scored; the queue's is not
    (its items are picked as the hard ones), in train unless --all-reviews; g0 keeps the
    review's label, as `labelwright export` does."""
    root = project(make_project)
    first = run_project(root, report=False).run_dir.name
    decisions = [decision("u0", "billing", first, "sample"),
                 decision("u2", "technical", first, "queue"),
                 decision("g0", "technical", first, "queue")]
    ledger.append(ledger.ledger_path(root), decisions, sha256="s1", reviewer="ana",
                  source_file="r.csv", fmt="csv", imported_at="now")
    run_project(root, report=False)
    result = export_wrench(root, root / "w")
    read = read_back(root / "w")
    assert read["u0"][1:] in ((0, "valid"), (0, "test"))
    assert read["u2"][1:] == (-1, "train")
    assert read["g0"][1] == 1  # technical, the review's
    assert (result.gold, result.sampled, result.queue) == (8, 1, 1)
    assert result.review_not_gold == ["g0"]
    assert result.splits == {"train": 7, "valid": 4, "test": 5}
    every = export_wrench(root, root / "all", all_reviews=True)
    assert read_back(root / "all")["u2"][1] == 1 and every.splits["train"] == 6
    provenance = json.loads((root / "w" / "provenance.json").read_text())
    assert provenance["in_train"]["queue_reviews"] == 1
    assert provenance["scored"]["sampled_reviews"] == 1


def test_a_folder_with_files_is_refused_unless_force_which_replaces_them(make_project, cli):
    root = project(make_project)
    run_project(root, report=False)
    out = root / "w"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    code, said = cli("export", "-p", str(root), "--format", "wrench", "--out", str(out))
    assert code != 0 and "the folder is not empty" in said and "--force" in said
    code, said = cli("export", "-p", str(root), "--format", "wrench", "--out", str(out),
                     "--force")
    assert code == 0 and (out / "valid.json").is_file()
    # no valid split this time: the earlier valid.json would be read as this one's
    code, said = cli("export", "-p", str(root), "--format", "wrench", "--out", str(out),
                     "--force", "--valid-share", "0")
    assert code == 0, said
    assert not (out / "valid.json").exists() and (out / "notes.txt").read_text() == "mine"
    assert "no valid.json (--valid-share is 0)" in said and "no gold=valid line" in said
    assert load_wrench(out).valid is None and len(load_wrench(out).test.ids) == 8


def test_options_of_the_other_format_are_errors_naming_them(make_project, cli):
    root = project(make_project)
    run_project(root, report=False)
    code, said = cli("export", "-p", str(root), "--format", "wrench", "--out",
                     str(root / "w"), "--min-confidence", "0", "--accepted-only")
    assert code == 2 and "--min-confidence, --accepted-only: not for --format wrench" in said
    assert not (root / "w").exists()
    code, said = cli("export", "-p", str(root), "--format", "csv", "--out",
                     str(root / "t.csv"), "--valid-share", "0.3")
    assert code == 2 and "--valid-share: only for --format wrench" in said
    code, said = cli("export", "-p", str(root), "--format", "wrench", "--out",
                     str(root / "w"), "--valid-share", "1")
    assert code == 2 and "below 1" in said


def test_without_gold_the_folder_is_train_only_and_says_the_bench_refuses_it(make_project,
                                                                               cli):
    root = project(make_project, gold=None)
    run_project(root, report=False)
    out = root / "w"
    code, said = cli("export", "-p", str(root), "--format", "wrench", "--out", str(out))
    assert code == 0, said
    assert sorted(p.name for p in out.iterdir()) == ["label.json", "provenance.json",
                                                    "train.json"]
    assert "has no test.json: `labelwright bench wrench` refuses a folder without one" in said
    with pytest.raises(WrenchFormatError, match="test.json: missing file"):
        load_wrench(out)


def test_every_item_scored_leaves_no_train_and_the_bench_fits_on_test(make_project, cli):
    rows = [row for row in ROWS if row["gold"]]
    root = make_project(rows=rows, lfs={"tickets": LFS})
    run_project(root, report=False)
    code, said = cli("export", "-p", str(root), "--format", "wrench", "--out",
                     str(root / "w"))
    assert code == 0, said
    assert "there is no train.json" in said and "fits the label models on the test" in said
    assert load_wrench(root / "w").train is None


def test_a_run_on_a_dataframe_exports_with_that_frame_given_again(make_project):
    import pandas as pd

    from labelwright.errors import RunError

    root = project(make_project)
    frame = pd.DataFrame(ROWS)
    run_project(root, data=frame, report=False)
    with pytest.raises(RunError, match=r"wrench_export\.export_wrench\(path, run=run, data=df\)"):
        export_wrench(root, root / "w")
    assert export_wrench(root, root / "w", data=frame).splits["train"] == 8


@pytest.mark.parametrize("name", ["wr.json", "wr.JSONL", "wr.csv", "wr.parquet", "wr.ndjson",
                                  "wr.pq"])
def test_a_new_folder_named_like_a_file_is_refused_with_the_folder_to_give(make_project,
                                                                         cli, name):
    """`export --format wrench -o wr.json` made a folder named wr.json."""
    root = project(make_project)
    run_project(root, report=False)
    out = root / name
    code, said = cli("export", "-p", str(root), "--format", "wrench", "--out", str(out))
    assert code != 0 and not out.exists()
    assert f"names a {out.suffix} file, but a WRENCH export writes a folder" in said
    assert f"give a folder's path, such as {root / 'wr'}" in said
    # a folder of that name that is there already is taken as it is
    out.mkdir()
    code, said = cli("export", "-p", str(root), "--format", "wrench", "--out", str(out))
    assert code == 0, said
    assert (out / "label.json").is_file()
