"""``explain ITEM --run RUN`` of a run pruned with ``runs prune --keep-manifests``: what its
archive (``runs/pruned/<run_id>/``: ``manifest.json`` and ``sources/``) still tells of the
item's label. The item's text, votes, matches, probabilities and label went with the
run's folder; the LFs it applied (each at its line in the archived copy of its module), the
glossaries, the label model and its settings, and the review decisions on the item it read
(the ledger's first N, as its manifest counts them) are still known."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from labelwright.file_hashes import file_sha256
from labelwright.model_text import chosen_model, settings_text
from labelwright.runs.item_origin import in_project
from labelwright.runs.manifest import (
    MANIFEST,
    project_path,
    read_manifest,
)
from labelwright.runs.pruned import PrunedRun
from labelwright.runs.sources import kept_copies
from labelwright.runs.store import decision_count


def archived_lines(runs_dir: Path, record: PrunedRun, item_id: str, ledger: Path,
                   root: Path) -> list[str]:
    """The lines ``explain`` prints of ``item_id`` in the archived run ``record`` of the
    project at ``root``: the archive first said, and whether its manifest is the one
    pruned."""
    folder = runs_dir / record.archive
    head = (f"item {item_id} in run {record.run_id}, {record.describe()}: its archive "
            f"{project_path(folder, root)} keeps manifest.json and sources/ only; the "
            "item's text, votes, "
            "glossary matches, probabilities and label went with its folder")
    if not (folder / MANIFEST).is_file():
        return [head, f"  {folder / MANIFEST}: missing: nothing of the run can be read"]
    lines = [head]
    if file_sha256(folder / MANIFEST) != record.manifest_sha256:
        lines.append(f"  {MANIFEST}: not the one pruned (its sha256 differs from the "
                     f"record's): `labelwright runs verify {record.run_id}` says more")
    manifest = read_manifest(folder)
    data = manifest.get("data") or {}
    shown = in_project(str(data["path"]), manifest) if data.get("path") else "(a DataFrame)"
    lines.append(f"  data: {shown} (sha256 {str(data.get('sha256'))[:12]}, "
                 f"{data.get('rows', '?')} rows)")
    lines += _lf_lines(folder, manifest, root)
    glossaries = [f"{g.get('name')} (sha256 {str(g.get('sha256'))[:12]})"
                  for g in manifest.get("glossaries") or [] if isinstance(g, dict)]
    lines.append(f"Glossaries: {', '.join(glossaries) or 'none'}")
    lines += _model_lines(manifest)
    lines += _review_lines(manifest, item_id, ledger)
    return lines


def _lf_lines(folder: Path, manifest: dict[str, Any], root: Path) -> list[str]:
    """The LFs the run applied, each at its line in the archive's copy of its file."""
    copies = {str(e.get("path")): str(e.get("copy")) for e in kept_copies(manifest).values()}
    lfs = [lf for lf in manifest.get("labeling_functions") or [] if isinstance(lf, dict)]
    lines = [f"LFs the run applied ({len(lfs)}):"]
    for lf in lfs:
        path, _, line = str(lf.get("location", "")).rpartition(":")
        where = (f"{project_path(folder / copies[path], root)}:{line}" if path in copies
                 else str(lf.get("location", "?")))
        lines.append(f"  {lf.get('name')} ({lf.get('kind')}) at {where}, source sha256 "
                     f"{str(lf.get('source_sha256'))[:12]}")
    return lines


def _model_lines(manifest: dict[str, Any]) -> list[str]:
    model = manifest.get("label_model") or {}
    settings = settings_text(model.get("params"))
    lines = [f"Label model: {model.get('name')}" + (f" ({settings})" if settings else "")
             + f", seed {manifest.get('seed')}"]
    chosen = model.get("chosen")
    if isinstance(chosen, dict):
        lines.append(f"  auto chose {chosen_model(chosen)}: {chosen.get('reason', '?')}")
    return lines


def _review_lines(manifest: dict[str, Any], item_id: str, ledger: Path) -> list[str]:
    """The decisions on the item among those the run read (the ledger's first N)."""
    from labelwright.review.decisions.ledger_reading import read_decisions

    reviews = manifest.get("reviews") or {}
    read = decision_count(reviews) if reviews else None
    if not isinstance(read, int):
        return ["Reviews: the run read none"]
    ledger_decisions = read_decisions(ledger)[:read]
    mine = [d for d in ledger_decisions if d.item_id == item_id]
    if len(ledger_decisions) < read:
        return [f"Reviews: the run read {read} decisions; the ledger holds fewer now"]
    return [f"Reviews the run read on it ({len(mine)} of the ledger's first {read}):"] + [
        f"  {d.label} by {d.rater}" + (f" at {d.decided_at}" if d.decided_at else
                                       f" imported at {d.imported_at}")
        + f" from {d.source_file} ({d.source_row})" for d in mine]
