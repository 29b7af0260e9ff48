"""The project config: ``labelwright.toml`` at the root of a project folder.

A project is a folder holding ``labelwright.toml``, ``labeling_functions/`` and
``glossaries/``. The config names the labels (in order: label *i* is vote *i*),
the dataset, the spaCy pipeline, the label model, triage settings and the seed.
Every key is checked: a misspelt key is an error that lists the valid ones. An error about
a setting names the line it is on (``labelwright.toml:12:``): each check raises a
:class:`~labelwright.errors.SettingError` with the setting's path, and :func:`located` puts
the file and line in front (:mod:`labelwright.toml_lines` finds the lines).
"""

from __future__ import annotations

import math
import re
import shlex
import tomllib
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from labelwright.errors import ConfigError, SettingError
from labelwright.spelling import did_you_mean
from labelwright.toml_lines import KeyPath, key_lines, set_before

CONFIG_NAME = "labelwright.toml"
#: labelwright's own state in a project (the vote and Doc caches): no input of a run
STATE_DIR = ".labelwright"
TIE_BREAKS = ("random", "first", "abstain")
REVIEW_POLICIES = ("majority", "adjudicate")
RANKINGS = ("combined", "confidence")
#: ``[data] format``: tsv is a tab-separated file (one without the .tsv suffix too)
DATA_FORMATS = ("csv", "tsv", "jsonl", "parquet")
#: the format each file suffix names (any other suffix needs ``[data] format``)
DATA_SUFFIXES = {".csv": "csv", ".tsv": "tsv", ".jsonl": "jsonl", ".ndjson": "jsonl",
                 ".parquet": "parquet", ".pq": "parquet"}
#: ``[data] quoting``: how a CSV or TSV file's quotes are read
#: (:class:`labelwright.data.formats.CsvDialect`)
DATA_QUOTINGS = ("auto", "csv", "none")


@dataclass(frozen=True)
class DataConfig:
    path: Path
    id_column: str = "id"
    text_column: str = "text"
    gold_column: str | None = None
    format: str | None = None  # csv | tsv | jsonl | parquet; None: from the file suffix
    quoting: str = "auto"  # auto | csv | none: what a quote in a CSV or TSV file is
    #: the columns of a CSV or TSV file without a header row, in order; None: the file's
    #: first line names them
    columns: tuple[str, ...] | None = None


@dataclass(frozen=True)
class NLPConfig:
    lang: str = "en"
    pipeline: str | None = None  # an installed pipeline name, e.g. "en_core_web_sm"
    lemmatizer: bool = True  # add the lookup lemmatizer to a blank pipeline
    batch_size: int = 256
    #: lemmatizer given beside a named pipeline: it sets up the blank pipeline only (lang
    #: does too, but the spaCy training-set export still tokenises with it)
    lemmatizer_unused: bool = False
    #: the config file these settings come from, and the line of each key in it
    #: (:func:`located`), which errors about them name
    file: Path | None = field(default=None, compare=False)
    key_lines: Mapping[KeyPath, int] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class LabelModelConfig:
    name: str = "auto"  # the default model until reviewed labels can choose one
    tie_break: str = "random"
    params: dict[str, Any] = field(default_factory=dict)
    # None: equal classes until reviewed labels set it; a share per label; or "votes"
    class_balance: tuple[float, ...] | str | None = None


@dataclass(frozen=True)
class TriageConfig:
    threshold: float = 0.7  # items below this confidence go to review
    audit_size: int = 20  # accepted items sampled for audit, stratified by label
    review_conflicts: bool = True  # send items with conflicting votes to review
    ranking: str = "combined"  # queue order within reasons: combined | confidence
    random_sample: int = 0  # items drawn at random from all items into sample.csv / .jsonl


#: what the end model reads (``[end_model] features``; see
#: :data:`labelwright.end_model.model.CHAR_BUDGET` for ``auto``)
END_MODEL_FEATURES = ("auto", "words", "words+chars")


@dataclass(frozen=True)
class EndModelConfig:
    features: str = "auto"  # words | words+chars | auto (both up to a budget of characters)


APPLY_ENGINES = ("local", "processes", "dask")
#: at most this many worker processes: more than any machine here runs well (each holds a
#: spaCy pipeline), and a typo such as 100000 forked until the machine stalled
MAX_WORKERS = 256


@dataclass(frozen=True)
class ApplyConfig:
    engine: str | None = None  # local | processes | dask; None: processes on multi-core
    workers: int | None = None  # None: the usable cores
    chunk_size: int = 10_000  # items per chunk sent to a worker
    cache: bool = True  # keep LF votes in .labelwright/cache and reuse them
    scheduler: str | None = None  # a Dask scheduler address; None: a LocalCluster
    lf_timeout: float | None = None  # seconds one LF may spend on one item; None: no limit
    doc_cache: str | bool = "auto"  # keep parsed Docs in .labelwright/cache/docs: auto|true|false


@dataclass(frozen=True)
class ReviewConfig:
    policy: str = "majority"  # reviewers disagree: majority | adjudicate
    adjudicators: tuple[str, ...] = ()  # raters whose decision settles an item outright


@dataclass(frozen=True)
class ProjectConfig:
    root: Path
    name: str
    labels: tuple[str, ...]
    data: DataConfig
    nlp: NLPConfig = NLPConfig()
    label_model: LabelModelConfig = LabelModelConfig()
    triage: TriageConfig = TriageConfig()
    review: ReviewConfig = ReviewConfig()
    apply: ApplyConfig = ApplyConfig()
    end_model: EndModelConfig = EndModelConfig()
    seed: int = 0
    lf_dir: str = "labeling_functions"
    glossary_dir: str = "glossaries"
    runs_dir: str = "runs"
    named: bool = True  # [project] name is set (else it is the folder's name)
    #: the line of each key in the config file (none for a config made from a dict)
    key_lines: Mapping[KeyPath, int] = field(default_factory=dict, compare=False, repr=False)

    @property
    def config_path(self) -> Path:
        return self.root / CONFIG_NAME

    @property
    def lf_path(self) -> Path:
        return self.root / self.lf_dir

    @property
    def glossary_path(self) -> Path:
        return self.root / self.glossary_dir

    @property
    def runs_path(self) -> Path:
        return self.root / self.runs_dir

    @property
    def data_columns(self) -> tuple[str, str]:
        """(id column, text column): with the data's hash, what fixes every item's text."""
        return (self.data.id_column, self.data.text_column)

    @property
    def lf_folder_ignore(self) -> tuple[Path, ...]:
        """What the LF folder's file listing leaves out when the LF folder holds the rest
        of the project (``labeling_functions = "."``): the project's own state and the
        inputs recorded on their own. Paths and prefixes (the ledger's -wal and -shm)."""
        return (self.runs_path, self.root / STATE_DIR, self.root / "reviews.sqlite",
                self.data.path, self.glossary_path, self.config_path)

    def label_index(self, label: str) -> int:
        return self.labels.index(label)

    def where(self, *keys: KeyPath) -> str:
        """``labelwright.toml:LINE`` of the first of ``keys`` the config file holds, for an
        error about that setting found after the config was read (see :func:`place`)."""
        return place(self.config_path, self.key_lines, *keys)


def place(file: Path, lines: Mapping[KeyPath, int], *keys: KeyPath) -> str:
    """``FILE:LINE`` of the first of ``keys`` written in ``file``, else ``FILE``: a setting
    left at its default, or a config made from a dict, has no line, and gets none."""
    line = next((lines[key] for key in keys if key in lines), None)
    return f"{file}" if line is None else f"{file}:{line}"


def located(error: SettingError, file: Path, lines: Mapping[KeyPath, int]) -> ConfigError:
    """``error`` with the file and line of its setting in front: the one place a config
    error gets them."""
    return ConfigError(f"{place(file, lines, error.key)}: {error}")


def _name(key: KeyPath) -> str:
    """A setting as messages name it: ``[nlp] batch_size``."""
    return f"[{key[0]}] {'.'.join(key[1:])}".rstrip()


_TOP_KEYS = {"project", "data", "nlp", "label_model", "triage", "review", "apply",
             "end_model"}
_PROJECT_KEYS = {"name", "labels", "seed", "labeling_functions", "glossaries", "runs"}


def _check_keys(table: dict[str, Any], allowed: set[str], section: KeyPath = ()) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        where = _name(section) if section else "the top level"
        raise SettingError(f"unknown key {unknown[0]!r} in {where}; "
                           f"{did_you_mean(unknown[0], allowed)}"
                           f"valid keys: {', '.join(sorted(allowed))}", (*section, unknown[0]))


def _typed(value: Any, kind: type | tuple[type, ...], key: KeyPath, name: str = "") -> Any:
    """``value`` of setting ``key`` if it is a ``kind``; ``name``: how messages name the
    setting, if not as :func:`_name` does."""
    name = name or _name(key)
    if isinstance(value, bool) and kind in (int, float, (int, float)):
        raise SettingError(f"{name} must be a number, got {value!r}", key)
    if not isinstance(value, kind):
        names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise SettingError(f"{name} must be {names}, got {value!r}", key)
    return value


def _model_key(setting: str, model: Mapping[str, Any]) -> KeyPath:
    """Where a hyperparameter of ``[label_model]`` (the table ``model``) is written: in its
    params sub-table, which wins over a key of the same name, or beside name."""
    params = model.get("params")
    inside = isinstance(params, dict) and setting in params
    return ("label_model", "params", setting) if inside else ("label_model", setting)


def _check_param_types(spec: LabelModelConfig, model: Mapping[str, Any]) -> None:
    """Each hyperparameter must have the type of the model's default for it (a float
    default also takes an int; a None default takes anything), so a wrong one fails here
    rather than as a TypeError in the middle of a run. Unknown names and models are left
    to :func:`labelwright.project.make_label_model`, which lists the valid ones."""
    if not spec.params:
        return
    from labelwright import models  # not at the top: it imports scikit-learn

    try:
        defaults = models.get_model(spec.name).get_params()
    except (models.UnknownModelError, TypeError):
        return
    kinds: dict[type, type | tuple[type, ...]] = {bool: bool, int: int, float: (int, float),
                                                  str: str}
    for key, value in spec.params.items():
        kind = kinds.get(type(defaults.get(key)))
        if kind is not None and key not in ("cardinality", "random_state", "tie_break"):
            _typed(value, kind, _model_key(key, model),
                   f"[label_model] {key} (a setting of the {spec.name!r} model)")


def find_project_root(start: Path) -> Path:
    """Return the nearest folder at or above ``start`` that holds ``labelwright.toml``."""
    start = start.resolve()
    if not start.exists():  # not a mistyped folder's parent project, silently
        raise ConfigError(f"{start}: no such folder; pass a project folder (one that holds "
                          f"{CONFIG_NAME}) or a folder inside one")
    for folder in (start, *start.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    raise ConfigError(
        f"no {CONFIG_NAME} in {start} or any folder above it; "
        "run `labelwright init DIR` to create a project"
    )


def project_folder(path: str | Path) -> Path:
    """``path``, resolved, if it holds ``labelwright.toml``; else an error naming it and the
    nearest project above it. For a folder named as the project (``--project DIR``): it is
    the project, never one above it, as an empty folder inside a project (``--project new``)
    was, which ran that project and wrote runs into it. :func:`load_config` looks upwards."""
    folder = Path(path).resolve()  # "." names no folder in a message
    if (folder / CONFIG_NAME).is_file():
        return folder
    problem = (f"not a project folder (no {CONFIG_NAME} in it)" if folder.exists()
               else f"no such folder; pass a project folder (one that holds {CONFIG_NAME})")
    below = next(p for p in (folder, *folder.parents) if p.is_dir())
    try:
        above = find_project_root(below)
    except ConfigError:
        init = (f"; `labelwright init {shlex.quote(str(folder))}` creates a project there"
                if folder.is_dir() else "")
        raise ConfigError(f"{folder}: {problem}{init}") from None
    raise ConfigError(f"{folder}: {problem}; the nearest project above it is {above}: "
                      f"pass --project {shlex.quote(str(above))}")


def load_config(path: str | Path = ".") -> ProjectConfig:
    """Read and validate the config of the project at ``path`` (a folder or the toml file)."""
    path = Path(path)
    if path.name != CONFIG_NAME and path.is_file():  # not another toml read in its place
        raise ConfigError(f"{path}: a project is a folder holding {CONFIG_NAME}, or that file "
                          f"itself; a config under another name is not read")
    root = path.parent if path.name == CONFIG_NAME else find_project_root(path)
    file = root / CONFIG_NAME
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{file}: no such file; `labelwright init DIR` creates a "
                          "project") from None
    except UnicodeDecodeError as exc:
        line = file.read_bytes()[:exc.start].count(b"\n") + 1
        raise ConfigError(f"{file}:{line}: not UTF-8 (byte {exc.object[exc.start]:#04x}); "
                          "save the config as UTF-8") from None
    except OSError as exc:
        raise ConfigError(f"{file}: cannot read: {exc.strerror or exc}") from None
    text = text.removeprefix("\ufeff")  # editors may write a BOM
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise toml_error(file, text, exc) from None
    return parse_config(raw, root=root.resolve(), file=file, lines=key_lines(text, raw))


def toml_error(file: Path, text: str, exc: tomllib.TOMLDecodeError) -> ConfigError:
    """A syntax error as ``FILE:LINE: invalid TOML: ...``; a key set twice in one table
    (tomllib: "Cannot overwrite a value") or a table declared twice says so, naming the key
    and the line that set it first."""
    message = str(exc)
    found = re.search(r"\(at line (\d+), column \d+\)$", message)
    if found is None:  # "at end of document": no line to name
        return ConfigError(f"{file}: invalid TOML: {message}")
    line = int(found.group(1))
    twice = message.startswith(("Cannot overwrite a value", "Cannot declare"))
    if not twice:
        return ConfigError(f"{file}:{line}: invalid TOML: {message}")
    before = set_before(text, line)
    if before is None:
        return ConfigError(f"{file}:{line}: invalid TOML: a key is set twice in one table, "
                           "or a table is declared twice; each may be written once: remove "
                           "one of them")
    path, first = before
    if message.startswith("Cannot declare"):
        table = ".".join(path)
        return ConfigError(f"{file}:{line}: invalid TOML: the table [{table}] is declared "
                           f"twice (first on line {first}); a table is declared once: put "
                           f"all its keys under one [{table}] header")
    table = f"[{'.'.join(path[:-1])}]" if len(path) > 1 else "the top level"
    return ConfigError(f"{file}:{line}: invalid TOML: the key {path[-1]!r} is set twice in "
                       f"one table, {table} (first on line {first}); a key may be set once "
                       "in a table: remove one of them")


def _data_columns(value: Any) -> tuple[str, ...] | None:
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


def _check_delimited(data: Mapping[str, Any], config: DataConfig) -> None:
    """``quoting`` and ``columns`` are about CSV and TSV files: for JSONL or Parquet, whose
    values and column names the file states itself, setting them is a mistake said here."""
    kind = config.format or DATA_SUFFIXES.get(config.path.suffix.lower())
    if kind not in ("jsonl", "parquet"):  # csv, tsv, or a suffix reading names as unknown
        _check_roles_in_columns(data, config)
        return
    if config.columns is not None:
        raise SettingError(f"[data] columns names the columns of a CSV or TSV file without a "
                           f"header row; {config.path.name} is read as {kind}, whose column "
                           "names are in the file: remove columns", ("data", "columns"))
    if config.quoting != "auto":
        raise SettingError(f"[data] quoting is about quotes in a CSV or TSV file; "
                           f"{config.path.name} is read as {kind}: remove quoting",
                           ("data", "quoting"))


def _check_roles_in_columns(data: Mapping[str, Any], config: DataConfig) -> None:
    """The id, text and gold columns of a header-less file must be among ``[data]
    columns``: the names there are all the file has."""
    if config.columns is None:
        return
    for role, column in (("id_column", config.id_column), ("text_column", config.text_column),
                         ("gold_column", config.gold_column)):
        if column is not None and column not in config.columns:
            raise SettingError(
                f"[data] {role} {column!r} is not one of [data] columns "
                f"({', '.join(config.columns)}); name it there, in its place in the file's "
                f"order" + (", or name the id column with id_column (every item needs a "
                            "unique id: a file without ids needs a column of them)"
                            if role == "id_column" else ""),
                ("data", role if role in data else "columns"))


def _end_model(section: Any) -> EndModelConfig:
    _check_keys(section, {"features"}, ("end_model",))
    features = section.get("features", "auto")
    if features not in END_MODEL_FEATURES:
        raise SettingError(f"[end_model] features {features!r}; valid: "
                           f"{', '.join(END_MODEL_FEATURES)}", ("end_model", "features"))
    return EndModelConfig(features=features)


def _pipeline(value: Any, root: Path) -> str | None:
    """``[nlp] pipeline``: an installed pipeline's name, or a pipeline folder, which is
    relative to the project folder like every path of the config (spaCy would look for it
    in the current folder: run from elsewhere, the project failed, or loaded another
    folder of that name)."""
    if value is None:
        return None
    value = _typed(value, str, ("nlp", "pipeline"))
    folder = Path(value).expanduser()
    if folder.is_absolute():
        return str(folder)
    if (any(sep in value for sep in "/\\") or value.startswith(".")
            or (root / folder / "config.cfg").is_file()):
        return str((root / folder).resolve())
    return value


def _class_balance(value: Any, labels: Sequence[str]) -> tuple[float, ...] | str | None:
    """``[label_model] class_balance``: one share per label (positive, summing to 1), or
    "votes" (estimated from the votes, see :mod:`labelwright.models.class_prior`)."""
    if value is None or value == "votes":
        return value
    key = ("label_model", "class_balance")
    where = _name(key)
    if isinstance(value, str):
        raise SettingError(f'{where} {value!r}; valid: "votes", or one share per label '
                           f"({', '.join(labels)}) summing to 1", key)
    if (not isinstance(value, list) or len(value) != len(labels)
            or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)):
        raise SettingError(f"{where} must list one number per label ({', '.join(labels)}), "
                           f'or be "votes"; got {value!r}', key)
    if not all(math.isfinite(v) and v > 0 for v in value) or abs(sum(value) - 1.0) > 1e-6:
        raise SettingError(f"{where} must be positive shares summing to 1; got {value!r}", key)
    return tuple(float(v) for v in value)


#: label model arguments labelwright passes itself, and where it takes each from
_SET_BY_LABELWRIGHT = {"cardinality": "the number of [project] labels",
                       "random_state": "[project] seed",
                       "tie_break": "[label_model] tie_break (not in params)"}

#: how tables, reports and ``runs diff`` show "no label"; no project label may be named so
NO_LABEL = "(none)"


def parse_config(raw: dict[str, Any], *, root: Path, file: Path,
                 lines: Mapping[KeyPath, int] | None = None) -> ProjectConfig:
    """Check the parsed config ``raw`` of the project at ``root``; an error names ``file``
    and, given ``lines`` (the line of each key, :func:`~labelwright.toml_lines.key_lines`),
    the line of the setting that is wrong."""
    lines = lines or {}
    try:
        return _parse(raw, root, file, lines)
    except SettingError as exc:
        raise located(exc, file, lines) from None


def _labels(project: dict[str, Any]) -> list[str]:
    key = ("project", "labels")
    labels = project.get("labels")
    if not isinstance(labels, list) or len(labels) < 2:
        raise SettingError("[project] labels must list at least two label names, in order", key)
    for label in labels:
        if not isinstance(label, str) or not label.strip():
            raise SettingError(f"[project] labels: {label!r} is not a label name", key)
        if label != label.strip():  # "positive " would be a label of its own
            raise SettingError(f"[project] labels: {label!r} has spaces around it; "
                               f"write {label.strip()!r}", key)
        control = next((c for c in label if unicodedata.category(c) in ("Cc", "Zl", "Zp")),
                       None)
        if control is not None:  # a line break split check's messages at it
            raise SettingError(f"[project] labels: {label!r} holds the control "
                               f"character {control!r}; a label is one line of text "
                               "(tables, reports, review files): remove it", key)
        if label == NO_LABEL:
            raise SettingError(f"[project] labels: {label!r} is how labelwright shows "
                               "an item without a label (reports, runs diff); name it "
                               "otherwise", key)
    dupes = sorted({label for label in labels if labels.count(label) > 1})
    if dupes:
        raise SettingError(f"[project] labels lists {dupes[0]!r} twice", key)
    composed = [unicodedata.normalize("NFC", label) for label in labels]
    for i, form in enumerate(composed):  # "café" composed and decomposed look the same
        if form in composed[:i]:
            first = labels[composed.index(form)]
            raise SettingError(f"[project] labels lists {first!r} twice, in other "
                               f"Unicode code points ({ascii(first)} and {ascii(labels[i])}); "
                               "keep one spelling", key)
    return labels


def _parse(raw: dict[str, Any], root: Path, file: Path, lines: Mapping[KeyPath, int]
           ) -> ProjectConfig:
    _check_keys(raw, _TOP_KEYS)
    for section in sorted(raw):
        if not isinstance(raw[section], dict):
            raise SettingError(f"{section} must be a table (a [{section}] section with its "
                               f"keys below it), got {section} = {raw[section]!r}", (section,))
    project = raw.get("project", {})
    _check_keys(project, _PROJECT_KEYS, ("project",))
    labels = _labels(project)

    data = raw.get("data")
    if not isinstance(data, dict) or "path" not in data:
        raise SettingError(f"[data] path is required (the dataset file, relative to {root})",
                           ("data",))
    _check_keys(data, {"path", "id_column", "text_column", "gold_column", "format", "quoting",
                       "columns"}, ("data",))
    fmt = data.get("format")
    if fmt is not None and fmt not in DATA_FORMATS:
        raise SettingError(f"[data] format {fmt!r}; valid: {', '.join(DATA_FORMATS)}",
                           ("data", "format"))
    quoting = data.get("quoting", "auto")
    if quoting not in DATA_QUOTINGS:
        raise SettingError(f"[data] quoting {quoting!r}; valid: \"auto\" (CSV quoting; in a "
                           "tab-separated file an error where a quote is ambiguous), \"csv\" "
                           "(a quoted value may hold delimiters and line breaks), \"none\" "
                           "(quotes are text: one line is one record)", ("data", "quoting"))
    data_cfg = DataConfig(
        path=(root / _typed(data["path"], str, ("data", "path"))),
        id_column=_typed(data.get("id_column", "id"), str, ("data", "id_column")),
        text_column=_typed(data.get("text_column", "text"), str, ("data", "text_column")),
        gold_column=data.get("gold_column"),
        format=fmt,
        quoting=quoting,
        columns=_data_columns(data.get("columns")),
    )
    _check_delimited(data, data_cfg)
    shared = shared_column(data_cfg.id_column, data_cfg.text_column, data_cfg.gold_column)
    if shared is not None:
        a, b, problem = shared
        raise SettingError(f"[data] {problem}", ("data", b if b in data else a))

    nlp = raw.get("nlp", {})
    _check_keys(nlp, {"lang", "pipeline", "lemmatizer", "batch_size"}, ("nlp",))
    nlp_cfg = NLPConfig(
        lang=_typed(nlp.get("lang", "en"), str, ("nlp", "lang")),
        pipeline=_pipeline(nlp.get("pipeline") or None, root),
        lemmatizer=_typed(nlp.get("lemmatizer", True), bool, ("nlp", "lemmatizer")),
        batch_size=_typed(nlp.get("batch_size", 256), int, ("nlp", "batch_size")),
        lemmatizer_unused="lemmatizer" in nlp and bool(nlp.get("pipeline")),
        file=file,
        key_lines=lines,
    )
    if nlp_cfg.batch_size < 1:
        raise SettingError(f"[nlp] batch_size must be >= 1, got {nlp_cfg.batch_size}",
                           ("nlp", "batch_size"))

    model = raw.get("label_model", {})
    params = {k: v for k, v in model.items()
              if k not in ("name", "tie_break", "params", "class_balance")}
    params.update(_typed(model.get("params", {}), dict, ("label_model", "params")))
    for key, source in _SET_BY_LABELWRIGHT.items():
        if key in params:
            raise SettingError(f"[label_model] {key} is not a setting: labelwright "
                               f"sets it from {source}", _model_key(key, model))
    tie_break = model.get("tie_break", "random")
    if tie_break not in TIE_BREAKS:
        raise SettingError(f"[label_model] tie_break {tie_break!r}; valid: "
                           f"{', '.join(TIE_BREAKS)}", ("label_model", "tie_break"))
    model_cfg = LabelModelConfig(
        name=_typed(model.get("name", "auto"), str, ("label_model", "name")),
        tie_break=tie_break,
        params=params,
        class_balance=_class_balance(model.get("class_balance"), labels),
    )
    _check_param_types(model_cfg, model)

    triage = raw.get("triage", {})
    _check_keys(triage, {"threshold", "audit_size", "review_conflicts", "ranking",
                         "random_sample"}, ("triage",))
    ranking = triage.get("ranking", "combined")
    if ranking not in RANKINGS:
        raise SettingError(f"[triage] ranking {ranking!r}; valid: {', '.join(RANKINGS)}",
                           ("triage", "ranking"))
    threshold = _typed(triage.get("threshold", 0.7), (int, float), ("triage", "threshold"))
    if not 0.0 <= threshold <= 1.0:
        raise SettingError(f"[triage] threshold must be between 0 and 1, got {threshold}",
                           ("triage", "threshold"))
    audit_size = _typed(triage.get("audit_size", 20), int, ("triage", "audit_size"))
    if audit_size < 0:
        raise SettingError(f"[triage] audit_size must be >= 0, got {audit_size}",
                           ("triage", "audit_size"))
    random_sample = _typed(triage.get("random_sample", 0), int, ("triage", "random_sample"))
    if random_sample < 0:
        raise SettingError(f"[triage] random_sample must be >= 0, got {random_sample}",
                           ("triage", "random_sample"))
    triage_cfg = TriageConfig(
        threshold=float(threshold),
        audit_size=audit_size,
        random_sample=random_sample,
        review_conflicts=_typed(triage.get("review_conflicts", True), bool,
                                ("triage", "review_conflicts")),
        ranking=ranking,
    )

    apply = raw.get("apply", {})
    _check_keys(apply, {"engine", "workers", "chunk_size", "cache", "scheduler", "lf_timeout",
                        "doc_cache"}, ("apply",))
    engine = apply.get("engine")
    if engine is not None and engine not in APPLY_ENGINES:
        raise SettingError(f"[apply] engine {engine!r}; valid: {', '.join(APPLY_ENGINES)}",
                           ("apply", "engine"))
    workers = apply.get("workers")
    if workers is not None and not 1 <= _typed(workers, int, ("apply", "workers")) \
            <= MAX_WORKERS:
        raise SettingError(f"[apply] workers must be 1 to {MAX_WORKERS}, got {workers} "
                           "(leave it out for one per usable core)", ("apply", "workers"))
    chunk_size = _typed(apply.get("chunk_size", 10_000), int, ("apply", "chunk_size"))
    if chunk_size < 1:
        raise SettingError(f"[apply] chunk_size must be >= 1, got {chunk_size}",
                           ("apply", "chunk_size"))
    scheduler = apply.get("scheduler")
    if scheduler is not None:
        if not _typed(scheduler, str, ("apply", "scheduler")).strip():
            raise SettingError("[apply] scheduler is empty; give a Dask scheduler address "
                               "(tcp://host:8786), or leave it out for a local cluster",
                               ("apply", "scheduler"))
        if engine not in (None, "dask"):
            raise SettingError(f"[apply] scheduler names a Dask cluster, but [apply] "
                               f"engine = {engine!r}; set engine = \"dask\" (or leave it "
                               "out), or drop the scheduler", ("apply", "scheduler"))
    lf_timeout = apply.get("lf_timeout")
    if lf_timeout is not None:
        lf_timeout = float(_typed(lf_timeout, (int, float), ("apply", "lf_timeout")))
        if not 0 < lf_timeout < float("inf"):
            raise SettingError(f"[apply] lf_timeout must be a number of seconds > 0, "
                               f"got {apply['lf_timeout']}; leave it out for no limit",
                               ("apply", "lf_timeout"))
        if engine == "dask" or (engine is None and scheduler):  # a scheduler means dask
            raise SettingError("[apply] lf_timeout cannot be enforced on the dask "
                               "engine (Dask runs tasks in worker threads, which cannot "
                               "receive the SIGALRM timer); use engine = \"local\" or "
                               "\"processes\", or leave lf_timeout out",
                               ("apply", "lf_timeout"))
    doc_cache = check_doc_cache(apply.get("doc_cache", "auto"), "[apply] ")
    apply_cfg = ApplyConfig(
        engine=engine,
        workers=workers,
        chunk_size=chunk_size,
        cache=_typed(apply.get("cache", True), bool, ("apply", "cache")),
        scheduler=_typed(scheduler, str, ("apply", "scheduler")) if scheduler else None,
        lf_timeout=lf_timeout,
        doc_cache=doc_cache,
    )

    review = raw.get("review", {})
    _check_keys(review, {"policy", "adjudicators"}, ("review",))
    policy = review.get("policy", "majority")
    if policy not in REVIEW_POLICIES:
        raise SettingError(f"[review] policy {policy!r}; valid: {', '.join(REVIEW_POLICIES)}",
                           ("review", "policy"))
    adjudicators = _typed(review.get("adjudicators", []), list, ("review", "adjudicators"))
    if not all(isinstance(name, str) and name.strip() for name in adjudicators):
        raise SettingError(f"[review] adjudicators must be a list of rater names (as "
                           f"`review stats` lists them), got {adjudicators!r}",
                           ("review", "adjudicators"))

    return ProjectConfig(
        root=root,
        name=_typed(project.get("name", root.name), str, ("project", "name")),
        named="name" in project,
        labels=tuple(labels),
        data=data_cfg,
        nlp=nlp_cfg,
        label_model=model_cfg,
        triage=triage_cfg,
        end_model=_end_model(raw.get("end_model", {})),
        review=ReviewConfig(policy=policy,
                            adjudicators=tuple(name.strip() for name in adjudicators)),
        apply=apply_cfg,
        seed=_seed(project.get("seed", 0)),
        lf_dir=_typed(project.get("labeling_functions", "labeling_functions"), str,
                      ("project", "labeling_functions")),
        glossary_dir=_typed(project.get("glossaries", "glossaries"), str,
                            ("project", "glossaries")),
        runs_dir=_typed(project.get("runs", "runs"), str, ("project", "runs")),
        key_lines=lines,
    )


def _seed(value: Any) -> int:
    seed = _typed(value, int, ("project", "seed"))
    if not 0 <= seed < 2**32:  # what numpy and scikit-learn take
        raise SettingError(f"[project] seed must be 0 to {2**32 - 1}, got {seed}",
                           ("project", "seed"))
    return int(seed)


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
