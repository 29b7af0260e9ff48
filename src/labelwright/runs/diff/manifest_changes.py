"""What two runs' manifests say changed, read field by field: the LFs, glossaries and files
added, removed or edited (by their hashes), the accuracy and gold items each recorded, the
labels renamed, the labelwright that made each, and how often each LF raised."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from labelwright.runs.diff.result import Changes
from labelwright.runs.label_set import manifest_labels
from labelwright.runs.manifest import missing_sections, recorded_renamed


def named_changes(a: list[dict[str, Any]], b: list[dict[str, Any]], key: str) -> Changes:
    """The entries (``name`` and ``key``, a hash) of a manifest list added, removed or
    edited from ``a`` to ``b``."""
    before = {entry["name"]: entry.get(key) for entry in a}
    after = {entry["name"]: entry.get(key) for entry in b}
    return Changes(
        added=[name for name in after if name not in before],
        removed=[name for name in before if name not in after],
        edited=[name for name in after if name in before and after[name] != before[name]],
    )


def lf_changes(a: list[dict[str, Any]], b: list[dict[str, Any]]) -> Changes:
    """LFs added, removed or edited. A glossary's LF is never "edited": its hash mixes in
    the spaCy pipeline (a new pipeline matches other tokens), so a pipeline change would
    list every glossary LF; an edited glossary file is named among the glossaries, and a
    changed pipeline on its own line."""
    changes = named_changes(a, b, "source_sha256")
    glossary_lfs = {entry["name"] for entry in b if entry.get("kind") == "glossary"}
    changes.edited = [name for name in changes.edited if name not in glossary_lfs]
    return changes


def recorded_accuracy(manifest: dict[str, Any]) -> float | None:
    evaluation = manifest.get("evaluation") or {}
    return (evaluation.get("label_model") or {}).get("accuracy")


def gold_items(manifest: dict[str, Any]) -> int | None:
    """How many gold items a run's accuracy is over (reviewed ones are left out)."""
    return (manifest.get("evaluation") or {}).get("n_gold")


def run_missing_sections(*runs: tuple[dict[str, Any], Path]) -> dict[str, list[str]]:
    """``{section: [run ids]}``: the sections each run's labelwright always recorded that
    its manifest lacks (:func:`~labelwright.runs.manifest.missing_sections`)."""
    missing: dict[str, list[str]] = {}
    for manifest, path in runs:
        for section in missing_sections(manifest):
            missing.setdefault(section, []).append(str(manifest.get("run_id", path.name)))
    return missing


def code_change(a: dict[str, Any], b: dict[str, Any]) -> tuple[str, str] | None:
    """Each run's ``labelwright_code`` as a line shows it, when the two differ: another
    labelwright made run b (an upgrade), or an older one that recorded none made one of
    them. None when both record the same, or neither records it."""
    from labelwright.runs.own_code import code_text

    shown = code_text(a.get("labelwright_code")), code_text(b.get("labelwright_code"))
    recorded = [isinstance(m.get("labelwright_code"), dict) for m in (a, b)]
    return shown if any(recorded) and shown[0] != shown[1] else None


#: where the README says what an upgrade changes, named by the lines that warn of one
UPGRADING = 'README "Upgrading labelwright"'


def code_changed_text(run_id: str, codes: tuple[str, str]) -> str:
    """The line saying another labelwright made the later of two runs (``codes``: as
    :func:`code_change` gives them): a flip's cause is read from the votes and reviews,
    which an upgrade that changed a default or a rule leaves alone, so "label model (same
    text and votes)" may be the new labelwright's doing."""
    return (f"labelwright changed since run {run_id} (code {codes[0]} -> {codes[1]}): "
            f"flips may come from it; see {UPGRADING}")


def failure_changes(a: dict[str, Any], b: dict[str, Any]) -> dict[str, tuple[int, int]]:
    """``{LF: (items it raised on in a, in b)}`` for the LFs of both runs whose counts
    differ, in run a's LF order."""
    def counts(manifest: dict[str, Any]) -> dict[str, int]:
        return {str(name): int((record or {}).get("count") or 0)
                for name, record in (manifest.get("failures") or {}).items()}
    in_a, in_b = counts(a), counts(b)
    return {name: (in_a.get(name, 0), in_b.get(name, 0)) for name in lfs_in_both(a, b)
            if in_a.get(name, 0) != in_b.get(name, 0)}


def label_renames(a: dict[str, Any], b: dict[str, Any]) -> dict[str, str]:
    """``{label of run a: its name in run b}`` for the labels run b's ``[project] renamed``
    (as its manifest records it: ``project.renamed``, or ``reviews.renamed`` in a run made
    before the project record had it, where only a run with reviews recorded it) renames
    from run a's labels to one of its own."""
    labels_a, labels_b = manifest_labels(a) or (), manifest_labels(b) or ()
    renamed = recorded_renamed(b)
    return {old: new for old, new in sorted(renamed.items())
            if old in labels_a and old not in labels_b and new in labels_b}


def lfs_in_both(a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    """The LFs both runs' manifests list, in run a's order."""
    names_b = {lf.get("name") for lf in b.get("labeling_functions") or []}
    return [lf["name"] for lf in a.get("labeling_functions") or [] if lf.get("name") in names_b]
