"""The report's failure places read the run's ids only when an LF raised."""

from __future__ import annotations

from pathlib import Path

from labelwright.report.failure_places import failure_places


def test_no_failures_read_no_ids(tmp_path: Path) -> None:
    def ids() -> list[str]:
        raise AssertionError("the ids were read for a run whose LFs raised on nothing")

    assert failure_places(tmp_path, {"failures": {}}, ids) == {}
    assert failure_places(tmp_path, {}, ids) == {}


def test_ids_given_by_a_function_place_as_a_list_does(tmp_path: Path) -> None:
    manifest = {"failures": {"lf_a": {"item_ids": ["b", "zz"]}},
                "data": {"path": "/p/data/items.csv", "rows": 3},
                "project": {"root": "/p"}}
    given = failure_places(tmp_path, manifest, ["a", "b", "c"])
    assert set(given) == {"b"} and given["b"].startswith("b (") and "row 2" in given["b"]
    assert failure_places(tmp_path, manifest, lambda: ["a", "b", "c"]) == given
