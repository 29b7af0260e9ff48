"""A run manifest that is not UTF-8 (a byte edited, a file saved in another encoding) is an
unreadable manifest like any other: every command that reads it names the file, the byte
and what to do, with the exit code an unreadable manifest gets, not a traceback."""

from __future__ import annotations

import pytest

from labelwright.errors import RunError
from labelwright.project import run_project
from labelwright.runs.manifest import read_manifest


def _not_utf8(path):
    """The manifest with one byte of a string made 0xff (not UTF-8); its offset."""
    data = path.read_bytes()
    at = data.index(b'"run_id"') + 1
    path.write_bytes(data[:at] + b"\xff" + data[at + 1:])
    return at


def test_read_manifest_names_the_byte(tmp_path):
    (tmp_path / "manifest.json").write_bytes(b'{"run_id": "caf\xe9"}')
    with pytest.raises(RunError, match=r"manifest\.json: cannot read the manifest: it is not "
                                       r"UTF-8 \(byte 0xe9 at offset 15\)"):
        read_manifest(tmp_path)


@pytest.fixture
def runs(make_project):
    root = make_project()
    first, second = run_project(root, report=False), run_project(root, report=False)
    return root, first, second


COMMANDS = [("runs", "show", "{run}"), ("runs", "verify", "{run}"), ("runs", "list"),
            ("runs", "diff", "{other}", "{run}"), ("explain", "t1", "--run", "{run}"),
            ("report", "{run}")]


@pytest.mark.parametrize("command", COMMANDS, ids=[" ".join(c[:2]) for c in COMMANDS])
def test_every_reader_says_which_byte_with_the_usual_exit_code(runs, cli, command):
    root, first, second = runs
    args = [a.format(run=second.run_id, other=first.run_id) for a in command]
    manifest = second.run_dir / "manifest.json"
    kept = manifest.read_bytes()
    manifest.write_text("{not json", encoding="utf-8")
    expected, said = cli(*args, "-p", str(root))
    assert "cannot read the manifest" in said, said
    manifest.write_bytes(kept)
    at = _not_utf8(manifest)
    code, out = cli(*args, "-p", str(root))
    assert code == expected, out
    assert "Traceback" not in out and "UnicodeDecodeError" not in out, out
    assert f"{manifest}: cannot read the manifest: it is not UTF-8 (byte 0xff at offset " \
           f"{at})" in out, out
