"""Files a command writes again into a run folder, kept as they were before.

``labelwright train`` writes the end model and ``labelwright report`` the report into the
run folder; a second one would overwrite the first, which a team that must show what an
earlier model or page said cannot get back (the reviews it read may have changed since).
So the files there are moved first into ``replaced/<UTC time>/`` of the run folder,
byte for byte. No manifest hashes them (neither do they the files they were): ``runs
verify`` lists them apart, ``labelwright erase`` erases texts from the reports kept there
too, and ``runs prune`` removes them with their run.
"""

from __future__ import annotations

import filecmp
import os
import shutil
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

#: the folder of a run folder that holds the files replaced, one subfolder per replacing
REPLACED = "replaced"


def keep_replaced(run_dir: Path, names: tuple[str, ...] | list[str]) -> Path | None:
    """Move the files ``names`` of ``run_dir`` that exist into a new
    ``run_dir/replaced/<UTC time>/`` (``20261205-130512-123456``); returns that folder, or
    None when none of them exists (nothing moved)."""
    present = [name for name in names if (run_dir / name).is_file()]
    if not present:
        return None
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S-%f")
    folder = run_dir / REPLACED / stamp
    folder.mkdir(parents=True)  # a new stamp each time: never one that holds files already
    for name in present:
        os.replace(run_dir / name, folder / name)
    return folder


def same_bytes(kept: Path, written: Path) -> bool:
    """Whether the file ``written`` has the bytes of the ``kept`` one it replaced."""
    return filecmp.cmp(kept, written, shallow=False)


def drop_if_unchanged(run_dir: Path, folder: Path | None, *,
                      same: Callable[[Path, Path], bool] = same_bytes) -> Path | None:
    """``folder`` (what :func:`keep_replaced` returned), or None when it is None or every
    file kept there is the ``same`` (by default: has the bytes) as the file of that name
    written since in ``run_dir``: then nothing was replaced in fact, and the copy is
    removed (a ``train`` run again on the same inputs writes the same model; a kept copy
    of each would only fill the disk)."""
    if folder is None:
        return None
    if not all((run_dir / kept.name).is_file() and same(kept, run_dir / kept.name)
               for kept in folder.iterdir()):
        return folder
    shutil.rmtree(folder)
    _remove_if_empty(folder.parent)
    return None


def _remove_if_empty(replaced: Path) -> None:
    """Remove ``replaced/`` itself when the copy just removed was its only one."""
    try:
        replaced.rmdir()
    except OSError:
        pass  # other copies are kept there


def restore_replaced(run_dir: Path, folder: Path | None) -> None:
    """Put the files :func:`keep_replaced` moved into ``folder`` back into ``run_dir``
    (over what a failed write left there) and remove the folder: a command that fails
    after moving them leaves the run folder as it found it."""
    if folder is None:
        return
    for kept in folder.iterdir():
        os.replace(kept, run_dir / kept.name)
    folder.rmdir()
    _remove_if_empty(folder.parent)


def write_replacing(run_dir: Path, names: tuple[str, ...] | list[str],
                    write: Callable[[], None], *,
                    same: Callable[[Path, Path], bool] = same_bytes) -> Path | None:
    """Keep the files ``names`` of ``run_dir`` (:func:`keep_replaced`), then ``write()``
    them anew: a write that fails (a full disk, Ctrl-C) puts the kept files back
    (:func:`restore_replaced`), and a copy of files written again the ``same`` (by
    default: with the same bytes) is removed (:func:`drop_if_unchanged`). Returns the
    folder the replaced files are kept in, or None when none was replaced."""
    kept = keep_replaced(run_dir, names)
    try:
        write()
    except BaseException:
        restore_replaced(run_dir, kept)  # the files that were there, back in their place
        raise
    return drop_if_unchanged(run_dir, kept, same=same)


def kept_files(run_dir: Path, name: str) -> list[Path]:
    """The copies of the file ``name`` kept in ``run_dir/replaced/``, oldest first."""
    return sorted((run_dir / REPLACED).glob(f"*/{name}"))
