"""The models bench wrench takes: what a project's [label_model] name takes (module:Class
too), with settings written after the name."""

from __future__ import annotations

import itertools
import json

import pytest
from typer.testing import CliRunner

from labelwright.bench import evaluate, load_wrench, run_wrench
from labelwright.bench.model_specs import model_spec
from labelwright.cli.bench import bench_app
from labelwright.models import UnknownModelError
from labelwright.models.registry import _REGISTRY
from model_modules import MODEL_MODULE
from wrench_toy import write_wrench

_numbers = itertools.count()


@pytest.fixture
def module_name():
    """A module name of its own per test, its classes unregistered after."""
    name = f"lw_bench_models_{next(_numbers)}"
    yield name
    for key in [k for k, v in _REGISTRY.items() if getattr(v, "__module__", "") == name]:
        del _REGISTRY[key]


@pytest.mark.parametrize("text, name, params", [
    ("majority", "majority", {}),
    ("dawid_skene:monotone=False", "dawid_skene", {"monotone": False}),
    ("dawid_skene(monotone=false, prior_strength=5)", "dawid_skene",
     {"monotone": False, "prior_strength": 5}),
    # as the bench prints auto's choice: True and bare words
    ("dawid_skene(abstain=informative, learn_class_balance=True, prior_strength=10.0)",
     "dawid_skene", {"abstain": "informative", "learn_class_balance": True,
                     "prior_strength": 10.0}),
    ('snorkel(prec_init=[0.7, 0.8, 0.7, 0.9], optimizer="adam")', "snorkel",
     {"prec_init": [0.7, 0.8, 0.7, 0.9], "optimizer": "adam"}),
])
def test_a_spec_gives_the_model_and_its_settings(text, name, params):
    spec = model_spec(text)
    assert (spec.name, spec.params, spec.label) == (name, params, text)


@pytest.mark.parametrize("text, error, said", [
    ("dawid", UnknownModelError, r"unknown label model 'dawid'; did you mean 'dawid_skene'"),
    ("dawid_skene(monotne=False)", ValueError, r"did you mean 'monotone'\? valid: "),
    ("dawid_skene(monotone)", ValueError, r"'monotone' is not key=value"),
    ("dawid_skene(tol=1, tol=2)", ValueError, r"tol is given twice"),
    ("dawid_skene(prior_strength=-1)", ValueError, r"prior_strength must be >= 0, got -1"),
    ("nowhere_at_all:Model", ValueError, r"no module 'nowhere_at_all'"),
    # Python's dotted name for a class, and settings after a second colon
    ("agree_vote.AgreeVote", UnknownModelError,
     r"unknown label model 'agree_vote.AgreeVote'; did you mean 'agree_vote:AgreeVote'\? "
     r"\(a class of your own is module:Class\) available: "),
    ("agree_vote:AgreeVote:alpha=5", ValueError,
     r"a module:Class model takes its settings in brackets: 'agree_vote:AgreeVote\(alpha=5\)'"),
])
def test_a_wrong_spec_says_what_is_valid(text, error, said):
    with pytest.raises(error, match=said):
        model_spec(text)


def test_a_class_of_ones_own_is_benchmarked_with_its_settings(tmp_path, monkeypatch,
                                                              module_name):
    (tmp_path / f"{module_name}.py").write_text(MODEL_MODULE.format(name=f"{module_name}_v"))
    folder = write_wrench(tmp_path / "toy")
    monkeypatch.chdir(tmp_path)
    given = f"{module_name}:AccuracyVote"
    result = CliRunner().invoke(bench_app, ["wrench", "toy", "--json", "-m", given, "-m",
                                            "majority(tie_break=first)"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["model"] for line in lines] == [given, "majority(tie_break=first)"] * 2
    ds = load_wrench(folder)
    first = evaluate(ds, "majority", "none", params={"tie_break": "first"})
    assert lines[1]["accuracy"] == first.accuracy


def test_run_wrench_takes_specs_and_params_by_model(tmp_path):
    folder = write_wrench(tmp_path / "toy")
    records, _ = run_wrench([folder], models=("majority", "dawid_skene(monotone=false)"),
                            golds=("none",), params={"majority": {"tie_break": "first"}})
    assert [r.model for r in records] == ["majority", "dawid_skene(monotone=false)"]
    assert records[0].accuracy == evaluate(load_wrench(folder), "majority", "none",
                                           params={"tie_break": "first"}).accuracy
    with pytest.raises(ValueError, match=r"params for 'snorkel', which models does not hold"):
        run_wrench([folder], models=("majority",), params={"snorkel": {"n_epochs": 5}})
    with pytest.raises(ValueError, match=r"params for 'majority': .*no setting 'n_epochs'"):
        run_wrench([folder], models=("majority",), params={"majority": {"n_epochs": 5}})


def test_only_autos_choice_goes_on_a_line(tmp_path, monkeypatch, module_name):
    """A class of one's own with a chosen_ of its own (here a set, which JSON cannot hold)
    gets no "chosen" key: only auto's choice is the bench's to print."""
    text = MODEL_MODULE.format(name=f"{module_name}_v").replace(
        "        self.acc_ =", "        self.chosen_ = {\"lfs\"}\n        self.acc_ =")
    (tmp_path / f"{module_name}.py").write_text(text)
    write_wrench(tmp_path / "toy")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(bench_app, ["wrench", "toy", "--json", "--no-ranking",
                                            "-m", f"{module_name}:AccuracyVote"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 2 and not any("chosen" in line for line in lines)
