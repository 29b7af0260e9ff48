"""``labelwright run --label-model-from RUN``: a run reads its votes with an earlier run's
fitted label model instead of fitting one (:mod:`labelwright.project.reused_model`), so a
batch of new items cannot move the labels of unchanged ones; refused when the labels or
LFs are not those the model was fit on; ``runs verify --recompute`` reads the same model."""

from __future__ import annotations

import hashlib
import itertools
import json
import shutil
import sys
from pathlib import Path

import pandas as pd
import pytest

from labelwright.errors import RunError
from labelwright.models.registry import _REGISTRY
from labelwright.project import run_project
from labelwright.runs import verify_runs
from labelwright.runs.verify.recompute import recompute_lines

LFS = '''
from labelwright import ABSTAIN, labeling_function


@labeling_function()
def mentions_refund(item):
    return "billing" if "refund" in item.text.lower() else ABSTAIN


@labeling_function()
def crashes(item):
    return "technical" if "crash" in item.text.lower() else ABSTAIN


@labeling_function()
def invoice(item):
    return "billing" if "invoice" in item.text.lower() else ABSTAIN


@labeling_function()
def app(item):
    return "technical" if "app" in item.text.lower() else ABSTAIN
'''

TEXTS = ["refund the invoice %d", "the app crashes %d", "refund, the app crashes %d",
         "invoice for the app %d", "app crash on invoice %d", "refund please %d"]


def _rows(n: int, start: int = 0, texts: list[str] = TEXTS) -> list[dict[str, str]]:
    return [{"id": f"t{i}", "text": texts[i % len(texts)] % i, "gold": ""}
            for i in range(start, start + n)]


def _project(make_project) -> Path:
    return make_project(rows=_rows(60), lfs={"tickets": LFS}, gold=None, model="dawid_skene")


def _add_skewed_batch(root: Path) -> None:
    """A batch where `app` and `invoice` meet: a refit reads the LFs otherwise."""
    frame = pd.read_csv(root / "data" / "items.csv", dtype=str, keep_default_na=False)
    batch = pd.DataFrame(_rows(200, 1000, ["invoice for the app %d", "app invoice %d"]))
    pd.concat([frame, batch]).to_csv(root / "data" / "items.csv", index=False)


def _manifest(run_dir: Path) -> dict:
    return json.loads((run_dir / "manifest.json").read_text("utf-8"))


def test_a_reused_model_labels_unchanged_items_as_before_and_is_recorded(make_project):
    root = _project(make_project)
    first = run_project(root, report=False)
    _add_skewed_batch(root)
    reused = run_project(root, report=False, label_model_from=first.run_id)
    refit = run_project(root, report=False)
    before = pd.read_parquet(first.run_dir / "labels.parquet").set_index("id")
    now = pd.read_parquet(reused.run_dir / "labels.parquet").set_index("id").loc[before.index]
    again = pd.read_parquet(refit.run_dir / "labels.parquet").set_index("id").loc[before.index]
    probs = [c for c in before.columns if c.startswith("prob_")]
    assert (now[probs].to_numpy() == before[probs].to_numpy()).all()
    assert (now["model_label"] == before["model_label"]).all()
    # the refit on the new batch did move them: what the reuse is for
    assert not (again[probs].to_numpy() == before[probs].to_numpy()).all()
    model_file = (first.run_dir / "label_model.json").read_bytes()
    record = _manifest(reused.run_dir)["label_model"]["from_run"]
    assert record == {"run_id": first.run_id, "sha256": hashlib.sha256(model_file).hexdigest(),
                      "fit_by": first.run_id}
    assert (reused.run_dir / "label_model.json").read_bytes() == model_file
    assert _manifest(refit.run_dir)["label_model"]["from_run"] is None
    [check] = verify_runs(root, reused.run_id, recompute=True)
    assert check.ok, check.lines() if hasattr(check, "lines") else check
    assert check.recomputed is not None
    assert check.recomputed.refit.startswith(f"the label model of run {first.run_id}")
    assert any(line.startswith(f"recompute: the label model of run {first.run_id} (reused by "
                               "the run, not refit) gives the run's model labels")
               for line in recompute_lines(check.recomputed))


def test_other_lfs_or_labels_are_refused_before_the_apply(make_project):
    root = _project(make_project)
    first = run_project(root, report=False)
    (root / "labeling_functions" / "more.py").write_text(
        "from labelwright import ABSTAIN, labeling_function\n\n\n@labeling_function()\n"
        "def thanks(item):\n    return 'billing' if 'thanks' in item.text else ABSTAIN\n",
        encoding="utf-8")
    with pytest.raises(RunError, match="fit on 4 LFs .* this run has 5 .*new: thanks"):
        run_project(root, report=False, label_model_from=first.run_id)
    (root / "labeling_functions" / "more.py").unlink()
    toml = root / "labelwright.toml"
    toml.write_text(toml.read_text("utf-8").replace('["billing", "technical"]',
                                                    '["technical", "billing"]'), "utf-8")
    with pytest.raises(RunError, match=r"fit on the labels \['billing', 'technical'\], this "
                                       r"project has \['technical', 'billing'\]"):
        run_project(root, report=False, label_model_from=first.run_id)
    assert len(list((root / "runs").glob("2*"))) == 1  # neither run was written


def test_an_edited_model_file_is_refused_and_not_verified(make_project):
    root = _project(make_project)
    first = run_project(root, report=False)
    reused = run_project(root, report=False, label_model_from=first.run_id)
    path = first.run_dir / "label_model.json"
    doc = json.loads(path.read_text("utf-8"))
    doc["params"]["tie_break"] = "first" if doc["params"]["tie_break"] != "first" else "random"
    path.write_text(json.dumps(doc), "utf-8")
    with pytest.raises(RunError, match="label_model.json: changed since the run wrote it"):
        run_project(root, report=False, label_model_from=first.run_id)
    # the reusing run's own copy is the model it reused: read from there, it verifies
    [check] = verify_runs(root, reused.run_id, recompute=True)
    assert check.ok and check.recomputed is not None
    assert not check.recomputed.refit_note
    # its copy edited too: neither file is the model, so it is not refit
    (reused.run_dir / "label_model.json").write_text(json.dumps(doc), "utf-8")
    [check] = verify_runs(root, reused.run_id, recompute=True)
    assert check.recomputed is not None
    assert "not the" in (check.recomputed.refit_note or "")
    assert "of the model the run reused" in (check.recomputed.refit_note or "")
    # both gone: the message says the run's own copy may be missing, not only another model
    path.unlink()
    (reused.run_dir / "label_model.json").unlink()
    [check] = verify_runs(root, reused.run_id, recompute=True)
    assert check.recomputed is not None
    assert "own label_model.json is missing or not that model" in \
        (check.recomputed.refit_note or "")


def test_an_lf_edited_since_is_warned_of(make_project):
    root = _project(make_project)
    first = run_project(root, report=False)
    module = root / "labeling_functions" / "tickets.py"
    module.write_text(module.read_text("utf-8").replace('"crash" in', '"crashed" in'), "utf-8")
    reused = run_project(root, report=False, label_model_from=first.run_id)
    said = [w for w in reused.warnings if "fit before crashes changed" in w]
    assert len(said) == 1


def test_prune_keeps_the_run_whose_model_a_kept_run_reused(make_project):
    from labelwright.runs.prune import plan_prune

    root = _project(make_project)
    first = run_project(root, report=False)
    run_project(root, report=False)
    reused = run_project(root, report=False, label_model_from=first.run_id)
    plan = plan_prune(root, keep=1)
    assert reused.run_id in plan.kept
    assert plan.kept[first.run_id] == (f"run {reused.run_id} reused its label model "
                                       "(label_model.from_run)")
    assert [folder.run_id for folder in plan.removed] != [] and \
        first.run_id not in [folder.run_id for folder in plan.removed]


OWN_MODEL = '''
import numpy as np
from labelwright.models import LabelModel


class MajorityOwn(LabelModel):
    """Each LF's vote counted once."""

    name = "{name}"

    def _fit(self, L, y_dev, class_balance, rng):
        self.class_balance_ = np.full(self.cardinality, 1 / self.cardinality)

    def _predict_proba(self, L):
        counts = np.stack([(L == c).sum(axis=1) for c in range(self.cardinality)], axis=1)
        return (counts + {smooth}) / (counts + {smooth}).sum(axis=1, keepdims=True)
'''

_own_numbers = itertools.count()


@pytest.fixture
def own_module():
    """A model module name of its own per test (Python keeps imported modules by name);
    its registrations are dropped after, as a new process would not have them."""
    name = f"lw_reuse_models_{next(_own_numbers)}"
    yield name
    _forget(name)


def _forget(module_name: str) -> None:
    for key in [k for k, v in _REGISTRY.items() if getattr(v, "__module__", "") == module_name]:
        del _REGISTRY[key]
    sys.modules.pop(module_name, None)


def _own_model_project(make_project, module_name: str) -> Path:
    root = make_project(rows=_rows(60), lfs={"tickets": LFS}, gold=None,
                        model=f"{module_name}:MajorityOwn")
    (root / f"{module_name}.py").write_text(
        OWN_MODEL.format(name=f"{module_name}_own", smooth=1), encoding="utf-8")
    return root


def test_a_model_module_edited_since_the_fit_is_warned_of(make_project, own_module):
    root = _own_model_project(make_project, own_module)
    first = run_project(root, report=False)
    module = root / f"{own_module}.py"
    then = hashlib.sha256(module.read_bytes()).hexdigest()
    module.write_text(OWN_MODEL.format(name=f"{own_module}_own", smooth=2), encoding="utf-8")
    now = hashlib.sha256(module.read_bytes()).hexdigest()
    reused = run_project(root, report=False, label_model_from=first.run_id)
    said = [w for w in reused.warnings if f"{own_module}.py" in w and "changed" in w]
    assert len(said) == 1, reused.warnings
    assert then[:12] in said[0] and now[:12] in said[0]


def test_a_model_of_the_users_own_is_reused_under_a_built_in_name(make_project, own_module):
    root = _own_model_project(make_project, own_module)
    first = run_project(root, report=False)
    _forget(own_module)  # a new process: the module is not imported yet
    toml = root / "labelwright.toml"
    toml.write_text(toml.read_text("utf-8").replace(f'"{own_module}:MajorityOwn"',
                                                    '"dawid_skene"'), "utf-8")
    reused = run_project(root, report=False, label_model_from=first.run_id)
    before = pd.read_parquet(first.run_dir / "labels.parquet")
    now = pd.read_parquet(reused.run_dir / "labels.parquet")
    assert (now["model_label"] == before["model_label"]).all()
    assert any("'dawid_skene' is not used" in w for w in reused.warnings)


def test_a_reuse_of_a_reuse_compares_with_the_run_that_fit_the_model(make_project):
    root = _project(make_project)
    first = run_project(root, report=False)
    second = run_project(root, report=False, label_model_from=first.run_id)
    assert _manifest(second.run_dir)["label_model"]["from_run"]["fit_by"] == first.run_id
    module = root / "labeling_functions" / "tickets.py"
    module.write_text(module.read_text("utf-8").replace('"crash" in', '"crashed" in'), "utf-8")
    third = run_project(root, report=False, label_model_from=second.run_id)
    assert _manifest(third.run_dir)["label_model"]["from_run"]["fit_by"] == first.run_id
    fourth = run_project(root, report=False, label_model_from=third.run_id)
    said = [w for w in fourth.warnings if "fit before crashes changed" in w]
    assert len(said) == 1 and f"fit by run {first.run_id}" in said[0], fourth.warnings
    # the run that fit it gone: said, not a crash
    shutil.rmtree(first.run_dir)
    fifth = run_project(root, report=False, label_model_from=third.run_id)
    assert any(f"run {first.run_id}, which fit" in w and "gone" in w
               for w in fifth.warnings), fifth.warnings
    # ... and the LFs are compared with the run named, which the record names in its place
    assert _manifest(fifth.run_dir)["label_model"]["from_run"]["fit_by"] == third.run_id
    # (crashes changed before it: no warning)
    assert not any("fit before crashes changed" in w for w in fifth.warnings)
    module.write_text(module.read_text("utf-8").replace('"app" in', '"apps" in'), "utf-8")
    sixth = run_project(root, report=False, label_model_from=third.run_id)
    said = [w for w in sixth.warnings if "fit before app changed" in w]
    assert len(said) == 1 and f"fit by run {third.run_id}" in said[0], sixth.warnings


def test_a_reused_model_is_named_as_fit_whatever_the_config_names(make_project):
    """The summary and manifest said the config's name beside the reused model's class, and
    `runs verify --recompute` then took the manifest for edited."""
    root = _project(make_project)
    first = run_project(root, report=False)
    toml = root / "labelwright.toml"
    toml.write_text(toml.read_text("utf-8").replace('"dawid_skene"', '"majority"'), "utf-8")
    reused = run_project(root, report=False, label_model_from=first.run_id)
    recorded = _manifest(reused.run_dir)["label_model"]
    assert reused.model_name == recorded["name"] == _manifest(first.run_dir)["label_model"]["name"]
    assert recorded["name"] != "majority" and recorded["configured_name"] == "majority"
    [check] = verify_runs(root, reused.run_id, recompute=True)
    assert check.ok, check.lines() if hasattr(check, "lines") else check


def test_prune_keeps_the_run_that_fit_a_chains_model_not_the_runs_between(make_project):
    """A nightly reuse of the night before's run chained every run to the next, and prune
    kept them all; verify reads the model from the run's own copy, and a later reuse
    compares with the run that fit it (fit_by), so only that run need stay."""
    from labelwright.runs.prune import prune_runs

    root = _project(make_project)
    first = run_project(root, report=False)
    second = run_project(root, report=False, label_model_from=first.run_id)
    third = run_project(root, report=False, label_model_from=second.run_id)
    pruned = prune_runs(root, keep=1, caches=False)
    assert [folder.run_id for folder in pruned.removed] == [second.run_id]
    assert pruned.kept[first.run_id] == (f"run {third.run_id} reused its label model "
                                         "(label_model.from_run)")
    [check] = verify_runs(root, third.run_id, recompute=True)
    assert check.ok, check.lines() if hasattr(check, "lines") else check
    assert check.recomputed is not None and not check.recomputed.refit_note
    assert check.recomputed.refit.startswith(f"the label model of run {second.run_id}")


def _as_another_version_wrote_it(run_dir: Path) -> None:
    """The run's ``label_model.json`` as a labelwright whose save formats otherwise wrote
    it (the same model, other bytes), its manifest's hash of it to match."""
    path = run_dir / "label_model.json"
    path.write_text(json.dumps(json.loads(path.read_text("utf-8")), indent=1), "utf-8")
    manifest = _manifest(run_dir)
    manifest["outputs"]["label_model.json"] = hashlib.sha256(path.read_bytes()).hexdigest()
    (run_dir / "manifest.json").write_text(json.dumps(manifest, indent=2), "utf-8")


def test_prune_keeps_the_run_named_when_the_runs_own_copy_is_not_its_file(make_project):
    """A reusing run whose own copy is not the file it reused (written by another version,
    or missing) is verified from the run it names; prune removed that run, and verify
    --recompute then said "not refit" for a run it had checked before."""
    from labelwright.runs.prune import prune_runs

    root = _project(make_project)
    first = run_project(root, report=False)
    second = run_project(root, report=False, label_model_from=first.run_id)
    third = run_project(root, report=False, label_model_from=second.run_id)
    _as_another_version_wrote_it(third.run_dir)
    pruned = prune_runs(root, keep=1, caches=False)
    assert pruned.removed == []
    assert pruned.kept[second.run_id] == (
        f"run {third.run_id} reused its label model, and its own label_model.json is not "
        "that file (label_model.from_run)")
    [check] = verify_runs(root, third.run_id, recompute=True)
    assert check.ok, check.lines() if hasattr(check, "lines") else check
    assert check.recomputed is not None and not check.recomputed.refit_note
    assert check.recomputed.refit.startswith(f"the label model of run {second.run_id}")


def test_a_reused_models_copy_is_the_file_it_was_read_from(make_project, monkeypatch):
    """The copy a reusing run keeps is the file byte for byte, so `runs verify --recompute`
    reads it whatever the version that wrote the run saves (one that adds a learned field
    saves other bytes) and `runs prune` need keep no run between."""
    import labelwright.models.saved_model as saved_model

    root = _project(make_project)
    first = run_project(root, report=False)

    class OtherFormat:  # a later version's save: the same model, other bytes
        def __getattr__(self, name):
            return getattr(json, name)

        def dumps(self, doc, **options):
            return json.dumps(doc, indent=1, **options)

    monkeypatch.setattr(saved_model, "json", OtherFormat())
    reused = run_project(root, report=False, label_model_from=first.run_id)
    monkeypatch.undo()
    assert (reused.run_dir / "label_model.json").read_bytes() == \
        (first.run_dir / "label_model.json").read_bytes()


def test_a_reused_model_is_said_to_be_reused_not_fit_in_the_run(make_project, cli):
    """The run warned "stopped EM ... write max_iter" of a model it did not fit, and explain
    and runs show gave auto's choice as this run's; they name the run it came from."""
    root = make_project(model="auto")
    toml = root / "labelwright.toml"
    toml.write_text(toml.read_text("utf-8").replace('name = "auto"',
                                                    'name = "auto"\nmax_iter = 1'), "utf-8")
    first = run_project(root, report=False)
    assert any("stopped EM" in w and "write max_iter" in w for w in first.warnings)
    second = run_project(root, report=False, label_model_from=first.run_id)
    (said,) = [w for w in second.warnings if "stopped EM" in w]
    assert f"reused from run {first.run_id} had stopped EM at max_iter = 1" in said, said
    assert "run without --label-model-from" in said and "write max_iter" not in said
    assert said in _manifest(second.run_dir)["run_warnings"]
    third = run_project(root, report=False, label_model_from=second.run_id)
    code, out = cli("explain", "t1", "--run", third.run_id, "-p", str(root))
    assert code == 0, out
    assert (f"reused from run {second.run_id} (fit by run {first.run_id}), not fit in this "
            "run") in out, out
    assert "auto chose dawid_skene" in out and "when that run fit it" in out, out
    code, out = cli("runs", "show", third.run_id, "-p", str(root))
    assert code == 0, out
    assert f"label model reused from run {second.run_id} (fit by run {first.run_id})" in out
    assert "auto chose (when the run that fit it chose):" in out, out
    code, out = cli("runs", "show", first.run_id, "-p", str(root))
    assert "reused from" not in out and "auto chose: " in out, out


def test_a_glossary_whose_file_is_unchanged_is_said_matched_otherwise_not_changed(
        make_project, cli):
    """After an upgrade, reusing an older run's model warned that every glossary had
    changed although no glossary file had: a glossary LF's source hash holds labelwright's
    matcher hash. The warning now names labelwright's matching, and an edited file still
    reads as changed. The reused model's EM rounds are said to be the reused fit's."""
    from ticket_data import BILLING_GLOSSARY

    root = make_project(rows=_rows(60), lfs={"tickets": LFS}, gold=None, model="dawid_skene",
                        glossaries={"billing": BILLING_GLOSSARY})
    first = run_project(root, report=False)
    path = first.run_dir / "manifest.json"
    manifest = _manifest(first.run_dir)
    manifest["pipeline"]["matcher_sha256"] = "5" * 64  # another labelwright matched them
    for lf in manifest["labeling_functions"]:
        if lf["name"] == "glossary:billing":
            lf["source_sha256"] = "6" * 64
    path.write_text(json.dumps(manifest), "utf-8")
    reused = run_project(root, report=False, label_model_from=first.run_id)
    (said,) = [w for w in reused.warnings if "label model reused" in w]
    assert said.startswith(f"the label model reused (fit by run {first.run_id}) was fit on "
                           "votes of glossary:billing whose file is unchanged, but "
                           "labelwright's glossary matching (matcher 555555555555 -> "), said
    glossary = root / "glossaries" / "billing.yaml"
    glossary.write_text(glossary.read_text("utf-8") + "# edited\n", "utf-8")
    again = run_project(root, report=False, label_model_from=first.run_id)
    assert any("was fit before glossary:billing changed" in w for w in again.warnings), \
        again.warnings
    code, out = cli("run", "-p", str(root), "--no-report", "--label-model-from",
                    first.run_id)
    assert code == 0 and f"run {first.run_id}'s fit (reused)" in out, out
