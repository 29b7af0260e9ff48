"""The shared folder import state (:mod:`labelwright.lfs.folder_imports`): its public
functions that change ``sys.modules`` or :mod:`linecache` take ``IMPORT_LOCK`` themselves,
so a caller that does not hold it cannot race a discovery in another thread."""

from __future__ import annotations

import threading

import pytest

from labelwright.lfs import folder_imports


class _Watched:
    """A reentrant lock that counts how often it was entered."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.entered = 0

    def __enter__(self) -> _Watched:
        self.lock.acquire()
        self.entered += 1
        return self

    def __exit__(self, *exc: object) -> None:
        self.lock.release()


@pytest.mark.parametrize("call", [
    lambda tmp: folder_imports.forget_folder_modules({str(tmp)}),
    lambda tmp: folder_imports.remember_aliases(["labeling_functions.nothing_here"]),
    lambda tmp: folder_imports.forget_lines(str(tmp)),
], ids=["forget_folder_modules", "remember_aliases", "forget_lines"])
def test_each_public_change_of_the_import_state_takes_the_lock(call, tmp_path, monkeypatch):
    watched = _Watched()
    monkeypatch.setattr(folder_imports, "IMPORT_LOCK", watched)
    monkeypatch.setattr(folder_imports, "_ALIASES", set())
    call(tmp_path)
    assert watched.entered == 1


def test_the_lf_package_name_is_where_lf_modules_are_named():
    """The name LF modules run under is kept with the import state, and the messages
    module reads it from there (the same object, not a second spelling)."""
    from labelwright.lfs import import_failures, lf_modules

    assert folder_imports.LF_PACKAGE == "labelwright_lfs"
    assert lf_modules.LF_PACKAGE is folder_imports.LF_PACKAGE
    assert import_failures.LF_PACKAGE is folder_imports.LF_PACKAGE
