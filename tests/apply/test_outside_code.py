"""A module of the project folder outside the LF folder that an LF module imports: no
manifest recorded it, no run kept it, and after an edit a run read every vote back from the
vote cache, all in silence."""

from __future__ import annotations

import sys

from labelwright.project import run_project
from labelwright.project.check import check_project
from labelwright.runs.store import read_manifest

IMPORTER = '''
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import {name}  # noqa: E402

from labelwright import ABSTAIN, labeling_function


@labeling_function()
def refund_words(item):
    return "billing" if any(w in item.text for w in {name}.WORDS) else ABSTAIN
'''


def test_a_run_warns_of_project_code_outside_the_lf_folder(make_project, monkeypatch):
    name = "outside_rules_w48"  # a module name no other test imports
    monkeypatch.delitem(sys.modules, name, raising=False)
    root = make_project(lfs={"rules": IMPORTER.format(name=name)})
    (root / f"{name}.py").write_text('WORDS = ("refund",)\n', encoding="utf-8")
    try:
        result = run_project(root, report=False)
    finally:
        sys.modules.pop(name, None)
        sys.path[:] = [p for p in sys.path if p != str(root.resolve())]
    said = [w for w in result.warnings if f"imports {name} ({name}.py)" in w]
    assert len(said) == 1, result.warnings
    assert said[0].startswith("labeling_functions/rules.py imports")
    assert "the manifest does not record it" in said[0]
    assert said in [[w for w in read_manifest(result.run_dir)["run_warnings"] if name in w]]


def test_a_project_without_such_imports_has_no_such_warning(make_project):
    result = run_project(make_project(), report=False)
    assert not [w for w in result.warnings if "a module of the project folder" in w]


def test_check_gives_the_runs_warning_of_project_code_outside_the_lf_folder(make_project,
                                                                              monkeypatch):
    name = "outside_rules_o37"  # a module name no other test imports
    monkeypatch.delitem(sys.modules, name, raising=False)
    root = make_project(lfs={"rules": IMPORTER.format(name=name)})
    (root / f"{name}.py").write_text('WORDS = ("refund",)\n', encoding="utf-8")
    try:
        checked = check_project(root)  # first: check alone imports the module
        result = run_project(root, report=False)
    finally:
        sys.modules.pop(name, None)
        sys.path[:] = [p for p in sys.path if p != str(root.resolve())]
    assert checked.ok, checked.problems
    said = [w for w in checked.warnings if f"imports {name} ({name}.py)" in w]
    assert said and said == [w for w in result.warnings if name in w]
