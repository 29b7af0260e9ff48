"""What an edited glossary gained and lost between two runs, from the runs' kept copies.

A manifest records a glossary's sha256 and how many phrases it has, not the phrases, so
``runs diff`` could say only "glossaries edited: praise". Each run keeps the glossary
files it read under ``runs/<id>/sources/`` (:mod:`labelwright.runs.sources`); when both
runs kept an intact copy, the two are read and their phrases (each term and synonym),
exclusions and settings (label, mode, accents, window, ...) compared. The copies are read
by the glossary reader (:func:`~labelwright.glossaries.reading.read_glossary`), so a
phrase is what a run reads it as; it imports no spaCy (which ``runs diff`` otherwise
never needs). A copy that is no glossary mapping is left out (its run read it, so it was
one).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from labelwright.runs.label_set import manifest_labels
from labelwright.runs.sources import kept_copies
from labelwright.runs.store import file_changed


@dataclass(frozen=True)
class GlossaryEdit:
    """One glossary's phrases and exclusions added and removed (in file order)."""

    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    exclusions_added: list[str] = field(default_factory=list)
    exclusions_removed: list[str] = field(default_factory=list)
    #: the settings that changed (:data:`SETTINGS`, in that order): ``{key: (old, new)}``
    #: as the glossary file writes them
    settings: dict[str, tuple[str, str]] = field(default_factory=dict)


#: the glossary settings compared, by their keys in a glossary file (a default one is its
#: default, as the run read it)
SETTINGS = ("label", "mode", "accents", "window", "window_stops_at", "description")


@dataclass(frozen=True)
class _Phrases:
    """What a glossary file matches (each term and synonym), what cancels a match, and
    its settings (:data:`SETTINGS`, as text)."""

    phrases: list[str]
    exclusions: list[str]
    settings: dict[str, str] = field(default_factory=dict)


def _read_phrases(path: Path, labels: Sequence[str]) -> _Phrases | None:
    """The phrases (each term, then its synonyms) and exclusions (before a term, then
    after) of the glossary file ``path``, as a run reads them, with the run's ``labels``
    (a label the run does not know leaves the phrases as they are); None when the file
    cannot be read or is no glossary mapping."""
    from labelwright.glossaries.reading import read_glossary

    try:
        glossary, _ = read_glossary(path, labels)
    except OSError:
        return None
    if glossary is None:
        return None
    settings = {"label": glossary.label, "mode": glossary.mode, "accents": glossary.accents,
                "window": str(glossary.window), "window_stops_at": glossary.window_stops_at,
                "description": repr(glossary.description or "")}
    return _Phrases([p for term in glossary.terms for p in term.phrases],
                    [*glossary.exclusions, *glossary.exclusions_after], settings)


def _kept_glossary(run_dir: Path, manifest: dict[str, Any], name: str) -> _Phrases | None:
    """The phrases of the run's copy of glossary ``name``, None when the run kept none, or
    its copy is not as the run wrote it, or does not read."""
    entry = next((g for g in manifest.get("glossaries") or [] if g.get("name") == name), None)
    if entry is None:
        return None
    kept = {str(f.get("path")): copy for copy, f in kept_copies(manifest).items()}
    copy = kept.get(str(entry.get("path")))
    if copy is None or file_changed(run_dir, copy, entry.get("sha256")) is not None:
        return None
    return _read_phrases(run_dir / copy, manifest_labels(manifest) or ())


def glossary_edits(runs: tuple[Path, Path], manifests: tuple[dict[str, Any], dict[str, Any]],
                   names: list[str]) -> dict[str, GlossaryEdit]:
    """``{glossary: its edit}`` for each of ``names`` (glossaries edited between the runs)
    whose copy both runs kept intact; the others are left out."""
    edits = {}
    for name in names:
        a, b = (_kept_glossary(run, manifest, name) for run, manifest in zip(runs, manifests))
        if a is None or b is None:
            continue
        before, after = a.phrases, b.phrases
        out_before, out_after = a.exclusions, b.exclusions
        edits[name] = GlossaryEdit(
            added=[p for p in after if p not in before],
            removed=[p for p in before if p not in after],
            exclusions_added=[p for p in out_after if p not in out_before],
            exclusions_removed=[p for p in out_before if p not in out_after],
            settings={key: (a.settings[key], b.settings[key]) for key in SETTINGS
                      if key in a.settings and key in b.settings
                      and a.settings[key] != b.settings[key]})
    return edits


def settings_text(edit: GlossaryEdit) -> str:
    """``mode lemma -> lowercase, accents ignore -> keep`` ("" when no setting changed)."""
    return ", ".join(f"{key} {old} -> {new}" for key, (old, new) in edit.settings.items())


def glossary_edit_lines(edits: dict[str, GlossaryEdit]) -> list[str]:
    """``glossary praise: phrases removed: great, fantastic; added: amazing`` per edited
    glossary whose copies say what changed ([] when none)."""
    lines = []
    for name, edit in edits.items():
        parts = [f"settings changed: {settings_text(edit)}"] if edit.settings else []
        parts += [f"{what}: {', '.join(phrases)}" for what, phrases in (
            ("phrases removed", edit.removed), ("phrases added", edit.added),
            ("exclusions removed", edit.exclusions_removed),
            ("exclusions added", edit.exclusions_added)) if phrases]
        lines.append(f"glossary {name}: " + ("; ".join(parts) if parts else
                                            "the same phrases, exclusions and settings "
                                            "(a term's note, the order or the layout "
                                            "changed)"))
    return lines
