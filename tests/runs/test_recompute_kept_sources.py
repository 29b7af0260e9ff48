"""``runs verify --recompute`` after the project's LFs, glossaries or config were edited:
the run is recomputed in its project rebuilt from its kept sources (runs/<id>/sources/),
and refused, naming the file, when a copy is missing or edited."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

import labelwright
from labelwright.project import run_project
from labelwright.scaffold import init_project


@pytest.fixture
def edited(tmp_path):
    """The init project after one run, with an LF and a glossary edited since."""
    root = tmp_path / "proj"
    init_project(root)
    run = run_project(root, report=False)
    lf_file = root / "labeling_functions" / "reviews.py"
    text = lf_file.read_text(encoding="utf-8")
    assert 'if stars <= 2 else' in text
    lf_file.write_text(text.replace("if stars <= 2 else", "if stars <= 3 else"),
                       encoding="utf-8")  # other votes than the run's
    glossary = root / "glossaries" / "praise.yaml"
    glossary.write_text(glossary.read_text(encoding="utf-8") + "\n# edited\n",
                        encoding="utf-8")
    return root, run


def _tree(root: Path) -> dict[str, str]:
    """Every file under ``root`` by its sha256 (the vote cache and such included)."""
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_an_edited_project_recomputes_from_the_runs_kept_sources(edited, cli):
    """It had refused and told the user to copy the project by hand."""
    root, run = edited
    before = _tree(root)
    code, out = cli("runs", "verify", run.run_id, "--recompute", "-p", str(root))
    assert code == 0, out
    assert (f"recompute: recomputed from the run's kept sources (runs/{run.run_id}/sources/)"
            in out), out
    assert "give the run's votes on all" in out and "nothing recomputed" not in out
    # the changes are still told, and the project and the run folder are left as they were
    assert "inputs: 3 differ from what the run read" in out, out
    assert _tree(root) == before
    (check,) = labelwright.verify_runs(root, run.run_id, recompute=True)
    assert check.ok and check.outcome == "ok" and check.failures == []
    assert check.recomputed is not None
    assert check.recomputed.from_sources == f"runs/{run.run_id}/sources/"
    assert check.inputs is not None and check.inputs.differs  # said, not counted
    # --inputs alone still says the project's inputs differ
    code, out = cli("runs", "verify", run.run_id, "--inputs", "-p", str(root))
    assert code == 1, out


def test_a_kept_source_edited_since_is_refused_naming_it(edited, cli):
    root, run = edited
    copy = run.run_dir / "sources" / "labelwright.toml"
    copy.write_text(copy.read_text(encoding="utf-8") + "\n# tampered\n", encoding="utf-8")
    before = _tree(root)
    code, out = cli("runs", "verify", run.run_id, "--recompute", "-p", str(root))
    assert code == 1, out
    assert ("nothing recomputed, and not from the run's kept sources either: the run's kept "
            "sources are not as the run wrote them (sources/labelwright.toml: changed since "
            "the run wrote it") in out, out
    assert "recomputed from the run's kept sources" not in out
    assert "copy the project elsewhere" not in out  # the copies cannot stand in
    assert _tree(root) == before


def test_kept_sources_gone_are_refused_naming_them(edited, cli):
    root, run = edited
    glossary = next((run.run_dir / "sources" / "glossaries").glob("*.yaml"))
    glossary.unlink()
    code, out = cli("runs", "verify", run.run_id, "--recompute", "-p", str(root))
    assert code == 1, out
    assert (f"not from the run's kept sources either: the run's kept sources are not as the "
            f"run wrote them (sources/glossaries/{glossary.name}: missing") in out, out


def test_changed_data_is_refused_as_before_with_the_sources_step(edited, cli):
    """The run keeps no copy of its data: with the data changed too, nothing is recomputed
    and the refusal says how to give it back (the kept sources standing in for the rest)."""
    root, run = edited
    data = root / "data" / "reviews.csv"
    data.write_text(data.read_text(encoding="utf-8") + "r99,An added review,,\n",
                    encoding="utf-8")
    code, out = cli("runs", "verify", run.run_id, "--recompute", "-p", str(root))
    assert code == 1, out
    assert "nothing recomputed; to recompute it, give the data the run read" in out, out
    assert "with `runs verify --recompute --data PATH` (the files it kept in" in out
    assert "recomputed from the run's kept sources" not in out


def test_a_run_that_read_reviews_is_refit_on_them_in_the_rebuilt_project(make_project, cli):
    """The rebuilt project reads a copy of the review ledger: the refit reads the decisions
    the run read, those imported since left out, and the project's ledger is untouched."""
    from labelwright.review import import_file

    root = make_project()
    first = run_project(root, report=False)
    review = root / "decisions-ana.csv"
    review.write_text(f"id,review_label,run_id\nt1,billing,{first.run_id}\n"
                      f"t2,technical,{first.run_id}\n", encoding="utf-8")
    import_file(root, review, reviewer="ana")
    second = run_project(root, report=False)
    review.write_text(f"id,review_label,run_id\nt5,billing,{second.run_id}\n",
                      encoding="utf-8")
    import_file(root, review, reviewer="ana")
    lf_file = root / "labeling_functions" / "tickets.py"
    lf_file.write_text(lf_file.read_text().replace('"refund" in', '"charge" in'))
    before = _tree(root)
    code, out = cli("runs", "verify", second.run_id, "--recompute", "-p", str(root))
    assert code == 0, out
    assert "recomputed from the run's kept sources" in out
    assert ("recompute: the refit read the review ledger's first 2 of its 3 decisions, the "
            "ones the run read") in out, out
    assert "gives the run's model labels and probabilities" in out
    assert _tree(root) == before


@pytest.fixture
def forget_kept_models():
    yield
    from model_modules import forget_registered

    forget_registered("kept_models")


def test_a_label_model_module_is_imported_once_per_content_across_runs(
        make_project, forget_kept_models, tmp_path, monkeypatch):
    """`runs verify --all --recompute` rebuilds each run's project in a folder of its own,
    and imported the label model module again for every run, the same bytes each time."""
    from model_modules import MODEL_MODULE

    log = tmp_path / "imports.log"
    monkeypatch.setenv("KEPT_MODELS_LOG", str(log))
    counting = MODEL_MODULE.format(name="kept_vote") + (
        "\nimport os\nwith open(os.environ['KEPT_MODELS_LOG'], 'a') as _log:\n"
        "    _log.write('imported\\n')\n")
    root = make_project(model="kept_models:AccuracyVote")
    module = root / "kept_models.py"
    module.write_text(counting, encoding="utf-8")
    first = run_project(root, report=False)
    module.write_text(counting + "# another content\n", encoding="utf-8")
    later = [run_project(root, report=False) for _ in range(2)]
    # edited since every run: each is recomputed from its kept sources
    module.write_text(counting + "# edited since\n", encoding="utf-8")
    log.write_text("", encoding="utf-8")
    checks = labelwright.verify_runs(root, every=True, recompute=True)
    assert [c.run_dir.name for c in checks] == [first.run_id, *(r.run_id for r in later)]
    for check in checks:
        assert check.recomputed is not None and not check.recomputed.refused, check
        assert check.recomputed.from_sources, check
        assert check.ok, check.failures
    # the first run's content imported once; the later runs' is the one the project
    # imported for them in this process: not imported again for either run
    assert log.read_text(encoding="utf-8").count("imported") == 1
