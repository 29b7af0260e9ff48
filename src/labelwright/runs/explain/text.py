"""The item's text, fields and glossary matches for ``explain``, recomputed from the
project's current dataset (its file, id and text columns), glossaries and pipeline, with a
warning wherever those differ from the ones the run recorded (by path, name or hash),
naming the file the run read as its manifest records it; the text is then the one the run
exported for review, where it exported the item (the text it labelled), and the glossary
matches are found with the run's copies of its glossaries, where it kept them."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from labelwright.apply.item_fields import missing_as_none
from labelwright.config.data_override import (
    FRAME_SOURCE,
    ran_on_frame,
    run_data_config,
)
from labelwright.counts import some_of
from labelwright.data.part_files import shown_part
from labelwright.errors import LabelwrightError
from labelwright.glossaries.core import Glossary
from labelwright.glossaries.matching import GlossaryMatcher
from labelwright.glossaries.reading import load_glossaries
from labelwright.lfs.item import GlossaryMatch
from labelwright.nlp import load_pipeline, pipeline_fingerprint
from labelwright.review.imports.shown_text import texts_shown
from labelwright.runs.explain.data import ItemNow, item_now
from labelwright.runs.label_set import manifest_labels
from labelwright.runs.run_data import other_data_file, run_data_columns
from labelwright.runs.run_items import frame_config
from labelwright.runs.sources import KeptSources
from labelwright.text_form import same_reading

if TYPE_CHECKING:
    import pandas as pd


def _data_changes(config: Any, manifest: dict[str, Any], source: str, sha256: str, *,
                  shown: str = "the text and glossary matches shown are from",
                  item: ItemNow | None = None) -> list[str]:
    """Warnings when the project's dataset (``source``, with hash ``sha256``) is not what the
    run read: another file, other contents, or other id and text columns. The file the run
    read is the one its manifest records, never the one ``[data]`` names now: with the
    path changed (or a run folder from another project), naming the current file said the
    run had read a file it never saw."""
    run_id = manifest.get("run_id")
    data = manifest.get("data") or {}
    read = data.get("path")
    same = other_data_file(manifest, source, config) is None
    warnings = []
    recorded = data.get("sha256")
    if same:
        if recorded and recorded != sha256:
            warnings.append(_part_change(manifest, item, shown) or
                            f"{source} changed since run {run_id}; {shown} the current file")
    elif recorded and recorded != sha256:
        warnings.append(f"run {run_id} read its items from {read} (sha256 {recorded[:12]}); "
                        f"[data] path now names {source}, which holds other data (sha256 "
                        f"{sha256[:12]}): {shown} it, not from the file the run read")
    else:
        warnings.append(f"run {run_id} read its items from {read}; [data] path now names "
                        f"{source}, which holds the same data (sha256 {sha256[:12]})")
    # the same file read through other columns gives other ids or texts: the sha cannot tell
    columns = (config.data.id_column, config.data.text_column)
    recorded_columns = run_data_columns(manifest)
    if len(recorded_columns) == 2 and recorded_columns != columns:
        warnings.append(f"run {run_id} read its ids and texts from the columns "
                        f"{recorded_columns[0]!r} and {recorded_columns[1]!r} of "
                        f"{source if read is None else read}; [data] now names "
                        f"{columns[0]!r} and {columns[1]!r}" + ("" if same else f" of {source}")
                        + f": {shown} those, not the run's")
    return warnings


def _part_change(manifest: dict[str, Any], item: ItemNow | None, shown: str) -> str | None:
    """For a dataset in many files, the change said by the item's own part: which parts
    changed, added or gone, and whether the one holding the item is one of them (a folder
    whose April part changed said "changed" of every item); None for one file, or an item
    no part holds now."""
    run_parts = {str(p.get("path")): p.get("sha256")
                 for p in (manifest.get("data") or {}).get("parts") or []}
    if item is None or not item.parts or item.part is None or not run_parts:
        return None
    run_id = manifest.get("run_id")

    def name(path: str) -> str:  # within the folder, as the dataset's messages name parts
        return shown_part(path, item.parts_base)

    moved = [name(p) for p in sorted({*run_parts, *item.parts})
             if run_parts.get(p) != item.parts.get(p)]
    said = (f"parts changed, added or gone: {some_of(moved, 3)}" if moved else
            "each part as the run read it, read in another order")
    if run_parts.get(item.part) == item.parts.get(item.part):
        return (f"{item.source} changed since run {run_id} ({said}), but not "
                f"{name(item.part)}, the part holding the item: {shown} it as the run read "
                "it")
    what = "added since" if item.part not in run_parts else "changed since"
    return (f"{name(item.part)}, the part of {item.source} holding the item, {what} run "
            f"{run_id} ({said}); {shown} the current file")


def _frame_changes(manifest: dict[str, Any], source: str, sha256: str, *,
                   shown: str = "the text and glossary matches shown are from") -> list[str]:
    """:func:`_data_changes` for a run that read a pandas DataFrame: the frame given again
    (``source`` :data:`FRAME_SOURCE`), or the project's file in its place."""
    run_id = manifest.get("run_id")
    recorded = (manifest.get("data") or {}).get("sha256")
    if source != FRAME_SOURCE:
        return [f"run {run_id} read its items from a pandas DataFrame, not a file: {shown} "
                f"{source}, which may not be the run's (from Python, "
                "labelwright.explain_item(path, item, run, data=df) shows the frame's)"]
    if recorded != sha256:
        return [f"the DataFrame given (sha256 {sha256[:12]}) is not the one run {run_id} "
                f"read (sha256 {str(recorded)[:12]}): {shown} it, not from the run's"]
    return []


def recompute_text(config: Any, manifest: dict[str, Any], run_dir: Path, item_id: str,
               warnings: list[str], kept: KeptSources, frame: pd.DataFrame | None = None
               ) -> tuple[str | None, dict[str, Any], list[GlossaryMatch]]:
    """The item's text and fields from the dataset, and its glossary matches, recomputed.
    When the data is not what the run read, the text is the one the run exported for
    review, where it exported the item: the text the run labelled. A run given its file
    with ``--data`` is shown from that file; a run given a DataFrame from ``frame``, that
    frame given again (without it, from the project's file, with a warning). When the
    glossaries changed since the run, the matches are found with the run's copies of them
    (``kept``), where it has them."""
    config = run_data_config(config, manifest)
    if frame is not None:
        config = frame_config(config, manifest, run_dir, "explain")
    try:
        item = item_now(config, manifest, item_id, frame)
    except LabelwrightError as exc:
        why = str(exc)
        if frame is None and ran_on_frame(manifest):  # not a file's fault: say what to give
            why = (f"run {manifest.get('run_id')} read a pandas DataFrame, not a file (from "
                   "Python, labelwright.explain_item(path, item, run, data=df) shows the "
                   f"text and fields from that frame; reading {config.data.path} instead: "
                   f"{exc})")
        warnings.append(f"cannot read the dataset to show the text: {why}")
        exported = texts_shown(run_dir, {item_id}).get(item_id)
        if exported is None:
            return None, {}, []
        warnings.append(f"the text shown is the one run {manifest.get('run_id')} exported "
                        "for review (without its fields and glossary matches)")
        return exported, {}, []
    columns = run_data_columns(manifest)  # as _data_changes reads them
    changed = (manifest.get("data") or {}).get("sha256") != item.sha256 or (
        len(columns) == 2 and columns != (config.data.id_column, config.data.text_column))
    exported = texts_shown(run_dir, {item_id}).get(item_id) if changed else None
    now = item.text
    on_frame = ran_on_frame(manifest)

    def changes(**shown: str) -> list[str]:
        if on_frame:
            return _frame_changes(manifest, item.source, item.sha256, **shown)
        return _data_changes(config, manifest, item.source, item.sha256, item=item, **shown)

    if exported is None or (now is not None and same_reading(exported, now)):
        warnings.extend(changes())
        other = (_other_text_now(run_dir, manifest, item_id, now, item.source)
                 if changed and exported is None and now is not None else None)
        warnings += [other] if other else []
    else:
        warnings.extend(changes(
            shown="the text shown is the one the run exported for review (the glossary "
                  "matches are found in it), the fields are from"))
        warnings.append(f"item {item_id!r} "
                        + (f"is not in {item.source} now" if now is None else
                           f"has another text in {item.source} now")
                        + f": the text shown is the one run {manifest.get('run_id')} "
                          "labelled and exported for review")
    if exported is not None:
        text = exported
    elif now is not None:
        text = now
    else:
        warnings.append(f"item {item_id!r} is not in {item.source} now, so its text "
                        "cannot be shown")
        return None, {}, []
    # as the LFs get them (apply.item_fields): Python values, a gap None (not NaN)
    fields: dict[str, Any] = {}
    if item.fields is not None:
        part = item.fields
        fields = {str(c): missing_as_none(part[c].tolist()[0]) for c in part.columns}
    try:
        glossaries = load_glossaries(config.glossary_path, config.labels)
    except LabelwrightError as exc:
        warnings.append(f"cannot load the glossaries to recompute matches: {exc}")
        return text, fields, []
    recorded_glossaries = {g["name"]: g.get("sha256") for g in manifest.get("glossaries", [])}
    current = {g.name: g.sha256 for g in glossaries}
    if "glossaries" in manifest and not recorded_glossaries:  # the run read none
        if current:
            warnings.append(f"run {manifest.get('run_id')} read no glossaries: the project's "
                            "glossaries now are not looked up in its text")
        return text, fields, []
    if recorded_glossaries != current:
        glossaries = _run_glossaries(manifest, kept, warnings) or glossaries
    if not glossaries:
        return text, fields, []
    nlp = load_pipeline(config.nlp)
    recorded_pipeline = (manifest.get("pipeline") or {}).get("fingerprint")
    if recorded_pipeline and recorded_pipeline != pipeline_fingerprint(nlp):
        from labelwright.runs.pipeline_change import pipeline_change

        warnings.append(f"the spaCy pipeline changed since run {manifest.get('run_id')} "
                        f"({pipeline_change(manifest, nlp, config)}): matches are recomputed "
                        "with the current pipeline, and may not be the ones the run's "
                        "glossary LFs saw")
    return text, fields, GlossaryMatcher(glossaries, nlp).match(nlp(text), text)


def _other_text_now(run_dir: Path, manifest: dict[str, Any], item_id: str, now: str,
                    source: str) -> str | None:
    """Why the text shown (``now``, the item's in ``source`` today) is not the one the run
    labelled, when the run's ``text_hash`` for the item says so and no file of the run
    keeps that text (it exported the item neither for review nor in its random sample),
    else None: the data's change was said of the file alone, and the run's votes stood
    next to today's text and matches as if they were about it."""
    from labelwright.runs.item_texts import TEXT_HASH, run_hash_hex, text_hash_hex
    from labelwright.runs.store import run_labels

    try:
        labels = run_labels(run_dir, manifest, ["id", TEXT_HASH])
    except LabelwrightError:
        return None  # the labels' own problem is said where the votes are read
    if TEXT_HASH not in labels.columns:
        return None
    hashes = labels.loc[labels["id"].astype(str) == item_id, TEXT_HASH]
    if hashes.empty or run_hash_hex(hashes.iloc[0]) == text_hash_hex(now):
        return None
    return (f"item {item_id!r} has another text in {source} now than run "
            f"{manifest.get('run_id')} labelled (its text hash differs), and no file of the "
            "run keeps the text it saw (it exported the item neither for review nor in its "
            "random sample): the text shown is today's and the glossary matches are "
            "recomputed on it, so they are not what the run's votes were cast on")


def _run_glossaries(manifest: dict[str, Any], kept: KeptSources, warnings: list[str]
                    ) -> list[Glossary] | None:
    """The glossaries the run read, from its copies, with a warning that says which
    glossaries the matches are found with; None (the current ones) without the copies."""
    run_id = manifest.get("run_id")
    folder = kept.glossary_folder(manifest)
    why = "the run kept no intact copy of them"
    if folder is not None:
        try:
            glossaries = load_glossaries(folder, manifest_labels(manifest) or ())
        except LabelwrightError as exc:
            why = f"its copies do not read now: {exc}"
        else:
            warnings.append(f"glossaries changed since run {run_id}; matches are found with "
                            f"the run's copies of them ({kept.folder()})")
            return glossaries
    warnings.append(f"glossaries changed since run {run_id}; matches are recomputed with "
                    f"the current glossaries ({why})")
    return None
