"""Each item's text hash: which items' text changed between two runs (``runs diff``), why
each label flipped, and which items' text changed since a run (``runs verify --inputs``)."""

from __future__ import annotations

import hashlib

import pandas as pd
import pytest

from labelwright.project import run_project
from labelwright.runs.item_texts import TEXT_HASH, text_hashes
from labelwright.runs.store import LABELS_FILE
from ticket_data import TICKETS


def _recipe(text: str) -> int:
    """README "Hash recipes": the first 8 bytes of the text's SHA-256, big-endian."""
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big")


def test_a_run_records_each_items_text_hash_by_the_readme_recipe(make_project):
    root = make_project()
    labels = pd.read_parquet(run_project(root, report=False).run_dir / LABELS_FILE)
    assert labels[TEXT_HASH].tolist() == [_recipe(row["text"]) for row in TICKETS]
    assert labels.columns[-1] == TEXT_HASH  # added after the columns scripts read
    assert text_hashes(["é\ud800"]).tolist() == [int.from_bytes(hashlib.sha256(
        "é\ud800".encode("utf-8", "surrogatepass")).digest()[:8], "big")]


def test_a_run_on_a_dataframe_records_the_same_hashes(make_project):
    root = make_project()
    frame = pd.DataFrame(TICKETS)
    labels = run_project(root, data=frame, report=False).labels
    assert labels[TEXT_HASH].tolist() == [_recipe(t) for t in frame["text"]]


@pytest.mark.parametrize("texts", [[], ["a"], ["a", "b", ""]])
def test_text_hashes_are_one_per_text(texts):
    assert text_hashes(texts).tolist() == [_recipe(t) for t in texts]
