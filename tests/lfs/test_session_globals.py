"""What an LF written in the session reads from its globals, and the digest of each value."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap

import numpy as np
import pandas as pd
import pytest

from labelwright import ABSTAIN, labeling_function
from labelwright.lfs.session_globals import (
    Undigestable,
    global_names,
    session_globals,
    value_digest,
)
from labelwright.project import load_project, run_project


def _cell(code: str, **names):
    namespace = {"__name__": "__main__", "labeling_function": labeling_function,
                 "ABSTAIN": ABSTAIN, **names}
    exec(compile(textwrap.dedent(code), "<ipython-input-1-0a>", "exec"), namespace)
    return namespace


def test_the_globals_read_are_those_the_code_loads_nested_code_too_builtins_not():
    session = _cell('''
        @labeling_function()
        def lf(item):
            words = [w for w in item.text.split() if w in WORDS]
            check = lambda: LIMIT
            return "a" if len(words) > check() and MISSING else ABSTAIN
    ''', WORDS={"x"}, LIMIT=1, text="a global named as an attribute the LF reads")
    read = {r.name: r for r in session_globals(session["lf"], shown=True).reads}
    # `text` and `split` are attributes, `len` a builtin: none is a global it reads
    assert set(read) == {"ABSTAIN", "LIMIT", "MISSING", "WORDS"}
    assert read["MISSING"].shown == "<unbound>" and read["MISSING"].sha256
    assert read["WORDS"].shown == "{'x'}"
    assert global_names(session["lf"].func.__code__) == {*read, "len"}  # builtins later


def test_values_digest_by_content_not_by_order_or_identity():
    assert value_digest({"a": 1, "b": [2, 3]}) == value_digest({"b": [2, 3], "a": 1})
    assert value_digest([1, 2]) != value_digest((1, 2)) != value_digest([2, 1])
    assert value_digest(1) != value_digest(1.0) != value_digest(True)
    assert value_digest(re.compile("a")) != value_digest(re.compile("a", re.I))
    assert value_digest(np.arange(3)) != value_digest(np.arange(3.0))
    assert value_digest(re) == value_digest(sys.modules["re"])
    looped: list = [1]
    looped.append(looped)
    assert value_digest(looped) == value_digest(looped)  # a cycle ends


@pytest.mark.parametrize("value", [pd.DataFrame({"a": [1]}), object(), np.array([object()]),
                                   [1, {"deep": object()}]])
def test_objects_have_no_digest(value):
    with pytest.raises(Undigestable):
        value_digest(value)


def test_a_set_of_strings_digests_the_same_in_another_process():
    """String hashes (and so a set's order) change from one process to the next."""
    code = ("from labelwright.lfs.session_globals import value_digest; "
            "print(value_digest({'refund', 'invoice', 'charge', 'crash', 'bug'}))")
    seen = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True, env={**_env(), "PYTHONHASHSEED": seed}).stdout
            for seed in ("1", "2", "3")}
    assert len(seen) == 1


def _env():
    import os

    return dict(os.environ)


def test_session_functions_count_by_source_and_their_own_globals_with_a_cycle_guard():
    session = _cell('''
        def even(n):
            return n == 0 or odd(n - 1)

        def odd(n):
            return n != 0 and even(n - 1) and BASE

        @labeling_function()
        def lf(item):
            return "a" if even(len(item.text)) else ABSTAIN
    ''', BASE=1)
    before = session_globals(session["lf"]).digest
    session["BASE"] = 2  # read two calls away, through a cycle
    assert session_globals(session["lf"]).digest != before


def test_a_run_records_the_globals_a_session_lf_read_and_says_they_are_not_kept(
        make_project):
    root = make_project()
    session = _cell('''
        @labeling_function()
        def says_refund(item):
            return "billing" if WORDS.search(item.text) else ABSTAIN

        @labeling_function()
        def by_table(item):
            return "billing" if len(TABLE) > 5 else ABSTAIN
    ''', WORDS=re.compile("refund", re.I), TABLE=pd.DataFrame({"a": [1]}))
    project = load_project(root).with_lfs(session["says_refund"], session["by_table"])
    result = run_project(project=project, report=False)
    manifest = json.loads((result.run_dir / "manifest.json").read_text())
    entries = {e["lf"]: e for e in manifest["sources"]["not_kept"] + manifest["sources"]["files"]
               if e.get("kind") == "session LF"}
    read = {g["name"]: g for g in entries["says_refund"]["globals_read"]}
    assert read["WORDS"]["value"] == "re.compile('refund', re.IGNORECASE)"
    assert read["WORDS"]["sha256"] == value_digest(session["WORDS"])
    assert entries["says_refund"]["globals_kept"] is False
    table = {g["name"]: g for g in entries["by_table"]["globals_read"]}["TABLE"]
    assert table == {"name": "TABLE", "sha256": None, "value": "<pandas.DataFrame>"}
    assert manifest["apply"]["vote_cache"]["lfs_uncached"] == {"by_table": ["TABLE"]}
    said = [w for w in result.warnings if "cannot be hashed" in w]
    assert len(said) == 1 and "by_table (TABLE)" in said[0]


def test_a_session_class_counts_by_what_it_defines_and_its_methods_globals():
    session = _cell('''
        import dataclasses
        import enum

        class Tone(enum.Enum):
            ANGRY = "angry"

        @dataclasses.dataclass
        class Rule:
            word: str = "refund"

            def hits(self, text):
                return self.word in text and SCALE > 0

        @labeling_function()
        def lf(item):
            return "a" if Rule().hits(item.text) and Tone.ANGRY else ABSTAIN
    ''', SCALE=1)
    first = session_globals(session["lf"])
    assert not first.unhashable
    session["SCALE"] = 2  # read by a method of the class
    assert session_globals(session["lf"]).digest != first.digest
    before = session_globals(session["lf"]).digest
    exec(compile("import dataclasses\n@dataclasses.dataclass\nclass Rule:\n"
                 "    word: str = 'invoice'\n    def hits(self, text):\n"
                 "        return self.word in text and SCALE > 0\n",
                 "<ipython-input-9-0b>", "exec"), session)  # the cell run again, edited
    assert session_globals(session["lf"]).digest != before


USER_MODULE = '''
from dataclasses import dataclass, field


@dataclass
class Rule:
    words: list[str] = field(default_factory=list)


def short(text):
    return text in {"ok", "thanks", "fine", "great", "cheers"} and LIMIT > 0


LIMIT = 1
'''


def test_a_module_functions_digest_is_the_same_in_another_process(tmp_path):
    """A set literal compiles to a frozenset, whose order changes with string hashes."""
    (tmp_path / "usermod.py").write_text(USER_MODULE)
    code = ("import usermod; from labelwright.lfs.session_globals import value_digest; "
            "print(value_digest(usermod.short), value_digest(usermod.Rule))")
    seen = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True, cwd=tmp_path,
                           env={**_env(), "PYTHONHASHSEED": seed,
                                "PYTHONPATH": f"{tmp_path}:{_env().get('PYTHONPATH', '')}"}
                           ).stdout for seed in ("1", "2", "3")}
    assert len(seen) == 1 and len(next(iter(seen)).split()) == 2


def test_a_module_function_of_the_users_counts_by_its_code_and_what_it_reads(
        tmp_path, monkeypatch):
    (tmp_path / "usermod2.py").write_text(USER_MODULE)
    monkeypatch.syspath_prepend(str(tmp_path))
    import importlib

    module = importlib.import_module("usermod2")
    before = value_digest(module.short)
    monkeypatch.setattr(module, "LIMIT", 2)  # set by other code, after import
    assert value_digest(module.short) != before
    value_digest(module.Rule)  # a class of the user's with annotations has a digest
    # a library function counts by its module, not by what it reads
    assert value_digest(json.dumps) == value_digest(json.dumps)


@pytest.mark.parametrize("definition", [
    "class Rule(abc.ABC):\n    @abc.abstractmethod\n    def hits(self): ...",
    "class Rule(typing.NamedTuple):\n    word: str\n    weight: int = 1",
    "Rule = collections.namedtuple('Rule', 'word weight')",
    "class Rule(typing.Protocol):\n    def hits(self) -> bool: ...",
    "@dataclasses.dataclass(frozen=True)\nclass Rule:\n"
    "    words: list[str] = dataclasses.field(default_factory=list)",
])
def test_a_session_class_python_makes_parts_of_has_a_digest(definition):
    """An ABC's registry, a namedtuple's field getters, a dataclass's default factory:
    made by Python from what the class defines, not objects that leave it uncached."""
    session = _cell("import abc, collections, dataclasses, typing\n" + definition)
    before = value_digest(session["Rule"])
    exec(compile(definition.replace("word", "term").replace("hits", "fires"),
                 "<ipython-input-2-0b>", "exec"), session)  # the cell run again, edited
    assert value_digest(session["Rule"]) != before


def test_paths_dates_loggers_and_cached_helpers_have_digests():
    """Common module-level values of LF code: none leaves an LF uncached."""
    import datetime
    import logging
    from pathlib import Path

    assert value_digest(Path("words.txt")) != value_digest(Path("other.txt"))
    assert value_digest(datetime.date(2026, 1, 2)) != value_digest(datetime.date(2026, 1, 3))
    assert value_digest(logging.getLogger("lfs")) == value_digest(logging.getLogger("lfs"))
    session = _cell('''
        import functools

        @functools.lru_cache(maxsize=None)
        def stem(word):
            return word[:LIMIT]
    ''', LIMIT=4)
    before = value_digest(session["stem"])
    session["LIMIT"] = 5  # read by the function the cache wraps
    assert value_digest(session["stem"]) != before


class _Touchy:
    """An object that raises as anything reads it (a proxy to a closed resource)."""

    def __call__(self):
        return None

    def __getattr__(self, name):
        raise RuntimeError("the connection is closed")


def test_a_value_that_raises_as_it_is_read_has_no_digest():
    with pytest.raises(Undigestable, match="RuntimeError"):
        value_digest(_Touchy())


def test_a_config_object_counts_by_its_fields_values_now():
    """``CFG = Cfg()`` in an LF module, ``CFG.cut = 99`` in a notebook: the LF's votes
    change, so its key does; an object in a field still has no digest."""
    import dataclasses
    import types

    session = _cell('''
        import dataclasses

        @dataclasses.dataclass
        class Cfg:
            cut: int = 3
            words: tuple = ("a", "b")
    ''')
    config = session["Cfg"]()
    before = value_digest(config)
    assert value_digest(session["Cfg"]()) == before  # the same fields, another object
    config.cut = 99
    assert value_digest(config) != before
    space = types.SimpleNamespace(cut=3)
    before = value_digest(space)
    space.cut = 4
    assert value_digest(space) != before
    holder = dataclasses.make_dataclass("Holder", ["frame"])(pd.DataFrame({"a": [1]}))
    with pytest.raises(Undigestable):
        value_digest(holder)


def test_what_an_lf_reads_of_a_module_it_imports_in_its_body_counts(tmp_path, monkeypatch):
    """``import bankrules`` inside the LF, then ``bankrules.WORDS``: the words are read
    as much as a global's are once the module is imported. Before, it holds what its code
    will make and nothing of it is in the key (a CLI run keys its LFs before they import
    anything: leaving them uncached would compute them on every run)."""
    (tmp_path / "bankrules_body.py").write_text("WORDS = {'pay'}\nCUT = 3\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    session = _cell('''
        @labeling_function()
        def lf(item):
            import bankrules_body
            from bankrules_body import CUT as cut
            return "a" if item.text in bankrules_body.WORDS and cut else ABSTAIN
    ''')
    monkeypatch.delitem(sys.modules, "bankrules_body", raising=False)
    first = session_globals(session["lf"])
    assert not first.unhashable  # not imported yet: nothing of it read
    assert not [r for r in first.reads if r.name.startswith("bankrules_body")]
    import bankrules_body

    before = session_globals(session["lf"])
    assert not before.unhashable
    bankrules_body.WORDS.add("hours")
    assert session_globals(session["lf"]).digest != before.digest
    monkeypatch.setattr(bankrules_body, "CUT", 4)
    assert session_globals(session["lf"]).digest != before.digest


def test_an_object_an_lf_module_imports_from_the_users_code_outside_the_folder_is_not_cached(
        tmp_path, monkeypatch):
    """``from bankrules import MODEL`` in an LF module: the LF folder's file hash does not
    say what MODEL holds (bankrules.py edited, MODEL changed in the process), so the LF is
    not cached, as with ``bankrules.MODEL``; a model the LF module makes itself counts by
    its file."""
    from labelwright.lfs.session_globals import Digester

    (tmp_path / "ext").mkdir()
    (tmp_path / "lfs").mkdir()
    (tmp_path / "ext" / "bankrules_out.py").write_text(
        "class Model:\n    cut = 3\nMODEL = Model()\n")
    (tmp_path / "lfs" / "extlfs_out.py").write_text(textwrap.dedent('''
        import bankrules_out
        from bankrules_out import MODEL, Model
        from labelwright import labeling_function
        OWN = Model()

        @labeling_function()
        def by_attribute(x):
            return bankrules_out.MODEL.cut

        @labeling_function()
        def by_name(x):
            return MODEL.cut

        @labeling_function()
        def own(x):
            return OWN.cut
    '''))
    for folder in ("ext", "lfs"):
        monkeypatch.syspath_prepend(str(tmp_path / folder))
    import importlib

    module = importlib.import_module("extlfs_out")
    digester = Digester(tmp_path / "lfs")
    for name in ("by_attribute", "by_name"):
        reads = session_globals(getattr(module, name), digester=digester)
        assert [r.name for r in reads.unhashable] in (["MODEL"], ["bankrules_out.MODEL"])
    assert not session_globals(module.own, digester=digester).unhashable
