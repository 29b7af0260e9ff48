"""A review ledger that cannot be opened or made is an error naming it and why, not
SQLite's bare "unable to open database file" traceback. Tests run as root, where a
read-only folder stops no write: the refusal is made to happen instead."""

from __future__ import annotations

import csv
import sqlite3

import pytest

from labelwright.review.decisions import ledger
from labelwright.review.queue.export import read_review


def _refuse_the_ledger(monkeypatch, folder):
    """``folder`` cannot be written to: SQLite cannot make the ledger in it (as in a folder
    another user owns, or one made immutable with chattr +i)."""
    real_connect, real_access = sqlite3.connect, ledger.os.access

    def connect(database, *args, **kwargs):
        if str(database) == str(folder / ledger.LEDGER_NAME):
            raise sqlite3.OperationalError("unable to open database file")
        return real_connect(database, *args, **kwargs)

    monkeypatch.setattr(ledger.sqlite3, "connect", connect)
    monkeypatch.setattr(ledger.os, "access", lambda path, mode: real_access(path, mode) and not (
        str(path) == str(folder) and mode & ledger.os.W_OK))


def test_a_ledger_that_cannot_be_made_names_its_folder(tmp_path, monkeypatch):
    _refuse_the_ledger(monkeypatch, tmp_path)
    path = tmp_path / ledger.LEDGER_NAME
    with pytest.raises(ledger.ReviewError) as caught:
        with ledger.connect(path):
            pass
    assert str(caught.value) == (
        f"{path}: cannot open the review ledger: it does not exist yet and cannot be made: "
        f"{tmp_path} cannot be written to (permission denied; fix its permissions), or "
        "import as a user who may write to it")


def test_review_import_into_a_folder_it_cannot_write_is_one_error_line(reviewed_project,
                                                                       tmp_path, cli,
                                                                       monkeypatch):
    """W63: the first import into a project folder this user could not write to crashed
    with sqlite3.OperationalError and a traceback."""
    queue = read_review(reviewed_project.run_dir)
    sheet = tmp_path / "review.csv"
    with sheet.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=["id", "run_id", "review_label"])
        writer.writeheader()
        writer.writerow({"id": queue[0]["id"], "run_id": reviewed_project.run_id,
                         "review_label": "billing"})
    root = reviewed_project.root
    _refuse_the_ledger(monkeypatch, root)
    code, out = cli("review", "import", str(sheet), "--reviewer", "ops", "-p", str(root))
    assert code == 1, out
    assert "Traceback" not in out and "OperationalError" not in out
    assert out.startswith(f"error: {root / ledger.LEDGER_NAME}: cannot open the review ledger: "
                          f"it does not exist yet and cannot be made: {root} cannot be "
                          "written to"), out
    assert not (root / ledger.LEDGER_NAME).exists()
