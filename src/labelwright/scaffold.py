"""``labelwright init``: write a small working project to start from."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

from labelwright.errors import ConfigError, both_spellings
from labelwright.folders import file_in_the_way

_TEMPLATE = "templates/project"


def _template_files() -> list[tuple[str, bytes]]:
    root = resources.files("labelwright").joinpath(_TEMPLATE)
    out: list[tuple[str, bytes]] = []

    def walk(node, prefix: str) -> None:  # type: ignore[no-untyped-def]
        for child in sorted(node.iterdir(), key=lambda c: c.name):
            if child.name == "__pycache__":
                continue
            rel = f"{prefix}{child.name}"
            if child.is_dir():
                walk(child, rel + "/")
            else:
                out.append((rel, child.read_bytes()))

    walk(root, "")
    return out


def _bare_files(labels: Sequence[str], name: str, lang: str = "en"
                ) -> list[tuple[str, bytes]]:
    """A project's config for ``labels`` in ``lang`` (the example's, with its data, LFs and
    glossaries left out: ``[data] path`` names a file no one wrote yet) and its
    ``.gitignore``; the :data:`_BARE_FOLDERS` stay empty."""
    config = _template_text("labelwright.toml")
    config = config.replace('lang = "en"              # spacy.blank("en")',
                            f'lang = {json.dumps(lang)}' + " " * max(1, 16 - len(lang))
                            + f'# spacy.blank({json.dumps(lang)})', 1)
    config = config.replace('name = "product-reviews"', f"name = {json.dumps(name)}", 1)
    config = config.replace('labels = ["negative", "positive"]',
                            f"labels = {json.dumps(list(labels), ensure_ascii=False)}", 1)
    config = config.replace('path = "data/reviews.csv"', 'path = "data/items.csv"   # or '
                            'run_project(path, data=df) with a pandas DataFrame', 1)
    config = config.replace('gold_column = "gold"   ', '# gold_column = "gold"', 1)
    size = bare_audit_size(len(labels))
    from labelwright.review.stats.run_accuracy import FEW_REVIEWS
    config = config.replace("audit_size = 4           # accepted items sampled for audit, "
                            "stratified by label",
                            f"audit_size = {size}".ljust(25) + "# accepted items sampled for "
                            f"audit, stratified by label: {FEW_REVIEWS} reviewed are the "
                            "fewest review stats reads as accuracy; 2 per label at least", 1)
    return [(".gitignore", _template_text(".gitignore").encode("utf-8")),
            ("labelwright.toml", config.encode("utf-8"))]


def bare_audit_size(n_labels: int) -> int:
    """``[triage] audit_size`` of a project made for ``n_labels`` labels: 2 per label, and at
    least the reviewed items ``review stats`` reads a run's accuracy from
    (:data:`~labelwright.review.stats.run_accuracy.FEW_REVIEWS`, 30). The audit gives each
    label one item only while its size allows
    (:func:`~labelwright.triage.draws.stratified_sample`), so the example's 4 left 8 of 12
    labels, the rare ones, never audited; and 4 (2 per label of two) on 1,953 items gave
    no figure however many were reviewed."""
    from labelwright.review.stats.run_accuracy import FEW_REVIEWS  # pandas: not at import

    return max(FEW_REVIEWS, 2 * n_labels)


def _template_text(rel: str) -> str:
    return resources.files("labelwright").joinpath(_TEMPLATE, rel).read_text(encoding="utf-8")


#: the folders a project without the example gets, empty
_BARE_FOLDERS = ("labeling_functions", "glossaries", "data")


def _checked_lang(lang: str | None, example: bool) -> str:
    """``lang`` as the config's ``[nlp] lang`` (``en`` when not given); a
    :class:`ConfigError` for one spaCy has no language for (the config check's message,
    with the code meant and the valid ones) or one given with the example."""
    if lang is None:
        return "en"
    if example:
        raise ConfigError("the example project's data and glossaries are English: give a "
                          f"language with {both_spellings('--no-example', 'example=False')} "
                          "and your labels, for a project of your own")
    from labelwright.config.tables import check_lang

    return check_lang(lang)


def _checked_labels(labels: Sequence[str] | None, example: bool) -> list[str]:
    """``labels`` as the config of a project without the example gets them; a
    :class:`ConfigError` for labels with the example (its LFs vote its own two) or none
    without it."""
    if example:
        if labels is not None:
            raise ConfigError("the example project's LFs and data use its own labels "
                              "(negative, positive): give labels with "
                              f"{both_spellings('--no-example', 'example=False')}, for a "
                              "project of your own labels with no LF, glossary or data yet")
        return []
    if isinstance(labels, str) or not labels or not all(
            isinstance(label, str) and label.strip() for label in labels):
        given = "no labels given" if labels is None else f"labels={labels!r}"
        raise ConfigError(f"{given}: give the project's labels, names in vote "
                          "order (label i is vote i): "
                          + both_spellings("--labels spam,ham", "labels=['spam', 'ham']"))
    return list(labels)


def init_project(directory: str | Path, *, force: bool = False,
                 labels: Sequence[str] | None = None, example: bool = True,
                 lang: str | None = None) -> list[Path]:
    """Create a project in ``directory``; refuses to overwrite files unless ``force``.
    ``example=False``: only the config, for ``labels``, and empty folders for LFs,
    glossaries and data (a notebook adds its LFs with ``project.with_lfs`` and runs on a
    DataFrame), in place of the example's data, LF module and glossaries. ``lang``: the
    config's ``[nlp] lang`` (without the example, whose data and glossaries are English),
    checked as the config check does."""
    labels = _checked_labels(labels, example)
    lang = _checked_lang(lang, example)
    if not str(directory).strip():
        raise ConfigError("no folder given (an empty name); name the folder to create the "
                          "project in, e.g. `labelwright init my-project` or `.` for this one")
    directory = Path(directory)
    if directory.exists() and not directory.is_dir():
        raise ConfigError(f"{directory} is a file; name a folder to create the project in")
    files = (_template_files() if example else
             _bare_files(labels, Path(os.path.abspath(directory)).name or "project", lang))
    # before anything is written: a file named like a template folder made mkdir fail half
    # way, and the error named the file it meant to write, not the one in the way
    blocked = [b for b in dict.fromkeys(file_in_the_way((directory / rel).parent)
                                        for rel, _ in files) if b is not None]
    if blocked:
        raise ConfigError(f"{blocked[0]} is a file where the project needs a folder; move or "
                          "rename it (nothing was written)")
    folders = [directory / rel for rel, _ in files if (directory / rel).is_dir()]
    if folders:
        raise ConfigError(f"{folders[0]} is a folder where the project writes a file; move "
                          "or rename it (nothing was written)")
    existing = [directory / rel for rel, _ in files if (directory / rel).exists()]
    if existing and not force:
        project = directory / "labelwright.toml" in existing
        raise ConfigError(
            f"{existing[0]} already exists"
            + ("; this folder is a labelwright project already (`labelwright check` and "
               "`labelwright run` work here)" if project else "")
            + f"; {both_spellings('--force', 'force=True')} overwrites the {len(existing)} "
              "template file(s) already there "
            + f"({', '.join(str(p) for p in existing[:4])}{', ...' if len(existing) > 4 else ''})"
            + (", your config among them, with the example's: your labels, data and settings "
               "are lost, and LFs written for them no longer check" if project else ""))
    written: list[Path] = []
    for rel, content in files:
        path = directory / rel
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        except OSError as exc:  # a file in the way, no permission, a full disk
            raise ConfigError(f"{path}: cannot write the project: {exc.strerror or exc}; "
                              f"{len(written)} of {len(files)} files written") from None
        written.append(path)
    if not example:
        for folder in _BARE_FOLDERS:
            (directory / folder).mkdir(parents=True, exist_ok=True)
    return written
