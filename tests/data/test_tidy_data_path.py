"""A ``[data] path`` that climbs out of the project (``"../parts/items.csv"``) is named
tidied, ``/p/parts/items.csv`` and not ``/p/yt/../parts/items.csv``, in what ``check`` and
``run`` print and record; a ``..`` after a symbolic link stays, as it leads from where
the link points."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from labelwright.config import load_config
from labelwright.config.data_table import tidy_path
from labelwright.project import run_project


def _outside(make_project, tmp_path, value: str) -> Path:
    """A project in ``tmp_path/p/yt`` whose data is in ``tmp_path/p/parts``."""
    root = make_project(root=tmp_path / "p" / "yt")
    (tmp_path / "p" / "parts").mkdir()
    shutil.move(root / "data" / "items.csv", tmp_path / "p" / "parts" / "items.csv")
    toml = root / "labelwright.toml"
    toml.write_text(toml.read_text().replace('path = "data/items.csv"', f"path = {value}"))
    return root


def test_a_path_out_of_the_project_is_named_tidied(make_project, tmp_path, cli):
    root = _outside(make_project, tmp_path, '"../parts/items.csv"')
    tidy = tmp_path.resolve() / "p" / "parts" / "items.csv"
    assert load_config(root).data.path == tidy
    code, out = cli("check", "-p", str(root))
    assert code == 0, out
    assert "/../" not in out
    bad = (tidy.read_text(encoding="utf-8") + "x9,one,two,three,four,five,six\n")
    tidy.write_text(bad, encoding="utf-8")
    toml = root / "labelwright.toml"
    toml.write_text(toml.read_text().replace("[data]\n", '[data]\nbad_rows = "skip"\n'))
    code, out = cli("check", "-p", str(root))
    assert code == 0, out
    assert f"{tidy}: 1 bad row skipped" in out and "/../" not in out
    result = run_project(root, report=False)
    assert all("/../" not in w for w in result.dataset.warnings)


def test_each_file_of_a_list_is_tidied_and_so_is_their_folder(make_project, tmp_path):
    root = _outside(make_project, tmp_path, '["../parts/items.csv"]')
    data = load_config(root).data
    assert data.parts == (tmp_path.resolve() / "p" / "parts" / "items.csv",)
    assert data.path == tmp_path.resolve() / "p" / "parts"


def test_tidy_path_keeps_what_names_another_place():
    assert tidy_path(Path("/p/yt/../parts/./x.csv")) == Path("/p/parts/x.csv")
    assert tidy_path(Path("a/b/../../c")) == Path("c")
    assert tidy_path(Path("../../c")) == Path("../../c")  # nothing to take out
    assert tidy_path(Path("/..")) == Path("/..")


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links on this system")
def test_a_dot_dot_after_a_symbolic_link_stays(tmp_path):
    (tmp_path / "real" / "inner").mkdir(parents=True)
    (tmp_path / "real" / "data.csv").write_text("id,text\n")
    (tmp_path / "link").symlink_to(tmp_path / "real" / "inner")
    path = tmp_path / "link" / ".." / "data.csv"
    assert tidy_path(path) == path  # the link's "..": tmp_path/real, not tmp_path
    assert tidy_path(path).is_file()
