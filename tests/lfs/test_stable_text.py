"""The text an LF's hash reads of what it is made with (resources, closures, partials'
arguments): the same as before for any value, and cheap for large word lists."""

import enum
import re

import numpy as np

from labelwright.lfs import core
from labelwright.lfs.core import stable_text


class Level(enum.IntEnum):
    HIGH = 1


class Word(str):
    pass


def test_the_text_of_plain_values_and_their_subclasses_is_as_written():
    """A vote cache's keys hash this text: a faster path that wrote any of it otherwise
    would recompute every LF made with a resource. A subclass of str or int is written by
    its own repr (an IntEnum's), as it was."""
    assert stable_text([{"w1": 0, "w0": 1}, ("a", 2.5), {"b", "a"}, None, b"x", True]) == (
        "list[{'w0': 1, 'w1': 0}, tuple['a', 2.5], set['a', 'b'], None, b'x', True]")
    assert stable_text({"k": [Level.HIGH, Word("w"), np.int64(3)], 2: frozenset({1})}) == (
        "{'k': list[<Level.HIGH: 1>, 'w', <numpy.int64>], 2: set[1]}")
    nested: list = ["w"]
    for _ in range(11):
        nested = [nested]
    assert stable_text(nested) == "list[" * 10 + "..." + "]" * 10  # past MAX_UNWRAP
    assert stable_text(re.compile("a+", re.I)) == f"re('a+', {int(re.I | re.U)})"


def test_a_large_word_list_is_written_without_a_call_per_word(monkeypatch):
    """A 2M-entry dict resource took 2.6 s of every load_project, check and run (a call of
    stable_text per key and per value); its strs and ints are written in place."""
    calls = []
    original = core.stable_text

    def counted(value, depth=0):
        calls.append(depth)
        return original(value, depth)

    monkeypatch.setattr(core, "stable_text", counted)
    words = {f"w{i}": i % 2 for i in range(1000)}
    text = core.stable_text({"table": words, "stop": ["a", "the"], "seen": {"x"}})
    assert len(calls) == 4  # the resources, and each of their containers once
    assert text.startswith("{'seen': set['x'], 'stop': list['a', 'the'], 'table': {'w0': 0, ")
