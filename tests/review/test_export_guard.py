"""A review export called from Python without ``config=``: the run's own files and the
project's are guarded as the CLI guards them, the project found from the run folder."""

import csv
import json
import re
import shutil

import pytest

from labelwright.errors import ReviewError, RunError
from labelwright.review.queue.export import export_run


def _files(root):
    return {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.mark.parametrize(("where", "what"), [
    ("data/items.csv", "the project's dataset"),
    ("reviews.sqlite", "the review ledger"),
    ("labelwright.toml", "the project's config"),
    ("RUN/review.csv", "own review.csv, which the run wrote"),
    ("RUN/review.jsonl", "own review.jsonl, which the run wrote"),
    ("RUN/lf_summary.csv", "own lf_summary.csv, which the run wrote"),
    ("runs/LATEST", "the pointer to the latest run"),
    ("labeling_functions/rules.csv", "the LF folder"),
])
@pytest.mark.parametrize("force", [False, True])
def test_without_config_what_the_cli_guards_is_guarded(reviewed_project, where, what, force):
    """export_run(run, "csv", run/"review.csv") from a notebook wrote over the run's queue
    (`runs verify` then reported it changed), and with force=True over the project's
    dataset: only a call with config= was refused."""
    root, run_dir = reviewed_project.root, reviewed_project.run_dir
    out = root / where.replace("RUN", f"runs/{run_dir.name}")
    before = _files(root)
    with pytest.raises(RunError, match=re.escape(what)):
        export_run(run_dir, "csv" if out.suffix != ".jsonl" else "jsonl", out, force=force)
    assert _files(root) == before


def test_a_copied_project_guards_its_own_dataset(reviewed_project, tmp_path):
    """The manifest records the root the project ran in: a copy's runs name the original,
    whose dataset is not the copy's. The copy's dataset is the one guarded."""
    copy = tmp_path / "copy"
    shutil.copytree(reviewed_project.root, copy)
    run_dir = copy / "runs" / reviewed_project.run_id
    recorded = json.loads((run_dir / "manifest.json").read_text())["project"]["root"]
    assert recorded != str(copy.resolve())
    dataset = copy / "data" / "items.csv"
    before = dataset.read_bytes()
    with pytest.raises(RunError, match=re.escape(f"the project's dataset ({dataset.resolve()})")):
        export_run(run_dir, "csv", dataset, force=True)
    assert dataset.read_bytes() == before


def test_a_runs_folder_set_elsewhere_still_finds_the_project(make_project, tmp_path):
    """[project] runs = "out/runs": the run folder's grandparent is no project folder."""
    from labelwright.project import run_project

    root = make_project()
    toml = root / "labelwright.toml"
    toml.write_text(toml.read_text().replace("[project]\n", '[project]\nruns = "out/runs"\n', 1))
    run_dir = run_project(root, report=False).run_dir
    assert run_dir.parent == root / "out" / "runs"
    with pytest.raises(RunError, match="the review ledger"):
        export_run(run_dir, "jsonl", root / "reviews.sqlite", force=True)
    with pytest.raises(RunError, match="the project's config"):
        export_run(run_dir, "csv", toml, force=True)


def test_a_run_folder_outside_its_project_keeps_its_files_and_the_recorded_dataset(
        make_project, tmp_path):
    """A run folder copied away from its project (no labelwright.toml above it): its own
    files are still the run's, and the dataset its manifest records is still guarded."""
    from labelwright.project import run_project

    root = make_project()
    ran = run_project(root, report=False).run_dir
    run_dir = tmp_path / "archive" / ran.name
    shutil.copytree(ran, run_dir)
    with pytest.raises(RunError, match="own review.jsonl, which the run wrote"):
        export_run(run_dir, "jsonl", run_dir / "review.jsonl", force=True)
    with pytest.raises(RunError, match="the project's dataset"):
        export_run(run_dir, "csv", root / "data" / "items.csv", force=True)
    (written,) = export_run(run_dir, "csv", tmp_path / "q.csv")
    assert written.exists()


def _fill(path, label):
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows[0]["review_label"] = label
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def test_without_config_the_projects_ledger_tells_an_imported_sheet(reviewed_project,
                                                                   tmp_path):
    """Without config= no decision counted as imported: a sheet imported already was
    refused as if its decisions would be lost."""
    from labelwright.review.imports.file import import_file

    sheet = tmp_path / "q.csv"
    export_run(reviewed_project.run_dir, "csv", sheet)
    _fill(sheet, "billing")
    with pytest.raises(ReviewError, match="holds 1 filled review decision"):
        export_run(reviewed_project.run_dir, "csv", sheet)
    import_file(reviewed_project.root, sheet, reviewer="ana")
    assert export_run(reviewed_project.run_dir, "csv", sheet) == [sheet]


def test_a_training_set_is_not_overwritten_by_a_review_export(reviewed_project):
    """A training set CSV cannot be read as a review file; the refusal invited --force,
    which replaced it and left its provenance describing a file that was gone."""
    from labelwright.config import load_config
    from labelwright.review.training_set import export_training_set

    frame = export_training_set(reviewed_project.root, reviewed_project.root / "train.csv")
    out = frame.attrs["out"]
    before = out.read_bytes()
    for config in (None, load_config(reviewed_project.root)):
        with pytest.raises(RunError, match=r"train\.csv: that is a training set labelwright "
                                           r"exported \(its provenance is .*train\.csv\."
                                           r"provenance\.json\)"):
            export_run(reviewed_project.run_dir, "csv", out, config=config, force=True)
    assert out.read_bytes() == before


def test_a_report_written_elsewhere_does_not_overwrite_the_dataset(reviewed_project):
    """write_report(run, out=...) wrote the page wherever it was told, the dataset too."""
    from labelwright.report import write_report

    dataset = reviewed_project.root / "data" / "items.csv"
    before = dataset.read_bytes()
    with pytest.raises(RunError, match="the project's dataset"):
        write_report(reviewed_project.run_dir, out=dataset)
    assert dataset.read_bytes() == before
    default = write_report(reviewed_project.run_dir)  # its own report.html, as before
    assert default == reviewed_project.run_dir / "report.html"
    assert write_report(reviewed_project.run_dir, out=default) == default


@pytest.mark.parametrize(("fmt", "side"), [("label-studio", "label_config.xml"),
                                           ("argilla", "settings.json")])
def test_a_tools_config_is_not_written_over_a_training_set(reviewed_project, tmp_path, fmt,
                                                           side):
    """Only the tasks file was checked for a training set: `review export --format
    label-studio --out t.json` replaced a training set at t.label_config.xml (exported with
    --format jsonl), and left its provenance describing a file that was gone."""
    from labelwright.review.training_set import export_training_set

    tasks = tmp_path / ("t.json" if fmt == "label-studio" else "t.jsonl")
    trained = tmp_path / f"t.{side}"
    export_training_set(reviewed_project.root, trained, fmt="jsonl")
    before = trained.read_bytes()
    for force in (False, True):
        with pytest.raises(RunError, match=re.escape(f"{trained}: that is a training set "
                                                     "labelwright exported")):
            export_run(reviewed_project.run_dir, fmt, tasks, force=force)
    assert trained.read_bytes() == before and not tasks.exists()


def test_a_training_sets_provenance_is_not_written_over(reviewed_project, tmp_path):
    """A review export named like a training set's provenance replaced the record (with
    --force), leaving the training set without one."""
    from labelwright.review.training_set import export_training_set

    trained = tmp_path / "train.csv"
    export_training_set(reviewed_project.root, trained)
    provenance = tmp_path / "train.csv.provenance.json"
    before = provenance.read_bytes()
    with pytest.raises(RunError, match=re.escape(f"{provenance}: that is the provenance of "
                                                 f"{trained}, a training set labelwright "
                                                 "exported")):
        export_run(reviewed_project.run_dir, "label-studio", provenance, force=True)
    assert provenance.read_bytes() == before


def _record(run_dir, root, **fields):
    """Edit the manifest of ``run_dir``: ``fields``, and the project's root as ``root``."""
    manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    manifest.update(fields)
    manifest["project"]["root"] = str(root)
    (run_dir / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


def test_a_run_folder_outside_its_project_guards_the_config_its_manifest_records(
        reviewed_project, tmp_path):
    """A run whose project is not found guarded root/labelwright.toml, whatever config file
    its manifest recorded; the recorded one (relative to the root, or absolute) is guarded,
    and root/labelwright.toml only for a run that recorded none."""
    run_dir = tmp_path / "archive" / reviewed_project.run_id
    shutil.copytree(reviewed_project.run_dir, run_dir)
    root = reviewed_project.root
    elsewhere = tmp_path / "settings" / "labelwright.toml"
    elsewhere.parent.mkdir()
    for recorded, config in (("settings/labelwright.toml", root / "settings" /
                              "labelwright.toml"),
                             (str(elsewhere), elsewhere)):
        config.parent.mkdir(exist_ok=True)
        config.write_bytes((root / "labelwright.toml").read_bytes())
        _record(run_dir, root, config={"path": recorded, "sha256": "0" * 64})
        with pytest.raises(RunError, match=re.escape(f"the project's config ({config})")):
            export_run(run_dir, "csv", config, force=True)
        assert config.read_bytes() == (root / "labelwright.toml").read_bytes()
    _record(run_dir, root, config=None)  # a project configured from Python records none
    with pytest.raises(RunError, match=re.escape("the project's config")):
        export_run(run_dir, "csv", root / "labelwright.toml", force=True)
