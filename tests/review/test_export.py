import csv
import json
import re

import numpy as np
import pandas as pd
import pytest

from labelwright.lfs.item import GlossaryMatch
from labelwright.review.queue.export import review_records, write_csv, write_jsonl, write_review
from labelwright.review.queue.formats import jsonl_encoder

LABELS = ("billing", "technical")
LF_NAMES = ["refund", "crash", "glossary:money"]


def records():
    match = GlossaryMatch("money", "billing", "charge", "charged", 1, 2, note="Money taken")
    cancelled = GlossaryMatch("money", "billing", "refund", "refund", 3, 4, excluded_by="no")
    return review_records(
        run_id="20260101-000000-000001",
        order=np.array([2, 0]),
        ids=["a", "b", "c"],
        texts=["refund, crash", "fine", "I charged, no refund"],
        labels=LABELS,
        predicted=np.array([0, 1, -1]),
        probs=np.array([[0.55, 0.45], [0.1, 0.9], [0.5, 0.5]]),
        confidence=np.array([0.55, 0.9, 0.0]),
        reasons=[("conflict",), (), ("uncovered",)],
        votes=np.array([[0, 1, -1], [-1, -1, -1], [-1, -1, 0]], dtype=np.int8),
        lf_names=LF_NAMES,
        matches=[[], [], [match, cancelled]],
        fields=pd.DataFrame({"plan": ["pro", "free", "pro"]}),
    )


def test_records():
    first, second = records()
    assert (first["id"], first["rank"], second["id"], second["rank"]) == ("c", 1, "a", 2)
    assert first["run_id"] == second["run_id"] == "20260101-000000-000001"
    assert first["suggested_label"] is None and second["suggested_label"] == "billing"
    assert second["votes"] == {"refund": "billing", "crash": "technical"}
    assert first["votes"] == {"glossary:money": "billing"}
    assert second["probabilities"] == {"billing": 0.55, "technical": 0.45}
    assert second["reasons"] == ["conflict"]
    assert first["fields"] == {"plan": "pro"}
    assert [m["term"] for m in first["glossary_matches"]] == ["charge", "refund"]


def test_csv(tmp_path):
    path = tmp_path / "review.csv"
    write_csv(records(), path, labels=LABELS, lf_names=LF_NAMES)
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 2
    assert list(rows[0]) == ["id", "run_id", "project", "rank", "text", "suggested_label",
                             "review_label", "note",
                             "confidence", "reasons", "signals", "why", "end_model_label",
                             "prob_billing", "prob_technical",
                             "glossary_terms", "vote_refund", "vote_crash",
                             "vote_glossary:money", "pattern", "export", "copies"]
    assert [r["export"] for r in rows] == ["queue", "queue"]
    assert [r["copies"] for r in rows] == ["", ""]  # records of a run before copies counted
    assert [r["review_label"] for r in rows] == ["", ""]
    c, a = rows
    assert (c["id"], a["id"]) == ("c", "a")
    assert c["suggested_label"] == "" and a["suggested_label"] == "billing"
    assert a["vote_refund"] == "billing" and a["vote_crash"] == "technical"
    assert a["vote_glossary:money"] == "" and c["vote_glossary:money"] == "billing"
    assert a["reasons"] == "conflict" and a["prob_billing"] == "0.55"
    assert "charged [money → billing]: Money taken" in c["glossary_terms"]
    assert "refund [money → billing] (cancelled by 'no')" in c["glossary_terms"]
    assert c["text"] == "I charged, no refund"


def test_jsonl(tmp_path):
    path = tmp_path / "review.jsonl"
    write_jsonl(records(), path)
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert [(r["id"], r["run_id"]) for r in lines] == [("c", "20260101-000000-000001"),
                                                       ("a", "20260101-000000-000001")]
    assert lines[0]["glossary_matches"][0]["note"] == "Money taken"
    assert lines[0]["glossary_matches"][1]["excluded_by"] == "no"


def test_numpy_fields_serialise(tmp_path):
    recs = records()
    recs[0]["fields"] = {"n": np.int64(3), "x": float("nan"), "y": np.float32("nan")}
    path = tmp_path / "r.jsonl"
    write_jsonl(recs, path)
    # a strict reader (JSON has no NaN): Python's own takes NaN unless told not to
    line = json.loads(path.read_text().splitlines()[0], parse_constant=_no_constant)
    assert line["fields"] == {"n": 3, "x": None, "y": None}


def _no_constant(name):
    raise AssertionError(f"{name} is no JSON value")


def test_an_empty_data_cell_is_null_in_the_jsonl_line():
    """An empty cell of a CSV's extra column is read as NaN; the record's line said NaN,
    which jq and JavaScript refuse."""
    recs = records()
    recs[1]["fields"] = {"plan": float("nan")}
    line = jsonl_encoder()(recs[1])
    assert '"plan": null' in line and "NaN" not in line
    assert jsonl_encoder()(recs[0]) == json.dumps(recs[0], ensure_ascii=False)


def test_an_empty_data_cell_is_none_in_the_record():
    """Made None where the record is made, so the line needs no second pass."""
    fields = pd.DataFrame({"plan": ["pro", None, "pro"], "seats": [1.0, 2.0, float("nan")]})
    recs = review_records(
        run_id="r", order=np.array([1, 2]), ids=["a", "b", "c"], texts=["x", "y", "z"],
        labels=["n", "p"], predicted=np.array([0, 1, 0]), probs=np.full((3, 2), 0.5),
        confidence=np.full(3, 0.5), reasons=[[], [], []], votes=np.zeros((3, 0), dtype=int),
        lf_names=[], matches=[[], [], []], fields=fields)
    assert [r["fields"] for r in recs] == [{"plan": None, "seats": 2.0},
                                           {"plan": "pro", "seats": None}]


def test_write_review_formats(tmp_path):
    write_review(records(), tmp_path / "r.csv", "csv", labels=LABELS, lf_names=LF_NAMES)
    assert (tmp_path / "r.csv").exists()
    with pytest.raises(ValueError, match="unknown review format 'xlsx'; valid: csv, jsonl"):
        write_review(records(), tmp_path / "r.x", "xlsx", labels=LABELS, lf_names=LF_NAMES)


@pytest.mark.parametrize("fmt, name", [("jsonl", "q.csv"), ("csv", "q.jsonl"),
                                       ("label-studio", "q.jsonl"), ("prodigy", "q.json")])
def test_a_file_named_for_another_format_is_refused(reviewed_project, tmp_path, fmt, name):
    """review export --format jsonl --out q.csv wrote JSONL into q.csv (training-set
    export refused the same mismatch)."""
    from labelwright.review.queue.export import export_run

    with pytest.raises(ValueError, match=rf"{name}: the suffix says {name.split('.')[1]}, the "
                                         rf"format is {fmt}"):
        export_run(reviewed_project.run_dir, fmt, tmp_path / name)
    assert not (tmp_path / name).exists()
    suffix = {"csv": ".csv", "label-studio": ".json"}.get(fmt, ".jsonl")
    written = export_run(reviewed_project.run_dir, fmt, tmp_path / f"ok{suffix}")
    assert written and written[0].exists()


@pytest.mark.parametrize(("fmt", "where", "what"), [
    ("csv", "data/items.csv", "the project's dataset"),
    ("jsonl", "reviews.sqlite", "the review ledger"),
    ("label-studio", "RUN/manifest.json", "own manifest.json, which the run wrote"),
    ("csv", "RUN/review.csv", "own review.csv, which the run wrote"),
    # a run without a random sample: the file would pass for one
    ("jsonl", "RUN/sample.jsonl", "own sample.jsonl: commands would read the file as the "
                                  "run's random sample"),
    ("csv", "runs/LATEST", "the pointer to the latest run"),
    ("label-studio", "RUN/end_model.json", "end_model.json, which labelwright train writes"),
    ("argilla", "RUN/labels.jsonl", "own labels.settings.json"),  # the companion file
    ("csv", "labeling_functions/rules.csv", "the LF folder"),
    ("prodigy", "glossaries/terms.jsonl", "the glossary folder"),
    ("jsonl", ".labelwright/q.jsonl", "labelwright's cache"),
])
def test_a_review_export_never_overwrites_what_the_project_reads(reviewed_project, fmt,
                                                                  where, what):
    """review export --out data/items.csv replaced the dataset (and --out reviews.sqlite
    the ledger, --out runs/<run>/manifest.json the run's record, --out runs/LATEST the
    pointer), all with exit 0; a queue exported as a sampleless run's sample.jsonl was then
    exported and imported as its random sample."""
    from labelwright.config import load_config
    from labelwright.errors import RunError
    from labelwright.review.queue.export import export_run

    root, run_dir = reviewed_project.root, reviewed_project.run_dir
    config = load_config(root)
    (run_dir / "labels.settings.json").write_text("{}")  # as if the run had written it
    out = root / where.replace("RUN", f"runs/{run_dir.name}")
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    manifest = json.loads((run_dir / "manifest.json").read_text())
    manifest["outputs"]["labels.settings.json"] = "0" * 64
    (run_dir / "manifest.json").write_text(json.dumps(manifest))
    before[run_dir / "manifest.json"] = (run_dir / "manifest.json").read_bytes()
    with pytest.raises(RunError, match=re.escape(what)):
        export_run(run_dir, fmt, out, config=config)
    assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file()} == before
    # a new file beside the run's queue, and the default path, are fine
    assert export_run(run_dir, fmt, run_dir / f"mine{out.suffix}", config=config)
    assert export_run(run_dir, fmt, config=config)[0].parent == run_dir


def test_a_review_export_to_a_folder_is_one_clear_error(reviewed_project, tmp_path):
    """--out naming a folder ended in an IsADirectoryError traceback."""
    from labelwright.errors import RunError
    from labelwright.review.queue.export import export_run

    (tmp_path / "q.csv").mkdir()
    with pytest.raises(RunError, match=r"q\.csv: cannot write the review export: Is a dir"):
        export_run(reviewed_project.run_dir, "csv", tmp_path / "q.csv")


def test_a_queue_edited_after_the_run_is_not_exported(reviewed_project, tmp_path):
    """review export showed reviewers whatever review.jsonl held: a suggestion edited into
    it after the run went out as the run's (export, train and the report refuse such a
    run)."""
    from labelwright.errors import RunError
    from labelwright.review.queue.export import export_run

    queue = reviewed_project.run_dir / "review.jsonl"
    lines = queue.read_text(encoding="utf-8").splitlines()
    first = json.loads(lines[0])
    first["suggested_label"] = "billing" if first["suggested_label"] != "billing" else None
    queue.write_text("\n".join([json.dumps(first), *lines[1:]]) + "\n", encoding="utf-8")
    with pytest.raises(RunError, match=r"review\.jsonl: changed since the run wrote it .*"
                                        r"it is not the queue the run wrote"):
        export_run(reviewed_project.run_dir, "csv", tmp_path / "q.csv")
    assert not (tmp_path / "q.csv").exists()


def test_with_the_lf_folder_at_the_root_only_its_modules_are_off_limits(tmp_path):
    """labeling_functions = "." put every path of the project inside the LF folder: every
    export was refused, even into the run folder or runs/exports/."""
    from labelwright.config import load_config
    from labelwright.errors import RunError
    from labelwright.review.targets import check_targets
    from labelwright.scaffold import init_project

    root = tmp_path / "p"
    init_project(root)
    for module in (root / "labeling_functions").glob("*.py"):
        module.rename(root / module.name)
    (root / "labeling_functions").rmdir()
    toml = root / "labelwright.toml"
    toml.write_text(toml.read_text().replace("[project]\n", '[project]\nlabeling_functions = "."\n',
                                             1))
    config = load_config(root)
    assert config.lf_path.resolve() == root.resolve()
    check_targets([root / "runs" / "exports" / "t.csv", root / "training.parquet",
                   root / "notes.txt"], config, what="training set")
    module = next(root.glob("*.py"))
    with pytest.raises(RunError, match=f"{module.name} in .*the LF folder"):
        check_targets([module], config, what="training set")
    with pytest.raises(RunError, match="inside .*glossaries, the glossary folder"):
        check_targets([root / "glossaries" / "t.jsonl"], config, what="review export")


def _filled(path, labels):
    """The review CSV at ``path`` with ``labels`` in the review_label of its first rows."""
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row, label in zip(rows, labels):
        row["review_label"] = label
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


@pytest.mark.parametrize("where", ["out", "default"])
def test_an_export_does_not_overwrite_decisions_not_imported_yet(make_project, tmp_path, where):
    """review export run twice wrote over a sheet whose reviewer had filled in 5 labels,
    with exit 0: the labels were gone."""
    from labelwright.config import load_config
    from labelwright.errors import ReviewError
    from labelwright.project import run_project
    from labelwright.review.imports.file import import_file
    from labelwright.review.queue.export import export_run

    root = make_project(gold=None, extra="random_sample = 6\n")
    run_dir = run_project(root, report=False).run_dir
    config = load_config(root)
    out = tmp_path / "rv" / "q.csv" if where == "out" else None

    def export(**options):
        return export_run(run_dir, "csv", out, sample=True, config=config, **options)

    (sheet,) = export()
    export()  # nothing filled in yet: written over as before
    _filled(sheet, ["billing"] * 5)
    filled = sheet.read_bytes()
    with pytest.raises(ReviewError) as info:
        export()
    assert str(info.value) == (
        f"{sheet}: holds 5 filled review decision(s), and this file, as it is now, was never "
        "imported into the review ledger: the export would overwrite them; nothing written. "
        f"Import it first: `labelwright review import {sheet} --reviewer NAME` "
        "(import_file(project, path, reviewer='NAME') from Python); or write the export "
        "elsewhere with --out FILE (out=FILE from Python); or pass --force (force=True from "
        "Python) to overwrite it")
    assert sheet.read_bytes() == filled
    import_file(root, sheet, reviewer="ana")
    export()  # its decisions are in the ledger now
    assert sheet.read_bytes() != filled
    _filled(sheet, ["technical"])  # a label in the new sheet, not imported
    with pytest.raises(ReviewError, match="holds 1 filled review decision"):
        export()
    export(force=True)
    with open(sheet, encoding="utf-8", newline="") as handle:
        assert {row["review_label"] for row in csv.DictReader(handle)} == {""}


def test_an_export_does_not_overwrite_a_tools_export_of_decisions(reviewed_project, tmp_path):
    """The tasks file of a Label Studio export, replaced by Label Studio's export of the
    annotations, is refused as the review CSV is; an export as labelwright wrote it (no
    annotation yet) is written over, in every format, blind or not."""
    from labelwright.config import load_config
    from labelwright.errors import ReviewError
    from labelwright.review.queue.export import EXPORT_FORMATS, SUFFIXES, export_run

    run_dir, config = reviewed_project.run_dir, load_config(reviewed_project.root)
    for fmt in EXPORT_FORMATS:
        for blind in (False, True):
            out = tmp_path / f"{fmt}-{blind}{SUFFIXES[fmt]}"
            export_run(run_dir, fmt, out, config=config, blind=blind)
            export_run(run_dir, fmt, out, config=config, blind=blind)
    tasks = tmp_path / "ls.json"
    written = export_run(run_dir, "label-studio", tasks, config=config)
    exported = json.loads(tasks.read_text(encoding="utf-8"))
    exported[0].update(id=1, annotations=[{
        "id": 7, "completed_by": 1, "created_at": "2026-11-28T10:00:00Z",
        "result": [{"from_name": "label", "to_name": "text", "type": "choices",
                    "value": {"choices": ["billing"]}}]}])
    tasks.write_text(json.dumps(exported), encoding="utf-8")
    before = [path.read_bytes() for path in written]
    with pytest.raises(ReviewError, match=r"ls\.json: holds 1 filled review decision\(s\)"):
        export_run(run_dir, "label-studio", tasks, config=config)
    assert [path.read_bytes() for path in written] == before  # the config too


def test_an_export_over_a_file_that_is_no_readable_review_file_is_refused(reviewed_project,
                                                                         tmp_path):
    """A sheet a spreadsheet saved in another encoding may hold decisions that cannot be
    counted: it is not written over without --force."""
    from labelwright.errors import ReviewError
    from labelwright.review.queue.export import export_run

    sheet = tmp_path / "q.csv"
    sheet.write_bytes(f"id,run_id,text,review_label\nt6,{reviewed_project.run_id},caf\xe9,"
                      "billing\n".encode("cp1252"))
    with pytest.raises(ReviewError, match=r"q\.csv: exists and cannot be read as a review "
                                          r"file \(.*not valid UTF-8.*\), so whether it holds "
                                          r"review decisions not imported yet cannot be told; "
                                          r"nothing written. Write the export elsewhere with "
                                          r"--out FILE \(out=FILE from Python\); only if it is "
                                          r"an earlier review export you mean to replace, pass "
                                          r"--force \(force=True from Python\) to overwrite "
                                          r"it$"):
        export_run(reviewed_project.run_dir, "csv", sheet)
    assert export_run(reviewed_project.run_dir, "csv", sheet, force=True) == [sheet]


def test_review_export_reads_the_runs_queue_once(reviewed_project, tmp_path, cli,
                                                 monkeypatch):
    """The command read review.jsonl three times (its hash, its records, and again for the
    count it prints): 100 MB each for a 170k-item queue. It is hashed as it is read, once,
    and the counts printed are those of that read."""
    import builtins
    import io

    from labelwright.counts import counted

    opened = []
    real_open = builtins.open

    def counting_open(file, *args, **kwargs):
        if str(file).endswith(("review.jsonl", "sample.jsonl")):
            opened.append(str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", counting_open)
    monkeypatch.setattr(io, "open", counting_open)
    queued = len(reviewed_project.queue())
    audit = sum("audit" in r["reasons"] for r in reviewed_project.queue())
    opened.clear()
    code, output = cli("review", "export", "--format", "jsonl", "--reason", "audit",
                       "--budget", "1", "--out", str(tmp_path / "q.jsonl"), "--project",
                       str(reviewed_project.root))
    assert code == 0, output
    assert opened == [str(reviewed_project.run_dir / "review.jsonl")]
    assert (f"1 of {counted(audit, 'queued (audit) item')} from run "
            f"{reviewed_project.run_id} as jsonl:") in output
    assert len((tmp_path / "q.jsonl").read_text(encoding="utf-8").splitlines()) == 1
    assert 0 < audit < queued


def test_export_review_says_what_was_queued_and_exported(reviewed_project, tmp_path):
    from labelwright.review.queue.export import export_review, export_run

    queued = len(reviewed_project.queue())
    done = export_review(reviewed_project.run_dir, "argilla", tmp_path / "a.jsonl", budget=1)
    assert (done.queued, done.exported) == (queued, 1)
    assert done.files == [tmp_path / "a.jsonl", tmp_path / "a.settings.json"]
    assert export_run(reviewed_project.run_dir, "argilla", tmp_path / "a.jsonl",
                      budget=1) == done.files


def test_a_queue_read_in_one_pass_is_still_checked_whole(reviewed_project, tmp_path):
    """Hashing the queue while reading it keeps the errors as they were: a line that is no
    JSON any more is a queue changed since the run (not a JSON error), and a queue whose
    hash the manifest lost cannot be vouched for."""
    from labelwright.errors import RunError
    from labelwright.review.queue.export import export_run

    run_dir = reviewed_project.run_dir
    queue = run_dir / "review.jsonl"
    written = queue.read_bytes()
    queue.write_bytes(b"{not json\n" + written)
    with pytest.raises(RunError, match=r"review\.jsonl: changed since the run wrote it "
                                        r"\(sha256 \w{12} -> \w{12}\); it is not the queue"):
        export_run(run_dir, "csv", tmp_path / "q.csv")
    queue.write_bytes(written)
    manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    del manifest["outputs"]["review.jsonl"]
    (run_dir / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(RunError, match=r"review\.jsonl: the manifest has no hash for it, so it "
                                        "cannot be checked; it is not the queue the run wrote"):
        export_run(run_dir, "csv", tmp_path / "q.csv")
    assert not (tmp_path / "q.csv").exists()
