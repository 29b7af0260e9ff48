"""``runs verify``'s checks of a run folder's files that need no other file of the project:
outputs against the manifest's hashes, the manifest's sections, rows of ``labels.parquet``
that contradict themselves, the manifest against a sha256 kept elsewhere, and erasures
that name items the data still holds."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from labelwright.counts import counted, some_of
from labelwright.errors import RunError
from labelwright.runs.erase.records import ERASURES_FILE, Erasure, ErasureLog
from labelwright.runs.file_names import LABELS_FILE
from labelwright.runs.manifest import SECTION_RECORDS, missing_sections
from labelwright.runs.store import MANIFEST, changed_output
from labelwright.runs.verify.run_check import Finding, finding_of


def output_problems(run_dir: Path, manifest: dict[str, Any], erasures: ErasureLog
                    ) -> list[Finding]:
    """Each output edited or missing since the run wrote it (as
    :func:`~labelwright.runs.store.changed_outputs`; ``erasures``: the record of erasures
    that account for a change), by the output's name."""
    recorded: dict[str, str] = manifest.get("outputs") or {}
    if not recorded:  # every run records its outputs' hashes: nothing can be vouched for
        return [Finding(MANIFEST, "records no output hashes (a run always writes them: the "
                                  "manifest was edited), so no output can be checked")]
    from labelwright.runs.verify.row_ids import PAIRS, rows_detail

    found = []
    for name in sorted(recorded):
        problem = changed_output(run_dir, manifest, name, erasures)
        if problem is None:
            continue
        if name in PAIRS and (run_dir / name).is_file():
            detail = rows_detail(run_dir, manifest, name)
            problem += f"; {detail}" if detail else ""
        found.append(finding_of(problem, [name]))
    return found


def missing_section_findings(manifest: dict[str, Any]) -> list[Finding]:
    """A finding per section the run's labelwright always recorded that its manifest lacks
    (:func:`~labelwright.runs.manifest.missing_sections`): each read as a run without it
    verified ok, and without ``reviews`` the ledger was not checked at all."""
    return [Finding(MANIFEST, f"{section} is missing, which every run records "
                              f"({SECTION_RECORDS[section]}): the manifest was edited since "
                              "the run, and what it recorded there cannot be checked")
            for section in missing_sections(manifest)]


def calibration_record_deleted(run_dir: Path, manifest: dict[str, Any],
                               changed: Sequence[str]) -> list[Finding]:
    """A finding when the manifest lacks ``calibration`` though the run's own
    ``label_model.json`` (as the run wrote it: not in ``changed``) says the run recorded
    it: ``auto`` saves the rows its calibration was fit on (``calibration_rows_``, null
    when it fit none) since runs record the calibration, so a model that holds the key
    was saved by a labelwright whose manifests always hold the section (a manifest from
    before has a model without it, and verifies as before). [] when the section is there,
    the sections added after it already name it missing
    (:func:`missing_section_findings`), or the file cannot tell."""
    import json

    from labelwright.runs.file_names import LABEL_MODEL_FILE
    from labelwright.runs.verify.model_claims import saved_calibration_claims

    if "calibration" in manifest or "calibration" in missing_sections(manifest) \
            or LABEL_MODEL_FILE in changed or not (run_dir / LABEL_MODEL_FILE).is_file():
        return []
    try:
        saved = json.loads((run_dir / LABEL_MODEL_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    learned = saved.get("learned") if isinstance(saved, dict) else None
    if not isinstance(learned, dict) or "calibration_rows_" not in learned:
        return []
    given = saved_calibration_claims(learned, LABEL_MODEL_FILE)
    what = ", ".join(f"{field.removeprefix('calibration.')} {value!r}"
                     for field, (value, _) in given.items())
    return [Finding(MANIFEST, "calibration is missing, which this run recorded "
                              f"({SECTION_RECORDS['calibration']}): its {LABEL_MODEL_FILE}, "
                              "as the run wrote it, keeps the rows its calibration was fit "
                              "on (calibration_rows_), which labelwright saves only since "
                              "every manifest records the calibration"
                              + (f" ({what})" if what else "")
                              + ": the manifest was edited since the run, and its record "
                              "of the calibration cannot be checked")]


def contradicting_rows(run_dir: Path, changed: Sequence[str]) -> list[Finding]:
    """A problem naming the rows of the run's ``labels.parquet`` that contradict themselves
    (:func:`~labelwright.runs.explain.checks.contradicting_rows`, as ``explain`` tells
    them), when its hash matched (``changed``: the files found changed, said already): a
    label edited by hand with the file's new hash written into the manifest."""
    from labelwright.runs.explain.checks import (
        contradicting_rows_line,
        labels_file_contradictions,
    )

    if LABELS_FILE in changed or not (run_dir / LABELS_FILE).is_file():
        return []
    try:
        found = labels_file_contradictions(run_dir / LABELS_FILE)
    except RunError as exc:
        return [finding_of(str(exc), [str(run_dir / LABELS_FILE)])]
    return [Finding(LABELS_FILE, contradicting_rows_line(found))] if found else []


def manifest_anchor(run_dir: Path, expected: str) -> list[Finding]:
    """The run's ``manifest.json`` against the sha256 kept elsewhere (``expected``): the
    manifest holds every other hash, so only a hash of it kept out of the run folder tells
    a manifest rewritten with its outputs' new hashes. [] when it matches."""
    from labelwright.file_hashes import file_sha256

    given = expected.strip().lower()
    now = file_sha256(run_dir / MANIFEST)
    if now == given:
        return []
    return [Finding(MANIFEST, f"sha256 {now}, not the {given} given with --manifest-sha256: "
                              "the manifest was edited or replaced since that hash was taken "
                              "(the checks above read their hashes from it)")]


def trained_files(run_dir: Path) -> list[str]:
    """The names ``labelwright train``'s checks give their problems under: its two files,
    and the model file's path (a model that cannot be read is named by its path)."""
    from labelwright.end_model.train_outputs import LABELS_FILE, MODEL_FILE

    return [MODEL_FILE, LABELS_FILE, str(run_dir / MODEL_FILE)]


def erased_but_held(held: list[tuple[Erasure, list[str]]]) -> list[Finding]:
    """A problem for each line of ``runs/ERASURES.jsonl`` naming items the run labeled that
    the data still holds (``held``: :func:`~labelwright.runs.erase.run_accounts.held_in_data`, each
    with those items): ``erase`` refuses such items, so the line is no erasure it made,
    and cannot vouch for the run's files."""
    return [Finding(ERASURES_FILE, f"line {erasure.line}, the erasure of "
                    f"{erasure.erased_at[:10]} by {erasure.reviewer} ({erasure.reason}), "
                    f"names {counted(len(items), 'item')} the data still holds "
                    f"({some_of([repr(i) for i in items])}), which `labelwright erase` "
                    "refuses: no such erasure took place (the line was written by hand, or "
                    "their rows were added back to the data since)")
            for erasure, items in held]
