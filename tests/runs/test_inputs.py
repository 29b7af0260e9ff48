"""``labelwright runs verify --inputs``: the project's inputs now against what a run read."""

from __future__ import annotations

import json

import pytest

from labelwright.apply.cache_keys import lf_module_files
from labelwright.config import load_config
from labelwright.data.data_hash import dataset_sha256
from labelwright.glossaries.reading import load_glossaries
from labelwright.lfs.discovery import discover
from labelwright.project import run_project
from labelwright.runs.provenance import config_fingerprint
from labelwright.runs.store import file_sha256, read_manifest
from labelwright.runs.verify.inputs import input_changes, project_inputs
from model_modules import MODEL_MODULE, forget_registered
from ticket_data import BILLING_GLOSSARY


def _edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture
def ran(make_project):
    """A project with a glossary, and one run of it."""
    root = make_project(glossaries={"billing": BILLING_GLOSSARY})
    return root, run_project(root, report=False)


def test_inputs_as_the_run_read_them_pass(ran, cli):
    root, run = ran
    code, out = cli("runs", "verify", "--inputs", "-p", str(root))
    assert code == 0, out
    assert (f"{run.run_id}: ok" in out and "inputs: as the run read them (data file, config, "
            "2 LFs, 1 LF module, 0 LF folder files, 1 glossary)" in out)


def test_each_input_that_differs_is_named_with_both_hashes(ran, cli):
    """Every input the manifest hashes, edited: each is named, with the hash the run
    recorded and the one the same function gives now, and verify exits 1."""
    root, run = ran
    manifest = read_manifest(run.run_dir)
    _edit(root / "data" / "items.csv", "charged twice", "charged three times")
    _edit(root / "labeling_functions" / "tickets.py", '"refund" in', '"refunds" in')
    _edit(root / "glossaries" / "billing.yaml", "term: invoice", "term: bill")
    _edit(root / "labelwright.toml", "threshold = 0.7", "threshold = 0.8")
    config = load_config(root)
    lfs = {lf["name"]: lf for lf in manifest["labeling_functions"]}
    now_lf = {lf.name: lf.source_hash for lf in discover(config.lf_path)}
    (glossary,) = load_glossaries(config.glossary_path, config.labels)
    expected = [
        f"data file data/items.csv: sha256 {manifest['data']['sha256'][:12]} -> "
        f"{dataset_sha256(config.data)[:12]}",
        f"config labelwright.toml: sha256 {manifest['config']['sha256'][:12]} -> "
        f"{config_fingerprint(config.config_path, root)['sha256'][:12]}",
        f"LF mentions_refund ({lfs['mentions_refund']['location']}): source sha256 "
        f"{lfs['mentions_refund']['source_sha256'][:12]} -> {now_lf['mentions_refund'][:12]}",
        f"LF module tickets.py: sha256 {manifest['lf_modules'][0]['sha256'][:12]} -> "
        f"{lf_module_files(config.lf_path)['tickets.py'][:12]}",
        f"glossary billing (glossaries/billing.yaml): sha256 "
        f"{manifest['glossaries'][0]['sha256'][:12]} -> {glossary.sha256[:12]}",
    ]
    # each file the run kept a copy of (all but the data) names the copy to compare with
    kept = f"; the run's copy: runs/{run.run_id}/sources/"
    line = lfs["mentions_refund"]["location"].rpartition(":")[2]
    expected[1:] = [f"{expected[1]}{kept}labelwright.toml",
                    f"{expected[2]}{kept}labeling_functions/tickets.py:{line}",
                    f"{expected[3]}{kept}labeling_functions/tickets.py",
                    f"{expected[4]}{kept}glossaries/billing.yaml"]
    # the data read again names the item edited
    expected[0] += " items whose text changed since the run: 1 (t1)"
    code, out = cli("runs", "verify", "--inputs", "-p", str(root))
    assert code == 1, out
    # the run's own files are as it left them, and the header says the rest differs
    assert f"{run.run_id}: differs (below); its files are as the run wrote them (" in out
    assert f"{run.run_id}: ok" not in out
    assert "inputs: 5 differ from what the run read " + " ".join(expected) in out
    assert "LF crashes" not in out  # unchanged
    code, out = cli("runs", "verify", "-p", str(root))  # without --inputs: the files alone
    assert code == 0 and "inputs" not in out


def test_inputs_added_and_gone_are_named(ran, cli):
    root, run = ran
    lf_file = root / "labeling_functions" / "tickets.py"
    source = lf_file.read_text()
    lf_file.write_text(source.split("@labeling_function()\ndef crashes")[0]
                       + "@labeling_function()\ndef invoices(item):\n    return ABSTAIN\n")
    (root / "labeling_functions" / "words.txt").write_text("refund\n")
    (root / "glossaries" / "billing.yaml").unlink()
    crashes = next(lf for lf in read_manifest(run.run_dir)["labeling_functions"]
                   if lf["name"] == "crashes")
    code, out = cli("runs", "verify", "--inputs", "-p", str(root))
    assert code == 1, out
    assert (f"LF crashes ({crashes['location']}): gone (the run read source sha256 "
            f"{crashes['source_sha256'][:12]})") in out
    assert "LF invoices: added since the run (source sha256 " in out
    assert (f"LF folder file words.txt: added since the run (sha256 "
            f"{file_sha256(root / 'labeling_functions' / 'words.txt')[:12]})") in out
    assert "glossary billing (glossaries/billing.yaml): gone (the run read sha256 " in out


def test_every_run_is_compared_with_the_inputs_now(make_project, cli):
    root = make_project()
    first = run_project(root, report=False)
    _edit(root / "labeling_functions" / "tickets.py", '"crash" in', '"crashed" in')
    second = run_project(root, report=False)
    code, out = cli("runs", "verify", "--all", "--inputs", "-p", str(root))
    assert code == 1, out
    first_part, second_part = out.split(f"{second.run_id}: ok")
    assert f"{first.run_id}: differs (below)" in first_part and "LF crashes (" in first_part
    assert "inputs: as the run read them" in second_part and "LF crashes" not in second_part


def test_the_file_the_run_read_is_named_when_data_path_names_another(ran, cli):
    root, run = ran
    read, copy = root / "data" / "items.csv", root / "data" / "items_v2.csv"
    copy.write_bytes(read.read_bytes())
    _edit(root / "labelwright.toml", 'path = "data/items.csv"', 'path = "data/items_v2.csv"')
    check = input_changes(read_manifest(run.run_dir), project_inputs(load_config(root)),
                          load_config(root))
    assert [change.what for change in check.changes] == ["config"]  # [data] path is in it
    assert check.notes == [
        "data file: the run read data/items.csv; [data] path now names data/items_v2.csv, "
        "which holds the same data"]
    _edit(copy, "charged twice", "charged three times")
    code, out = cli("runs", "verify", "--inputs", "-p", str(root))
    assert code == 1, out
    assert (f"data file data/items.csv: sha256 {run.dataset.sha256[:12]} -> "
            f"{file_sha256(copy)[:12]}; [data] path now names data/items_v2.csv (the second "
            "hash is of it)") in out


def test_the_same_bytes_read_with_other_settings_are_said_so(ran, cli):
    """The data hash covers [data] quoting and columns: a file unchanged but read with
    quoting = "none" has another hash, and the line says why."""
    root, run = ran
    _edit(root / "labelwright.toml", "[data]\n", '[data]\nquoting = "none"\n')
    code, out = cli("runs", "verify", "--inputs", "-p", str(root))
    assert code == 1, out
    now = dataset_sha256(load_config(root).data)
    assert (f"data file data/items.csv: sha256 {run.dataset.sha256[:12]} -> {now[:12]}; the "
            "same bytes, read with other [data] settings (quoting auto -> none), which the "
            "data hash covers") in out


def test_a_delimiter_other_than_the_formats_own_is_in_the_data_hash(ran, cli):
    """[data] delimiter = "," in a CSV file reads what the file always read: the hash stays
    the file's own; any other delimiter reads other items, and verify says which setting
    moved."""
    root, run = ran
    config = root / "labelwright.toml"
    _edit(config, "[data]\n", '[data]\ndelimiter = ","\n')
    assert dataset_sha256(load_config(root).data) == file_sha256(root / "data" / "items.csv")
    _edit(config, 'delimiter = ","', 'delimiter = "|"')
    now = dataset_sha256(load_config(root).data)
    assert now != run.dataset.sha256
    code, out = cli("runs", "verify", "--inputs", "-p", str(root))
    assert code == 1, out
    assert ("the same bytes, read with other [data] settings (delimiter the format's own -> "
            "'|'), which the data hash covers") in " ".join(out.split())


def test_lfs_that_cannot_be_imported_cannot_be_vouched_for(ran, cli):
    root, _ = ran
    (root / "labeling_functions" / "broken.py").write_text("import no_such_module_here\n")
    code, out = cli("runs", "verify", "--inputs", "-p", str(root))
    assert code == 1, out
    assert "cannot import the LFs to hash them: " in out and "no_such_module_here" in out
    assert "LF module broken.py: added since the run" in out


def test_inputs_a_run_did_not_record_are_not_compared(ran, cli):
    """A manifest from before a field was recorded: nothing to compare it with, so no
    difference, and the line says what was compared."""
    root, run = ran
    path = run.run_dir / "manifest.json"
    manifest = json.loads(path.read_text())
    for key in ("lf_modules", "lf_folder_files", "config"):
        del manifest[key]
    path.write_text(json.dumps(manifest))
    _edit(root / "labelwright.toml", "threshold = 0.7", "threshold = 0.8")
    code, out = cli("runs", "verify", "--inputs", "-p", str(root))
    assert code == 0, out
    assert "inputs: as the run read them (data file, 2 LFs, 1 glossary)" in out


@pytest.fixture
def ran_own_model(make_project):
    """A project whose label model is a class of its own, in ``verify_models.py``, and one
    run of it."""
    root = make_project(model="verify_models:AccuracyVote")
    (root / "verify_models.py").write_text(MODEL_MODULE.format(name="verify_vote"),
                                           encoding="utf-8")
    yield root, run_project(root, report=False)
    forget_registered("verify_models")


def test_a_label_model_module_edited_since_the_run_is_an_input_that_changed(ran_own_model,
                                                                           cli):
    """The run records its model's module and keeps a copy; edited since, verify had said
    "inputs: as the run read them" and the recompute had blamed the run's labels."""
    root, run = ran_own_model
    module = root / "verify_models.py"
    then = file_sha256(module)
    code, out = cli("runs", "verify", "--inputs", "-p", str(root))
    assert code == 0 and "0 glossaries, label model module)" in out, out
    _edit(module, "+ 1) / (voted", "+ 50) / (voted")
    code, out = cli("runs", "verify", "--inputs", "-p", str(root))
    assert code == 1, out
    assert (f"label model module verify_models.py: sha256 {then[:12]} -> "
            f"{file_sha256(module)[:12]}; the run's copy: runs/{run.run_id}/sources/"
            "verify_models.py") in out
    # recomputed with the run's copy of the module, in a project rebuilt from its sources
    code, out = cli("runs", "verify", "--recompute", "-p", str(root))
    assert code == 0 and f"recomputed from the run's kept sources (runs/{run.run_id}/" \
        "sources/)" in out, out
    assert "label:" not in out and "gives the run's model labels and probabilities" in out
    (run.run_dir / "sources" / "verify_models.py").unlink()  # without it: refused, named
    code, out = cli("runs", "verify", "--recompute", "-p", str(root))
    assert code == 1 and "nothing recomputed, and not from the run's kept sources either: " \
        "the run's kept sources are not as the run wrote them (sources/verify_models.py: " \
        "missing" in out, out
    assert "label:" not in out and "probabilities" not in out  # nothing blamed on the run


def test_a_label_model_module_gone_since_the_run_is_named_not_a_config_error(ran_own_model,
                                                                            cli):
    root, run = ran_own_model
    then = file_sha256(root / "verify_models.py")
    (root / "verify_models.py").unlink()
    for flag in ("--inputs", "--recompute"):
        code, out = cli("runs", "verify", flag, "-p", str(root))
        # --recompute refits with the run's copy of it (the difference said, not counted)
        assert code == (1 if flag == "--inputs" else 0) and "error:" not in out, out
        assert (f"label model module verify_models.py: gone (the run read sha256 "
                f"{then[:12]})") in out


@pytest.fixture
def forget_helped_models():
    yield
    forget_registered("helped_models")


def test_a_helper_the_label_model_module_imports_is_recorded_kept_and_compared(
        make_project, cli, forget_helped_models):
    """A helper module the model's module imports from the project folder is its code too:
    edited, it had changed the labels with no input said to differ."""
    root = make_project(model="helped_models:AccuracyVote")
    (root / "helped_words.py").write_text("PRIOR = 1\n", encoding="utf-8")
    (root / "helped_models.py").write_text(
        "from helped_words import PRIOR\n" + MODEL_MODULE.format(name="helped_vote"),
        encoding="utf-8")
    run = run_project(root, report=False)
    manifest = read_manifest(run.run_dir)
    helper = root / "helped_words.py"
    then = file_sha256(helper)
    assert manifest["label_model"]["source"]["helpers"] == [
        {"path": "helped_words.py", "sha256": then}]
    assert (run.run_dir / "sources" / "helped_words.py").read_bytes() == helper.read_bytes()
    helper.write_text("PRIOR = 2\n", encoding="utf-8")
    code, out = cli("runs", "verify", "--inputs", "-p", str(root))
    assert code == 1, out
    assert (f"label model module helped_words.py: sha256 {then[:12]} -> "
            f"{file_sha256(helper)[:12]}; the run's copy: runs/{run.run_id}/sources/"
            "helped_words.py") in out
    assert "label model module helped_models.py" not in out
