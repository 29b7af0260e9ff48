"""The two files ``labelwright train`` writes into a run folder, and the check that they
belong together, to the run and to the review ledger (``labelwright runs verify``).

Apart from :mod:`~labelwright.end_model.train` because a run's verification reads these
files without training anything: what makes a pair sound (each file's hash in the model's
``training`` section, :func:`document_sha256`) is defined once here, for the writer and the
checker alike."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from labelwright.end_model.model import EndModel
from labelwright.end_model.model_document import read_document
from labelwright.runs.file_names import TRAIN_FILES

#: files ``labelwright train`` writes into the run folder
MODEL_FILE, LABELS_FILE = TRAIN_FILES
#: the ``training`` key of the model document's own sha256 (see :func:`document_sha256`)
OWN_HASH = "model_sha256"


def document_sha256(doc: dict[str, Any]) -> str:
    """sha256 of an end model document without its own ``training.model_sha256``, as JSON
    with sorted keys and no spaces: the document train writes and the one read back give the
    same (JSON keeps Python floats exactly), whatever the file's spacing or key order."""
    training = {k: v for k, v in doc.get("training", {}).items() if k != OWN_HASH}
    text = json.dumps(doc | {"training": training}, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class TrainCheck(NamedTuple):
    """:func:`check_train_outputs`: what is wrong, what cannot be checked, what was."""

    problems: list[str]
    notes: list[str]
    checked: list[str]  # names of the files found to belong together


def check_train_outputs(run_dir: Path, manifest: dict[str, Any], ledger: Path,
                        decisions: list[Any] | None = None,
                        records: Sequence[Any] | None = None, *,
                        erased_at: Collection[str] | None = None) -> TrainCheck:
    """The files ``labelwright train`` left in ``run_dir`` checked against each other,
    against the run and against the review ledger at ``ledger`` (its first decisions must
    still be those train read; ``decisions``/``records``: its decisions and retirement
    records, when read already; ``erased_at``: when the runs folder's recorded erasures took
    notes out of the ledger, :func:`~labelwright.runs.erase.records.ledger_erasures`); all
    lists empty when train never ran there.

    ``end_model.json`` records the run, the data, the sha256 of the labels it wrote beside
    it and its own (:func:`document_sha256`); the labels are written first, so a train
    stopped between the two files, an edited labels file, an edited model or a model
    trained on another run's labels shows as a mismatch, as do model labels that are not
    the run's. A model from before these hashes were recorded cannot vouch for itself or
    its labels: that is said, not failed, and so is a model with no training section at
    all (an older ``train`` recorded none); one that records its own hash must record its
    labels' too.
    """
    from labelwright.file_hashes import file_sha256
    from labelwright.review.decisions.ledger_digests import ledger_changes
    from labelwright.review.decisions.retirements import recorded_changes
    from labelwright.runs.label_set import manifest_labels

    model_path, labels_path = run_dir / MODEL_FILE, run_dir / LABELS_FILE
    if not model_path.is_file():
        if labels_path.is_file():
            return TrainCheck([f"{LABELS_FILE}: there is no {MODEL_FILE} beside it (a "
                               "`labelwright train` that stopped before writing the model, "
                               "or a file removed); run `labelwright train` again"], [], [])
        return TrainCheck([], [], [])
    try:
        doc = read_document(model_path)
        EndModel.from_dict(doc, source=str(model_path))
    except ValueError as exc:
        return TrainCheck([str(exc)], [], [])
    training = doc.get("training")
    problems = []
    run_labels = list(manifest_labels(manifest) or ())
    if run_labels and doc["labels"] != run_labels:
        problems.append(f"{MODEL_FILE}: its labels {doc['labels']} are not the run's "
                        f"{run_labels} (names and order)")
    if "training" not in doc:  # an older train wrote the model and nothing about its input
        return TrainCheck(problems, [
            f"{MODEL_FILE} was written by an older `labelwright train`, which recorded no "
            "training section: the run, data and review decisions it was trained on, and "
            f"whether {LABELS_FILE} belongs with it, cannot be checked (`labelwright train` "
            "again writes a pair that can)"], [])
    if not isinstance(training, dict):
        return TrainCheck([*problems, f"{MODEL_FILE}: its training section is not a JSON "
                           "object, so what it was trained on cannot be checked"], [], [])
    if training.get("run_id") != run_dir.name:
        problems.append(f"{MODEL_FILE}: trained on run {training.get('run_id')!r}, not on "
                        f"this one ({run_dir.name})")
    data_sha = (manifest.get("data") or {}).get("sha256")
    if data_sha and training.get("data_sha256") != data_sha:
        problems.append(f"{MODEL_FILE}: trained on other data (sha256 "
                        f"{str(training.get('data_sha256'))[:12]}; the run read "
                        f"{data_sha[:12]})")
    count, digest = training.get("ledger_decisions"), training.get("ledger_sha256")
    if isinstance(count, int) and count > 0 and isinstance(digest, str):
        change = ledger_changes(ledger, count, digest, reader="train", decisions=decisions,
                                record=f"{MODEL_FILE}: training.ledger_decisions",
                                erased_at=erased_at)
        problems += [change.message] if change else []
    withdrawn = recorded_changes(ledger, training, "train", prefix="ledger_",
                                 section=f"{MODEL_FILE}: training", records=records,
                                 erased_at=erased_at)
    problems += [withdrawn] if withdrawn else []
    notes = []
    own, expected = training.get(OWN_HASH), training.get("labels_sha256")
    if own is None:  # a model written before train recorded them
        unrecorded = ("its own hash: edits to it cannot be found" if expected is not None
                      else f"its own hash or that of {LABELS_FILE}: the two cannot be "
                      "checked against each other")
        notes.append(f"{MODEL_FILE} was written by a labelwright that did not record "
                     f"{unrecorded} (`labelwright train` again writes a pair that can)")
    elif own != (now := document_sha256(doc)):
        problems.append(f"{MODEL_FILE}: not the model `labelwright train` wrote (sha256 "
                        f"{str(own)[:12]} -> {now[:12]}): edited since; run it again")
    if expected is None:
        if own is not None:
            problems.append(f"{MODEL_FILE}: records its own sha256 but not that of "
                            f"{LABELS_FILE} (train records both)")
    elif not labels_path.is_file():
        problems.append(f"{LABELS_FILE}: missing ({MODEL_FILE} names it)")
    elif (now := file_sha256(labels_path)) != expected:
        problems.append(f"{LABELS_FILE}: not the labels {MODEL_FILE} wrote (sha256 "
                        f"{str(expected)[:12]} -> {now[:12]}): edited since, or a "
                        "`labelwright train` stopped between its two files; run it again")
    # the labels' hash checked: the pair belongs together, even where the model's own is
    # not recorded (a model from the release before it; the note says what is not checked)
    return TrainCheck(problems, notes,
                      [] if problems or expected is None else [MODEL_FILE, LABELS_FILE])
