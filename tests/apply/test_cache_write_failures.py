"""A cache that cannot be written (a read-only folder, a full disk, a file where a folder
must be): the vote cache is a one-line error naming the folder and fixes that exist, the
caches that only save time a one-line warning, the run going on. Tests run as root in CI,
where a read-only mode stops no write: the failing write is made to raise instead."""

from __future__ import annotations

import errno
import logging

import pytest

from labelwright.runs.store import list_runs

NO_CACHE = ("set [apply] cache = false to run without the caches (--no-cache still writes "
            "the vote cache)")


def test_a_file_where_the_vote_cache_folder_must_be_is_an_error_naming_it(make_project, cli):
    """W41: a vote cache folder that could not be written gave a traceback of a shard's
    path; the state folder's own error said `move it`, of a folder no setting moves."""
    root = make_project()
    votes = root / ".labelwright" / "cache" / "votes"
    votes.parent.mkdir(parents=True)
    votes.write_text("")
    code, out = cli("run", "-p", str(root), "--no-report")
    assert code == 1
    assert out == (f"error: cannot write the vote cache in {votes}: {votes} is a file where a "
                   f"folder must be; move or remove it, or {NO_CACHE}")
    assert not list_runs(root / "runs")
    # the fix it names works
    config = root / "labelwright.toml"
    config.write_text(config.read_text() + "\n[apply]\ncache = false\n")
    assert cli("run", "-p", str(root), "--no-report")[0] == 0


@pytest.mark.parametrize(("number", "strerror", "fix"), [
    (errno.EACCES, "Permission denied", "make the folder writable by the user labelwright "
                                        "runs as (chmod, chown, or chattr -i for an immutable "
                                        "one), or "),
    (errno.ENOSPC, "No space left on device", "free space on its disk (`labelwright runs "
                                              "prune --cache-days 0` removes the cache "
                                              "entries the newest run did not use), or "),
    (errno.EROFS, "Read-only file system", ""),
])
def test_a_vote_cache_write_that_fails_is_one_line_with_its_fix(make_project, cli, monkeypatch,
                                                                number, strerror, fix):
    """chattr +i on votes/ or a full disk: the write of the first shard fails."""
    from labelwright.apply import cache

    def refused(folder, suffix=".tmp"):
        raise OSError(number, strerror, str(folder))

    root = make_project()
    monkeypatch.setattr(cache, "new_temp_file", refused)
    for extra in ([], ["--no-cache"]):  # --no-cache writes the cache too
        code, out = cli("run", "-p", str(root), "--no-report", *extra)
        assert code == 1
        votes = root / ".labelwright" / "cache" / "votes"
        assert "Traceback" not in out
        error = out[out.index("error: "):]  # after the Doc cache's warning, when it has one
        assert error.startswith(f"error: cannot write the vote cache in {votes}: {strerror} "
                                f"({votes}/")
        assert error.endswith(f"; {fix}{NO_CACHE}")


def test_the_caches_that_save_time_warn_in_one_line_and_the_run_goes_on(make_project, cli,
                                                                        caplog):
    """The ranking, term count and label model fit caches: a run they cannot be written in
    still finishes; each says which folder and what to do, once per write."""
    root = make_project(model="auto")
    cache = root / ".labelwright" / "cache"
    cache.mkdir(parents=True)
    for name in ("ranking", "term_counts", "fit"):
        (cache / name).write_text("")
    with caplog.at_level(logging.WARNING):
        code, out = cli("run", "-p", str(root), "--no-report")
    assert code == 0, out
    said = [r.getMessage() for r in caplog.records if "cannot write the" in r.getMessage()]
    for name, folder in (("ranking cache", "ranking"), ("term count cache", "term_counts"),
                         ("label model fit cache", "fit")):
        line = (f"cannot write the {name} in {cache / folder}: {cache / folder} is a file "
                f"where a folder must be (the run goes on without it); move or remove it, or "
                f"{NO_CACHE}")
        assert line in said, (name, said)
    assert all("\n" not in line for line in said)
    assert len(list_runs(root / "runs")) == 1
