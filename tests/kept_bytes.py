"""Where a text is kept in a folder's files, looking inside the containers labelwright
writes (``.npz`` archives, the arrays in them, zlib streams such as a spaCy DocBin's, and
Parquet tables), for tests that check a text is gone from everything a project keeps."""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path


def _layers(data: bytes) -> Iterator[bytes]:
    """``data`` and everything unpacked from it."""
    yield data
    if data[:2] == b"PK":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                for name in archive.namelist():
                    yield from _layers(archive.read(name))
        except zipfile.BadZipFile:
            pass
    elif data[:6] == b"\x93NUMPY":
        import numpy as np

        array = np.load(io.BytesIO(data), allow_pickle=False)
        if array.dtype.kind in "SU":
            yield "\n".join(map(str, array.ravel().tolist())).encode("utf-8")
        elif array.dtype == np.uint8:
            yield from _layers(array.tobytes())
    elif data[:4] == b"PAR1":
        import pyarrow.parquet as pq

        yield str(pq.read_table(io.BytesIO(data)).to_pylist()).encode("utf-8")
    elif data[:1] == b"x":
        try:
            yield from _layers(zlib.decompress(data))
        except zlib.error:
            pass


def files_holding(root: Path, text: str) -> list[str]:
    """The files under ``root`` holding ``text`` (UTF-8, or JSON-escaped), relative."""
    import json

    needles = {text.encode("utf-8"), json.dumps(text)[1:-1].encode("ascii")}
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()
                  and any(n in layer for layer in _layers(path.read_bytes()) for n in needles))
