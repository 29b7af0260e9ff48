"""Where apply_file may write its label matrix: not over the file it streams, nor over a
file of the applier's project that a review export may not overwrite either."""

from __future__ import annotations

import re

import pyarrow.parquet as pq
import pytest

from labelwright.apply import apply_file
from labelwright.errors import RunError
from labelwright.project import load_project, run_project


def _files(root):
    return {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.fixture
def ran(make_project):
    root = make_project()
    run_dir = run_project(root, report=False).run_dir
    return root, run_dir


@pytest.mark.parametrize(("where", "what"), [
    ("data/items.csv", "the file the LFs are applied to"),
    ("labelwright.toml", "the project's config"),
    ("reviews.sqlite", "the review ledger"),
    ("runs/LATEST", "the pointer to the latest run"),
    ("RUN/label_matrix.parquet", "which holds run RUN's outputs"),
    ("RUN/matrix.parquet", "which holds run RUN's outputs"),
    ("labeling_functions/m.parquet", "the LF folder"),
    ("glossaries/m.parquet", "the glossary folder"),
    (".labelwright/m.parquet", "labelwright's cache"),
])
def test_a_streamed_matrix_never_overwrites_the_data_or_the_project(ran, where, what):
    """apply_file(applier, data, out) wrote the matrix wherever it was told: over the data
    it read, the project's config or a run's label matrix (which `runs verify` then called
    changed)."""
    root, run_dir = ran
    out = root / where.replace("RUN", f"runs/{run_dir.name}")
    applier = load_project(root).applier(engine="local", cache=False)
    before = _files(root)
    with pytest.raises(RunError) as info:
        apply_file(applier, root / "data" / "items.csv", out)
    assert str(info.value).startswith(f"{out}: that is ")
    assert what.replace("RUN", run_dir.name) in str(info.value)
    assert "write the label matrix to a file of its own" in str(info.value)
    assert _files(root) == before


def test_a_streamed_matrix_goes_beside_the_runs_or_anywhere_else(ran, tmp_path):
    root, _ = ran
    applier = load_project(root).applier(engine="local", cache=False)
    for out in (root / "runs" / "exports" / "m.parquet", tmp_path / "m.parquet"):
        result = apply_file(applier, root / "data" / "items.csv", out)
        assert result.path == out and pq.read_metadata(out).num_rows == result.rows > 0


def test_the_streamed_file_is_guarded_without_a_project(ran, tmp_path):
    """An applier whose root is no project (or none): the data file itself is still not
    written over, by whatever path names it."""
    from labelwright.apply import Applier

    root, _ = ran
    loaded = load_project(root)
    data = tmp_path / "big.csv"
    data.write_bytes((root / "data" / "items.csv").read_bytes())
    before = data.read_bytes()
    for applier_root in (None, tmp_path):
        applier = Applier(loaded.lfs, loaded.labels, nlp=loaded.nlp, root=applier_root)
        with pytest.raises(RunError, match=r"big\.csv: that is the file the LFs are applied "
                                           r"to \(.*big\.csv\), which the label matrix would "
                                           "replace; write the label matrix to a file of its "
                                           "own"):
            apply_file(applier, data, tmp_path / "sub" / ".." / "big.csv")
    assert data.read_bytes() == before


def test_a_project_whose_config_no_longer_reads_still_guards_its_files(ran):
    """The config edited into invalid TOML after the applier was made: its config, ledger
    and cache are still off limits."""
    root, _ = ran
    applier = load_project(root).applier(engine="local", cache=False)
    toml = root / "labelwright.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + "\n[broken\n", encoding="utf-8")
    before = toml.read_bytes()
    for out, what in ((toml, "the project's config"), (root / "reviews.sqlite", "the review "
                      "ledger"), (root / ".labelwright" / "m.parquet", "labelwright's cache")):
        with pytest.raises(RunError, match=re.escape(what)):
            apply_file(applier, root / "data" / "items.csv", out)
    assert toml.read_bytes() == before
