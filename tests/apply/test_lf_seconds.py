"""Each LF's seconds (``ApplyResult.lf_seconds``): every call timed, so an LF slow on a few
items is charged what those items cost, neither missed nor scaled up. A fake clock, moved
only by the LFs themselves, keeps wall-clock time out of the test."""

from __future__ import annotations

import pandas as pd

import labelwright.apply.core as core
from labelwright.apply import Applier
from labelwright.data.dataset import dataset_from_frame
from labelwright.lfs.core import labeling_function

LABELS = ("ham", "spam")
RARE_ROWS = (3, 21)  # neither among the rows every 16th item sampled (8, 24, ...)


class FakeClock:
    """``perf_counter`` that moves only when an LF says it spent time."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_an_lf_slow_on_two_items_is_charged_exactly_those_items(monkeypatch) -> None:
    clock = FakeClock()
    monkeypatch.setattr(core.time, "perf_counter", clock)

    @labeling_function()
    def slow_on_some(item):
        if "rare" in item.text:
            clock.now += 100.0
        return -1

    @labeling_function()
    def quick(item):
        clock.now += 1.0
        return 1 if "win" in item.text else -1

    @labeling_function()
    def raises_on_rare(item):
        if "rare" in item.text:
            clock.now += 7.0
            raise ValueError("rare")
        return -1

    texts = [f"item {i} win" + (" rare" if i in RARE_ROWS else "") for i in range(40)]
    data = dataset_from_frame(pd.DataFrame({"id": [f"i{i}" for i in range(40)],
                                            "text": texts}),
                              id_column="id", text_column="text", labels=LABELS)
    applied = Applier([slow_on_some, quick, raises_on_rare], LABELS, engine="local").apply(data)
    assert applied.lf_seconds == {"slow_on_some": 200.0, "quick": 40.0, "raises_on_rare": 14.0}
