"""The run's calibration on record: ``auto``'s calibration shapes every probability a run
writes, and the manifest held its parameters (``label_model.calibration``) but not what
they were fit on, nor anything ``runs verify`` compared: a run's probabilities could not be
traced to the calibration that made them."""

from __future__ import annotations

import hashlib
import json

import labelwright
from labelwright import run_project
from labelwright.models import load_model
from labelwright.review.decisions import ledger
from labelwright.runs.calibration_record import gold_record, parameters_sha256
from ticket_data import many_tickets


def _calibrated_run(make_project):
    rows = many_tickets(60)
    root = make_project(rows=rows, model="auto")
    decisions = [ledger.Decision(r["id"], r["gold"], "importer", "ana", "", "now", "f", "s1",
                                 f"row {k}", "r1", "csv") for k, r in enumerate(rows[:30])]
    ledger.append(ledger.ledger_path(root), decisions, sha256="s1", reviewer="importer",
                  source_file="f", fmt="csv", imported_at="now")
    return root, rows, run_project(root, report=False)


def _manifest(run):
    return json.loads((run.run_dir / "manifest.json").read_text(encoding="utf-8"))


def _rewrite(run, manifest):
    (run.run_dir / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True),
                                               encoding="utf-8")


def test_the_manifest_records_the_calibration_and_the_gold_it_was_fit_on(make_project):
    root, rows, run = _calibrated_run(make_project)
    manifest = _manifest(run)
    record = manifest["calibration"]
    saved = manifest["label_model"]["calibration"]
    assert record["method"] == saved["method"]
    assert record["confidence_map"] is (saved["confidence_map"] is not None)
    text = json.dumps(saved, sort_keys=True, separators=(",", ":"))
    assert record["parameters_sha256"] == hashlib.sha256(text.encode()).hexdigest()
    # the 30 reviewed labels, by id and label, as anyone can hash them again
    lines = sorted(f"{r['id']}\t{r['gold']}\n" for r in rows[:30])
    assert record["gold"] == {"items": 30,
                              "sha256": hashlib.sha256("".join(lines).encode()).hexdigest()}
    assert gold_record([r["id"] for r in rows[:30]], [r["gold"] for r in rows[:30]]) \
        == record["gold"]
    # the saved model keeps the rows, so a model read back (the fit cache's too) has them
    model = load_model(run.run_dir / "label_model.json")
    assert len(model.calibration_rows_) == 30
    assert parameters_sha256(json.loads(json.dumps(model.calibration_))) \
        == record["parameters_sha256"]


def test_a_model_without_calibration_records_none(make_project):
    run = run_project(make_project(rows=many_tickets(60), model="majority"), report=False)
    assert _manifest(run)["calibration"] is None


def test_runs_verify_names_a_recorded_calibration_the_saved_model_does_not_hold(
        make_project, cli):
    root, _, run = _calibrated_run(make_project)
    (check,) = labelwright.verify_runs(root, run.run_id)
    assert check.ok and "calibration" in check.claims_checked
    manifest = _manifest(run)
    manifest["calibration"]["parameters_sha256"] = "0" * 64
    manifest["calibration"]["gold"]["items"] = 31
    confidence_map = manifest["calibration"]["confidence_map"]
    manifest["calibration"]["confidence_map"] = not confidence_map
    _rewrite(run, manifest)
    code, out = cli("runs", "verify", run.run_id, "-p", str(root))
    assert code == 1, out
    assert (f"calibration.parameters_sha256: the manifest says '{'0' * 64}', "
            "label_model.json gives") in out
    assert ("calibration.gold.items: the manifest says 31, label_model.json gives 30: the "
            "manifest was edited since the run") in out
    assert (f"calibration.confidence_map: the manifest says {not confidence_map}, "
            f"label_model.json gives {confidence_map}") in out


def test_recompute_names_a_calibration_that_no_longer_reproduces(make_project, cli):
    """The recorded gold is the run's reviewed labels: a record of other gold (or another
    method) is named by the refit, field by field."""
    root, _, run = _calibrated_run(make_project)
    (check,) = labelwright.verify_runs(root, run.run_id, recompute=True)
    assert check.ok, check.failures
    assert "calibration" in check.recomputed.claims_checked
    manifest = _manifest(run)
    recorded = manifest["calibration"]["gold"]["sha256"]
    manifest["calibration"]["gold"]["sha256"] = "f" * 64
    _rewrite(run, manifest)
    (check,) = labelwright.verify_runs(root, run.run_id, recompute=True)
    assert (f"calibration.gold.sha256: the manifest says '{'f' * 64}', the refit gives "
            f"'{recorded}'") in check.recomputed.claims


def test_the_parameters_hash_is_the_saved_documents_whatever_numbers_the_model_holds():
    """The manifest's hash is taken of the model's calibration as it holds it, ``runs
    verify``'s of ``label_model.json``'s, which holds numpy numbers as Python's: a float32
    (which JSON cannot write) or a numpy integer gives the saved document's hash, and the
    text hashed is fixed (shortest round-trip floats, keys sorted, no spaces), not numpy's
    printing of a number."""
    import numpy as np

    from labelwright.models.document import plain

    held = {"method": "temperature", "temperature": np.float32(1.1),
            "class_bias": [np.float64(0.1), np.int64(2), -0.0], "pattern_temperatures": None}
    saved = json.loads(json.dumps(plain(held), allow_nan=False))
    assert parameters_sha256(held) == parameters_sha256(saved)
    text = ('{"class_bias":[0.1,2,-0.0],"method":"temperature","pattern_temperatures":null,'
            '"temperature":1.100000023841858}')
    assert parameters_sha256(saved) == hashlib.sha256(text.encode()).hexdigest()


def test_runs_show_says_the_calibration_on_record(make_project, cli):
    """``runs show`` said the calibration auto chose, not the record ``runs verify`` checks:
    which parameters (their sha256) and which reviewed labels it was fit on."""
    root, _, run = _calibrated_run(make_project)
    record = _manifest(run)["calibration"]
    code, out = cli("runs", "show", "-p", str(root))
    assert code == 0, out
    said = " ".join(out.split())
    assert (f"calibration on record: {record['method']}, parameters sha256 "
            f"{record['parameters_sha256'][:12]}; fit on 30 reviewed labels (sha256 "
            f"{record['gold']['sha256'][:12]})") in said, out


def _drop_calibration_rows(run):
    """``label_model.json`` as an auto model saved it before it kept the rows its
    calibration was fit on, with its new hash in the manifest: a run from before the
    calibration record."""
    from labelwright.file_hashes import file_sha256

    path = run.run_dir / "label_model.json"
    saved = json.loads(path.read_text(encoding="utf-8"))
    del saved["learned"]["calibration_rows_"]
    path.write_text(json.dumps(saved, indent=2), encoding="utf-8")
    manifest = _manifest(run)
    manifest["outputs"]["label_model.json"] = file_sha256(path)
    return manifest


def test_a_deleted_calibration_record_is_told_from_a_run_made_before_it(make_project, cli):
    """With ``calibration`` deleted from its manifest, a run verified ok, as one made
    before runs recorded it: the sections added after it tell it, and without them the
    run's own label_model.json (hashed) does."""
    root, _, run = _calibrated_run(make_project)
    manifest = _manifest(run)
    assert "report" in manifest  # recorded since the calibration, null without a report
    del manifest["calibration"]
    _rewrite(run, manifest)
    code, out = cli("runs", "verify", run.run_id, "-p", str(root))
    assert code == 1, out
    assert ("manifest.json: calibration is missing, which every run records (the calibration "
            "that shaped its probabilities and the reviewed labels it was fit on; null for a "
            "label model that calibrates nothing): the manifest was edited since the run") in out
    del manifest["report"]  # the later section deleted too: the saved model tells
    _rewrite(run, manifest)
    code, out = cli("runs", "verify", run.run_id, "-p", str(root))
    assert code == 1, out
    assert ("manifest.json: calibration is missing, which this run recorded (the calibration "
            "that shaped its probabilities") in out
    assert "keeps the rows its calibration was fit on (calibration_rows_)" in out
    assert "gold.items 30" in out  # what is missing, as the saved model gives it
    # a run made before the record: no key, and a saved model without the rows
    _rewrite(run, _drop_calibration_rows(run))
    (check,) = labelwright.verify_runs(root, run.run_id)
    assert check.ok, check.problems
    assert "calibration" not in check.claims_checked


def test_a_run_made_before_the_calibration_record_still_verifies(make_project):
    """A majority-vote run has no calibration to record (null), and a manifest from before
    the record has neither it nor the report's record: it verifies as before."""
    run = run_project(make_project(rows=many_tickets(60), model="majority"), report=False)
    manifest = _manifest(run)
    del manifest["calibration"], manifest["report"]
    _rewrite(run, manifest)
    (check,) = labelwright.verify_runs(run.run_dir.parent.parent, run.run_id)
    assert check.ok, check.problems


def test_the_summary_lines_say_the_no_vote_shares_beside_the_method():
    """``run`` said "temperature + no-vote shares" (the calibrator's ``describe()``) while
    ``runs show`` and the bench table said "temperature" of the same calibration: the items
    no LF voted on took the gold rows' shares, and those lines did not say so."""
    from labelwright.cli.bench import _calibration_text
    from labelwright.cli.run_summary import choice_lines
    from labelwright.cli.show_sections import _calibration_record_line
    from labelwright.models.calibration import Calibrator
    from labelwright.models.calibration_document import temperature_calibration
    from labelwright.runs.calibration_record import saved_calibration_record

    plain_doc = temperature_calibration(2, 1.3)
    shared = {**plain_doc, "no_vote_probs": [0.25, 0.75]}
    assert Calibrator.from_dict(shared).describe() == "temperature + no-vote shares"
    for doc, words in ((shared, "temperature + no-vote shares"), (plain_doc, "temperature")):
        lines = choice_lines({"chosen": {"model": "majority", "reason": "best"},
                              "calibration": doc, "labels_from": "model"})
        assert f"calibration: {words}; labels from the model's own probabilities" in lines
        record = saved_calibration_record(doc, None, [], None, [])
        assert record is not None and record["method"] == "temperature"  # as it was
        line = _calibration_record_line(record, doc)
        assert line is not None and line.startswith(f"calibration on record: {words}, ")
    # no_vote_bias's own probabilities of those items are not shares beside it
    own = {**shared, "method": "no_vote_bias"}
    record = saved_calibration_record(own, None, [], None, [])
    assert "shares" not in str(_calibration_record_line(record, own))
    mapped = {"ece_calibrated": 3.25, "calibration": "temperature", "confidence_map": True}
    assert _calibration_text({**mapped, "no_vote_shares": True}).endswith(
        "(temperature + no-vote shares + confidence map)")
    assert _calibration_text({**mapped, "no_vote_shares": False}).endswith(
        "(temperature + confidence map)")


def test_the_record_says_whether_the_no_vote_shares_follow_and_verify_checks_it(
        make_project, cli):
    """The record said the method and the confidence map but not whether the items no LF
    voted on take the no-vote shares: a reader of the manifest had to work it out from the
    parameters, and a record edited to say otherwise was not caught."""
    from labelwright.models.calibration_document import saved_no_vote_shares

    root, _, run = _calibrated_run(make_project)
    manifest = _manifest(run)
    shares = manifest["calibration"]["no_vote_shares"]
    assert shares is saved_no_vote_shares(manifest["label_model"]["calibration"])
    (check,) = labelwright.verify_runs(root, run.run_id, recompute=True)
    assert check.ok, check.failures
    manifest["calibration"]["no_vote_shares"] = not shares
    _rewrite(run, manifest)
    code, out = cli("runs", "verify", run.run_id, "-p", str(root))
    assert code == 1, out
    assert (f"calibration.no_vote_shares: the manifest says {not shares}, label_model.json "
            f"gives {shares}: the manifest was edited since the run") in out
    (check,) = labelwright.verify_runs(root, run.run_id, recompute=True)
    assert (f"calibration.no_vote_shares: the manifest says {not shares}, the refit gives "
            f"{shares}") in check.recomputed.claims
    # a manifest written before the record said it: read as absent, not as a mismatch
    del manifest["calibration"]["no_vote_shares"]
    _rewrite(run, manifest)
    (check,) = labelwright.verify_runs(root, run.run_id, recompute=True)
    assert check.ok, check.failures
    assert "calibration" in check.claims_checked


def test_runs_show_reads_the_no_vote_shares_from_the_record():
    """``runs show`` told the no-vote shares from the parameters; the record now says it,
    and a record without the key (written before it) is still read from the parameters."""
    from labelwright.cli.show_sections import _calibration_record_line
    from labelwright.models.calibration_document import (
        saved_no_vote_shares,
        temperature_calibration,
    )
    from labelwright.runs.calibration_record import no_vote_shares, saved_calibration_record

    plain_doc = temperature_calibration(2, 1.3)
    shared = {**plain_doc, "no_vote_probs": [0.25, 0.75]}
    for doc in (plain_doc, shared, {**shared, "method": "no_vote_bias"}, None, {}):
        assert no_vote_shares(doc) is saved_no_vote_shares(doc)  # one rule, read twice
    record = saved_calibration_record(shared, None, [], None, [])
    assert record is not None and record["no_vote_shares"] is True
    assert "temperature + no-vote shares," in str(_calibration_record_line(record, None))
    said_not = {**record, "no_vote_shares": False}
    assert "shares" not in str(_calibration_record_line(said_not, shared))
    older = {k: v for k, v in record.items() if k != "no_vote_shares"}
    assert "temperature + no-vote shares," in str(_calibration_record_line(older, shared))
    assert "shares" not in str(_calibration_record_line(older, plain_doc))


def test_runs_verify_names_a_recorded_gold_the_runs_reviewed_labels_do_not_give(
        make_project, cli):
    """The gold's sha256 is told again from ``labels.parquet`` (the reviewed labels at the
    rows ``label_model.json`` says the calibration was fit on), without a refit: a record of
    other gold passed plain ``runs verify``."""
    root, _, run = _calibrated_run(make_project)
    manifest = _manifest(run)
    recorded = manifest["calibration"]["gold"]["sha256"]
    manifest["calibration"]["gold"]["sha256"] = "0" * 64
    _rewrite(run, manifest)
    code, out = cli("runs", "verify", run.run_id, "-p", str(root))
    assert code == 1, out
    assert (f"calibration.gold.sha256: the manifest says '{'0' * 64}', labels.parquet (the "
            "ids and reviewed labels of the 30 rows label_model.json's calibration was fit "
            f"on) gives '{recorded}': the manifest was edited since the run") in out
