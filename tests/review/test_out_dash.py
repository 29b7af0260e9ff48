"""``--out -`` on the exports: read as a file, it made one named ``-`` and
``-.provenance.json`` where a script meant standard output. It is refused, naming why."""

from __future__ import annotations

import pytest

from labelwright.errors import RunError
from labelwright.review.targets import refuse_stdout


@pytest.mark.parametrize("args", [
    ["export", "--out", "-", "--format", "jsonl"],
    ["export", "-o", "-"],
    ["export", "--format", "wrench", "--out", "-"],
    ["review", "export", "--format", "csv", "--out", "-"],
    ["review", "export", "--format", "jsonl", "-o", "-"],
])
def test_out_dash_is_refused_and_writes_nothing(reviewed_project, cli, monkeypatch, args):
    """W63: the nightly job's `labelwright export --out - | next-step` wrote a file `-`."""
    root = reviewed_project.root
    monkeypatch.chdir(root)
    before = sorted(p.name for p in root.iterdir())
    code, out = cli(*args, "-p", str(root))
    assert code == 1, out
    assert out.startswith("error: --out -: the ") and "is written to a file, not to standard " \
        "output" in out and "name a file (e.g. runs/exports/<name>)" in out, out
    assert sorted(p.name for p in root.iterdir()) == before
    assert not (root / "-").exists() and not (root / "-.provenance.json").exists()


def test_a_file_of_another_name_is_not_refused(tmp_path):
    refuse_stdout(tmp_path / "train-.jsonl", "training set")
    refuse_stdout(None, "training set")
    with pytest.raises(RunError, match="the training set is written to a file"):
        refuse_stdout(tmp_path / "-", "training set")
