"""Runs: what each run writes, and where every label came from.

:mod:`~labelwright.runs.run_writer` (staging a run and publishing it whole),
:mod:`~labelwright.runs.store` (a run folder's files: atomic writes, their hashes, its labels;
finding runs: :mod:`~labelwright.runs.run_folders`; the names of the files in one,
:mod:`~labelwright.runs.file_names`; the data a run read, :mod:`~labelwright.runs.run_data`),
:mod:`~labelwright.runs.label_set` (the labels a run was made with, beside the project's now),
:mod:`~labelwright.runs.manifest` (reading a manifest, checking its shape, whose run it is),
:mod:`~labelwright.runs.outputs` (the files a run writes),
:mod:`~labelwright.runs.provenance` (what identifies the data, reviews and code of a run),
:mod:`~labelwright.runs.prune` (removing old runs: ``runs prune``; which go,
:mod:`~labelwright.runs.prune_plan`; the record it leaves,
:mod:`~labelwright.runs.pruned`; the records of exports it keeps runs for,
:mod:`~labelwright.runs.exported` and :mod:`~labelwright.runs.review_exports`).

A command that reads runs back has a folder of its own:
:mod:`~labelwright.runs.explain` (one item's label, vote by vote),
:mod:`~labelwright.runs.diff` (what changed between two runs, and what it did to the labels),
:mod:`~labelwright.runs.verify` (whether runs are as they were left, and their inputs), and
:mod:`~labelwright.runs.erase` (taking erased items' texts out of what runs kept; its record,
``runs/ERASURES.jsonl``).
"""

from labelwright.runs.erase.items import EraseReport, erase_items
from labelwright.runs.run_writer import RunWriter, new_run_id
from labelwright.runs.store import MANIFEST, list_runs, read_manifest, resolve_run, run_labels
from labelwright.runs.verify.run_check import Finding, RunCheck
from labelwright.runs.verify.runs import verify_runs

__all__ = ["MANIFEST", "EraseReport", "Finding", "RunCheck", "RunWriter", "list_runs", "new_run_id",
           "read_manifest", "resolve_run", "run_labels", "erase_items", "verify_runs"]
