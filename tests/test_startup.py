"""The CLI imports spaCy without torch when nothing needs it (see labelwright.startup).

Each check runs in a fresh interpreter: in the test process spaCy is already imported.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PROBE = """
import json, sys
from labelwright.startup import import_spacy
hidden = import_spacy(sys.argv[1])
seen = {"hidden": hidden, "spacy": "spacy" in sys.modules, "torch": "torch" in sys.modules}
if seen["spacy"]:
    import thinc.compat
    seen["thinc_has_torch"] = thinc.compat.has_torch
print(json.dumps(seen))
"""
UNTOUCHED = {"hidden": False, "spacy": False, "torch": False}


def probe(project: Path, **env: str) -> dict:
    out = subprocess.run([sys.executable, "-c", PROBE, str(project)], check=True,
                         capture_output=True, text=True, env={**os.environ, **env}).stdout
    return json.loads(out)


def test_a_blank_pipeline_imports_spacy_without_torch(make_project):
    seen = probe(make_project())
    assert seen == {"hidden": True, "spacy": True, "torch": False, "thinc_has_torch": False}
    # torch itself stays importable afterwards (snorkel's LabelModel needs it)
    code = (f"{PROBE}\nimport torch\nprint(torch.__name__)")
    out = subprocess.run([sys.executable, "-c", code, str(make_project())], check=True,
                         capture_output=True, text=True).stdout
    assert out.strip().endswith("torch")


def test_a_named_pipeline_or_a_bad_config_leaves_the_import_alone(make_project, tmp_path):
    named = make_project(extra='\n[nlp]\npipeline = "en_core_web_sm"\n')
    assert probe(named) == UNTOUCHED
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "labelwright.toml").write_text("[project\n", encoding="utf-8")
    assert probe(broken) == UNTOUCHED


def test_lf_code_that_may_build_a_torch_model_or_the_opt_out_keep_torch(make_project):
    # an LF module that loads a pipeline or builds a thinc PyTorch model needs thinc to see
    # torch, whatever [nlp] says
    source = "import spacy\nNLP = spacy.load('my_pipeline')\n"
    assert probe(make_project(lfs={"loads": source})) == UNTOUCHED
    wrapped = "from thinc.api import PyTorchWrapper\n"
    assert probe(make_project(lfs={"wraps": wrapped})) == UNTOUCHED
    assert probe(make_project(), LABELWRIGHT_KEEP_TORCH="1") == UNTOUCHED


def test_the_check_command_runs_with_torch_hidden(make_project):
    code = ("import sys\nfrom typer.testing import CliRunner\n"
            "from labelwright.cli.app import app\n"
            "result = CliRunner().invoke(app, ['check', '-p', sys.argv[1]])\n"
            "print(result.exit_code, 'torch' in sys.modules, 'spacy' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code, str(make_project())], check=True,
                         capture_output=True, text=True).stdout.split()
    assert out == ["0", "False", "True"]


def loaded(modules: str, heavy: tuple[str, ...]) -> list[str]:
    """Which of ``heavy`` a fresh Python has imported after ``import modules``."""
    code = (f"import sys, {modules}\n"
            f"print(','.join(sorted(m for m in {heavy!r} if m in sys.modules)))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    return [m for m in out.strip().split(",") if m]


def test_the_cli_starts_without_scikit_learn_or_scipy_optimize():
    """Every command, --help included, imported the label models for `labelwright bench`,
    and with them scikit-learn and scipy.optimize: 0.8 s of a 1.6 s `labelwright --help`."""
    assert loaded("labelwright.cli", ("sklearn", "scipy.optimize", "spacy", "torch")) == []


def test_review_import_and_stats_load_without_spacy_or_torch():
    """The review commands read files and the ledger; they imported spaCy and torch (about
    2.5 s, 6 s on a busy machine) through the LF table's type hints."""
    assert loaded("labelwright.review.imports.file, labelwright.review.stats.summary",
                  ("spacy", "torch", "thinc")) == []


def test_reading_glossary_files_loads_without_spacy_or_torch():
    """The glossary package imported its matcher, and with it spaCy and torch, for reading
    a YAML file: `runs diff` kept a reader of its own to compare glossary copies."""
    assert loaded("labelwright.glossaries.reading", ("spacy", "torch", "thinc")) == []
    assert loaded("labelwright.runs.diff.glossary_edits", ("spacy", "torch", "thinc")) == []
    # the matcher is still there, from where it was
    assert loaded("labelwright.glossaries.core; labelwright.glossaries.core.GlossaryMatcher",
                  ("spacy",)) == ["spacy"]


def test_the_report_loads_without_spacy_torch_or_scikit_learn():
    """`labelwright report` reads a run folder; it imported the whole pipeline (spaCy,
    scikit-learn, torch: about 5 of its 7.7 s) for one helper of the module that writes
    runs."""
    assert loaded("labelwright.report, labelwright.cli.report",
                  ("spacy", "torch", "thinc", "sklearn")) == []
    # the probe sees spaCy where a module does load it
    assert loaded("labelwright.cli.report, labelwright.nlp.pipeline", ("spacy",)) == ["spacy"]


def test_a_runs_modules_load_without_spacy_or_torch():
    """`labelwright run` imported spaCy, and through it torch (about 240 MB of a 1 GB run
    at 500,000 items, and 2-3 s), through type hints and a module-level import of the Doc
    cache, even when no vote needed a pipeline. A pipeline is built (and spaCy loaded)
    only when something parses or the pipeline's facts are not cached yet."""
    assert loaded("labelwright.project.run, labelwright.runs.outputs, labelwright.cli.run_output",
                  ("spacy", "torch", "thinc")) == []


def test_ctrl_c_while_the_commands_load_ends_quietly_with_130():
    """Ctrl-C in the first second of any command (the commands loading) printed a
    KeyboardInterrupt traceback; later it exits 130 with no traceback."""
    code = ("import builtins, labelwright.__main__\n"
            "real = builtins.__import__\n"
            "def interrupted(name, *args, **kwargs):\n"
            "    if name == 'labelwright.cli.app':\n"
            "        raise KeyboardInterrupt\n"
            "    return real(name, *args, **kwargs)\n"
            "builtins.__import__ = interrupted\n"
            "labelwright.__main__.main()\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 130 and "Traceback" not in done.stderr


def test_the_cli_package_exports_the_typer_app():
    """`from labelwright.cli import app` gave the module labelwright.cli.app for a while."""
    import typer

    from labelwright.cli import app

    assert isinstance(app, typer.Typer)


API_PROBE = """
import json, sys, warnings
warnings.simplefilter("always")
first = sys.argv[2]
if first != "-":
    __import__(first)  # what the notebook imported itself, before labelwright
import labelwright
from labelwright import (apply_project, check_project, explain_item, export_training_set,
                         load_project, run_project, train_run, verify_runs)
looked_up = sorted(m for m in ("spacy", "torch", "pandas") if m in sys.modules)
with warnings.catch_warnings(record=True) as caught:
    for path in sys.argv[3:] or [sys.argv[1]]:
        project = getattr(labelwright, "load_project")(path)
import thinc.compat
print(json.dumps({"looked_up": looked_up, "torch": "torch" in sys.modules,
                  "thinc_has_torch": thinc.compat.has_torch, "lfs": len(project.lfs),
                  "warnings": [str(w.message) for w in caught]}))
"""


def api_probe(project: Path, first: str = "-", *more: Path, **env: str) -> dict:
    done = subprocess.run([sys.executable, "-c", API_PROBE, str(project), first, *map(str, more)],
                          capture_output=True, text=True, env={**os.environ, **env})
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_load_project_from_python_imports_spacy_without_torch(make_project):
    """A notebook's labelwright.load_project imported torch (5-8 s on a first call); the
    CLI did not. Looking the functions up imports nothing heavy either."""
    seen = api_probe(make_project())
    assert seen == {"looked_up": [], "torch": False, "thinc_has_torch": False, "lfs": 2,
                    "warnings": []}


def test_what_the_user_imported_first_or_a_project_needing_torch_keeps_it(make_project,
                                                                         tmp_path):
    root = make_project()
    # spaCy imported by the user: its own import stands (thinc saw torch)
    assert api_probe(root, "spacy")["thinc_has_torch"] is True
    assert api_probe(root, "torch")["thinc_has_torch"] is True
    assert api_probe(root, LABELWRIGHT_KEEP_TORCH="1")["thinc_has_torch"] is True
    torchy = make_project(root=tmp_path / "torchy", lfs={
        "tickets": "from labelwright import labeling_function\n"
                   "# thinc: a PyTorch model would go here\n"
                   "@labeling_function()\ndef refund(item):\n"
                   "    return 'billing' if 'refund' in item.text.lower() else None\n"})
    assert api_probe(torchy)["thinc_has_torch"] is True


def test_a_later_project_that_may_need_torch_is_warned_of(make_project, tmp_path):
    """In one session, torch hidden for a first project stays hidden from thinc: a later
    project whose LFs or pipeline may need it says so, naming both and the way out."""
    plain = make_project()
    torchy = make_project(root=tmp_path / "torchy", lfs={
        "tickets": "import spacy  # spacy.load('a PyTorch pipeline') one day\n"
                   "from labelwright import labeling_function\n"
                   "@labeling_function()\ndef refund(item):\n"
                   "    return 'billing' if 'refund' in item.text.lower() else None\n"})
    seen = api_probe(plain, "-", plain, torchy)
    assert seen["thinc_has_torch"] is False
    [message] = seen["warnings"]
    assert str(torchy) in message and str(plain) in message
    assert "LABELWRIGHT_KEEP_TORCH=1" in message and "tickets.py" in message


def test_check_and_run_from_python_hide_torch_too(make_project):
    code = ("import sys, labelwright\n"
            "report = labelwright.check_project(sys.argv[1])\n"
            "result = labelwright.run_project(sys.argv[1], report=False)\n"
            "print(report.ok, result.run_dir.is_dir(), 'torch' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code, str(make_project())], check=True,
                         capture_output=True, text=True).stdout.split()
    assert out == ["True", "True", "False"]


def test_the_top_level_functions_call_the_modules_own(make_project):
    """labelwright.load_project is a stand-in until first called (so looking it up imports
    nothing); it calls labelwright.project's, and then shows its signature."""
    import inspect

    import labelwright
    import labelwright.project

    project = labelwright.load_project(make_project())
    assert isinstance(project, labelwright.project.Project)
    assert inspect.signature(labelwright.load_project) == inspect.signature(
        labelwright.project.load_project)
    assert labelwright.load_project.__wrapped__ is labelwright.project.load_project
    with pytest.raises(AttributeError, match="no attribute 'load_projekt'"):
        labelwright.load_projekt  # noqa: B018


#: a fresh interpreter where the main thread loads the first project, and stops when spaCy's
#: import asks for thinc until a second thread has done its part (``other``)
THREADS = """
import json, sys, threading, warnings
import labelwright.startup as startup
asked, done = threading.Event(), threading.Event()
seen = {}
warnings.simplefilter("always")
warnings.showwarning = lambda message, category, *rest, **more: seen.setdefault(
    "warnings", []).append(category.__name__)

class WaitAtThinc:
    def find_spec(self, name, path=None, target=None):
        if name == "thinc" and threading.current_thread() is threading.main_thread():
            asked.set()
            done.wait(60)

def other():
    asked.wait(60)
    try:
        OTHER
    except ImportError as exc:
        seen["other"] = repr(exc)
    done.set()

sys.meta_path.insert(0, WaitAtThinc())
thread = threading.Thread(target=other)
thread.start()
seen["hidden"] = startup.spacy_for(sys.argv[1])
thread.join()
print(json.dumps(seen))
"""


def threads_probe(first: Path, other: str, *args: str) -> dict:
    code = THREADS.replace("OTHER", other)
    done = subprocess.run([sys.executable, "-c", code, str(first), *args], capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_torch_is_hidden_from_the_loading_thread_only(make_project):
    """Torch was hidden process-wide while a project loaded: another thread's `import
    torch` then failed with ModuleNotFoundError."""
    seen = threads_probe(make_project(), "import torch; seen['other'] = torch.__name__")
    assert seen == {"hidden": True, "other": "torch"}


def test_a_thread_asking_while_torch_is_hidden_is_warned(make_project, tmp_path):
    """A second thread loading a project that may need torch, while the first imported
    spaCy with torch hidden, found spaCy imported but nothing hidden yet: no warning."""
    torchy = make_project(root=tmp_path / "torchy", lfs={
        "tickets": "# thinc: a PyTorch model would go here\n"
                   "from labelwright import labeling_function\n"
                   "@labeling_function()\ndef refund(item):\n"
                   "    return 'billing' if 'refund' in item.text.lower() else None\n"})
    seen = threads_probe(make_project(), "seen['other'] = startup.spacy_for(sys.argv[2])",
                         str(torchy))
    assert seen == {"hidden": True, "other": False, "warnings": ["TorchHiddenWarning"]}


def test_a_mistyped_keyword_fails_before_any_project_is_read(tmp_path):
    """labelwright.load_project(pth=...) read the project in the current folder (and could
    import spaCy for it) before the TypeError; the error now comes first and names the
    valid keywords."""
    code = ("import sys, labelwright, labelwright.config as config\n"
            "read, real = [], config.load_config\n"
            "config.load_config = lambda *args, **kw: read.append(args) or real(*args, **kw)\n"
            "for call in ('load_project(pth=\"x\")', 'explain_item(item_id=\"a\")',\n"
            "             'run_project(\".\", fail_fst=True)'):\n"
            "    try:\n"
            "        eval('labelwright.' + call)\n"
            "    except TypeError as exc:\n"
            "        print(exc)\n"
            "print(read, sorted(m for m in ('spacy', 'labelwright.project.load',\n"
            "                               'labelwright.project',\n"
            "                               'labelwright.runs.explain.item')\n"
            "                   if m in sys.modules))\n")
    (tmp_path / "labelwright.toml").write_text("[project\n", encoding="utf-8")  # unreadable
    out = _lines_of_a_fresh_python(code, tmp_path)
    assert out[0] == "load_project() got an unexpected keyword argument 'pth'; valid " \
                     "keywords: path, data, caches"
    assert out[1].startswith("explain_item() missing a required argument: 'root'; valid "
                             "keywords: root, item_id, run")
    assert out[2].startswith("run_project() got an unexpected keyword argument 'fail_fst'; "
                             "valid keywords: path, fail_fast, ")
    assert out[3] == "[] []"  # no config read, no module of the functions imported


def test_a_bad_argument_to_any_stand_in_imports_neither_spacy_nor_torch(tmp_path):
    """The argument check reads each function's source without importing it: finding the
    file through importlib imported its parent packages, and labelwright.end_model's import
    spaCy and torch, so ``train_run`` was called with torch no longer hideable."""
    code = ("import sys, labelwright\n"
            "from labelwright import _CALLS\n"
            "for name in sorted(_CALLS):\n"
            "    try:\n"
            "        getattr(labelwright, name)(no_such_keyword=1)\n"
            "    except TypeError as exc:\n"
            "        print(str(exc).split(';')[0])\n"
            "print(sorted(m for m in ('spacy', 'torch', 'thinc', *(m for m, _ in "
            "_CALLS.values())) if m in sys.modules))\n")
    import labelwright

    out = _lines_of_a_fresh_python(code, tmp_path)
    assert len(out) == len(labelwright._CALLS) + 1
    # a TypeError from the check for each (a missing required argument comes first)
    assert [line.split("(")[0] for line in out[:-1]] == sorted(labelwright._CALLS)
    assert all("unexpected keyword argument 'no_such_keyword'" in line
               or "missing a required argument" in line for line in out[:-1])
    assert out[-1] == "[]"


def test_the_stand_ins_read_each_functions_own_parameters():
    """The arguments are checked against the parameters read from each module's source
    (importing it would import spaCy): they are the function's, kinds and order."""
    import importlib
    import inspect

    import labelwright
    from labelwright.startup import _source_signature

    for name, (module, _) in labelwright._CALLS.items():
        real = inspect.signature(getattr(importlib.import_module(module), name))
        read = _source_signature(module, name)
        assert read is not None, name
        assert [(p.name, p.kind, p.default is p.empty) for p in read.parameters.values()] == [
            (p.name, p.kind, p.default is p.empty) for p in real.parameters.values()], name


def test_help_shows_each_stand_ins_parameters_before_the_first_call(tmp_path):
    """help(labelwright.load_project) showed ``(*args, **kwargs)`` until the function had
    been called once; it shows the parameters (defaults and hints as written) and the
    function's own docstring from the start, still importing neither spaCy nor torch."""
    code = ("import inspect, pydoc, sys, labelwright\n"
            "from labelwright import _CALLS\n"
            "for name in sorted(_CALLS):\n"
            "    print(name, inspect.signature(getattr(labelwright, name)))\n"
            "print('DOC', 'Read the config' in pydoc.render_doc(labelwright.load_project))\n"
            "print(sorted(m for m in ('spacy', 'torch', 'thinc', *(m for m, _ in "
            "_CALLS.values())) if m in sys.modules))\n")

    out = _lines_of_a_fresh_python(code, tmp_path)
    shown = dict(line.split(" ", 1) for line in out[:-2])
    assert shown["load_project"] == ("(path: str | Path = '.', *, "
                                     "data: str | Path | None = None, "
                                     "caches: bool = True) -> Project")
    assert all("*args" not in signature for signature in shown.values())
    assert "seed: int | None = None" in shown["train_run"]
    assert out[-2] == "DOC True"
    assert out[-1] == "[]"


def test_every_module_is_an_attribute_of_the_package_imported_when_named(tmp_path):
    """After a plain `import labelwright`, labelwright.runs, .models, .nlp, .review, ...
    were AttributeErrors (only config and lfs, which the package imports itself, worked),
    though the README writes `labelwright.runs.resolve_run(...)`. Each is now imported when
    first named, so the import itself stays as light as before."""
    named = {"runs": "resolve_run", "models": "load_model", "review": "review_decisions",
             "data": "dataset_from_frame", "matrix": "LabelMatrix",
             "triage": "random_sample", "project": "project_reviews",
             "scaffold": "init_project", "report": "rebuild_report",
             "glossaries": "glossary_from_dict", "bench": "wrench", "nlp": "load_pipeline",
             "config": "NLPConfig"}
    heavy = ("spacy", "torch", "thinc", "pandas", "sklearn")
    code = ("import sys, labelwright\n"
            f"named, heavy = {named!r}, {heavy!r}\n"
            "print(sorted(m for m in (*heavy, *(f'labelwright.{p}' for p in named))\n"
            "             if m in sys.modules))\n"
            "for module, name in named.items():\n"
            "    found = getattr(getattr(labelwright, module), name)\n"
            "    print(module, getattr(found, '__module__', found.__name__))\n"
            "print('explain_item' in dir(labelwright), 'runs' in dir(labelwright))\n")
    out = _lines_of_a_fresh_python(code, tmp_path)
    # nothing heavy, and none of the modules but config (imported with the LF decorator)
    assert out[0] == "['labelwright.config']"
    found = dict(line.split(" ", 1) for line in out[1:-1])
    assert found.keys() == named.keys()
    assert all(where.startswith(f"labelwright.{module}") for module, where in found.items())
    assert out[-1] == "True True"


def test_the_lazy_modules_are_the_packages_own():
    """The names looked up as modules are the package's modules, all of them: a new
    folder or module is an attribute too, and a removed one no longer listed."""
    import pkgutil

    import labelwright

    modules = {m.name for m in pkgutil.iter_modules(labelwright.__path__)} - {"__main__"}
    assert labelwright._modules() == modules
    assert not labelwright._modules() & {*labelwright._LAZY, *labelwright._CALLS}
    with pytest.raises(AttributeError, match="no attribute 'rnus'"):
        labelwright.rnus  # noqa: B018


def _lines_of_a_fresh_python(code: str, folder: Path) -> list[str]:
    """The lines ``code`` prints in a new Python process run in ``folder``, importing this
    labelwright (the one the tests import) from any folder."""
    import labelwright

    here = str(Path(labelwright.__file__).parents[1])
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, cwd=folder,
                          env={**os.environ, "PYTHONPATH": here}).stdout.splitlines()
