"""``runs diff`` between a run of ``auto`` and one of a model named in the config compares
the model auto chose with the named one: it had compared auto's own settings with the named
model's (``max_iter None -> 100``) and left out the change that mattered."""

from __future__ import annotations

from labelwright.project import run_project
from labelwright.runs.diff.lines import chosen_vs_named
from labelwright.runs.diff.settings import model_change
from labelwright.runs.store import read_manifest


def _named(root, text):
    path = root / "labelwright.toml"
    path.write_text(path.read_text(encoding="utf-8").replace('name = "auto"', text),
                    encoding="utf-8")


def test_auto_then_the_model_it_chose_compares_their_settings(make_project, cli):
    root = make_project(model="auto")
    first = run_project(root, report=False)
    chosen = read_manifest(first.run_dir)["label_model"]["chosen"]
    assert chosen["model"] == "dawid_skene"
    assert chosen["all_params"]["prior_strength"] == 10.0  # its default, recorded
    _named(root, 'name = "dawid_skene"\nprior_strength = 20.0')
    second = run_project(root, report=False)
    named = read_manifest(second.run_dir)["label_model"]["params"]
    assert set(chosen["all_params"]) == set(named)  # every setting, not auto's three
    code, out = cli("runs", "diff", "-p", str(root))
    assert code == 0, out
    assert ("label model: auto -> dawid_skene (auto chose dawid_skene); settings changed "
            "from the model auto chose: prior_strength 10.0 -> 20.0") in out, out
    assert "max_iter" not in out, out
    code, out = cli("runs", "diff", second.run_id, first.run_id, "-p", str(root))
    assert ("label model: dawid_skene -> auto (auto chose dawid_skene); settings changed "
            "to the model auto chose: prior_strength 20.0 -> 10.0") in out, out


def _manifest(name, params, chosen=None):
    return {"label_model": {"name": name, "class": "X", "params": params, "chosen": chosen},
            "seed": 0}


def test_an_older_auto_run_compares_the_settings_it_recorded():
    older = _manifest("auto", {"max_iter": None, "n_splits": 5},
                      {"model": "dawid_skene", "params": {"abstain": "fit_only"}})
    named = _manifest("dawid_skene", {"abstain": "informative", "max_iter": 100,
                                      "prior_strength": 20.0})
    change = model_change(older, named)
    assert change is not None
    line = chosen_vs_named(change["a"], change["b"])
    assert line == ("label model: auto -> dawid_skene (auto chose dawid_skene); of the "
                    "settings of the model auto chose the auto run recorded (abstain; an "
                    "earlier labelwright recorded no others), changed: abstain fit_only -> "
                    "informative")


def test_another_model_than_the_one_auto_chose_is_not_compared_setting_by_setting():
    auto = _manifest("auto", {"max_iter": None},
                     {"model": "majority", "params": {}, "all_params": {"tie_break": "first"}})
    named = _manifest("dawid_skene", {"max_iter": 100, "tie_break": "random"})
    change = model_change(auto, named)
    assert chosen_vs_named(change["a"], change["b"]) == (
        "label model: auto -> dawid_skene (auto chose majority)")


def test_two_auto_runs_keep_comparing_autos_own_settings():
    """The choice is the "auto chose" line's: two auto runs' specs carry none."""
    a = _manifest("auto", {"n_splits": 5}, {"model": "dawid_skene", "params": {},
                                            "all_params": {"prior_strength": 10.0}})
    b = _manifest("auto", {"n_splits": 5}, {"model": "dawid_skene", "params": {},
                                            "all_params": {"prior_strength": 20.0}})
    assert model_change(a, b) is None
