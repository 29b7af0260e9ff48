"""Data: a text dataset (CSV, JSONL, Parquet or a pandas DataFrame) read into items.

:mod:`~labelwright.data.dataset` reads the files and checks what later steps rely on (ids,
texts, gold labels); :mod:`~labelwright.data.value_text` writes column values as text for
hashing rows and frames.
"""

from labelwright.data.dataset import (
    FORMATS,
    Dataset,
    dataset_from_frame,
    detect_format,
    frame_sha256,
    read_dataset,
    read_frame,
)

__all__ = ["FORMATS", "Dataset", "dataset_from_frame", "detect_format", "frame_sha256",
           "read_dataset", "read_frame"]
