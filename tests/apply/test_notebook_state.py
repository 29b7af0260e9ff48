"""One long-lived Python process (a notebook) that loads, edits and applies projects: the
votes and their cache keys describe the code that ran, whatever the process imported
before, and whatever the file times say."""

from __future__ import annotations

import os
import py_compile
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from labelwright.project import apply_project, load_project, run_project
from ticket_data import BILLING_GLOSSARY

WORD_LF = '''
from labelwright import ABSTAIN, labeling_function


@labeling_function()
def says_word(item):
    return "billing" if "{word}" in item.text.lower() else ABSTAIN
'''


def _votes(result, name):
    column = result.matrix.lf_names.index(name)
    return [int(v) for v in result.matrix.votes[:, column]]


def _expected(root, word):
    """says_word's votes for ``word``, from the project's data as the LF reads it."""
    data, _ = apply_project(load_project(root), cache=False)
    return [0 if word in text.lower() else -1 for text in data.texts]


def test_an_lf_file_edited_to_its_old_size_and_time_is_read_again(make_project):
    # cp -p, rsync -t, tar: the same size, the modification time put back
    root = make_project(lfs={"words": WORD_LF.format(word="refund")})
    path = root / "labeling_functions" / "words.py"
    _, first = apply_project(load_project(root))
    assert _votes(first, "says_word") == _expected(root, "refund")
    stat = path.stat()
    path.write_text(WORD_LF.format(word="crashe"))  # as long as "refund"
    assert path.stat().st_size == stat.st_size
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    _, second = apply_project(load_project(root))
    assert _votes(second, "says_word") == _expected(root, "crashe")
    assert _votes(second, "says_word") != _votes(first, "says_word")
    assert second.computed["says_word"] == len(_votes(second, "says_word"))
    run = run_project(root, report=False)  # no "changed while the run ran", once or again
    assert np.array_equal(run.applied.matrix.votes, second.matrix.votes)
    run_project(root, report=False)


HELPER_LF = '''
from labelwright import ABSTAIN, labeling_function
from _words import WORD


@labeling_function()
def says_word(item):
    return "billing" if WORD in item.text.lower() else ABSTAIN
'''


def test_a_compiled_copy_of_an_old_helper_is_not_run(make_project, monkeypatch):
    # Python trusts __pycache__ while the source's mtime (seconds) and size match
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    root = make_project(lfs={"words": HELPER_LF})
    helper = root / "labeling_functions" / "_words.py"
    helper.write_text('WORD = "refund"\n')
    py_compile.compile(str(helper))  # as any import of it, in this process or another, does
    _, first = apply_project(load_project(root))
    stat = helper.stat()
    helper.write_text('WORD = "crashe"\n')
    os.utime(helper, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    _, second = apply_project(load_project(root), cache=False)
    assert _votes(second, "says_word") == _expected(root, "crashe") != _votes(first, "says_word")


LAZY_LF = '''
from labelwright import ABSTAIN, labeling_function


@labeling_function()
def lazy_word(item):
    from _helpers import WORD  # imported when it runs, not when it is loaded
    return "billing" if WORD in item.text.lower() else ABSTAIN
'''


@pytest.mark.parametrize("engine", ["local", "processes"])
@pytest.mark.parametrize("cache", [False, "refresh"])
def test_a_project_applied_after_another_was_loaded_imports_its_own_helpers(
        make_project, tmp_path, engine, cache):
    """Two projects with a helper of one name: after loading the second, applying the
    first imported the second's helper, and kept those votes under the first's key."""
    roots = {}
    for name, word in (("a", "refund"), ("b", "crash")):
        roots[name] = make_project(root=tmp_path / name, lfs={"lazy": LAZY_LF})
        (roots[name] / "labeling_functions" / "_helpers.py").write_text(f'WORD = "{word}"\n')
    first = load_project(roots["a"])
    _, alone = apply_project(first, engine=engine, cache=False)
    load_project(roots["b"])
    _, after = apply_project(first, engine=engine, cache=cache)
    assert _votes(after, "lazy_word") == _votes(alone, "lazy_word")
    assert _votes(after, "lazy_word") == _expected(roots["a"], "refund")
    # what another process reads from the first project's cache
    code = textwrap.dedent(f"""
        from labelwright.project import apply_project, load_project
        _, result = apply_project(load_project({str(roots["a"])!r}))
        print(result.computed["lazy_word"], *result.matrix.votes[:, 0])
    """)
    out = subprocess.run([sys.executable, "-c", code], check=True, text=True,
                         capture_output=True, cwd=tmp_path).stdout.split()
    if cache == "refresh":  # votes were kept: read back, not computed
        assert out[0] == "0"
    assert [int(v) for v in out[1:]] == _votes(alone, "lazy_word")


def test_a_project_loaded_before_an_edit_says_to_load_it_again(make_project, tmp_path):
    """run_project(project=proj) and apply_file(applier, ...) with LFs loaded before an
    edit failed with "run again", and failed so every time with the same object: the way
    out from Python is to load the project again (or make its applier again)."""
    from labelwright.apply.stream import apply_file
    from labelwright.errors import RunError

    root = make_project(lfs={"words": WORD_LF.format(word="refund")})
    module = root / "labeling_functions" / "words.py"
    loaded = load_project(root)
    applier = loaded.applier(cache=False)
    module.write_text(WORD_LF.format(word="crash"))
    for _ in range(2):  # the same object: the same advice
        with pytest.raises(RunError, match=r"words\.py changed .*labelwright\.load_project"):
            run_project(project=loaded, report=False)
    out = tmp_path / "out.parquet"
    with pytest.raises(RunError, match=r"words\.py changed .*project\.applier\(\)") as error:
        apply_file(applier, root / "data" / "items.csv", out, hidden_columns=("gold",))
    assert "run again" in str(error.value)  # the CLI's advice stays
    assert not out.exists()
    again = run_project(project=load_project(root), report=False)
    assert _votes(again.applied, "says_word") == _expected(root, "crash")


def test_a_glossary_edited_after_loading_stops_the_run_before_the_apply(make_project):
    """Found only after the whole apply and the fit ("changed while the run ran ... run
    labelwright run again"), with advice a Python caller holding the project could not
    follow."""
    from labelwright.errors import RunError

    root = make_project(glossaries={"billing": BILLING_GLOSSARY})
    loaded = load_project(root)
    glossary = root / "glossaries" / "billing.yaml"
    glossary.write_text(BILLING_GLOSSARY.replace("term: invoice", "term: receipt"))
    steps: list[str] = []
    with pytest.raises(RunError, match=r"billing\.yaml changed .*labelwright\.load_project"):
        run_project(project=loaded, report=False, cache=False,
                    progress=lambda step, *_: steps.append(step))
    assert steps == []  # before any item was applied
    run_project(project=load_project(root), report=False)


def _outside_module(tmp_path, monkeypatch, name, words):
    """A module outside every LF folder (a notebook's ``nbhelper.py``), imported."""
    import importlib

    folder = tmp_path / "notebook"
    folder.mkdir(exist_ok=True)
    (folder / f"{name}.py").write_text(f"WORDS = {words!r}\n")
    monkeypatch.syspath_prepend(str(folder))
    module = importlib.import_module(name)
    monkeypatch.setitem(sys.modules, name, module)  # dropped after the test
    return folder / f"{name}.py", module


def _edit_without_reload(path, words):
    stat = path.stat()
    path.write_text(f"WORDS = {words!r}\n")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))  # a later save


def test_a_session_lf_reading_a_module_edited_since_its_import_is_keyed_by_the_code_run(
        make_project, tmp_path, monkeypatch, caplog):
    """The key followed the module's file, the votes the module in memory: edited on disk
    but not reloaded, the old votes were kept under the new file's key, and read back once
    the module was reloaded (241 votes where 334 were due, none computed)."""
    import importlib

    from labelwright import ABSTAIN, labeling_function

    path, helper = _outside_module(tmp_path, monkeypatch, "nbhelper_stale", ["refund"])
    namespace = {"__name__": "__main__", "labeling_function": labeling_function,
                 "ABSTAIN": ABSTAIN, "nbhelper_stale": helper}
    exec(compile(textwrap.dedent('''
        @labeling_function()
        def nb_words(item):
            return "billing" if any(w in item.text.lower() for w in nbhelper_stale.WORDS) \\
                else ABSTAIN
    '''), "<ipython-input-3-aa>", "exec"), namespace)
    root = make_project()
    project = load_project(root).with_lfs(namespace["nb_words"])
    _, first = apply_project(project)
    refund = _votes(first, "nb_words")
    _edit_without_reload(path, ["crashe"])
    with caplog.at_level("WARNING"):
        _, stale = apply_project(project)
    assert _votes(stale, "nb_words") == refund  # the code in memory ran ...
    assert stale.computed["nb_words"] == 0  # ... and its votes are the ones cached for it
    said = [r.getMessage() for r in caplog.records if "nbhelper_stale" in r.getMessage()]
    assert said and "importlib.reload(nbhelper_stale)" in said[0] and str(path) in said[0]
    importlib.reload(helper)
    _, reloaded = apply_project(project)
    assert reloaded.computed["nb_words"] == len(refund)
    assert _votes(reloaded, "nb_words") == _expected(root, "crashe")


OUTSIDE_LF = '''
from labelwright import ABSTAIN, labeling_function
import nbhelper_outside


@labeling_function()
def outside_words(item):
    return "billing" if any(w in item.text.lower() for w in nbhelper_outside.WORDS) \\
        else ABSTAIN
'''


def test_an_lf_module_importing_a_module_edited_since_its_import_is_warned_of(
        make_project, tmp_path, monkeypatch):
    """In a notebook the module stays in sys.modules: even cache=False ran the old code,
    with nothing said."""
    path, _ = _outside_module(tmp_path, monkeypatch, "nbhelper_outside", ["refund"])
    root = make_project(lfs={"outside": OUTSIDE_LF})
    data, first = apply_project(load_project(root))
    assert not [w for w in data.warnings if "nbhelper_outside" in w]
    _edit_without_reload(path, ["crashe"])
    data, again = apply_project(load_project(root), cache=False)
    said = [w for w in data.warnings if "nbhelper_outside" in w]
    assert len(said) == 1 and str(path) in said[0]
    assert "importlib.reload(nbhelper_outside)" in said[0] and "load_project" in said[0]
    assert _votes(again, "outside_words") == _votes(first, "outside_words")
