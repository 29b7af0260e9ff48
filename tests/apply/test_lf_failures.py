"""Failures of the LFs merged chunk by chunk (or part by part): counts add up, the first ids
and traceback stay the earliest, an LF that fails first in a later chunk gets its entry."""

from labelwright.apply.lf_failures import MAX_FAILED_IDS, LFFailures, merge_failures


def failures_of(lf: str, ids: list[str], tb: str) -> LFFailures:
    out = LFFailures(lf)
    for item_id in ids:
        out.add(item_id, tb if not out.traceback else "", "lfs.py:3")
    return out


def test_merged_failures_keep_the_earliest_ids_and_traceback_and_add_new_lfs():
    first_ids = [f"a{i}" for i in range(MAX_FAILED_IDS - 1)]
    merged: dict[str, LFFailures] = {}
    merge_failures(merged, {"by_word": failures_of("by_word", first_ids, "first tb")})
    merge_failures(merged, {"by_word": failures_of("by_word", ["b0", "b1", "b2"], "later tb"),
                            "by_length": failures_of("by_length", ["b1"], "its tb")})
    assert list(merged) == ["by_word", "by_length"]
    assert merged["by_word"].count == MAX_FAILED_IDS + 2
    assert merged["by_word"].item_ids == [*first_ids, "b0"]  # capped, earliest first
    assert merged["by_word"].traceback == "first tb"
    assert (merged["by_length"].count, merged["by_length"].item_ids) == (1, ["b1"])
    assert merged["by_length"].traceback == "its tb"
