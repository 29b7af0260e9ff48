"""``labelwright runs verify --recompute``: a run's votes and labels computed again without
the vote cache, so a tampered or corrupted cache that changed a run's labels is caught."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

import labelwright
from labelwright.apply.cache import save_entry
from labelwright.project import run_project


@pytest.fixture
def ran(make_project):
    root = make_project()
    return root, run_project(root, report=False)


def _tamper(root, lf_votes_before_after):
    """Rewrite every vote cache entry holding an LF's votes so that every vote ``before``
    reads ``after``, with a checksum that matches (deliberate tampering)."""
    before, after = lf_votes_before_after
    done = 0
    for path in (root / ".labelwright" / "cache" / "votes").glob("*.npz"):
        with np.load(path) as entry:
            arrays = {name: entry[name] for name in entry.files if name != "checksum"}
        if "votes" not in arrays or not (arrays["votes"] == before).any():
            continue
        arrays["votes"] = np.where(arrays["votes"] == before, after, arrays["votes"]
                                   ).astype(np.int16)
        save_entry(path, **arrays)
        done += 1
    assert done


def test_a_run_made_from_a_tampered_vote_cache_is_named_by_lf(ran, cli):
    """The second run read its votes from a cache whose entries were rewritten (checksums
    and all): its manifest, its hashes and --inputs all passed."""
    root, _ = ran
    _tamper(root, (-1, 1))  # every abstain of the cached LFs now a vote for 'technical'
    tampered = run_project(root, report=False)
    code, out = cli("runs", "verify", "--inputs", "-p", str(root))
    assert code == 0 and "inputs: as the run read them" in out  # the hashes cannot see it
    code, out = cli("runs", "verify", "--recompute", "-p", str(root))
    assert code == 1, out
    # the header said "ok" above the differences: it says they are below now
    assert f"{tampered.run_id}: ok" not in out
    assert (f"{tampered.run_id}: differs (below); its files are as the run wrote them (" in out
            and "inputs: as the run read them" in out
            and "recompute: the LFs applied again without the vote cache give other votes "
            "than the run's label_matrix.parquet: LF mentions_refund: differs on 4 items "
            "(t2, t4, t5, t6) LF crashes: differs on 3 items (t1, t3, t5)" in out)
    assert ("recompute: the label model refit (majority (the run's settings)) gives other "
            "labels than the run's labels.parquet: model_label: differs on" in out)
    (check,) = labelwright.verify_runs(root, recompute=True)
    assert not check.ok and check.inputs is not None and not check.inputs
    assert {d.column: d.items for d in check.recomputed.votes} == {
        "mentions_refund": 4, "crashes": 3}
    # the README's recipe shows why it is not ok: the files are fine (no problem), the
    # recompute differs, and failures says so as the command does
    assert check.problems == []
    assert check.failures and check.failures[0].startswith("recompute: ")  # details indented
    assert all(line.startswith(("recompute: ", "  ")) for line in check.failures)
    assert any("LF mentions_refund: differs on 4 items" in line for line in check.failures)


def test_an_untouched_run_recomputes_to_its_own_votes_and_labels(ran, cli):
    root, run = ran
    run_project(root, report=False)  # from the cache
    code, out = cli("runs", "verify", "--all", "--recompute", "-p", str(root))
    assert code == 0, out
    assert out.count("recompute: 2 LFs applied again without the vote and Doc caches give "
                     "the run's votes on all 6 items") == 2
    assert out.count("recompute: the label model refit (majority (the run's settings)) "
                     "gives the run's model labels and probabilities") == 2


def test_a_run_whose_random_tie_breaks_went_by_item_id_recomputes_to_its_labels(
        make_project, cli):
    """The run flips a tie's coin by the item's id; a refit that flipped it by row (as
    model.predict does alone) named a run untouched since as changed."""
    from ticket_data import many_tickets

    root = make_project(rows=many_tickets(120))
    config = root / "labelwright.toml"
    config.write_text(config.read_text().replace('tie_break = "first"', 'tie_break = "random"'))
    run = run_project(root, report=False)
    labels = pd.read_parquet(run.run_dir / "labels.parquet")
    tied = labels[[c for c in labels if c.startswith("prob_")]].nunique(axis=1) == 1
    assert tied.sum() > 5  # the check means something only with ties to break
    code, out = cli("runs", "verify", "--recompute", "-p", str(root))
    assert code == 0, out
    assert "gives the run's model labels and probabilities" in out


def test_changed_inputs_are_not_called_a_changed_run(ran, cli):
    """With an LF edited since the run and the run's copy of it gone, its votes differ for
    that reason: nothing is recomputed, and the line says why (with the copy, it is
    recomputed from it: tests/runs/test_recompute_kept_sources.py)."""
    root, run = ran
    lf_file = root / "labeling_functions" / "tickets.py"
    lf_file.write_text(lf_file.read_text().replace('"refund" in', '"charge" in'))
    (run.run_dir / "sources" / "labeling_functions" / "tickets.py").unlink()
    code, out = cli("runs", "verify", "--recompute", "-p", str(root))
    assert code == 1, out
    assert ("recompute: the project's inputs are not the ones the run read (see inputs), so "
            "votes computed now would differ for that reason: nothing recomputed" in out)
    assert "differs on" not in out
    (check,) = labelwright.verify_runs(root, recompute=True)
    assert not check.ok and [f.file for f in check.problems] == [
        "sources/labeling_functions/tickets.py"]
    assert any(line.startswith("inputs: ") and "tickets.py" in line for line in check.failures)
    # nothing recomputed is said apart from what differs: "differs" wins the outcome
    assert check.outcome == "differs" and check.not_recomputed.startswith(
        "the project's inputs are not the ones")
    assert not any(line.startswith("recompute: ") for line in check.failures)


def _import(root, run, rows, reviewer):
    from labelwright.review import import_file

    review = root / f"decisions-{reviewer}.csv"
    review.write_text("id,review_label,run_id\n" + "".join(
        f"{item},{label},{run.run_id}\n" for item, label in rows), encoding="utf-8")
    import_file(root, review, reviewer=reviewer)


def _statuses(run):
    labels = pd.read_parquet(run.run_dir / "labels.parquet")
    return dict(zip(labels["id"].astype(str), labels["status"]))


def test_reviews_imported_since_the_run_are_left_out_of_its_refit(ran, cli):
    """The ledger only appends, and the run read its first decisions: the refit reads those,
    not the ones imported since, and so gives the run's labels (it refused before)."""
    root, first = ran
    _import(root, first, [("t1", "billing"), ("t2", "technical")], "ana")
    second = run_project(root, report=False)
    _import(root, second, [("t5", "billing"), ("t6", "technical")], "ben")
    third = run_project(root, report=False)  # reads all four decisions
    # had the refit read the decisions imported since, its statuses would be the third's
    assert _statuses(third) != _statuses(second)
    code, out = cli("runs", "verify", second.run_id, "--recompute", "-p", str(root))
    assert code == 0, out
    assert "gives the run's model labels and probabilities, and triage its statuses" in out
    assert ("recompute: the refit read the review ledger's first 2 of its 4 decisions, the "
            "ones the run read (those imported since are not the run's)" in out)
    assert "not refit" not in out
    (check,) = labelwright.verify_runs(root, second.run_id, recompute=True)
    assert check.ok and check.recomputed.refit and not check.recomputed.labels
    assert check.recomputed.refit_notes == []
    # the first run read no decision: its refit reads none of the four
    (check,) = labelwright.verify_runs(root, first.run_id, recompute=True)
    assert check.ok and check.recomputed.refit and not check.recomputed.labels
    assert check.recomputed.reviews_read == ("none of the review ledger's 4 decisions, as the "
                                             "run read none")


def test_a_changed_decision_the_run_read_is_still_not_refit(ran, cli):
    """Reading the ledger's first decisions is only the run's reading while they are
    unchanged: an edited one refuses the refit, and runs verify names it."""
    from ledger_rows import tamper

    root, first = ran
    _import(root, first, [("t1", "billing"), ("t2", "technical")], "ana")
    second = run_project(root, report=False)
    _import(root, second, [("t5", "billing")], "ben")
    tamper(root, "UPDATE decisions SET label = 'billing' WHERE item_id = 't2'")
    code, out = cli("runs", "verify", second.run_id, "--recompute", "-p", str(root))
    assert code == 1, out
    assert "the first 2 decisions, which the run read, are not the ones it read" in out
    assert ("recompute: label model not refit: the review ledger no longer holds the "
            "decisions the run read" in out)
    assert "item 't2' by ana: 'technical' when the run read it, now 'billing'" in out
    (check,) = labelwright.verify_runs(root, second.run_id, recompute=True)
    assert not check.recomputed.refit and not check.recomputed.votes


def test_label_studio_ids_paired_since_the_run_are_read_apart_as_the_run_read_them(ran):
    """An export imported since paired a Label Studio id with an email: now one rater, at
    the run two who disagreed. The refit reads the names as the run's manifest records
    them (none tied), not as the ledger pairs them now."""
    from labelwright.review.decisions import ledger
    from labelwright.review.decisions.rater_ids import remember

    root, first = ran
    path = ledger.ledger_path(root)

    def decide(item, label, annotator, k):
        return ledger.Decision(item, label, "importer", annotator, "", "now", "ls.json",
                               f"s{k}", "row 1", first.run_id, "label-studio")

    ledger.append(path, [decide("t5", "billing", "label-studio:2", 1)], sha256="s1",
                  reviewer="importer", source_file="ls.json", fmt="label-studio",
                  imported_at="now")
    ledger.append(path, [decide("t5", "technical", "label-studio:bob@example.com", 2)],
                  sha256="s2", reviewer="importer", source_file="ls.json",
                  fmt="label-studio", imported_at="now")
    second = run_project(root, report=False)  # two raters split on t5: no gold
    remember(path, {"label-studio:2": {"label-studio:bob@example.com"}}, sha256="s3",
             imported_at="later")
    third = run_project(root, report=False)  # one rater now: t5 has its latest label
    assert _statuses(third)["t5"] != _statuses(second)["t5"]
    (check,) = labelwright.verify_runs(root, second.run_id, recompute=True)
    assert check.recomputed.refit and not check.recomputed.labels, check.recomputed
    (check,) = labelwright.verify_runs(root, third.run_id, recompute=True)
    assert check.recomputed.refit and not check.recomputed.labels, check.recomputed


def test_decisions_the_run_set_aside_stay_aside_when_their_export_run_is_gone(
        make_project, cli):
    """The run set aside a decision made on a text the item no longer had, found by the
    exporting run's review file; with that run folder deleted since and the decision
    imported before the ledger recorded the hash of the text decided on, nothing tells now,
    so the refit reads the run's manifest's record of it."""
    import dataclasses
    import shutil

    from labelwright.review.decisions import ledger
    from ticket_data import TICKETS

    root = make_project()
    first = run_project(root, report=False)
    _import(root, first, [("t5", "billing")], "ana")
    # the same decision as an older labelwright filed it: no text hash (a new ledger)
    (decision,) = ledger.read_decisions(ledger.ledger_path(root))
    assert decision.text_hash is not None
    ledger.ledger_path(root).unlink()
    ledger.append(ledger.ledger_path(root), [dataclasses.replace(decision, text_hash=None)],
                  sha256=decision.source_sha256, reviewer="ana",
                  source_file=decision.source_file, fmt="csv",
                  imported_at=decision.imported_at)
    edited = [dict(row, text="Thanks, all good now, really") if row["id"] == "t5" else row
              for row in TICKETS]
    make_project(rows=edited, root=root)
    second = run_project(root, report=False)
    reviews = json.loads((second.run_dir / "manifest.json").read_text())["reviews"]
    assert reviews["set_aside_other_text"] == [{"run_id": first.run_id, "id": "t5"}]
    shutil.rmtree(first.run_dir)
    third = run_project(root, report=False)  # nothing tells now: the decision is used
    assert _statuses(third)["t5"] != _statuses(second)["t5"]
    assert any(f"1 decision(s) exported from run {first.run_id} cannot be checked for a "
               "changed text" in w for w in third.warnings), third.warnings
    (check,) = labelwright.verify_runs(root, second.run_id, recompute=True)
    assert check.recomputed.refit and not check.recomputed.labels, check.recomputed
    assert check.recomputed.refit_notes == []
    # a run from before manifests named the decisions (they counted them) is refit on
    # those found now, and the recompute says they may not be the run's
    manifest_path = second.run_dir / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    del manifest["reviews"]["set_aside_other_text"]
    manifest_path.write_text(json.dumps(manifest))
    code, out = cli("runs", "verify", second.run_id, "--recompute", "-p", str(root))
    assert ("recompute: the run set aside the decisions on 1 reviewed item(s) as made on "
            "another text than the item has, and its manifest does not record which: the "
            "refit sets aside those on the 0 it finds now, which may not be the run's" in out), out
    assert "status: differs on 1 item (t5)" in out


def test_package_versions_not_the_runs_are_named_beside_what_they_may_explain(
        ran, cli, monkeypatch):
    """A numpy or spaCy upgrade can change votes or a fit: the recompute names the packages
    whose version is not the one the run recorded, as a hint, not as a difference."""
    root, run = ran
    from labelwright.runs import store

    real = store.package_versions()
    assert real["numpy"]  # the run recorded the installed version
    monkeypatch.setattr(store, "package_versions",
                        lambda: {**real, "numpy": "0.0.1", "cleanlab": "9.9"})
    code, out = cli("runs", "verify", "--recompute", "-p", str(root))
    assert code == 0, out  # same results: an upgrade alone changes nothing the run wrote
    assert (f"recompute: package versions are not the run's (numpy {real['numpy']} -> "
            f"0.0.1; cleanlab {real['cleanlab'] or 'not installed'} -> 9.9); the results "
            "are the run's all the same" in " ".join(out.split()))
    _tamper(root, (-1, 1))
    run_project(root, report=False)
    code, out = cli("runs", "verify", "--recompute", "-p", str(root))
    assert code == 1, out
    assert ("a difference above may come from them rather than from the run's files"
            in " ".join(out.split()))
    (check,) = labelwright.verify_runs(root, recompute=True)
    assert check.recomputed.packages == [f"numpy {real['numpy']} -> 0.0.1",
                                         f"cleanlab {real['cleanlab'] or 'not installed'} -> 9.9"]


def test_no_package_line_when_versions_are_the_runs(ran, cli):
    root, _ = ran
    code, out = cli("runs", "verify", "--recompute", "-p", str(root))
    assert code == 0 and "package versions" not in out


def _drawn_project(make_project):
    """120 tickets whose audit (6 items) and random sample (15) differ by row and by id (no
    gold column: every item may be drawn)."""
    from ticket_data import many_tickets

    root = make_project(rows=many_tickets(120), gold=None, extra="random_sample = 15\n")
    config = root / "labelwright.toml"
    config.write_text(config.read_text().replace("audit_size = 1\n", "audit_size = 6\n"))
    return root


def _forget_draws(run_dir):
    """The run's manifest as labelwright wrote it before it recorded how runs draw."""
    import json

    path = run_dir / "manifest.json"
    manifest = json.loads(path.read_text())
    del manifest["triage"]["draws"]
    del manifest["triage"]["queue_ties"]  # recorded later still: such runs had neither
    path.write_text(json.dumps(manifest, indent=2, sort_keys=True))


def test_a_run_recomputes_to_its_statuses_audit_and_random_sample(make_project, cli):
    root = _drawn_project(make_project)
    run = run_project(root, report=False)
    recorded = json.loads((run.run_dir / "manifest.json").read_text())["triage"]
    assert (recorded["draws"], recorded["queue_ties"]) == ("item id", "item id")
    code, out = cli("runs", "verify", "--recompute", "-p", str(root))
    assert code == 0, out
    assert ("gives the run's model labels and probabilities, and triage its statuses, labels, "
            "label sources and confidences (reviewed labels from the decisions it read; "
            "samples drawn by item id, as the run drew them)" in out)
    # the same run said to have drawn by row: its audit and sample are not what rows give
    _forget_draws(run.run_dir)
    code, out = cli("runs", "verify", "--recompute", "-p", str(root))
    assert code == 1, out
    (check,) = labelwright.verify_runs(root, recompute=True)
    assert check.recomputed.draws == "row"
    assert {d.column for d in check.recomputed.labels} == {"status", "reasons"}
    assert check.recomputed.sample is not None and check.recomputed.sample.items > 0
    assert ("recompute: the random sample drawn again (by row, as the run drew it) is not the "
            "run's sample.jsonl: differs on" in out)


def test_a_run_from_before_draws_by_id_recomputes_by_row(make_project, cli, monkeypatch):
    """Runs drew their audit and random samples by row before their manifests said how: a
    recompute drawing by id called such a run, untouched since, changed."""
    import labelwright.project.fit_and_triage
    import labelwright.runs.outputs
    from labelwright.triage import core, draws

    def by_row(draw):
        return lambda *args, ids=None, **kwargs: draw(*args, **kwargs)

    root = _drawn_project(make_project)
    with monkeypatch.context() as patched:  # the run as labelwright made it then
        patched.setattr(labelwright.project.fit_and_triage, "triage", by_row(core.triage))
        patched.setattr(labelwright.runs.outputs, "random_sample", by_row(draws.random_sample))
        old = run_project(root, report=False)
    _forget_draws(old.run_dir)
    new = run_project(root, report=False)
    statuses = [pd.read_parquet(r.run_dir / "labels.parquet").set_index("id").sort_index()
                ["status"] for r in (old, new)]
    assert (statuses[0] != statuses[1]).any()  # the two rules drew other audits
    code, out = cli("runs", "verify", "--all", "--recompute", "-p", str(root))
    assert code == 0, out
    assert ("triage its statuses, labels, label sources and confidences (reviewed labels "
            "from the decisions it read; samples drawn by row, as the run drew them)" in out)
    assert ("triage its statuses, labels, label sources and confidences (reviewed labels "
            "from the decisions it read; samples drawn by item id, as the run drew them)" in out)


def _part_gold_project(make_project):
    """:func:`_drawn_project` with a gold label on every third ticket only."""
    from ticket_data import many_tickets

    rows = [row if i % 3 == 0 else {**row, "gold": ""}
            for i, row in enumerate(many_tickets(120))]
    root = make_project(rows=rows, extra="random_sample = 15\n")
    config = root / "labelwright.toml"
    config.write_text(config.read_text().replace("audit_size = 1\n", "audit_size = 6\n"))
    return root


def test_gold_items_stay_out_of_the_draws_and_runs_from_before_recompute_with_them(
        make_project, cli, monkeypatch):
    """The audit and random sample drew items with a gold label in the dataset; a run made
    so (its manifest without triage.excludes) recomputes to the draws it made."""
    import json

    import labelwright.project.fit_and_triage
    import labelwright.runs.outputs
    from labelwright.triage import core, draws

    def with_gold(draw):
        return lambda *args, gold=None, **kwargs: draw(*args, **kwargs)

    root = _part_gold_project(make_project)
    with monkeypatch.context() as patched:  # the run as labelwright made it then
        patched.setattr(labelwright.project.fit_and_triage, "triage", with_gold(core.triage))
        patched.setattr(labelwright.runs.outputs, "random_sample",
                        with_gold(draws.random_sample))
        old = run_project(root, report=False)
    manifest = json.loads((old.run_dir / "manifest.json").read_text())
    del manifest["triage"]["excludes"], manifest["triage"]["gold_left_out"]
    (old.run_dir / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True))
    new = run_project(root, report=False)
    gold = {i for i, g in zip(new.dataset.ids, new.dataset.gold) if g >= 0}

    def drawn(run):
        labels = pd.read_parquet(run.run_dir / "labels.parquet")
        audit = set(labels["id"][labels["reasons"].str.contains("audit")])
        sample = [json.loads(line)["id"] for line in
                  (run.run_dir / "sample.jsonl").read_text().splitlines()]
        return audit, sample

    (old_audit, old_sample), (audit, sample) = drawn(old), drawn(new)
    assert old_audit & gold and set(old_sample) & gold  # the old rule drew gold items
    assert len(audit) == 6 and len(sample) == 15 and not (audit | set(sample)) & gold
    # the items the old rule drew without gold, in their order, then others
    assert sample[:len(set(old_sample) - gold)] == [i for i in old_sample if i not in gold]
    triage_record = json.loads((new.run_dir / "manifest.json").read_text())["triage"]
    assert triage_record["excludes"] == ["reviewed", "gold"]
    accepted = new.labels["status"].eq("accepted") | new.labels["reasons"].eq("audit")
    assert triage_record["gold_left_out"] == {
        "audit": int((accepted & new.labels["gold"].notna()).sum()),
        "random_sample": len(gold)}
    code, out = cli("runs", "verify", "--all", "--recompute", "-p", str(root))
    assert code == 0, out
    assert out.count("gives the run's model labels and probabilities, and triage its "
                     "statuses") == 2
    code, out = cli("runs", "show", new.run_id, "-p", str(root))
    assert code == 0, out
    left_out = triage_record["gold_left_out"]
    assert (f"gold items (held out) left out of the draws: {left_out['audit']} from the audit, "
            f"{len(gold)} from the random sample") in out
    code, out = cli("runs", "show", old.run_id, "-p", str(root))
    assert code == 0 and "left out of the draws" not in out


def test_another_labelwright_than_the_runs_is_named_as_a_hint(ran, cli):
    """A labelwright upgraded since the run (the same text-processing code, so the pipeline
    is the run's) recomputes, and says the code is not the run's, as for a package."""
    import json

    root, run = ran
    path = run.run_dir / "manifest.json"
    manifest = json.loads(path.read_text())
    manifest["labelwright_code"]["sha256"] = "5" * 64
    path.write_text(json.dumps(manifest))
    code, out = cli("runs", "verify", "--recompute", "-p", str(root))
    assert code == 0, out
    assert ("recompute: labelwright is not the one that made the run (labelwright code "
            "555555555555 -> ") in out
    assert "the results are the run's all the same" in out


def test_a_reviews_record_without_its_decision_count_is_not_read_as_none():
    """A manifest's ``reviews`` that names no decision count (neither ``decisions`` nor the
    older ``count``) is a reading the refit cannot repeat, not one of no decisions: an empty
    record, or none, is a run that read none."""
    from labelwright.review.decisions.run_reading import run_reading

    assert run_reading({"policy": "majority"}, ()) is None
    assert run_reading({}, ()).decisions == 0
    assert run_reading(None, ()).decisions == 0
    assert run_reading({"count": 3}, ()).decisions == 3


def _forge_label(run_dir, pick, edit):
    """Edit the first row of the run's labels.parquet that ``pick`` selects with ``edit``
    (row -> row), and write the file's new sha256 into the manifest (as a forger would);
    returns the row's id."""
    import hashlib

    path = run_dir / "labels.parquet"
    frame = pd.read_parquet(path)
    k = next(i for i in range(len(frame)) if pick(frame.iloc[i]))
    for column, value in edit(frame.iloc[k]).items():
        frame.loc[k, column] = value
    frame.to_parquet(path, index=False)
    manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    manifest["outputs"]["labels.parquet"] = hashlib.sha256(path.read_bytes()).hexdigest()
    (run_dir / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return str(frame.loc[k, "id"])


def _another(labels, label):
    return next(name for name in labels if name != label)


def test_a_forged_final_label_is_refused_by_verify_recompute_and_export(ran, cli):
    """A model row's label changed in labels.parquet, its hash written into the manifest:
    `runs verify --recompute` said ok and `export` wrote the forged label (explain alone
    noticed the row contradicted itself)."""
    root, run = ran
    labels = [c[len("prob_"):] for c in pd.read_parquet(run.run_dir / "labels.parquet")
              if c.startswith("prob_")]
    item = _forge_label(run.run_dir, lambda r: r["label_source"] == "model",
                        lambda r: {"label": _another(labels, r["label"])})
    code, out = cli("runs", "verify", "-p", str(root))
    assert code == 1, out
    assert (f"labels.parquet: 1 row contradicts itself, as a run never writes a row "
            f"({item!r}: label") in out, out
    code, out = cli("runs", "verify", "--recompute", "-p", str(root))
    assert code == 1 and f"label: differs on 1 item ({item})" in out, out
    code, out = cli("export", "--out", str(root / "training.csv"), "-p", str(root))
    assert code == 1 and "so no training set is written" in out, out
    assert not (root / "training.csv").exists()


def test_a_forged_final_label_is_refused_by_train_and_the_wrench_export(make_project, cli):
    """train checked labels.parquet's hash alone: a model row's label changed, with the
    file's hash written into the manifest, was trained on as the run's, though export and
    runs verify refuse it."""
    from labelwright.runs.file_names import TRAIN_FILES

    root = make_project(gold=None)  # no gold: every labeled item is trained on
    run = run_project(root, report=False)
    code, out = cli("train", "-p", str(root))
    assert code == 0, out  # the run as written trains
    model = run.run_dir / TRAIN_FILES[0]
    trained = model.read_bytes()
    labels = [c[len("prob_"):] for c in pd.read_parquet(run.run_dir / "labels.parquet")
              if c.startswith("prob_")]
    item = _forge_label(run.run_dir, lambda r: r["label_source"] == "model",
                        lambda r: {"label": _another(labels, r["label"])})
    said = (f"labels.parquet: 1 row contradicts itself, as a run never writes a row "
            f"({item!r}: label")
    outs = {}
    for name, args, so in [
            ("train", ["train"], "no end model is trained"),
            ("export", ["export", "--out", str(root / "training.csv")],
             "no training set is written"),
            ("wrench", ["export", "--format", "wrench", "--out", str(root / "w")],
             "no WRENCH folder is written")]:
        code, out = cli(*args, "-p", str(root))
        assert code == 1 and said in out and f"its labels are not the run's, so {so}" in out, out
        outs[name] = " ".join(out.split()).split(said)[1].split("; its labels")[0]
    assert len(set(outs.values())) == 1, outs  # one line, told by one helper
    assert model.read_bytes() == trained  # not trained again on the forged label
    assert not (root / "training.csv").exists() and not (root / "w").exists()


def test_a_reviewed_label_forged_consistently_is_told_by_the_recompute(ran, cli):
    """A reviewed row's label, probabilities and all, changed to another: the row agrees
    with itself, so only the ledger decisions the run read tell it."""
    root, first = ran
    _import(root, first, [("t1", "billing")], "ana")
    run = run_project(root, report=False)
    labels = [c[len("prob_"):] for c in pd.read_parquet(run.run_dir / "labels.parquet")
              if c.startswith("prob_")]
    other = _another(labels, "billing")
    item = _forge_label(run.run_dir, lambda r: r["id"] == "t1", lambda r: {
        "label": other, **{f"prob_{name}": float(name == other) for name in labels}})
    code, out = cli("runs", "verify", run.run_id, "-p", str(root))
    # the row agrees with itself; the decisions the run read, settled again, tell it
    assert code == 1 and ("labels.parquet: 1 reviewed row is not what the 1 ledger decision "
                          f"the run read settles under [review] policy \"majority\" ('{item}': "
                          f"label '{other}' from review, but its decisions settle 'billing')"
                          ) in out, out
    code, out = cli("runs", "verify", run.run_id, "--recompute", "-p", str(root))
    assert code == 1 and f"label: differs on 1 item ({item})" in out, out


def test_a_refused_recompute_says_how_to_reproduce_the_run_and_that_works(ran, cli, tmp_path):
    """"nothing recomputed" (exit 1) did not say that the run's kept sources and its data
    give it back its inputs."""
    import shutil

    root, run = ran
    old_data = tmp_path / "old-items.csv"
    shutil.copy(root / "data" / "items.csv", old_data)
    lf_file = root / "labeling_functions" / "tickets.py"
    lf_file.write_text(lf_file.read_text().replace('"refund" in', '"charge" in'))
    with open(root / "data" / "items.csv", "a", encoding="utf-8") as handle:
        handle.write("t9,A new ticket,free,\n")
    code, out = cli("runs", "verify", run.run_id, "--recompute", "-p", str(root))
    assert code == 1, out
    assert ("nothing recomputed; to recompute it, give the data the run read (not kept in "
            "the run: 6 rows, sha256 ") in out
    assert (f"with `runs verify --recompute --data PATH` (the files it kept in "
            f"runs/{run.run_id}/sources/ stand in for the project's others changed since)"
            ) in out
    # following it: the data is the run's, the LF the run's kept copy, and the run
    # recomputes to its files
    code, out = cli("runs", "verify", run.run_id, "--recompute", "--data", str(old_data),
                    "-p", str(root))
    assert code == 0, out
    assert "nothing recomputed" not in out and "recomputed from the run's kept sources" in out
    assert lf_file.read_text().count('"charge" in') >= 1  # the project is left as it is


def test_recomputed_and_inputs_say_whether_anything_differs_by_name(ran):
    """``if check.recomputed:`` reads as "was it recomputed" and is False when it was and
    nothing differs: ``.differs`` says it by name, and None is the only "not asked"."""
    root, _ = ran
    (check,) = labelwright.verify_runs(root, inputs=True, recompute=True)
    assert check.recomputed is not None and check.inputs is not None
    assert check.recomputed.differs is False and check.inputs.differs is False
    assert check.recomputed.items == 6  # it was recomputed, and matched
    lf_file = root / "labeling_functions" / "tickets.py"
    lf_file.write_text(lf_file.read_text().replace('"refund" in', '"charge" in'))
    (check,) = labelwright.verify_runs(root, recompute=True)
    # the inputs differ; recomputed from the run's kept sources, nothing differs
    assert check.recomputed.differs is False and check.inputs.differs is True
    assert check.recomputed.from_sources and check.ok
    copy = next((root / "runs").glob("*/sources/labeling_functions/tickets.py"))
    kept = copy.read_bytes()
    copy.unlink()
    (check,) = labelwright.verify_runs(root, recompute=True)
    # the copy gone: the recompute refused, which finds nothing to differ
    assert check.recomputed.differs is False and check.inputs.differs is True
    assert check.recomputed.refused and bool(check.recomputed) is check.recomputed.differs
    copy.write_bytes(kept)
    _tamper(root, (-1, 1))
    lf_file.write_text(lf_file.read_text().replace('"charge" in', '"refund" in'))
    run_project(root, report=False)  # a run made from the tampered cache
    (check,) = labelwright.verify_runs(root, recompute=True)
    assert check.recomputed.differs is True and bool(check.recomputed) is True
