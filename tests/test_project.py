import json
import re
import time
from datetime import datetime

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from labelwright import check_project, load_project, run_project
from labelwright.errors import ConfigError, DataError, LFError, RunError
from labelwright.runs.store import file_sha256, resolve_run
from labelwright.warning_kinds import warning_kind
from ticket_data import BILLING_GLOSSARY, TICKET_LFS, many_tickets


def test_load_project(make_project):
    root = make_project(glossaries={"money": BILLING_GLOSSARY})
    project = load_project(root / "data")  # found by walking up
    assert project.labels == ("billing", "technical")
    assert [lf.name for lf in project.lfs] == ["mentions_refund", "crashes", "glossary:money"]
    assert [g.name for g in project.glossaries] == ["money"]


def test_lf_name_taken_by_glossary(make_project):
    root = make_project(glossaries={"money": BILLING_GLOSSARY}, lfs={"x": '''
        from labelwright import labeling_function

        @labeling_function("glossary:money")
        def f(item):
            return None
    '''})
    with pytest.raises(LFError, match="'glossary:money' is taken by the glossary"):
        load_project(root)


def test_no_lfs_loads_and_fails_when_applied(make_project):
    """A notebook's project has no LF file: it loads, to add the session's LFs to, and
    only applying (or running) it with none is an error."""
    from labelwright import apply_project

    root = make_project(lfs={})
    project = load_project(root)
    assert project.lfs == []
    with pytest.raises(LFError, match="the project has no labeling functions"):
        apply_project(project)
    with pytest.raises(LFError, match=r"no labeling functions: .*project\.with_lfs\(lf"):
        run_project(project=project, report=False)
    with pytest.raises(LFError, match="no labeling functions") as caught:
        run_project(root, report=False)
    assert "with_lfs" not in str(caught.value)  # as `labelwright run` says it
    assert not (root / "runs").exists() or not list((root / "runs").iterdir())
    assert not check_project(root).ok


def test_a_project_without_the_example_runs_session_lfs_on_a_frame(tmp_path):
    from labelwright import ABSTAIN, labeling_function
    from labelwright.scaffold import init_project

    root = tmp_path / "nb"
    written = init_project(root, labels=["spam", "ham"], example=False)
    assert sorted(p.name for p in written) == [".gitignore", "labelwright.toml"]
    assert not list((root / "labeling_functions").iterdir())
    assert not list((root / "glossaries").iterdir())

    @labeling_function()
    def says_win(item):
        return "spam" if "win" in item.text else ABSTAIN

    frame = pd.DataFrame({"id": ["a", "b", "c"], "text": ["win now", "hi mum", "win win"]})
    project = load_project(root)
    assert project.labels == ("spam", "ham") and project.config.name == "nb"
    result = run_project(project=project.with_lfs(says_win), data=frame, report=False)
    assert result.labels["label"].tolist()[::2] == ["spam", "spam"]
    with pytest.raises(ConfigError, match="example=False"):
        init_project(tmp_path / "other", labels=["spam", "ham"])
    with pytest.raises(ConfigError, match="give the project's labels"):
        init_project(tmp_path / "other", example=False)
    with pytest.raises(ConfigError, match="already exists"):
        init_project(root, labels=["a", "b"], example=False)


def test_check_ok(make_project):
    report = check_project(make_project(glossaries={"money": BILLING_GLOSSARY}))
    assert report.ok and report.problems == []
    assert (report.n_lfs, report.n_glossaries, report.n_terms, report.n_items) == (3, 1, 2, 6)
    assert report.n_phrases == 3  # invoice; charge and its synonym overcharge


def test_check_collects_problems(make_project):
    root = make_project(glossaries={"bad": "label: sales\nterms: [x]\n"},
                        rows=[{"id": "1", "text": "a", "gold": "billing"},
                              {"id": "1", "text": "", "gold": ""}])
    report = check_project(root)
    assert not report.ok
    text = "\n".join(report.problems)
    assert "bad.yaml:1: label 'sales' is not a project label" in text
    assert "duplicate id '1' at rows 1 and 2" in text


TRIAL_LFS = {"trial": '''
from labelwright import ABSTAIN, labeling_function


@labeling_function()
def unknown_glossary(item):
    return "billing" if item.matched("money_words") else ABSTAIN


@labeling_function()
def sometimes_fails(item):
    return "billing" if item.text.split()[4] == "invoice" else ABSTAIN
'''}


def test_check_applies_the_lfs_to_the_first_items(make_project):
    """A mistyped glossary name in item.matched, or a label the project does not have,
    passed check and showed only in a run."""
    root = make_project(lfs=TRIAL_LFS)
    report = check_project(root)
    assert not report.ok
    (problem,) = report.problems
    # the LF's file:line and the line that raised, as a --fail-fast run names them
    trial = root / "labeling_functions" / "trial.py"
    assert problem.startswith(f"LF unknown_glossary ({trial}:5) raised on 6 of all 6 "
                              f"items (e.g. 't1', 't2', 't3'), first at {trial}:7: ")
    assert "no glossary is named 'money_words'" in problem and "fails on every item" in problem
    assert any(w.startswith(f"LF sometimes_fails ({trial}:10) raised on") and "IndexError" in w
               and f"first at {trial}:12: " in w for w in report.warnings)
    typo = {"typo": TRIAL_LFS["trial"].split("@labeling_function()")[0] + '''
@labeling_function()
def typo(item):
    return "biling" if "invoice" in item.text else ABSTAIN
'''}
    root = make_project(lfs=typo, root=make_project().parent / "typo")
    report = check_project(root)
    # read from the code, and said once: the trial reaching it says no more
    assert [p for p in report.problems if "biling" in p] == [
        f"{root / 'labeling_functions' / 'typo.py'}:8: LF typo returns 'biling', which is not "
        "a label (did you mean 'billing'?); return one of 'billing', 'technical', an index "
        "0..1, or ABSTAIN"]


LATE_TYPO = {"late": '''
from labelwright import ABSTAIN, labeling_function


@labeling_function()
def late(item):
    if item.text.startswith("rare"):
        return "Billing "
    return ABSTAIN
'''}


def test_check_finds_a_label_the_trial_never_reaches(make_project):
    """An LF returning a misspelt label only past the first 50 items passed check, which
    did not say it had tried the LFs on 50 items only; the run then ended on it."""
    rows = [{"id": str(i), "text": "rare refund" if i >= 55 else "invoice", "gold": ""}
            for i in range(60)]
    root = make_project(rows=rows, lfs=LATE_TYPO)
    report = check_project(root)
    assert report.problems == [
        f"{root / 'labeling_functions' / 'late.py'}:8: LF late returns 'Billing ', which is "
        "not a label (did you mean 'billing'?); return one of 'billing', 'technical', an "
        "index 0..1, or ABSTAIN"]
    assert (report.n_tried, report.n_items) == (50, 60)


def test_run_end_to_end(make_project):
    root = make_project(glossaries={"money": BILLING_GLOSSARY})
    result = run_project(root)
    run_dir = result.run_dir
    assert run_dir == resolve_run(root / "runs")
    assert (root / "runs" / "LATEST").read_text().strip() == result.run_id

    labels = pd.read_parquet(run_dir / "labels.parquet")
    assert [c for c in labels.columns if c != "gold"] == [
        "id", "label", "confidence", "prob_billing", "prob_technical", "status", "reasons",
        "label_source", "model_label", "model_confidence", "text_hash", "queue_rank"]
    if "gold" in labels.columns:  # the project's gold labels, next to the predicted ones
        assert labels["gold"].tolist()[:2] == ["billing", "technical"]
    assert labels["id"].tolist() == ["t1", "t2", "t3", "t4", "t5", "t6"]
    by_id = dict(zip(labels["id"], labels["label"]))
    assert by_id["t1"] == "billing" and by_id["t2"] == "technical" and by_id["t4"] == "technical"
    assert by_id["t3"] == "billing"  # "Refunded" + "charge" (lemma glossary)
    assert pd.isna(by_id["t5"])
    row5 = labels.set_index("id").loc["t5"]
    assert (row5["status"], row5["reasons"], row5["label_source"]) == (
        "review", "uncovered", "none")
    assert "conflict" in labels.set_index("id").loc["t6", "reasons"]

    table = pq.read_table(run_dir / "label_matrix.parquet")
    assert table.column_names == ["id", "mentions_refund", "crashes", "glossary:money"]
    assert json.loads(table.schema.metadata[b"labelwright.labels"]) == ["billing", "technical"]
    assert table.num_rows == 6
    matrix = table.to_pandas().set_index("id")
    assert matrix.loc["t6"].tolist() == [-1, 1, 0]
    assert matrix.loc["t3"].tolist() == [0, -1, 0]

    manifest = json.loads((run_dir / "manifest.json").read_text())
    data_file = root / "data" / "items.csv"
    assert manifest["data"]["sha256"] == file_sha256(data_file)
    assert manifest["data"]["rows"] == 6 and manifest["data"]["gold_rows"] == 5
    lfs = {lf["name"]: lf for lf in manifest["labeling_functions"]}
    assert list(lfs) == ["mentions_refund", "crashes", "glossary:money"]
    assert lfs["crashes"]["kind"] == "python"
    assert lfs["crashes"]["location"].endswith("tickets.py:10")
    assert len({lf["source_sha256"] for lf in lfs.values()}) == 3
    (glossary,) = manifest["glossaries"]
    assert glossary["sha256"] == file_sha256(root / "glossaries" / "money.yaml")
    assert (glossary["name"], glossary["label"], glossary["terms"]) == ("money", "billing", 2)
    assert manifest["label_model"]["name"] == "majority"
    assert manifest["label_model"]["tie_break"] == "first"
    assert isinstance(manifest["label_model"]["params"], dict)
    for package in ("python", "spacy", "numpy", "pandas", "pyarrow", "labelwright"):
        assert manifest["packages"][package]
    assert manifest["seed"] == 0
    assert manifest["coverage"] == pytest.approx(5 / 6)
    assert set(manifest["outputs"]) >= {"labels.parquet", "label_matrix.parquet",
                                        "lf_summary.csv", "review.csv", "review.jsonl"}
    assert manifest["outputs"]["labels.parquet"] == file_sha256(run_dir / "labels.parquet")

    review = pd.read_csv(run_dir / "review.csv", dtype=str, keep_default_na=False)
    assert len(review) == int((labels["status"] == "review").sum())
    assert set(review["id"]) == set(labels.loc[labels["status"] == "review", "id"])
    assert (review["review_label"] == "").all()
    assert (review["run_id"] == result.run_id).all()
    jsonl = (run_dir / "review.jsonl").read_text().splitlines()
    assert len(jsonl) == len(review)

    summary = pd.read_csv(run_dir / "lf_summary.csv")
    assert summary["lf"].tolist() == ["mentions_refund", "crashes", "glossary:money"]
    assert summary["coverage"].tolist() == pytest.approx([2 / 6, 3 / 6, 3 / 6])
    # where each LF is defined, as the manifest records it (the table named LFs only)
    assert summary["location"].tolist() == [lfs[name]["location"] for name in summary["lf"]]
    assert summary["location"][1] == "labeling_functions/tickets.py:10"
    assert summary["location"][2] == "glossaries/money.yaml:1"
    assert result.lf_table["location"].tolist() == summary["location"].tolist()


def test_the_manifest_times_writing_the_outputs(make_project):
    """Writing labels.parquet, the review files and the rest took a third of a large run,
    and the manifest's timings left it out; the report lists every step the manifest has."""
    result = run_project(make_project(glossaries={"money": BILLING_GLOSSARY}))
    manifest = json.loads((result.run_dir / "manifest.json").read_text())
    timings = manifest["timings_seconds"]
    # in the order the steps ran, as README lists them (they were alphabetical: apply,
    # copies, evaluate, ...); every other object's keys stay sorted
    assert list(timings) == ["load", "apply", "reviews", "fit", "copies", "rank", "triage",
                             "lf_table", "evaluate", "outputs", "manifest", "hash"]

    def unsorted(value, where="manifest"):
        if isinstance(value, dict):
            here = [where] if list(value) != sorted(value) else []
            return here + [w for key, item in value.items() if where != "manifest"
                           or key != "timings_seconds" for w in unsorted(item, key)]
        if isinstance(value, list):
            return [w for item in value for w in unsorted(item, where)]
        return []

    assert unsorted(manifest) == [] and isinstance(manifest["data"], dict)
    assert timings["outputs"] > 0 and timings["outputs"] == result.timings["outputs"]
    # what follows the manifest (the report) is timed in the result only: "publish" holds
    # it with the manifest's own steps
    assert set(result.timings) == {*timings, "publish", "write"}
    assert result.timings["publish"] > timings["manifest"] + timings["hash"]
    # "write", the name before "outputs" and "publish", stays for scripts that read it
    assert result.timings["write"] == result.timings["outputs"] + result.timings["publish"]
    page = (result.run_dir / "report.html").read_text()
    shown = page.split("<dt>timings</dt><dd>")[1].split("</dd>")[0]
    assert re.search(r"\boutputs \d+\.\d\ds\b", shown), shown


def test_the_manifests_step_timings_add_up_to_the_run(make_project, monkeypatch):
    """At 1M rows the recorded steps added up to 218 of the run's 367 s: reading reviews,
    grouping copies, the LF table, the evaluation and the manifest itself had no key. Made
    slow here, the evaluation must show in the sum, which is the run's time from
    started_at to finished_at."""
    import labelwright.project.run as run_module

    evaluate = run_module.evaluate

    def slow_evaluate(*args, **kwargs):  # type: ignore[no-untyped-def]
        time.sleep(0.3)  # a step the sum would miss by this much
        return evaluate(*args, **kwargs)

    monkeypatch.setattr(run_module, "evaluate", slow_evaluate)
    shown: list[str] = []
    result = run_project(make_project(glossaries={"money": BILLING_GLOSSARY}),
                         stage=shown.append)
    manifest = json.loads((result.run_dir / "manifest.json").read_text())
    took = (datetime.fromisoformat(manifest["finished_at"])
            - datetime.fromisoformat(manifest["started_at"])).total_seconds()
    assert sum(manifest["timings_seconds"].values()) == pytest.approx(took, abs=0.05)
    # each later step is announced as it starts, so a printed step's time is its key's
    assert shown == ["apply: storing votes and glossary hits in the vote cache",
                     "reviews", "label model", "copies and warnings", "review ranking",
                     "triage", "LF table", "evaluation", "outputs", "publish: manifest",
                     "publish: hashing outputs", "publish: comparing with the previous run",
                     "publish: report"]


def test_second_run_gets_new_folder(make_project):
    root = make_project()
    first = run_project(root)
    second = run_project(root)
    assert first.run_id < second.run_id
    assert resolve_run(root / "runs") == second.run_dir
    np.testing.assert_array_equal(first.applied.matrix.votes, second.applied.matrix.votes)
    assert not [p for p in (root / "runs").iterdir() if p.name.endswith(".partial")]


def test_failed_run_leaves_no_partial_folder(make_project, monkeypatch):
    import labelwright.runs.outputs as outputs_module

    root = make_project()

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(outputs_module, "write_review_files", broken)
    with pytest.raises(RunError, match="review.csv: cannot write: disk full"):
        run_project(root)
    assert list((root / "runs").iterdir()) == []


def _many_tickets(n=60):
    return many_tickets(n)


def test_reviewed_labels_choose_the_label_model_of_a_default_project(make_project):
    """A project that names no label model gets auto: the default model without reviews,
    a model chosen by cross-validation on the reviewed labels with them."""
    from labelwright.review.decisions import ledger

    rows = _many_tickets()
    root = make_project(rows=rows, model="auto")
    toml = root / "labelwright.toml"
    toml.write_text(toml.read_text().replace('name = "auto"\n', ""))  # the default

    def label_model(result):
        return json.loads((result.run_dir / "manifest.json").read_text())["label_model"]

    before = label_model(run_project(root))
    assert before["name"] == "auto" and before["class"] == "AutoLabelModel"
    assert before["chosen"]["model"] == "dawid_skene" and "using the default model" in \
        before["chosen"]["reason"]
    assert set(before["lf_accuracies"]) == {"mentions_refund", "crashes"}

    decisions = [ledger.Decision(r["id"], r["gold"], "importer", "ana", "", "now", "f", "s1",
                                 f"row {k}", "r1", "csv") for k, r in enumerate(rows[:30])]
    ledger.append(ledger.ledger_path(root), decisions, sha256="s1", reviewer="importer",
                  source_file="f", fmt="csv", imported_at="now")
    result = run_project(root)
    after = label_model(result)
    assert "CV on 30 reviewed labels" in after["chosen"]["reason"]
    assert after["chosen"]["model"] in {"majority", "weighted_majority", "dawid_skene",
                                        "triplet"}
    # what turned its probabilities into labels is on record too, as the model has it
    model = result.model
    assert after["calibration"] == json.loads(json.dumps(model.calibration_))
    assert after["decision_weights"] == model.decision_weights_.tolist()
    assert after["labels_from"] == model.decide_on_
    assert after["gold_sample"] == json.loads(json.dumps(model.gold_sample_))
    assert before["labels_from"] == "model" and before["calibration"]["method"] == "identity"


def test_lf_summary_holds_what_the_label_model_learned_of_each_lf(make_project):
    """lf_summary.csv (and the run's LF table) carries each LF's learned accuracy beside its
    accuracy on gold; it had only been in the HTML report. The learned accuracy is the
    model's reading of the LF on the run's items (the mean probability it gives the label
    voted for, where the LF voted), the quantity emp_accuracy measures on gold; the
    manifest keeps the model's own per-LF parameter."""
    result = run_project(make_project(rows=_many_tickets(), model="dawid_skene"))
    table = pd.read_csv(result.run_dir / "lf_summary.csv")
    votes = result.applied.matrix.votes
    read = []
    for j in range(votes.shape[1]):
        rows = np.flatnonzero(votes[:, j] >= 0)
        read.append(result.probs[rows, votes[rows, j]].mean())
    assert table["learned_accuracy"].tolist() == pytest.approx(read, abs=1e-6)
    assert table["learned_accuracy"].between(0, 1).all()
    assert "learned_accuracy" in result.lf_table.columns
    learned = json.loads((result.run_dir / "manifest.json").read_text())["label_model"]
    assert [learned["lf_accuracies"][name] for name in table["lf"]] == pytest.approx(
        result.model.model_.accuracies_.tolist() if hasattr(result.model, "model_")
        else result.model.accuracies_.tolist(), abs=1e-6)


def test_reviewed_gold_items_are_not_counted_as_held_out(make_project):
    """The label model is fit on reviewed labels: where a reviewed item also has a gold
    label, scoring the model on it would score it on its own training labels."""
    from labelwright.review.decisions import ledger

    rows = _many_tickets()
    root = make_project(rows=rows, model="auto")
    before = run_project(root).evaluation
    assert before["n_gold"] == 60 and before["reviewed_left_out"] == 0
    decisions = [ledger.Decision(r["id"], r["gold"], "importer", "ana", "", "now", "f", "s1",
                                 f"row {k}", "r1", "csv") for k, r in enumerate(rows[:30])]
    ledger.append(ledger.ledger_path(root), decisions, sha256="s1", reviewer="importer",
                  source_file="f", fmt="csv", imported_at="now")
    after = run_project(root)
    assert after.evaluation["n_gold"] == 30 and after.evaluation["reviewed_left_out"] == 30
    manifest = json.loads((after.run_dir / "manifest.json").read_text())
    assert manifest["evaluation"]["reviewed_left_out"] == 30


def test_a_label_model_setting_the_model_does_not_have_is_a_config_error(make_project):
    from labelwright.errors import ConfigError

    root = make_project(model="auto")
    toml = root / "labelwright.toml"
    toml.write_text(toml.read_text().replace('tie_break = "first"',
                                             'tie_break = "first"\nprior_strength = 20.0'))
    with pytest.raises(ConfigError) as err:
        load_project(root)
    message = str(err.value)
    assert str(toml) in message and "[label_model] 'prior_strength'" in message
    assert "valid: scoring, n_splits, min_gold" in message and 'name = "dawid_skene"' in message
    report = check_project(root)
    assert not report.ok and any("prior_strength" in p for p in report.problems)
    # the model that has the setting takes it
    toml.write_text(toml.read_text().replace('name = "auto"', 'name = "dawid_skene"'))
    assert load_project(root).config.label_model.params == {"prior_strength": 20.0}
    run_project(root)
    toml.write_text(toml.read_text().replace('name = "dawid_skene"', 'name = "dawid"'))
    with pytest.raises(ConfigError, match=r"\[label_model\] name: unknown label model 'dawid'"):
        load_project(root)


def test_reviews_of_a_random_sample_reach_auto_as_such(make_project):
    """The ledger's export marks go all the way to the label model: sample reviews choose
    and calibrate, the queue's stay known labels, and the manifest says which was which."""
    from labelwright.review.decisions import ledger

    rows = _many_tickets()
    root = make_project(rows=rows, model="auto")
    decisions = [ledger.Decision(r["id"], r["gold"], "importer", "ana", "", "now", "f", "s1",
                                 f"row {k}", "r1", "csv", "sample" if k < 30 else "queue")
                 for k, r in enumerate(rows[:40])]
    ledger.append(ledger.ledger_path(root), decisions, sha256="s1", reviewer="importer",
                  source_file="f", fmt="csv", imported_at="now")
    result = run_project(root)
    manifest = json.loads((result.run_dir / "manifest.json").read_text())
    assert manifest["reviews"]["items_from_random_sample"] == 30
    sample = manifest["label_model"]["gold_sample"]
    assert (sample["source"], sample["sampled_rows"], sample["other_rows"]) == \
        ("random sample", 30, 10)
    assert "CV on 30 reviewed labels from a random sample (10 more reviewed" in \
        manifest["label_model"]["chosen"]["reason"]


def test_the_readme_lf_example_checks_in_the_example_project(tmp_path):
    """The README's labeling_functions/billing.py, written beside the example project's
    LFs it is about, had an LF named like one of theirs: check failed."""
    import re
    import shutil
    from pathlib import Path

    repo = Path(__file__).resolve().parents[1]
    readme = (repo / "README.md").read_text(encoding="utf-8")
    snippet = re.search(r"```python\n(# labeling_functions/billing\.py\n.*?)```", readme,
                        re.S).group(1)
    for name in ("labeling_functions", "glossaries", "data"):
        shutil.copytree(repo / name, tmp_path / name)
    shutil.copy(repo / "labelwright.toml", tmp_path)
    (tmp_path / "labeling_functions" / "billing.py").write_text(snippet, encoding="utf-8")
    report = check_project(tmp_path)
    assert report.ok, report.problems
    assert {"amount_in_text", "crash_on_paid_plan", "sso_enterprise"} <= {
        lf.name for lf in load_project(tmp_path).lfs}


def test_check_warns_of_lf_files_it_does_not_read(make_project):
    """LF modules in a sub-folder, or ending in .PY, were skipped without a word."""
    root = make_project()
    sub = root / "labeling_functions" / "more"
    sub.mkdir()
    (sub / "deep.py").write_text("from labelwright import labeling_function\n")
    (root / "labeling_functions" / "LOUD.PY").write_text("x = 1\n")
    (root / "labeling_functions" / "__pycache__").mkdir()
    (root / "labeling_functions" / "__pycache__" / "x.py").write_text("")
    report = check_project(root)
    assert report.ok, report.problems
    unread = [w for w in report.warnings if "not read" in w or "not searched" in w]
    assert len(unread) == 2
    assert "LOUD.PY not read: LF modules end in .py" in unread[0]
    assert unread[1].startswith(f"{sub}: its Python files are not searched for LFs")


def test_check_warns_of_lemma_mode_without_lemmas(make_project):
    """[nlp] lemmatizer = false made lemma-mode glossaries match like lowercase, silently."""
    root = make_project(glossaries={"money": BILLING_GLOSSARY},
                        extra="\n[nlp]\nlemmatizer = false\n")
    report = check_project(root)
    assert any("glossary money is in lemma mode, but the pipeline gives no lemmas ([nlp] "
               "lemmatizer = false): it matches like lowercase mode" in w
               for w in report.warnings), report.warnings
    assert not any("lemma mode" in w for w in check_project(
        make_project(glossaries={"money": BILLING_GLOSSARY}, root=root.parent / "b")).warnings)


@pytest.mark.parametrize("runs, message", [
    ("data/items.csv", r"data/items.csv is a file; runs are written to a folder"),
    ("", r"runs = '' is the project folder itself"),
    (".", r"runs = '.' is the project folder itself")])
def test_a_runs_folder_that_cannot_hold_runs_is_a_check_problem(make_project, runs, message):
    """runs = "data/items.csv" passed check and then failed the run with a traceback;
    runs = "" scattered run folders among the project's files."""
    root = make_project()
    config = root / "labelwright.toml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        'seed = 0\n', f'seed = 0\nruns = "{runs}"\n'), encoding="utf-8")
    report = check_project(root)
    assert any(re.search(message, p) for p in report.problems), report.problems
    with pytest.raises(ConfigError, match=message):
        run_project(root, report=False)


def test_a_project_of_glossaries_with_a_broken_one_is_not_told_to_add_lfs(make_project):
    """With a glossary broken and no labeling_functions folder (which a project of
    glossaries may lack), check also said "no labeling_functions folder"."""
    import shutil

    root = make_project(glossaries={"money": "label: nope\nterms: [refund]\n"})
    shutil.rmtree(root / "labeling_functions")
    report = check_project(root)
    assert report.problems and all("labeling_functions" not in p for p in report.problems)
    assert any("label 'nope' is not a project label" in p for p in report.problems)


def test_columns_an_item_attribute_hides_are_named_by_check_run_and_analyze(make_project,
                                                                            cli):
    """A column named doc or matches was silently hidden behind item.doc / item.matches;
    analyze printed none of the dataset's warnings."""
    from ticket_data import TICKETS

    root = make_project(rows=[{**row, "doc": "d", "matched": "m"} for row in TICKETS])
    expected = "column(s) 'doc', 'matched' share a name with what an item has itself"
    assert any(expected in w for w in check_project(root).warnings)
    for command in ("analyze", "run"):
        code, output = cli(command, "-p", str(root))
        assert code == 0 and expected in output and "item.fields['doc']" in output, command


DOC_COLUMN_LF = """
from labelwright import ABSTAIN, labeling_function


@labeling_function()
def reads_doc(item):
    assert item.fields["doc"] is item.text and item.doc.text == item.text  # the Doc wins
    return "billing" if "refund" in item.fields["doc"].lower() else ABSTAIN
"""


def test_a_text_column_named_like_an_item_attribute_follows_the_shadowing_rule(make_project):
    """The text column is read under its own name too, so text_column = "doc" is a column
    item.doc hides, as any column named doc is: said, and read as item.fields["doc"]."""
    from ticket_data import TICKETS

    root = make_project(rows=[{"id": r["id"], "doc": r["text"]} for r in TICKETS], gold=None,
                        lfs={"doc": DOC_COLUMN_LF})
    config = root / "labelwright.toml"
    config.write_text(config.read_text().replace("[data]\n", '[data]\ntext_column = "doc"\n'))
    report = check_project(root)
    assert report.ok, report.problems
    assert any("column(s) 'doc' share a name with what an item has itself" in w
               for w in report.warnings)
    result = run_project(root, report=False)
    assert result.applied.failures == {}
    assert (result.applied.matrix.column("reads_doc") >= 0).any()


def test_analyze_counts_reviewed_labels_as_run_does(make_project, cli):
    """analyze counted LF accuracy on the dataset's gold alone: after reviews its table
    disagreed with run's lf_summary.csv, and without a gold column it had no accuracy.
    Reviews of the queue are counted apart, in the queue's accuracy, by both."""
    from review_csv import review_items
    from ticket_data import TICKETS

    rows = [{k: v for k, v in row.items() if k != "gold"} for row in TICKETS]
    root = make_project(rows=rows, gold=None)
    first = run_project(root, report=False)
    review_items(root, {row["id"]: "billing" for row in rows}, run_id=first.run_id)
    second = run_project(root, report=False)
    table = pd.read_csv(second.run_dir / "lf_summary.csv").set_index("lf")
    assert "correct" not in table.columns  # no gold, no random sample: nothing pictures them
    code, output = cli("analyze", "-p", str(root))
    assert code == 0, output
    cells = [c.strip() for c in output.split("│")]
    for lf, row in table.iterrows():  # LF, kind, polarity, 3 shares, queue acc.
        i = cells.index(lf)
        right, wrong = int(row["queue_correct"]), int(row["queue_incorrect"])
        assert cells[i + 6] == f"{row['queue_accuracy']:.1%} ({right}/{right + wrong})"
    assert table["queue_correct"].sum() + table["queue_incorrect"].sum() > 0


def test_the_manifest_records_the_lf_folder_as_its_lfs_were_imported(make_project):
    """The manifest read the LF folder when the outputs were written: a module saved after
    the LFs ran was recorded as the code that voted."""
    from labelwright.apply.cache_keys import lf_module_files
    from labelwright.runs.outputs import lf_folder_record

    root = make_project()
    project = load_project(root)
    loaded = lf_module_files(project.config.lf_path)
    module = next((root / "labeling_functions").glob("*.py"))
    module.write_text(module.read_text() + "\nEXTRA = 1\n")
    modules, others = lf_folder_record(project)
    assert modules == loaded != lf_module_files(project.config.lf_path) and others == {}


@pytest.mark.parametrize("apply, named", [
    ('engine = "dask"', '[apply] engine = "dask"'),
    ('scheduler = "tcp://h:8786"', "[apply] scheduler (a Dask cluster)")])
def test_check_names_a_dask_engine_that_is_not_installed(make_project, monkeypatch, apply,
                                                         named):
    """check said ok, and every run failed with "the dask engine needs dask.distributed"."""
    import importlib.util

    find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "distributed" else find_spec(name, *a))
    report = check_project(make_project(extra=f"[apply]\n{apply}\n"))
    assert any(f"{named} needs dask.distributed, which is not installed" in p
               for p in report.problems), report.problems


def test_check_warns_of_nlp_settings_a_named_pipeline_does_not_use(make_project):
    """lemmatizer = true beside a named pipeline passed check, and the lemma-mode warning
    told the user to enable the lemmatizer that was already on."""
    import spacy

    root = make_project(glossaries={"money": BILLING_GLOSSARY},
                        extra='\n[nlp]\nlang = "de"\nlemmatizer = true\npipeline = "pipe"\n')
    spacy.blank("en").to_disk(root / "pipe")
    report = check_project(root)
    assert any("[nlp] lemmatizer sets up the blank pipeline only; the named pipeline "
               f"{str((root / 'pipe').resolve())!r} has its own components" in w
               for w in report.warnings), report.warnings
    assert not any("[nlp] lang" in w for w in report.warnings)  # the spaCy export uses it
    lemma = [w for w in report.warnings if "lemma mode" in w]
    assert len(lemma) == 1 and "gives no lemmas: it matches like lowercase mode; name a " \
        "pipeline with a lemmatizer or set mode: lowercase" in lemma[0]


def _set_runs(root, runs):
    config = root / "labelwright.toml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        'seed = 0\n', f'seed = 0\nruns = "{runs}"\n'), encoding="utf-8")


def test_a_file_on_the_way_to_the_runs_folder_is_a_check_problem(make_project):
    """runs = "out/runs" with a file named out: check said ok, and the run applied every
    LF and then died with a NotADirectoryError traceback."""
    root = make_project()
    _set_runs(root, "out/runs")
    (root / "out").write_text("not a folder\n")
    message = rf"\[project\] runs = 'out/runs', but {re.escape(str(root / 'out'))} is a file"
    assert any(re.search(message, p) for p in check_project(root).problems)
    with pytest.raises(ConfigError, match=message):
        run_project(root, report=False)


def test_a_file_in_place_of_the_state_folder_is_a_check_problem(make_project):
    """A file named .labelwright: check said ok, the run died in the vote cache."""
    root = make_project()
    (root / ".labelwright").write_text("x\n")
    message = (rf"\[apply\] cache keeps the vote and Doc caches in "
               rf"{re.escape(str(root / '.labelwright'))}, but .* is a file")
    assert any(re.search(message, p) for p in check_project(root).problems)
    with pytest.raises(ConfigError, match=message):
        run_project(root, report=False)
    assert run_project(root, report=False, cache=False).labels is not None  # not needed


def test_a_runs_folder_that_cannot_be_made_fails_before_the_work(make_project, monkeypatch):
    """An OSError making the runs folder (no permission, a full disk) is an error naming
    the folder and its key, raised before any LF runs, not a traceback after all of them."""
    from pathlib import Path

    from labelwright.project import run as project_module

    root = make_project()
    _set_runs(root, "out/runs")
    mkdir = Path.mkdir

    def refuse(self, *args, **kwargs):
        if self == root / "out" / "runs":
            raise PermissionError(13, "Permission denied", str(self))
        return mkdir(self, *args, **kwargs)

    monkeypatch.setattr(Path, "mkdir", refuse)
    monkeypatch.setattr(project_module, "apply_lfs",
                        lambda *a, **k: pytest.fail("applied before the folder was made"))
    with pytest.raises(ConfigError, match=r"runs = 'out/runs', but it cannot be made: "
                                          r"Permission denied; runs are written to a folder"):
        run_project(root, report=False)


def test_check_finds_an_lf_returning_an_ambiguous_int(make_project):
    """Labels that are numbers: an LF returning 1 for "1 stars" voted the label "2"."""
    root = make_project(labels=("1", "2", "3"), rows=[
        {"id": "a", "text": "1 stars", "gold": "1"}, {"id": "b", "text": "2 stars", "gold": "2"}],
        lfs={"stars": """
from labelwright import ABSTAIN, labeling_function

@labeling_function()
def stars(item):
    return int(item.text[0])
"""})
    (problem,) = check_project(root).problems
    # at the return that gave it (line 6), not the decorator
    assert "labeling function 'stars'" in problem and "stars.py:6) returned 1" in problem
    assert "ambiguous" in problem


TYPO_LFS = {"typo": '''
from labelwright import ABSTAIN, labeling_function

BILING = "biling"  # a name, not a literal: only the trial finds it


@labeling_function()
def typo(item):
    return BILING if "invoice" in item.text else ABSTAIN


@labeling_function()
def money(item):
    return "billing" if item.matched("money") else ABSTAIN


@labeling_function()
def lemmas(item):
    return "billing" if "refund" in {t.lemma_ for t in item.doc} else ABSTAIN
'''}


def test_a_broken_glossary_does_not_hide_lf_problems(make_project):
    """With one glossary problem the trial apply was skipped: an LF returning a non-label
    showed only on the next check, once the glossary was fixed."""
    root = make_project(lfs=TYPO_LFS, glossaries={"money": "label: nope\nterms: [refund]\n"})
    report = check_project(root)
    assert any("label 'nope' is not a project label" in p for p in report.problems)
    assert any("'typo'" in p and "returned 'biling'" in p for p in report.problems), \
        report.problems
    assert "LF(s) money not applied to the items tried: they read glossary matches, " \
           "which did not load" in report.warnings


def test_a_snorkel_lf_reading_glossary_matches_is_left_out_like_a_labelwright_one(
        make_project):
    """check read labelwright's adapter around a snorkel LF, not the LF's own function: with
    the glossary broken it tried the snorkel LF reading x.matched(...) on the first items."""
    lfs = {"typo": TYPO_LFS["typo"], "snorkel_money": '''
from snorkel.labeling import labeling_function


@labeling_function()
def snorkel_money(x):
    return "billing" if x.matched("money") else -1
'''}
    root = make_project(lfs=lfs, glossaries={"money": "label: nope\nterms: [refund]\n"})
    report = check_project(root)
    assert "LF(s) snorkel_money, money not applied to the items tried: they read glossary " \
           "matches, which did not load" in report.warnings, report.warnings
    assert not any("snorkel_money" in p for p in report.problems), report.problems


def test_a_broken_pipeline_does_not_hide_lf_problems(make_project):
    # (a lang spaCy has not is a config error, named with the config's others)
    root = make_project(lfs=TYPO_LFS, glossaries={"money": BILLING_GLOSSARY},
                        extra='\n[nlp]\npipeline = "xx_no_such_pipeline"\n')
    report = check_project(root)
    assert any("'xx_no_such_pipeline' is not installed" in p for p in report.problems)
    assert any("returned 'biling'" in p for p in report.problems), report.problems
    assert "LF(s) money, lemmas not applied to the items tried: they read item.doc or " \
           "glossary matches, which did not load" in report.warnings


def test_a_missing_dataset_names_the_config_key_that_names_it(make_project):
    """`dataset file not found` named the file only, not that [data] path said it."""
    root = make_project()
    config = root / "labelwright.toml"
    config.write_text(config.read_text().replace('"data/items.csv"', '"data/itemz.csv"'))
    expected = (f"{config}: [data] path = 'data/itemz.csv': {root / 'data' / 'itemz.csv'}: "
                "dataset file not found")
    assert expected in check_project(root).problems
    with pytest.raises(DataError) as info:
        run_project(root)
    assert str(info.value) == expected


def test_a_list_of_data_files_is_named_as_the_config_lists_it(make_project):
    """A problem in a dataset given as a list of files named its common folder as the
    ``[data] path``, a value the config does not hold."""
    root = make_project()
    config = root / "labelwright.toml"
    (root / "data" / "more.csv").write_text("id,text,gold\nm1,refund please,billing\n"
                                             "m1,refund again,billing\n", encoding="utf-8")
    config.write_text(config.read_text().replace(
        '"data/items.csv"', '["data/items.csv", "data/more.csv"]'))
    [said] = [p for p in check_project(root).problems if "[data] path" in p]
    assert said.startswith(f"{config}: [data] path = ['data/items.csv', 'data/more.csv']: "), said


@pytest.mark.parametrize("tie_break", ["first", "abstain"])
def test_the_majority_vote_row_breaks_ties_as_the_project_does(make_project, tie_break):
    """With a majority-vote label model, the two accuracy rows are the same model: they
    differ only if the baseline breaks ties by another rule than the project's."""
    root = make_project(rows=_many_tickets(), model="majority")
    toml = root / "labelwright.toml"
    toml.write_text(toml.read_text().replace('tie_break = "first"', f'tie_break = "{tie_break}"'))
    result = run_project(root)
    votes = result.applied.matrix.votes
    ties = ((votes == 0).sum(axis=1) == (votes == 1).sum(axis=1)) & (votes >= 0).any(axis=1)
    assert ties.sum() >= 5  # "Refund button crashes": one vote each way
    evaluation = result.evaluation
    assert evaluation["majority_vote"] == evaluation["label_model"]
    labeled = int(((votes >= 0).any(axis=1) & ~(ties if tie_break == "abstain" else False)).sum())
    assert evaluation["majority_vote"]["labeled"] == labeled


REVERSED_LF = '''
from labelwright import labeling_function


@labeling_function()
def refund_words(item):
    return "billing" if "refund" in item.text.lower() and "crash" not in item.text.lower() else None


@labeling_function()
def error_words(item):
    text = item.text.lower()
    return "technical" if "error" in text or "crash" in text else None


@labeling_function()
def settings_is_billing(item):
    return "billing" if "settings" in item.text else None
'''


def test_an_lf_gold_shows_below_chance_is_named_with_what_the_model_reads(make_project, cli):
    """An LF voting the wrong label on every gold item it votes on: a run and analyze say
    so, and a run adds that the label model reads its votes at its assumed accuracy."""
    root = make_project(rows=_many_tickets(), model="dawid_skene",
                        lfs={"tickets": REVERSED_LF})
    result = run_project(root)
    named = [w for w in result.warnings if "below chance" in w]
    assert len(named) == 1 and named[0].startswith(
        "LF 'settings_is_billing' is right on 0 of the 10 gold items it voted on (0%), "
        "below chance (50% with 2 labels)")
    # the model weighs its votes at its prior, 70%, yet takes far fewer to be right: the
    # warning said "reads its votes as right 70% of the time" beside a table showing 44%
    learned = result.lf_table.set_index("lf").loc["settings_is_billing", "learned_accuracy"]
    assert abs(learned - 0.7) > 0.1
    assert ("without reviewed labels showing it, the label model weighs its votes as those "
            f"of an LF right 70% of the time and takes {learned:.0%} of them to be right "
            "(learned acc.)") in named[0]
    assert "reads its votes as right" not in named[0]
    code, out = cli("analyze", "-p", str(root))
    assert code == 0 and "LF 'settings_is_billing' is right on 0 of the 10 gold items" in out
    assert "refund_words' is right" not in out and "error_words' is right" not in out


def test_below_chance_says_reviews_of_the_lf_and_what_its_lone_votes_get(make_project):
    """A user's LF with 321 reviewed labels was said to be read at 70% "without reviewed
    labels showing it", and "items it alone votes on get its label": say how many reviewed
    labels it has, and how many of its lone items got its label."""
    from labelwright.review.decisions import ledger

    rows = _many_tickets() + [
        {"id": f"s{i}", "text": f"Refund my settings plan {i}", "gold": ""} for i in range(4)
    ] + [{"id": f"a{i}", "text": f"open settings {i}", "gold": ""} for i in range(3)]
    root = make_project(rows=rows, model="dawid_skene", lfs={"tickets": REVERSED_LF})
    # queue reviews: the LF's billing votes on billing items, no vote on technical ones, so
    # they do not show its votes to be evidence against billing
    reviews = {f"s{i}": "billing" for i in range(4)}
    reviews.update({f"t{i}": "technical" for i in (3, 9, 15, 21, 27)})  # "The app crashes"
    decisions = [ledger.Decision(i, label, "importer", "ana", "", "now", "f", "s1",
                                 f"row {k}", "r1", "csv") for k, (i, label)
                 in enumerate(reviews.items())]
    ledger.append(ledger.ledger_path(root), decisions, sha256="s1", reviewer="importer",
                  source_file="f", fmt="csv", imported_at="now")
    result = run_project(root, report=False)
    named = [w for w in result.warnings if "below chance" in w]
    assert len(named) == 1, result.warnings
    assert "without reviewed labels showing it" not in named[0], named[0]
    assert ("its 4 reviewed labels do not show its votes to be evidence against their label "
            "(the label model's `monotone` rule needs") in named[0]
    position = {item_id: k for k, item_id in enumerate(result.dataset.ids)}
    alone = [position[f"a{i}"] for i in range(3)]
    given = int((result.labels["label"].to_numpy()[alone] == "billing").sum())
    assert f"it gives its label to {given} of the 3 items it alone votes on" in named[0]


def test_below_chance_says_the_prior_reading_only_when_the_model_reads_it_so():
    from labelwright.lfs.stats import below_chance
    from labelwright.matrix import LabelMatrix

    votes = np.array([[0, -1]] * 3 + [[0, 1]] * 7 + [[-1, 1]] * 2)
    gold = np.array([-1, -1, -1] + [1] * 7 + [-1, -1])
    matrix = LabelMatrix(votes, ["a", "b"], [str(i) for i in range(12)], ("x", "y"))
    predicted = np.array([0, 0, 1] + [1] * 9)
    said = below_chance(matrix, gold, {"a": 0.7}, learned={"a": 0.704},
                        fit_on=np.full(12, -1), predicted=predicted)
    assert said[0].endswith("; without reviewed labels showing it, the label model reads its "
                            "votes as right 70% of the time; it gives its label to 2 of the "
                            "3 items it alone votes on")
    one_review = np.array([0] + [-1] * 11)
    said = below_chance(matrix, gold, {"a": 0.7}, learned={"a": 0.31}, fit_on=one_review)
    assert said[0].endswith("; its 1 reviewed label does not show its votes to be evidence "
                            "against their label (the label model's `monotone` rule needs a "
                            "vote to fall on a clearly larger share of another label's reviewed "
                            "items than of its own label's, on 5 or more of them), so the model "
                            "weighs its votes as those of an LF right 70% of the time and "
                            "takes 31% of them to be right (learned acc.)")


def test_below_chance_needs_enough_gold_votes_to_be_sure():
    from labelwright.lfs.stats import below_chance
    from labelwright.matrix import LabelMatrix

    def lf(correct, wrong):  # votes 0; gold 0 on `correct` items, 1 on `wrong` ones
        return [0] * (correct + wrong), [0] * correct + [1] * wrong

    columns = [lf(0, 4), lf(1, 9), lf(3, 11), lf(0, 15)]
    n = sum(len(v) for v, _ in columns)
    votes = np.full((n, 4), -1)
    gold = np.full(n, -1)
    start = 0
    for j, (v, g) in enumerate(columns):
        votes[start:start + len(v), j] = v
        gold[start:start + len(v)] = g
        start += len(v)
    names = ["a", "b", "c", "d"]
    # a: 4 votes, too few; b: 1/10 is below chance with 2 labels; c: 3/14 with 5 labels is
    # 21%, above chance; d: 0/15 with 5 labels is below it
    ids = [str(i) for i in range(n)]
    two = LabelMatrix(votes, names, ids, ("x", "y"))
    five = LabelMatrix(votes, names, ids, ("x", "y", "z", "u", "v"))
    assert [m.split("'")[1] for m in below_chance(two, gold)] == ["b", "c", "d"]
    assert [m.split("'")[1] for m in below_chance(five, gold)] == ["d"]
    assert below_chance(two, np.full(n, -1)) == []


INDEX_LFS = '''
from labelwright import labeling_function


@labeling_function()
def refund_index(item):
    return 0 if "refund" in item.text.lower() else None


@labeling_function()
def crash_name(item):
    return "technical" if "crash" in item.text.lower() else None
'''


def test_an_index_an_lf_returns_is_named_when_the_labels_change_order(make_project, cli):
    """An LF returning 0 votes for whatever label comes first: after [project] labels
    changed order it voted for another label, and nothing said so."""
    root = make_project(lfs={"tickets": INDEX_LFS})
    first = run_project(root, report=False)
    assert not [w for w in first.warnings if "changed order" in w]
    toml = root / "labelwright.toml"
    toml.write_text(toml.read_text().replace('labels = ["billing", "technical"]',
                                             'labels = ["technical", "billing"]'))
    expected = (f"tickets.py:7: LF refund_index returns 0, which voted 'billing' in run "
                f"{first.run_id} and votes 'technical' now: [project] labels changed order")
    code, out = cli("check", "-p", str(root))
    assert code == 0 and expected in out
    assert "crash_name" not in out  # a label's name keeps its meaning
    second = run_project(root, report=False)
    assert [w for w in second.warnings if "changed order" in w][0].endswith(
        expected.split("tickets.py")[1] + "; return the label's name, which keeps its meaning")
    # said against the latest run: the run after the change has the new order
    assert not [w for w in run_project(root, report=False).warnings if "changed order" in w]


def test_below_chance_reads_the_data_gold_not_reviewed_labels(make_project):
    """Reviewed labels come mostly from the review queue, where the LFs are wrong most:
    an LF's accuracy there says little of its accuracy overall."""
    from labelwright.review.decisions import ledger

    rows = _many_tickets()
    root = make_project(rows=[{**r, "gold": ""} for r in rows], model="dawid_skene",
                        lfs={"tickets": REVERSED_LF})
    settings = [r for r in rows if "settings" in r["text"]]
    decisions = [ledger.Decision(r["id"], r["gold"], "importer", "ana", "", "now", "f", "s1",
                                 f"row {k}", "r1", "csv") for k, r in enumerate(settings)]
    ledger.append(ledger.ledger_path(root), decisions, sha256="s1", reviewer="importer",
                  source_file="f", fmt="csv", imported_at="now")
    result = run_project(root)
    assert not [w for w in result.warnings if "below chance" in w]


def test_a_run_names_the_lfs_its_label_model_misreads(make_project):
    """A first run on a 5-label project showed url_present at 22.1% learned accuracy and
    91.7% on gold, and said nothing: the label model misread the LF on its own."""
    root = make_project(rows=_many_tickets(120), model="dawid_skene",
                        lfs={"tickets": REVERSED_LF})
    result = run_project(root, report=False)
    table = result.lf_table.set_index("lf")
    said = [w for w in result.warnings if w.startswith("the label model misreads")]
    assert len(said) == 1
    learned = table.loc["settings_is_billing", "learned_accuracy"]
    assert (f"'settings_is_billing' {learned:.0%} learned, 0% on gold (0/20, 95% interval "
            "0%\u201317%); it reads some of its votes at its prior, 70%") in said[0]
    # gold the label model was fit on is not held out: reviewed, these items leave the test
    from labelwright.review.decisions import ledger

    settings = [r for r in _many_tickets(120) if "settings" in r["text"]]
    decisions = [ledger.Decision(r["id"], r["gold"], "importer", "ana", "", "now", "f", "s1",
                                 f"row {k}", "r1", "csv") for k, r in enumerate(settings)]
    ledger.append(ledger.ledger_path(root), decisions, sha256="s1", reviewer="importer",
                  source_file="f", fmt="csv", imported_at="now")
    again = run_project(root, report=False)
    assert not [w for w in again.warnings if "'settings_is_billing'" in w and "misreads" in w]


def test_the_misread_advice_of_a_project_drawing_no_sample_says_to_set_one(make_project):
    """init's template sets [triage] random_sample = 0, and the advice named `review export
    --sample`, which then failed: "this run drew no random sample"."""
    rows = [row if k % 3 else {**row, "gold": ""} for k, row in enumerate(_many_tickets(120))]
    root = make_project(rows=rows, model="dawid_skene", lfs={"tickets": REVERSED_LF})
    result = run_project(root, report=False)
    (said,) = [w for w in result.warnings if w.startswith("the label model misreads")]
    flat = " ".join(said.split())
    assert "set [triage] random_sample = N (e.g. 100) in labelwright.toml, then `labelwright " \
        "run`, then `labelwright review export --sample`" in flat
    assert not (result.run_dir / "sample.csv").exists()


def test_the_misread_advice_counts_copies_of_reviewed_items_as_reviewed(make_project):
    """Every item without gold was reviewed or carried its twin's review (copies = "one"),
    so the run draws no random sample; the misread advice still said to review one."""
    from labelwright.review.decisions import ledger

    rows = _many_tickets(120) + [
        {"id": f"new{k}", "text": f"Forwarded: my invoice {k // 2} is wrong", "gold": ""}
        for k in range(6)]
    root = make_project(rows=rows, model="dawid_skene", lfs={"tickets": REVERSED_LF},
                        extra="random_sample = 3\n")
    reviewed = [ledger.Decision(f"new{k}", "billing", "importer", "ana", "", "now", "f", "s1",
                                f"row {k}", "r1", "csv") for k in range(0, 6, 2)]
    ledger.append(ledger.ledger_path(root), reviewed, sha256="s1", reviewer="importer",
                  source_file="f", fmt="csv", imported_at="now")
    result = run_project(root, report=False)
    (said,) = [w for w in result.warnings if w.startswith("the label model misreads")]
    assert "no random\n  sample can be drawn" in said
    assert "review export --sample" not in said
    assert not (result.run_dir / "sample.csv").exists()  # the draw found none either


def _run_then_shuffled(make_project, edit, extra=""):
    """Two runs of 120 tickets, the config's ``edit`` (old, new) made: the rows as written,
    then shuffled. Every third ticket has a gold label, which the audit and random sample
    leave out: the rest are there to draw."""
    import random

    rows = [row if i % 3 == 0 else {**row, "gold": ""}
            for i, row in enumerate(many_tickets(120))]
    root = make_project(rows=rows, extra=extra)
    config = root / "labelwright.toml"
    config.write_text(config.read_text().replace(*edit))
    first = run_project(root, report=False)
    random.Random(7).shuffle(rows)
    pd.DataFrame(rows).to_csv(root / "data" / "items.csv", index=False)
    return first, run_project(root, report=False)


def test_a_shuffled_dataset_gives_every_item_the_same_label(make_project):
    """The bundled example with its rows shuffled moved majority vote's accuracy (74.5% ->
    77.0%) through its ties: the tie-break coin went by row position."""
    first, second = _run_then_shuffled(make_project, ('tie_break = "first"',
                                                      'tie_break = "random"'))

    def read(run):
        labels = pd.read_parquet(run.run_dir / "labels.parquet").set_index("id").sort_index()
        return labels[["label", "model_label", "confidence"]].astype(str)

    pd.testing.assert_frame_equal(read(first), read(second))
    m = [json.loads((r.run_dir / "manifest.json").read_text())["evaluation"]
         for r in (first, second)]
    assert m[0]["majority_vote"] == m[1]["majority_vote"]


def test_a_shuffled_dataset_gives_every_item_the_same_status_audit_and_sample(make_project):
    """The bundled example with its rows shuffled changed 38 statuses (its audit) and drew
    another random sample: both draws went by row position."""
    first, second = _run_then_shuffled(make_project, ("audit_size = 1\n", "audit_size = 6\n"),
                                       extra="random_sample = 15\n")

    def read(run):
        labels = pd.read_parquet(run.run_dir / "labels.parquet").set_index("id").sort_index()
        sample = pd.read_csv(run.run_dir / "sample.csv", dtype=str)["id"].tolist()
        return labels[["status", "reasons"]].astype(str), sample

    (a, sample_a), (b, sample_b) = read(first), read(second)
    audited = a.index[a["reasons"].str.split(";").map(lambda r: "audit" in r)]
    assert len(audited) == 6 and len(sample_a) == 15
    pd.testing.assert_frame_equal(a, b)
    assert sample_a == sample_b  # the same items, in the same order drawn


def test_check_warns_of_glossaries_in_a_sub_folder(make_project):
    """glossaries/old/x.yaml was skipped without a word, while labeling_functions/sub/ and a
    notes.txt beside the glossaries were warned of."""
    root = make_project(glossaries={"money": BILLING_GLOSSARY})
    old = root / "glossaries" / "old"
    (old / "deeper").mkdir(parents=True)
    (old / "x.yaml").write_text(BILLING_GLOSSARY, encoding="utf-8")
    (old / "deeper" / "y.yml").write_text(BILLING_GLOSSARY, encoding="utf-8")
    (root / "glossaries" / "drafts").mkdir()  # nothing to read there: nothing said
    (root / "glossaries" / "drafts" / "notes.md").write_text("ideas", encoding="utf-8")
    report = check_project(root)
    assert report.ok, report.problems
    said = [w for w in report.warnings if "not read" in w]
    assert said == [f"{old}: deeper/y.yml, x.yaml not read: only the .yaml / .yml files right "
                    f"in {root / 'glossaries'} are glossaries; move them up to be read, or out "
                    "of the folder to keep them unread"], report.warnings


COIN_LFS = '''
from labelwright import labeling_function


@labeling_function()
def refund(item):
    return "billing" if "refund" in item.text else None


@labeling_function()
def crash(item):
    return "technical" if "crash" in item.text else None


@labeling_function()
def coin(item):  # "xyz" items: the other label, always
    if "xyz" not in item.text:
        return None
    return "technical" if "refund" in item.text else "billing"
'''


def test_a_run_names_the_lfs_weighted_majority_ignores(make_project):
    rows = [{"id": f"b{i}", "text": f"refund please {'xyz' if i < 10 else ''}", "plan": "pro",
             "gold": "billing"} for i in range(30)]
    rows += [{"id": f"t{i}", "text": f"app crash {'xyz' if i < 10 else ''}", "plan": "free",
              "gold": "technical"} for i in range(30)]
    root = make_project(rows=rows, model="weighted_majority", lfs={"tickets": COIN_LFS})
    result = run_project(root, report=False)
    said = [w for w in result.warnings if "weighted_majority ignores" in w]
    assert len(said) == 1 and said[0].startswith(
        "weighted_majority ignores 1 LF: 'coin' (33.3% of the items"), result.warnings


SILENT_LFS = {"silent": TICKET_LFS + '''

@labeling_function()
def never_fires(item):
    return "billing" if "no ticket says this" in item.text else ABSTAIN


@labeling_function()
def always_raises(item):
    raise ValueError("broken")


@labeling_function()
def raises_on_t1(item):
    if item.id == "t1":
        raise ValueError("broken on t1")
    return ABSTAIN
'''}


def test_a_run_warns_of_lfs_that_never_voted(make_project):
    """An LF voting on no item showed 0.0% coverage and no warning, while a label no LF
    votes for was warned of. One raising on every item is its failures' warning's."""
    import json

    root = make_project(lfs=SILENT_LFS)
    result = run_project(root, report=False)
    path = root / "labeling_functions" / "silent.py"
    lfs = {lf.name: lf for lf in result.project.lfs}
    expected = (f"2 LFs voted on none of the 6 items they were applied to (0% coverage, "
                f"abstaining on every one): never_fires ({lfs['never_fires'].location}); "
                f"raises_on_t1 ({lfs['raises_on_t1'].location}; raised on 1 item); an LF "
                "that never votes adds nothing")
    said = [w for w in result.warnings if "voted on none" in w]
    assert len(said) == 1 and said[0].startswith(expected), said
    assert str(path) in said[0] and "always_raises" not in said[0]
    manifest = json.loads((result.run_dir / "manifest.json").read_text())
    assert said[0] in manifest["run_warnings"]
    # every LF voting: no such warning
    quiet = run_project(make_project(root=root.parent / "quiet"), report=False)
    assert not [w for w in quiet.warnings if "voted on none" in w]


def test_an_lf_another_warning_explains_is_not_warned_of_again(make_project):
    """An LF reading lemmas without a lemmatizer, or with its `return` left out, got both
    the warning of why it never votes and "N LFs voted on none of the items": one each."""
    lfs = {"silent": TICKET_LFS + '''

@labeling_function()
def refund_lemma(item):
    return "billing" if any(t.lemma_ == "refund" for t in item.doc) else ABSTAIN


@labeling_function()
def no_return(item):
    "billing" if "refund" in item.text else ABSTAIN


@labeling_function()
def never_fires(item):
    return "billing" if "no ticket says this" in item.text else ABSTAIN
'''}
    result = run_project(make_project(lfs=lfs, extra="\n[nlp]\nlemmatizer = false\n"),
                         report=False)
    said = result.warnings + result.dataset.warnings
    for name in ("refund_lemma", "no_return", "never_fires"):
        assert len([w for w in said if f"{name} (" in w or f"LF {name} " in w]) == 1, \
            (name, said)
    assert any(w.startswith("1 LF voted on none") and "never_fires (" in w for w in said)


COPIED_LF = TICKET_LFS + '''

@labeling_function()
def mentions_refund_copy(item):
    return "billing" if "refund" in item.text.lower() else ABSTAIN
'''


def test_run_and_analyze_name_lfs_that_vote_the_same_on_every_item(make_project, cli):
    """A copied LF was counted as a second witness and nothing said so: run and analyze
    name the group and what the label model does about it."""
    root = make_project(lfs={"tickets": TICKET_LFS}, model="default")
    assert not [w for w in run_project(root, report=False).warnings if "vote the same" in w]
    root = make_project(lfs={"tickets": COPIED_LF}, model="default")
    result = run_project(root, report=False)
    said = [w for w in result.warnings if "vote the same" in w]
    assert said == ["LFs mentions_refund and mentions_refund_copy vote the same on every "
                    "item (2 items voted on): the label model (dawid_skene) counts each group "
                    "once: each copy's votes weigh 1/(copies in its group); drop a copy "
                    "unless it is meant to vote otherwise on other data"]
    assert result.model.copy_of_.tolist() == [0, 1, 0]
    code, output = cli("analyze", "-p", str(root))
    assert code == 0, output
    assert ("LFs mentions_refund and mentions_refund_copy vote the same on every item (2 "
            "items voted on): the label model (default (dawid_skene)) counts each group once") \
        in output


def test_check_names_lfs_that_vote_the_same_on_the_items_tried(make_project):
    """check tries the LFs on 50 items: LFs voting alike on every one of them, on 5
    or more, are named; two that agree on the 2 items they vote on of 6 are not (chance)."""
    root = make_project(lfs={"tickets": COPIED_LF})
    assert not [w for w in check_project(root).warnings if "vote the same" in w]
    root = make_project(lfs={"tickets": COPIED_LF}, rows=_many_tickets())
    said = [w for w in check_project(root).warnings if "vote the same" in w]
    assert len(said) == 1
    assert said[0].startswith("LFs mentions_refund and mentions_refund_copy (")
    assert "vote the same on the 50 items spread over the data: copies?" in said[0]
    # what the project's own label model does with copies, under the warning's own kind
    assert "the label model (majority) counts every vote" in said[0], said[0]
    assert warning_kind(said[0]) == "lf_code"
