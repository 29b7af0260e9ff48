"""A label model of the user's own, named in labelwright.toml as ``module:Class`` and
found in the project folder: a model registered in a Python session could not be named
for a CLI run (each run is a new process)."""

from __future__ import annotations

import hashlib
import importlib.util
import inspect
import itertools
import json
import os
import re
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from labelwright.models import load_model
from labelwright.models.module_models import model_from_module
from labelwright.models.registry import _REGISTRY
from model_modules import MODEL_MODULE

_numbers = itertools.count()


@pytest.fixture
def module_name():
    """A module name of its own per test (Python keeps imported modules by name)."""
    name = f"lw_test_models_{next(_numbers)}"
    yield name
    for key in [k for k, v in _REGISTRY.items() if getattr(v, "__module__", "") == name]:
        del _REGISTRY[key]


def project_with_model(make_project, module_name: str, name: str = "", *,
                       source: str | None = None):
    own = f"{module_name}_vote"
    root = make_project(model=name or f"{module_name}:AccuracyVote")
    text = source if source is not None else MODEL_MODULE.format(name=own)
    (root / f"{module_name}.py").write_text(textwrap.dedent(text), encoding="utf-8")
    return root, own


def test_a_cli_run_fits_the_class_the_config_names(make_project, cli, module_name):
    root, own = project_with_model(make_project, module_name)
    code, out = cli("run", "-p", str(root))
    assert code == 0, out
    run_dir = next(p for p in (root / "runs").iterdir() if (p / "manifest.json").is_file())
    manifest = json.loads((run_dir / "manifest.json").read_text())
    assert manifest["label_model"]["name"] == f"{module_name}:AccuracyVote"
    assert manifest["label_model"]["class"] == "AccuracyVote"
    saved = json.loads((run_dir / "label_model.json").read_text())
    assert saved["model"] == own and "acc_" in saved["learned"]
    model = load_model(run_dir / "label_model.json")  # registered by the run
    assert type(model).__name__ == "AccuracyVote" and model.acc_.shape == (model.n_lfs_,)
    # its code is recorded and kept as an LF module's is
    module_file = root / f"{module_name}.py"
    source = manifest["label_model"]["source"]
    assert source == {"module": module_name, "class": "AccuracyVote",
                      "path": f"{module_name}.py",
                      "sha256": hashlib.sha256(module_file.read_bytes()).hexdigest()}
    kept = run_dir / "sources" / f"{module_name}.py"
    assert kept.read_bytes() == module_file.read_bytes()
    assert any(e.get("copy") == f"sources/{module_name}.py"
               and e.get("kind") == "label model module"
               for e in manifest["sources"]["files"]), manifest["sources"]
    code, out = cli("runs", "verify", "-p", str(root))
    assert code == 0 and "problem" not in out, out


def test_a_built_in_models_manifest_has_no_source_record(make_project, cli):
    root = make_project(model="majority")
    code, out = cli("run", "-p", str(root))
    assert code == 0, out
    run_dir = next(p for p in (root / "runs").iterdir() if (p / "manifest.json").is_file())
    assert "source" not in json.loads((run_dir / "manifest.json").read_text())["label_model"]


def test_the_module_is_read_again_when_edited(make_project, module_name):
    root, own = project_with_model(make_project, module_name)
    first = model_from_module(f"{module_name}:AccuracyVote", root)
    path = root / f"{module_name}.py"
    path.write_text(path.read_text().replace("+ 1) / (voted", "+ 2) / (voted"))
    second = model_from_module(f"{module_name}:AccuracyVote", root)
    assert first is not second and _REGISTRY[own] is second
    votes = np.array([[0, 0, 1], [1, -1, 1], [0, 1, -1]])
    assert not np.allclose(first(2).fit(votes).acc_, second(2).fit(votes).acc_)


def test_another_folder_with_the_same_files_shares_the_import_only_when_asked(
        make_project, module_name, tmp_path):
    """``shared_by_content`` (runs verify's kept sources, one folder per run) takes a
    module from another folder's import of the same bytes; without it, every folder's
    module is its own (its path is the one a run records)."""
    import shutil

    from labelwright.models.project_modules import shared_by_content

    root, _ = project_with_model(make_project, module_name)
    first = model_from_module(f"{module_name}:AccuracyVote", root)
    copy = tmp_path / "copy"
    copy.mkdir()
    shutil.copyfile(root / f"{module_name}.py", copy / f"{module_name}.py")
    with shared_by_content():
        assert model_from_module(f"{module_name}:AccuracyVote", copy) is first
    own = model_from_module(f"{module_name}:AccuracyVote", copy)
    assert own is not first
    assert Path(sys.modules[own.__module__].__file__).parent == copy.resolve()
    edited = tmp_path / "edited"
    edited.mkdir()
    (edited / f"{module_name}.py").write_text(
        (root / f"{module_name}.py").read_text() + "# edited\n")
    with shared_by_content():
        other = model_from_module(f"{module_name}:AccuracyVote", edited)
    assert other is not first and other is not own


@pytest.mark.parametrize(("name", "source", "says"), [
    ("{m}_missing:AccuracyVote", None,
     r"\[label_model\] name: no module '{m}_missing' for '{m}_missing:AccuracyVote': not in "
     r"the project folder \(.*{m}_missing\.py\) nor installed; registered label models: "
     r"auto, dawid_skene, default, majority"),
    ("{m}:Nope", None, r"module {m} \(.*{m}\.py\) has no 'Nope'; its label models: "
                       r"AccuracyVote"),
    ("{m}:AccuracyVot", None, r"has no 'AccuracyVot'; did you mean 'AccuracyVote'\? its "
                              r"label models: AccuracyVote"),
    ("{m}:helper", None, r"{m}:helper is a function, not a LabelModel subclass"),
    ("{m}:", None, r"'{m}:' is not module:Class"),
    ("{m}:AccuracyVote", "import numpy\nx = 1\nraise RuntimeError('no data here')\n",
     r"importing {m} for '{m}:AccuracyVote' failed: RuntimeError: no data here \({m}\.py:3\)"),
    ("{m}:AccuracyVote", MODEL_MODULE.replace('"{name}"', '"majority"'),
     r"its name 'majority' is already the label model labelwright\.models\.majority\."
     r"MajorityVote; give the class a name of its own"),
    ("{m}:AccuracyVote", MODEL_MODULE.replace('    name = "{name}"\n', ""),
     r"the class sets no name; give it one"),
])
def test_a_wrong_module_model_is_a_config_error_naming_the_line(make_project, cli,
                                                                module_name, name, source,
                                                                says):
    named = name.format(m=module_name)
    root, _ = project_with_model(make_project, module_name, named, source=source)
    code, out = cli("check", "-p", str(root))
    assert code != 0
    assert "labelwright.toml:" in out and "Traceback" not in out
    assert re.search(says.format(m=module_name), out), out


def test_the_readme_example_model_fits_saves_and_loads(make_project, module_name, tmp_path):
    """README's "Your own label model" example, as written, is such a module."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Your own label model\n", 1)[1].split("\n### ", 1)[0]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    assert 'name = "accuracy_vote"' in code
    source = code.replace('name = "accuracy_vote"', f'name = "{module_name}_vote"')
    root, _ = project_with_model(make_project, module_name, source=source)
    cls = model_from_module(f"{module_name}:AccuracyVote", root)
    votes = np.array([[0, 1, -1], [1, 1, 0], [-1, -1, -1], [0, 0, 1]] * 5)
    model = cls(2, alpha=2.0).fit(votes)
    model.save(tmp_path / "model.json")
    loaded = load_model(tmp_path / "model.json")
    np.testing.assert_array_equal(loaded.predict_proba(votes), model.predict_proba(votes))
    assert loaded.alpha == 2.0 and loaded.acc_.shape == (3,)


def test_a_project_module_named_like_an_imported_one_is_refused_and_replaces_nothing(
        make_project, module_name):
    """``statistics.py`` in the project folder had been imported in place of the standard
    library's, for the whole process (``import statistics`` gave the project's file)."""
    import statistics

    root, _ = project_with_model(make_project, module_name)
    (root / "statistics.py").write_text(MODEL_MODULE.format(name=f"{module_name}_stats"))
    with pytest.raises(ValueError, match=r"the project folder's statistics\.py has the name "
                                         r"of the module statistics Python imports from "
                                         r"elsewhere \(.*statistics\.py\); rename"):
        model_from_module("statistics:AccuracyVote", root)
    assert sys.modules["statistics"] is statistics and hasattr(sys.modules["statistics"], "mean")


def test_a_stale_compiled_copy_is_not_run_and_helpers_are_read_afresh(make_project,
                                                                      module_name):
    """Python runs ``__pycache__`` while a file's size and second-rounded time match it: an
    edit of the same size with its time put back had run the old code while the run
    recorded the new file's sha256; a helper the module imports from the project folder
    had kept its first code for the process."""
    root, own = project_with_model(make_project, module_name, source=(
        "from {m}_words import SCALE\n" + MODEL_MODULE.format(name="{own}")).format(
            m=module_name, own=f"{module_name}_vote"))
    helper = root / f"{module_name}_words.py"
    helper.write_text("SCALE = 1\n")
    path = root / f"{module_name}.py"
    sys.dont_write_bytecode, before = False, sys.dont_write_bytecode
    try:
        import py_compile

        py_compile.compile(str(path), cfile=importlib.util.cache_from_source(str(path)))
        stat = path.stat()
        path.write_text(path.read_text().replace("+ 1) / (voted", "+ 7) / (voted"))
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    finally:
        sys.dont_write_bytecode = before
    cls = model_from_module(f"{module_name}:AccuracyVote", root)
    assert "+ 7) / (voted" in inspect.getsource(cls._fit)
    votes = np.array([[0, 0, 1]])
    assert cls(2).fit(votes).acc_[0] == pytest.approx((1 + 7) / (1 + 2))
    assert sys.modules[module_name].SCALE == 1
    helper.write_text("SCALE = 2\n")
    model_from_module(f"{module_name}:AccuracyVote", root)
    assert sys.modules[module_name].SCALE == 2


def test_the_module_runs_once_while_its_files_stay(make_project, module_name):
    root, _ = project_with_model(make_project, module_name)
    path = root / f"{module_name}.py"
    path.write_text("import pathlib\nwith open(pathlib.Path(__file__).with_suffix('.runs'), "
                    "'a') as f:\n    f.write('x')\n" + path.read_text())
    first = model_from_module(f"{module_name}:AccuracyVote", root)
    assert model_from_module(f"{module_name}:AccuracyVote", root) is first
    assert path.with_suffix(".runs").read_text() == "x"
    path.write_text(path.read_text() + "\n# edited\n")
    assert model_from_module(f"{module_name}:AccuracyVote", root) is not first
    assert path.with_suffix(".runs").read_text() == "xx"


@pytest.mark.parametrize(("source", "says"), [
    # raised in a library the module called: the module's line, not json's
    ("import json\nfrom labelwright.models import LabelModel\ncfg = json.loads('{{bad')\n",
     r"failed: JSONDecodeError: .* \({m}\.py:3\)"),
    # a missing module whose name begins the module's own: not the module itself
    ("import lw_test_models\n", r"failed: No module named 'lw_test_models' \({m}\.py:1\)"),
])
def test_an_import_error_names_the_projects_line(make_project, module_name, source, says):
    root, _ = project_with_model(make_project, module_name,
                                 source=source.format(m=module_name))
    with pytest.raises(ValueError, match=says.format(m=module_name)):
        model_from_module(f"{module_name}:AccuracyVote", root)


def test_two_projects_with_a_module_of_one_name_each_get_their_own(tmp_path, module_name):
    """A notebook loading two projects, each with ``my_models.py``: each reads its own
    (the first is no module "from elsewhere" the second clashes with)."""
    roots = [tmp_path / "a", tmp_path / "b"]
    for i, root in enumerate(roots):
        root.mkdir()
        (root / f"{module_name}.py").write_text(
            MODEL_MODULE.format(name=f"{module_name}_vote") + f"\nWHICH = {i}\n")
    for i in (0, 1, 0):
        model_from_module(f"{module_name}:AccuracyVote", roots[i])
        assert sys.modules[module_name].WHICH == i


#: MODEL_MODULE's AccuracyVote with a float setting, alpha
MODEL_WITH_ALPHA = MODEL_MODULE.replace("    def _fit(", """\
    def __init__(self, cardinality=2, *, random_state=0, tie_break="random",
                 alpha=1.0):
        super().__init__(cardinality, random_state=random_state,
                         tie_break=tie_break)
        self.alpha = alpha

    def _fit(""", 1)


@pytest.mark.parametrize("setting", ['alpha = "x"', 'params = { alpha = true }'])
def test_a_setting_of_the_wrong_type_is_a_check_error_at_its_line(make_project, cli,
                                                                   module_name, setting):
    """alpha = "x" for a float had passed check (the config is read before the module is
    imported) and the run failed inside numpy."""
    root, _ = project_with_model(make_project, module_name,
                                 source=MODEL_WITH_ALPHA.format(name=f"{module_name}_vote"))
    config = root / "labelwright.toml"
    config.write_text(config.read_text().replace(
        f'name = "{module_name}:AccuracyVote"',
        f'name = "{module_name}:AccuracyVote"\n{setting}'))
    line = config.read_text().splitlines().index(setting) + 1
    for command in ("check", "run"):
        code, out = cli(command, "-p", str(root))
        assert code == 1, out
        assert (f"labelwright.toml:{line}: [label_model] alpha (a setting of the "
                f"'{module_name}:AccuracyVote' model) must be") in " ".join(out.split())


def test_an_exception_in_the_model_s_fit_is_said_as_the_model_s_at_the_cli(
        make_project, cli, module_name):
    """A run whose model raised in _fit ended in a traceback through labelwright's code."""
    source = MODEL_MODULE.replace("        self.acc_ = ", "        dict()[L.shape]\n"
                                  "        self.acc_ = ", 1)
    root, own = project_with_model(make_project, module_name,
                                   source=source.format(name=f"{module_name}_vote"))
    code, out = cli("run", "-p", str(root))
    assert code == 1, out
    said = " ".join(out.split())
    assert (f"error: label model '{own}' ({module_name}.AccuracyVote) failed in _fit, at "
            f"{root / (module_name + '.py')} line ") in said, out
    assert ": KeyError: " in said and "Traceback" not in out
