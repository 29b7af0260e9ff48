"""Dataset files compressed with gzip, bzip2 or xz (``day2.jsonl.gz``), read through.

The readers seek: a streamed CSV file is scanned, then read; a row's line is looked up
again for an error; a Dask partition starts at a byte offset. So a compressed file is
decompressed once, into a copy named by the compressed file's sha256 (:func:`plain_file`)
and read again while that file is unchanged, in the ``.labelwright/cache/decompressed``
folder of the project that reads it (for a read outside a project, a folder of the
system's temporary one), which keeps its four newest copies. Every reader reads the copy;
an error names the file as given, with the line of its decompressed text
(:func:`named_as`); a run's manifest hashes the file as given (what ``sha256sum`` says).
"""

from __future__ import annotations

import bz2
import contextlib
import gzip
import lzma
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from labelwright.caches import file_sha256, file_state, store_newest, touch
from labelwright.data.packed_files import READ_THROUGH, compression
from labelwright.errors import DataError, LabelwrightError

_OPENERS: dict[str, Callable[..., Any]] = {
    "gzip": gzip.open, "bzip2": bz2.open, "xz": lzma.open}
#: copies a folder keeps (each as large as its file decompressed)
_KEPT = 4
_SUFFIX = ".plain"


def plain_file(path: Path, folder: Path | None = None) -> Path:
    """``path`` itself, or, for a file compressed with gzip, bzip2 or xz (by its first
    bytes, whatever its name), its decompressed copy: the one this process made or found
    for the file's bytes, else one in ``folder`` (a project's ``DataConfig.copies``; None,
    or a folder that cannot be written: the temporary one), made if there is none."""
    kind = compression(path)
    if kind not in READ_THROUGH:
        return path
    stat = path.stat()
    sha = file_sha256(str(path), file_state(stat))
    name = sha + _SUFFIX
    known = _FOUND.get(sha)
    folders = list(dict.fromkeys([*([known.parent] if known else []),
                                  *([folder] if folder else []), _temp_folder()]))
    for where in folders:
        if (where / name).is_file():
            touch(where / name)
            _FOUND[sha] = where / name
            return where / name

    def write(out: BinaryIO) -> None:
        with _OPENERS[str(kind)](path, "rb") as source:
            shutil.copyfileobj(source, out, 1 << 20)

    for where in folders:
        try:
            store_newest(where / name, write, _KEPT, _SUFFIX)
        except (EOFError, lzma.LZMAError, gzip.BadGzipFile, ValueError) as exc:
            raise DataError(f"{path}: the file is {kind}-compressed but does not decompress "
                            f"whole ({exc}); is it cut short (a copy or download stopped "
                            "half way)?") from None
        except OSError as exc:
            if where == folders[-1]:
                raise DataError(f"{path}: its decompressed copy cannot be written in "
                                f"{where} ({exc.strerror or exc}); decompress it yourself "
                                "(gunzip -k, bunzip2 -k, unxz -k) and read the plain "
                                "file") from None
            continue  # a project folder that cannot be written: the temporary one
        _FOUND[sha] = where / name
        return where / name
    raise AssertionError("unreachable")  # pragma: no cover


#: sha256 of a compressed file -> its copy, as made or found: a later read of the file
#: without the project's folder (a row's line looked up for an error) reads the same copy
_FOUND: dict[str, Path] = {}


def _temp_folder() -> Path:
    user = getattr(os, "getuid", lambda: "")()  # one folder per user of a shared machine
    return Path(tempfile.gettempdir()) / f"labelwright-{user}" / "decompressed"


@contextlib.contextmanager
def named_as(copy: Path, given: Path) -> Iterator[None]:
    """An error raised in the block that names ``copy`` (a decompressed copy) names the
    file as given instead: the user knows no copy."""
    if copy == given:
        yield
        return
    try:
        yield
    except LabelwrightError as exc:
        raise renamed(exc, str(copy), str(given)) from None


def renamed(exc: LabelwrightError, old: str, new: str) -> LabelwrightError:
    """``exc`` with ``old`` in its text and text attributes replaced by ``new``, of its
    own type (made from its arguments, as a worker's error is unpickled)."""
    made: Any = exc.__reduce__()
    kind, args = made[0], made[1]
    again = kind(*(a.replace(old, new) if isinstance(a, str) else a for a in args))
    for key, value in vars(exc).items():
        setattr(again, key, value.replace(old, new) if isinstance(value, str) else value)
    return again
