"""The checks of one setting each, and what every check is built of.

:func:`check_keys` and :func:`typed` are what each table's check in
:mod:`labelwright.config.tables` starts from. The ``check_*`` functions take one setting's
value and return it as the config holds it, or raise a
:class:`~labelwright.errors.SettingError` naming the setting (:func:`setting_name`), which
:func:`labelwright.config.located` gives its line (the label model's hyperparameters,
which are settings too, are checked in :mod:`labelwright.config.model_settings`).
:func:`shared_column`, :func:`find_label`, :func:`label_problem` and
:func:`check_doc_cache` are rules of a config that other modules apply as well, to settings
given in code.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

from labelwright.config.schema import NO_LABEL
from labelwright.config.toml_lines import KeyPath
from labelwright.errors import SettingError, short_repr
from labelwright.spelling import did_you_mean


def setting_name(key: KeyPath) -> str:
    """A setting as messages name it: ``[nlp] batch_size``."""
    return f"[{key[0]}] {'.'.join(key[1:])}".rstrip()


def check_choice(value: Any, valid: Sequence[str], key: KeyPath) -> None:
    """``value`` of the setting ``key`` must be one of ``valid``: else an error that lists
    them (``[apply] engine 'dsak'; valid: local, processes, dask``)."""
    if value not in valid:
        from labelwright.spelling import did_you_mean

        meant = did_you_mean(value, valid) if isinstance(value, str) else ""
        raise SettingError(f"[{key[0]}] {key[1]} {value!r}; {meant}valid: {', '.join(valid)}",
                           key)


def check_keys(table: dict[str, Any], allowed: set[str], section: KeyPath = ()) -> None:
    """A key of ``table`` (the table ``section``) not in ``allowed`` is an error naming it,
    the key it may be a misspelling of, and the valid ones: never a setting left unread."""
    unknown = sorted(set(table) - allowed)
    if unknown:
        where = setting_name(section) if section else "the top level"
        raise SettingError(f"unknown key {unknown[0]!r} in {where}; "
                           f"{did_you_mean(unknown[0], allowed)}"
                           f"valid keys: {', '.join(sorted(allowed))}", (*section, unknown[0]))


def typed(value: Any, kind: type | tuple[type, ...], key: KeyPath, name: str = "") -> Any:
    """``value`` of setting ``key`` if it is a ``kind``; ``name``: how messages name the
    setting, if not as :func:`setting_name` does."""
    name = name or setting_name(key)
    if isinstance(value, bool) and kind in (int, float, (int, float)):
        raise SettingError(f"{name} must be a number, got {value!r}", key)
    if not isinstance(value, kind):
        names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise SettingError(f"{name} must be {names}, got {value!r}", key)
    return value


def check_labels(project: dict[str, Any]) -> list[str]:
    """``[project] labels``: two or more names, each one line of text that no other label
    spells alike (in any Unicode form) and that is not how an item without a label is shown
    (:func:`label_problem`)."""
    labels: Any = project.get("labels")
    problem = label_problem(labels, "[project] labels")
    if problem is not None:
        raise SettingError(problem.message, ("project", "labels"))
    return list(labels)


def lookalike_labels(labels: Sequence[str], where: str) -> list[str]:
    """A warning for each pair of ``labels`` that differ only in accents, or in accents
    and case ("averia" and "avería"; labels that differ only in case are an error, see
    :func:`label_problem`): most likely one label written twice, and a name written
    another way (a review file's "AVERIA") cannot tell which is meant; ``where``: the
    config file and line of ``[project] labels``."""
    warnings = []
    bare = [_unaccented(label) for label in labels]  # each label's once, not per pair
    for i, first in enumerate(labels):
        for j, second in enumerate(labels[i + 1:], i + 1):
            if bare[i].lower() != bare[j].lower():
                continue
            case = " and case" if bare[i] != bare[j] else ""
            warnings.append(
                f"{where}: [project] labels {first!r} and {second!r} differ only in accents"
                f"{case}: most likely one label written twice, and where a glossary, review "
                f"or LF writes it another way ({first.upper()!r}) the \"did you mean\" can "
                "name either. If they are one label, keep one (reviews of the other: "
                "[project] renamed); else name them so they differ in letters")
    return warnings


def audit_below_labels(audit_size: int, labels: Sequence[str], where: str) -> list[str]:
    """A warning when ``[triage] audit_size`` (above 0) is below the number of labels: the
    audit gives each predicted label one item only while its size allows, so the labels
    with the fewest accepted items, rare ones first, are never audited; ``where``: the
    config file and line of the setting (the file alone when it is the default)."""
    if not 0 < audit_size < len(labels):
        return []
    return [f"{where}: [triage] audit_size = {audit_size} is below the {len(labels)} labels: "
            f"the audit goes to the {audit_size} labels with the most accepted items, and "
            "the others' (the rare labels') accepted items are never audited; set "
            f"audit_size = {2 * len(labels)} (2 per label; at least {len(labels)} gives each "
            "label one), or 0 for no audit"]


def _unaccented(name: str) -> str:
    """``name`` without combining marks, case kept."""
    # NFD, not NFKD: compatibility forms ("m²", the ligature "ﬁ") are other letters, not
    # accents
    return "".join(c for c in unicodedata.normalize("NFD", name)
                   if not unicodedata.combining(c))


def check_renamed(table: Any, labels: Sequence[str]) -> tuple[tuple[str, str], ...]:
    """``[project] renamed = { negative = "complaint" }``: labels the project had under
    another name, each old name with the current label it is now. The current label must
    be one of ``labels``; an old name must not be (it would mean two labels); an old name
    renamed to another old name is an error that gives the name to write (one step, old to
    current)."""
    key: KeyPath = ("project", "renamed")
    example = '[project] renamed = { negative = "complaint" }'
    if not isinstance(table, dict):
        raise SettingError(f"[project] renamed must be a table of old label names, each with "
                           f"the current label it is now ({example}), got {table!r}", key)
    valid = ", ".join(labels)
    for old, new in table.items():
        if not old.strip() or old == NO_LABEL:
            raise SettingError(f"[project] renamed: {old!r} cannot be an old label name (labels "
                               f"are not blank, and {NO_LABEL!r} is what an item without a "
                               "label shows)", (*key, old))
        if not isinstance(new, str) or new not in labels:
            hint = _chain_hint(table, old, new, labels)
            raise SettingError(f"[project] renamed: {old!r} = {new!r}; the name a label is "
                               f"renamed to must be one of [project] labels ({valid}){hint}",
                               (*key, old))
        if old in labels:
            raise SettingError(f"[project] renamed: {old!r} = {new!r}, but {old!r} is one of "
                               f"[project] labels ({valid}); a renamed label's old name is "
                               "not a label any more: remove it from one of them",
                               (*key, old))
    return tuple(sorted(table.items()))


def _chain_hint(table: dict[str, Any], old: str, new: Any, labels: Sequence[str]) -> str:
    """Where ``old``'s new name is itself renamed: the current label the chain ends at (the
    one-step entry to write), or that it never reaches one (a cycle, or a name that is not a
    label)."""
    if not isinstance(new, str) or new not in table:
        return ""
    seen, name = [old], new
    while name in table and name not in seen:
        seen.append(name)
        name = table[name]
    if isinstance(name, str) and name in labels:
        return (f"; {new!r} is itself renamed: write {old!r} = {name!r} (old name to current "
                "label, in one step)")
    path = " -> ".join(repr(n) for n in [*seen, name])
    return f"; the renames {path} never reach one of them"


class LabelProblem(NamedTuple):
    """What :func:`label_problem` found: the message, and whether it is a value of the
    wrong type (not a list of strings) rather than a wrong name."""

    message: str
    wrong_type: bool


def label_problem(labels: Any, name: str) -> LabelProblem | None:
    """What is wrong with ``labels`` as a project's labels, or None: the rules of ``[project]
    labels``, for any list of labels given (to :func:`labelwright.data.dataset_from_frame`
    too). ``name`` is how the message names the setting or argument (``"[project] labels"``,
    ``"labels="``); a tuple passes as a list does."""
    if isinstance(labels, str):
        return LabelProblem(f"{name} must list at least two label names, in order; got the "
                            f"string {short_repr(labels)}, which would be read as its characters",
                            True)
    if not isinstance(labels, list | tuple):
        return LabelProblem(f"{name} must list at least two label names, in order; got "
                            f"{short_repr(labels)} ({type(labels).__name__})", True)
    if len(labels) < 2:
        return LabelProblem(f"{name} must list at least two label names, in order", False)
    for label in labels:
        if not isinstance(label, str) or not label.strip():
            return LabelProblem(f"{name}: {label!r} is not a label name"
                                + ("" if isinstance(label, str)
                                   else f" (a label is a string, not {type(label).__name__})"),
                                not isinstance(label, str))
        if label != label.strip():  # "positive " would be a label of its own
            return LabelProblem(f"{name}: {label!r} has spaces around it; write "
                                f"{label.strip()!r}", False)
        control = next((c for c in label if unicodedata.category(c) in ("Cc", "Zl", "Zp")),
                       None)
        if control is not None:  # a line break split check's messages at it
            return LabelProblem(f"{name}: {label!r} holds the control character {control!r}; "
                                "a label is one line of text (tables, reports, review files): "
                                "remove it", False)
        if label == NO_LABEL:
            return LabelProblem(f"{name}: {label!r} is how labelwright shows an item without a "
                                "label (reports, runs diff); name it otherwise", False)
    listed = list(labels)
    dupes = sorted({label for label in listed if listed.count(label) > 1})
    if dupes:  # gold label i would be the first of them: every later index shifted
        return LabelProblem(f"{name} lists {dupes[0]!r} twice", False)
    composed = [unicodedata.normalize("NFC", label) for label in listed]
    for i, form in enumerate(composed):  # "café" composed and decomposed look the same
        if form in composed[:i]:
            first = listed[composed.index(form)]
            return LabelProblem(f"{name} lists {first!r} twice, in other Unicode code points "
                                f"({ascii(first)} and {ascii(listed[i])}); keep one spelling",
                                False)
    folded = [form.casefold() for form in composed]
    for i, form in enumerate(folded):  # a review file's "Password" would be either
        if form in folded[:i]:
            first = listed[folded.index(form)]
            return LabelProblem(f"{name} lists {first!r} and {listed[i]!r}, which differ only "
                                "in case: a label typed in a review tool or returned by an LF "
                                "would pick one of them by a keystroke; keep one, or name them "
                                "apart", False)
    return None


def check_seed(value: Any) -> int:
    """``[project] seed``: an int that numpy and scikit-learn take as a seed."""
    seed = typed(value, int, ("project", "seed"))
    if not 0 <= seed < 2**32:  # what numpy and scikit-learn take
        raise SettingError(f"[project] seed must be 0 to {2**32 - 1}, got {seed}",
                           ("project", "seed"))
    return int(seed)


def check_columns(value: Any) -> tuple[str, ...] | None:
    """``[data] columns``: the names of a header-less file's columns, in order; each a
    name of its own (the file has none to tell two apart)."""
    if value is None:
        return None
    key = ("data", "columns")
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise SettingError(f"[data] columns must list the names of the file's columns, in "
                           f'order (columns = ["label", "text"]), got {value!r}', key)
    empty = next((name for name in value if not name.strip()), None)
    if empty is not None:
        raise SettingError(f"[data] columns: {empty!r} is no column name; name every "
                           "column", key)
    twice = sorted({name for name in value if value.count(name) > 1})
    if twice:
        raise SettingError(f"[data] columns names {', '.join(map(repr, twice))} more than "
                           "once; every column needs its own name", key)
    return tuple(value)


def check_pipeline(value: Any, root: Path) -> str | None:
    """``[nlp] pipeline``: an installed pipeline's name, or a pipeline folder, which is
    relative to the project folder like every path of the config (spaCy would look for it
    in the current folder: run from elsewhere, the project failed, or loaded another
    folder of that name)."""
    if value is None:
        return None
    value = typed(value, str, ("nlp", "pipeline"))
    folder = Path(value).expanduser()
    if folder.is_absolute():
        return str(folder)
    if (any(sep in value for sep in "/\\") or value.startswith(".")
            or (root / folder / "config.cfg").is_file()):
        return str((root / folder).resolve())
    return value


def check_class_balance(value: Any, labels: Sequence[str]) -> tuple[float, ...] | str | None:
    """``[label_model] class_balance``: one share per label (positive, summing to 1), as a
    list in the labels' order or a table by label name (``{ spam = 0.1, ham = 0.9 }``, read
    as the list in the labels' order), or "votes" (estimated from the votes, see
    :mod:`labelwright.models.class_prior`)."""
    if value is None or value == "votes":
        return value
    key = ("label_model", "class_balance")
    where = setting_name(key)
    if isinstance(value, str):
        raise SettingError(f'{where} {value!r}; valid: "votes", or one share per label '
                           f"({', '.join(labels)}) summing to 1", key)
    written = value  # a table is said as written
    if isinstance(value, dict):
        value = _shares_by_label(value, labels, where, key)
    if (not isinstance(value, list) or len(value) != len(labels)
            or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)):
        raise SettingError(f"{where} must list one number per label ({', '.join(labels)}), "
                           f"give one per label by name ({{ {labels[0]} = 0.5, ... }}), or be "
                           f'"votes"; got {written!r}', key)
    if not all(math.isfinite(v) and v > 0 for v in value):
        raise SettingError(f"{where} must be positive shares summing to 1; got {written!r}",
                           key)
    if abs(sum(value) - 1.0) > BALANCE_SUM_TOLERANCE:
        # shares rounded to a few digits rarely sum to 1: say by how much, and the way out
        raise SettingError(f"{where} must be positive shares summing to 1; got {written!r}, "
                           f"which sum to {sum(value):.10g} (1 within "
                           f"{BALANCE_SUM_TOLERANCE:g} is needed: rounded shares, such as "
                           "value_counts(normalize=True).round(4), rarely sum to 1; write "
                           "more digits, or round one share so that they do)", key)
    return tuple(float(v) for v in value)


#: how far from 1 ``[label_model] class_balance`` may sum
BALANCE_SUM_TOLERANCE = 1e-6


def _shares_by_label(table: dict[str, Any], labels: Sequence[str], where: str,
                     key: KeyPath) -> list[Any]:
    """A class balance written as a table by label name, as the list in the labels' order
    (checked as the list is, after): every label once, no other name."""
    shares: dict[str, Any] = {}
    for name, share in table.items():
        label = find_label(name, labels)
        if label is None:
            raise SettingError(f"{where}: {name!r} is not a label; "
                               f"{did_you_mean(name, labels)}valid labels: {', '.join(labels)}",
                               key)
        if label in shares:
            raise SettingError(f"{where} gives label {label!r} twice", key)
        shares[label] = share
    missing = [label for label in labels if label not in shares]
    if missing:
        raise SettingError(f"{where} must give a share to every label; missing: "
                           f"{', '.join(missing)}", key)
    return [shares[label] for label in labels]


def shared_column(id_column: str, text_column: str, gold_column: str | None
                  ) -> tuple[str, str, str] | None:
    """``(setting, setting, problem)`` when two roles of the data name one column (the
    text read as ids, or as gold labels), else None."""
    roles = {"id_column": id_column, "text_column": text_column, "gold_column": gold_column}
    for a, b in (("id_column", "text_column"), ("id_column", "gold_column"),
                 ("text_column", "gold_column")):
        if roles[a] is not None and roles[a] == roles[b]:
            return a, b, f"{a} and {b} are both {roles[a]!r}; each role needs its own column"
    return None


def find_label(name: str, labels: Sequence[str]) -> str | None:
    """The project label ``name`` is, spelt as the config spells it, or None: as written,
    or in another Unicode normal form (a decomposed "café" from a data file or an editor
    is the label "café"; the config allows no two labels that differ only so)."""
    if name in labels:
        return name
    form = unicodedata.normalize("NFC", name)
    return next((label for label in labels if unicodedata.normalize("NFC", label) == form),
                None)


def check_doc_cache(setting: Any, where: str = "") -> str | bool:
    """``setting`` if it is a valid ``[apply] doc_cache`` value, else a
    :class:`~labelwright.errors.SettingError` (a :class:`ConfigError`; its message prefixed
    with ``where``, e.g. ``"[apply] "``) listing the valid ones."""
    if setting != "auto" and not isinstance(setting, bool):
        raise SettingError(f"{where}doc_cache {setting!r}; valid: \"auto\" (keep parsed Docs "
                           "when the pipeline has components beyond the tokenizer), true, "
                           "false", ("apply", "doc_cache"))
    return setting
