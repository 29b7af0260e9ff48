"""``PartIds``, the hashes of the ids of the parts ``apply_file`` has written, checked as
each part is written: every part checked against every earlier one, whatever their sizes,
and the hashes kept in few sorted runs (one array grown by an insert per part copied all
of them once a part: 4,000 parts of 500 ids spent 20 s copying)."""

from __future__ import annotations

import math

import pytest

from labelwright.apply.written_ids import PartIds
from labelwright.data.ids import id_hashes


@pytest.mark.parametrize("repeated", [0, 1, 57, 198])
def test_an_id_of_any_earlier_part_is_met_at_the_part_that_repeats_it(repeated):
    seen = PartIds()
    # sizes that go up and down, an empty part, ids with tabs, new lines and astral letters
    sizes = [(k * 37) % 11 for k in range(200)]
    parts = [[f"{k}\t{j}\n🦊" for j in range(n)] for k, n in enumerate(sizes)]
    parts[repeated] = parts[repeated] or ["only"]
    again = parts[repeated][-1]
    for k, ids in enumerate(parts):
        assert not seen.add(id_hashes(ids)), k
    assert seen.add(id_hashes(["new", again]))
    assert not seen.add(id_hashes(["newer"]))
    assert seen.add(id_hashes(["newer"]))  # the part just before counts too


def test_the_hashes_are_kept_in_few_sorted_runs():
    seen = PartIds()
    parts = 300
    for k in range(parts):
        seen.add(id_hashes([f"{k}-{j}" for j in range(5)]))
    runs = seen._runs
    assert sum(run.size for run in runs) == 5 * parts
    assert len(runs) <= math.log2(5 * parts) + 1, [run.size for run in runs]
    assert all((run[1:] >= run[:-1]).all() for run in runs)
