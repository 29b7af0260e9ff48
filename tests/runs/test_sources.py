"""A run keeps the sources that made it (runs/<id>/sources/): what it copies, what explain
and runs verify make of the copies, and runs made before runs kept them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from labelwright.errors import RunError
from labelwright.project import run_project
from labelwright.runs import sources
from labelwright.runs.explain.item import explain_item
from labelwright.runs.run_writer import RunWriter
from labelwright.runs.sources import SOURCES, Source, keep_sources
from labelwright.runs.store import file_sha256
from labelwright.runs.verify.runs import verify_runs
from labelwright.scaffold import init_project


@pytest.fixture
def project(tmp_path):
    root = tmp_path / "proj"
    init_project(root)
    return root


def _manifest(run_dir: Path) -> dict:
    return json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))


def _edit_above(path: Path, lines: str) -> None:
    """Put ``lines`` at the top of ``path``: every line below moves."""
    path.write_text(lines + path.read_text(encoding="utf-8"), encoding="utf-8")


def test_a_run_keeps_the_bytes_of_the_config_lf_folder_and_glossaries(project):
    (project / "labeling_functions" / "words.txt").write_text("refund\n", encoding="utf-8")
    run = run_project(project, report=False)
    manifest = _manifest(run.run_dir)
    recorded = {manifest["config"]["path"]: manifest["config"]["sha256"],
                **{f"labeling_functions/{f['name']}": f["sha256"]
                   for f in manifest["lf_modules"] + manifest["lf_folder_files"]},
                **{g["path"]: g["sha256"] for g in manifest["glossaries"]}}
    kept = {f["path"]: f for f in manifest["sources"]["files"]}
    assert set(kept) == set(recorded) and "labeling_functions/words.txt" in kept
    for path, entry in kept.items():
        copy = run.run_dir / entry["copy"]
        assert entry["copy"] == f"{SOURCES}/{path}"
        assert copy.read_bytes() == (project / path).read_bytes()
        assert entry["sha256"] == recorded[path] == file_sha256(copy)
        assert entry["bytes"] == copy.stat().st_size
    assert manifest["sources"]["not_kept"] == []
    data = Path(manifest["data"]["path"]).name  # the dataset: its hash only
    assert not list((run.run_dir / SOURCES).rglob(data))


def test_a_file_over_the_cap_is_not_kept_and_the_manifest_says_why(project, monkeypatch):
    big = project / "labeling_functions" / "big_list.txt"
    big.write_text("word\n" * 50, encoding="utf-8")
    monkeypatch.setattr(sources, "MAX_KEPT_BYTES", 100)
    run = run_project(project, report=False)
    section = _manifest(run.run_dir)["sources"]
    (left,) = [f for f in section["not_kept"] if f["path"] == "labeling_functions/big_list.txt"]
    assert left["bytes"] == big.stat().st_size and "sha256 is recorded" in left["reason"]
    assert not (run.run_dir / SOURCES / "labeling_functions" / "big_list.txt").exists()
    assert "labeling_functions/big_list.txt" not in {f["path"] for f in section["files"]}


def test_a_file_changed_under_the_run_fails_it_rather_than_keep_other_bytes(tmp_path):
    file = tmp_path / "topics.py"
    file.write_text("X = 1\n", encoding="utf-8")
    read_then = file_sha256(file)
    file.write_text("X = 2\n", encoding="utf-8")  # edited after the run hashed it
    writer = RunWriter(tmp_path / "runs")
    with pytest.raises(RunError, match=r"topics\.py: changed while the run ran \(sha256 "
                                       + read_then[:12]):
        keep_sources(writer, [Source("LF module", "labeling_functions/topics.py", file,
                                     read_then)])


def test_explain_shows_an_edited_module_s_lf_in_the_run_s_copy(project, cli):
    run = run_project(project, report=False)
    module = project / "labeling_functions" / "reviews.py"
    then = _manifest(run.run_dir)
    (returned,) = [lf for lf in then["labeling_functions"] if lf["name"] == "returned_it"]
    line = int(returned["location"].rpartition(":")[2])
    _edit_above(module, "# moved every line down\n\n\n")
    votes = {v.lf: v for v in explain_item(project, "r02", run.run_id).votes}
    copy = f"runs/{run.run_id}/sources/labeling_functions/reviews.py"
    assert votes["returned_it"].location == (f"{copy}:{line} (the run's copy; "
                                             "labeling_functions/reviews.py changed since)")
    # the location is right: the LF starts at that line of the copy (its decorator, then its
    # def), no longer in the project's file
    def at(path: Path) -> str:
        return "\n".join(path.read_text(encoding="utf-8").splitlines()[line - 1:line + 1])
    assert "def returned_it" in at(project / copy) and at(project / copy).startswith("@")
    assert "def returned_it" not in at(module)
    # an unchanged file (a glossary) is still shown where it is in the project
    assert votes["glossary:praise"].location.startswith("glossaries/praise.yaml:")
    code, out = cli("explain", "r02", "--run", run.run_id, "-p", str(project))
    assert code == 0 and f"{copy}:{line}" in out
    assert f"in the run's copy (runs/{run.run_id}/sources/)" in out
    # a copy edited since is not pointed at: the location the run recorded, and a warning
    (project / copy).write_text("# edited\n", encoding="utf-8")
    e = explain_item(project, "r02", run.run_id)
    assert {v.lf: v.location for v in e.votes}["returned_it"] == returned["location"]
    assert any(w.startswith(f"{copy}: missing or changed since the run wrote it")
               for w in e.warnings), e.warnings


def test_explain_of_a_run_made_before_runs_kept_sources_is_as_it_was(project):
    run = run_project(project, report=False)
    manifest = _manifest(run.run_dir)
    del manifest["sources"]  # as an older run's manifest (the manifest is not hashed)
    (run.run_dir / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    (returned,) = [lf for lf in manifest["labeling_functions"] if lf["name"] == "returned_it"]
    _edit_above(project / "labeling_functions" / "reviews.py", "# new\n")
    e = explain_item(project, "r02", run.run_id)
    assert {v.lf: v.location for v in e.votes}["returned_it"] == returned["location"]
    assert any(w.endswith("edited reviews.py; the votes shown are the run's")
               for w in e.warnings), e.warnings
    (check,) = verify_runs(project, run.run_id)
    assert check.ok and check.sources_hashed == 0


def test_runs_verify_checks_the_kept_sources(project, cli):
    run = run_project(project, report=False)
    (check,) = verify_runs(project, run.run_id)
    kept = len(_manifest(run.run_dir)["sources"]["files"])
    assert check.ok and check.sources_hashed == kept > 0
    assert not [n for n in check.not_hashed if n.startswith(SOURCES)]  # they are hashed
    copy = run.run_dir / SOURCES / "labeling_functions" / "reviews.py"
    copy.write_text(copy.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    (run.run_dir / SOURCES / "labelwright.toml").unlink()
    (check,) = verify_runs(project, run.run_id)
    assert not check.ok
    found = {f.file: f.message for f in check.problems}
    assert found["sources/labeling_functions/reviews.py"].startswith(
        "changed since the run wrote it (sha256 ")
    assert found["sources/labelwright.toml"] == "missing"
    code, out = cli("runs", "verify", run.run_id, "-p", str(project))
    assert code == 1 and "sources/labelwright.toml: missing" in out


def test_runs_verify_inputs_names_the_copy_of_each_changed_file(project, cli):
    run = run_project(project, report=False)
    _edit_above(project / "labeling_functions" / "reviews.py", "# new\n")
    (project / "glossaries" / "praise.yaml").write_text(
        (project / "glossaries" / "praise.yaml").read_text(encoding="utf-8") + "\n",
        encoding="utf-8")
    (check,) = verify_runs(project, run.run_id, inputs=True)
    assert check.inputs is not None
    notes = {c.what: c.note for c in check.inputs.changes}
    assert notes["LF module"] == (f"the run's copy: runs/{run.run_id}/sources/"
                                  "labeling_functions/reviews.py")
    assert notes["glossary"] == f"the run's copy: runs/{run.run_id}/sources/glossaries/praise.yaml"
    code, out = cli("runs", "verify", run.run_id, "--inputs", "-p", str(project))
    assert code == 1 and f"runs/{run.run_id}/sources/labeling_functions/reviews.py" in out


def test_a_project_folder_as_lf_folder_keeps_no_runs_and_reuses_its_votes(project):
    """The runs folder (and its sources/) is no input: no copy of a copy, no new votes."""
    toml = project / "labelwright.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace(
        "[project]", '[project]\nlabeling_functions = "."', 1), encoding="utf-8")
    (project / "helpers.txt").write_text("x\n", encoding="utf-8")
    first = run_project(project, report=False)
    second = run_project(project, report=False)
    kept = [f["path"] for f in _manifest(second.run_dir)["sources"]["files"]]
    assert "helpers.txt" in kept and not [p for p in kept if p.startswith("runs/")]
    assert _manifest(second.run_dir)["lf_folder_files"] == \
        _manifest(first.run_dir)["lf_folder_files"]
    assert not any(second.applied.computed.values())
