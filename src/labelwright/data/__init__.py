"""Data: a text dataset (CSV, JSONL, Parquet or a pandas DataFrame) read into items.

:mod:`~labelwright.data.formats` reads each file format into a DataFrame (one module
per format: ``csv_frames`` with the dialect of ``csv_format``, ``jsonl_format``,
``parquet_format``), with the checks that need the file (encoding, field counts, JSON keys);
:mod:`~labelwright.data.csv_records` reads a CSV file by its records (its header, their
count, the first one the reader refuses), :mod:`~labelwright.data.csv_scanner` finds where
they start and end without parsing them (for streaming and partitions) and
:mod:`~labelwright.data.quote_errors` says a quoted value the dialect refuses;
:mod:`~labelwright.data.dataset` turns a frame into items and checks what later steps rely
on (its arguments and columns in :mod:`~labelwright.data.frame_arguments`, its rows read
step by step in :mod:`~labelwright.data.frame_rows`: ids, texts, gold labels, which
:mod:`~labelwright.data.gold` reads as label indices; the text column's cells in
:mod:`~labelwright.data.text_cells`, the texts a read warns of in
:mod:`~labelwright.data.text_notes`, a missing column's error in
:mod:`~labelwright.data.missing_columns`); :mod:`~labelwright.data.data_hash` is the hash a
run tells the data by; :mod:`~labelwright.data.part_files` and
:mod:`~labelwright.data.part_reads` read a dataset in many files;
:mod:`~labelwright.data.value_text` writes column values as text for hashing rows and
frames; :mod:`~labelwright.data.bad_rows` lists the rows ``[data] bad_rows = "skip"`` leaves
out; :mod:`~labelwright.data.item_lookup` finds one item in a file without reading it whole.
"""

from labelwright.data.dataset import Dataset, dataset_from_frame, read_dataset
from labelwright.data.formats import FORMATS, detect_format, read_frame
from labelwright.data.frame_hash import frame_sha256

__all__ = ["FORMATS", "Dataset", "dataset_from_frame", "detect_format", "frame_sha256",
           "read_dataset", "read_frame"]
