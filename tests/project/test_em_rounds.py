"""EM cut short by max_iter: one of the run's warnings (not a stray log line), with advice a
project can follow, under ``auto`` too (it passes ``max_iter`` to every dawid_skene)."""

from __future__ import annotations

import json
import logging

import numpy as np

from labelwright.models import AutoLabelModel, DawidSkene
from labelwright.project import run_project


def _with_max_iter(root, rounds: int) -> None:
    toml = root / "labelwright.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace(
        'name = "auto"', f'name = "auto"\nmax_iter = {rounds}'), encoding="utf-8")


def test_em_cut_short_is_a_run_warning_that_names_the_setting(make_project, caplog):
    root = make_project(model="auto")
    _with_max_iter(root, 1)
    with caplog.at_level(logging.WARNING):
        result = run_project(root, report=False)
    (warning,) = [w for w in result.warnings if "stopped EM" in w]
    assert warning.startswith("the label model (dawid_skene) stopped EM at max_iter = 1 "
                              "rounds before it converged")
    assert warning.endswith("write max_iter = 5 under [label_model], or from Python pass "
                            "max_iter=5 to the model (auto passes it to every dawid_skene it "
                            "fits)")
    manifest = json.loads((result.run_dir / "manifest.json").read_text(encoding="utf-8"))
    assert warning in manifest["run_warnings"]
    assert not [r for r in caplog.records if "max_iter" in r.getMessage()]


def test_following_the_advice_gives_em_its_rounds(make_project):
    root = make_project(model="auto")
    _with_max_iter(root, 500)
    result = run_project(root, report=False)
    assert result.model.model_.max_iter == 500
    assert not [w for w in result.warnings if "stopped EM" in w]


def test_auto_passes_max_iter_to_every_dawid_skene_unless_a_candidate_sets_it():
    L = np.array([[0, 0, -1], [1, 1, 1], [0, -1, 0], [1, 0, 1]] * 10)
    y = np.array([0, 1, 0, 1] * 10)
    model = AutoLabelModel(2, max_iter=7, candidates=[["dawid_skene", {}],
                                                      ["dawid_skene", {"max_iter": 3}]])
    made = [model._make(name, params) for name, params in model.candidates]
    assert [m.max_iter for m in made] == [7, 3]
    model.fit(L, y_dev=y)
    assert isinstance(model.model_, DawidSkene) and model.model_.max_iter in (7, 3)
