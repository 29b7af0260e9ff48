"""The row hashes (vote cache), tie-break numbers and draw keys are fixed numbers: a cache
written by one labelwright is read by the next, and a seeded draw or tie-break picks the
same items. Written down from labelwright before these hashes skipped pandas' Arrow and
factorize steps; each also equals pandas' own hash of the same values."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from labelwright.apply.cache_keys import row_hashes
from labelwright.data.value_text import frame_hashes, object_hashes, value_text
from labelwright.models.ties import id_numbers
from labelwright.triage.draws import draw_keys

IDS = ["T1", "t-2", "café", "", " 55 ", "x\u0301"]
TEXTS = ["Refund please", "", "Crash 💥 on save", "=SUM(A1)", "a\nb", "same"]
FIELDS = pd.DataFrame({"plan": ["pro", None, "free", "pro", "", "team"],
                       "seats": [1, 2, 3, 4, 5, 6]})


def test_row_hashes_are_the_written_down_numbers():
    assert row_hashes(IDS, TEXTS, FIELDS).tolist() == [
        10149798758561222171, 12864748285810338140, 13754875680665286664,
        10193227588474272450, 4225742726418965175, 7580003918752645542]
    assert row_hashes(IDS, TEXTS, None, ("msg_id", "message")).tolist() == [
        8438249960574435618, 9534053648769694402, 5569265413101979521,
        5701146229296046569, 7384270300574460733, 10158009089671388046]


def test_tie_numbers_and_draw_keys_are_the_written_down_numbers():
    assert id_numbers(IDS).tolist() == [
        4853911134374211762, 974658374267790170, 8219262391033477215,
        8199906342532635866, 8011896328003344993, 652605767476603652]
    assert draw_keys(IDS, 7, "sample").tolist() == [
        852194064787131468, 8429448680045232693, 233842591112600425,
        12314910444568033486, 7887714270287727912, 75201079314843790]


@pytest.mark.parametrize("ids", [
    IDS,
    [str(k) for k in range(2000)],  # distinct
    ["a", "b"] * 500,  # repeated: pandas hashes each distinct value once
    [1, 2, 3],  # not strings: pandas' own way
    ["a", None, "c"],  # a missing value: pandas' own way
    ["a", 2.5, "c"],
    [],
])
def test_same_numbers_as_pandas(ids):
    texts = [f"text {k}" for k in range(len(ids))]
    fields = pd.DataFrame({"plan": [("pro", None)[k % 2] for k in range(len(ids))]})
    frame = pd.DataFrame({"\x00id": list(ids), "\x00text": texts})
    frame = pd.concat([frame, pd.DataFrame({"f:0": value_text(fields["plan"])})], axis=1)
    expected = pd.util.hash_pandas_object(frame, index=False).to_numpy(dtype=np.uint64)
    got = frame_hashes({"\x00id": list(ids), "\x00text": texts,
                        "f:0": value_text(fields["plan"])})
    assert got.dtype == np.uint64 and got.tolist() == expected.tolist()
    series = pd.util.hash_pandas_object(pd.Series(list(ids), dtype=object), index=False,
                                        hash_key="k" * 16).to_numpy(dtype=np.uint64)
    assert object_hashes(ids, hash_key="k" * 16).tolist() == series.tolist()

