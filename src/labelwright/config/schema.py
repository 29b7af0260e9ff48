"""What a checked project config holds: the names of the config file and the state folder,
the values a setting may take where there are few, and the frozen dataclasses a config is
made of, one a table (:class:`ProjectConfig` holds the others, and ``[project]``).

The rest of labelwright reads a config through these names; :mod:`labelwright.config.tables`
checks a ``labelwright.toml`` into them. :func:`place` is here, not with the loading, because
a checked config names the line of one of its settings itself (:meth:`ProjectConfig.where`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from labelwright.config.toml_lines import KeyPath

CONFIG_NAME = "labelwright.toml"
#: labelwright's own state in a project (the vote and Doc caches): no input of a run
STATE_DIR = ".labelwright"
TIE_BREAKS = ("random", "first", "abstain")
REVIEW_POLICIES = ("majority", "adjudicate")
#: ``[review] copies``: one item per text in the queue and reviews carried to its copies
#: ("one"), or every item queued and nothing carried ("all"); see :mod:`labelwright.copies`
COPIES_SETTINGS = ("one", "all")
RANKINGS = ("combined", "confidence")
#: ``[triage] audit_allocation``: how the audit is shared across predicted labels, in
#: proportion to their accepted items or alike per label (:mod:`labelwright.triage`)
PROPORTIONAL, PER_LABEL = "proportional", "per_label"
AUDIT_ALLOCATIONS = (PROPORTIONAL, PER_LABEL)
#: ``[data] format``: tsv is a tab-separated file (one without the .tsv suffix too)
DATA_FORMATS = ("csv", "tsv", "jsonl", "parquet")
#: the format each file suffix names (any other suffix needs ``[data] format``)
DATA_SUFFIXES = {".csv": "csv", ".tsv": "tsv", ".jsonl": "jsonl", ".ndjson": "jsonl",
                 ".parquet": "parquet", ".pq": "parquet"}
#: the suffixes of the compressions a dataset file is read through (``tickets.jsonl.gz``:
#: a JSONL file, decompressed; :mod:`labelwright.data.compressed`)
COMPRESSED_SUFFIXES = (".gz", ".bz2", ".xz")


def data_suffix(path: Path) -> str:
    """The suffix that names the format of the dataset file at ``path``, lower case: its
    own, or the one before its compression's (``.jsonl`` of ``day2.jsonl.gz``)."""
    suffix = path.suffix.lower()
    if suffix in COMPRESSED_SUFFIXES:
        return Path(path.stem).suffix.lower()
    return suffix


def decompressed_folder(root: Path) -> Path:
    """Where the project at ``root`` keeps the decompressed copies of compressed dataset
    files (:mod:`labelwright.data.compressed`)."""
    return root / STATE_DIR / "cache" / "decompressed"


#: what to do with a dataset in many files given where one file is read (``read_frame``):
#: a project's ``[data] path`` (or ``--data``) takes the folder, a wildcard or a list
DATA_MANY_FILES = ("this reads one dataset file; a project reads a dataset in many files when "
                   "[data] path (or --data) names their folder, a wildcard such as "
                   "\"data/parts/*.parquet\", or a list of files (see \"Data in many files\" "
                   "in the README)")
#: ``[data] quoting``: how a CSV or TSV file's quotes are read
#: (:class:`labelwright.data.csv_format.CsvDialect`)
DATA_QUOTINGS = ("auto", "csv", "none")
#: ``[data] bad_rows``: what a row that breaks a rule of its own does (a malformed CSV
#: record, a JSONL line that is no JSON object, a row without an id): stop the read, or
#: leave the row out and list it (:mod:`labelwright.data.bad_rows`)
DATA_BAD_ROWS = ("error", "skip")
#: ``[data] duplicate_rows``: what a row the same in every column as an earlier row of the
#: same file does (a drop appended twice): stop the read, as any repeated id does, or leave
#: the later copies out and list them with the skipped rows
#: (:mod:`labelwright.data.row_copies`); rows of one id that differ stay an error
DATA_DUPLICATE_ROWS = ("error", "skip")

def delimiter_problem(delimiter: object) -> str | None:
    """Why ``delimiter`` cannot separate a CSV file's values (None: it can): one ASCII
    character that is not a letter, a digit, a quote or a line break."""
    if not isinstance(delimiter, str) or len(delimiter) != 1 or not delimiter.isascii() \
            or delimiter.isalnum() or delimiter in '"\r\n' or not (
                delimiter.isprintable() or delimiter == "\t"):
        return (f"delimiter must be one character such as \";\", \"|\" or \"\\t\" (not a "
                f"letter, digit, quote or line break), got {delimiter!r}")
    return None


#: how tables, reports, ``runs diff`` and ``review export --label`` show "no label"; no
#: project label may be named so
NO_LABEL = "(none)"


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
    #: what separates a CSV or TSV file's values (``";"`` as spreadsheets save CSV where
    #: the decimal mark is a comma); None: the format's own, ``,`` or a tab
    delimiter: str | None = None
    #: ``error``: a bad row stops the read; ``skip``: it is left out and listed
    #: (:data:`DATA_BAD_ROWS`)
    bad_rows: str = "error"
    #: ``error``: a row repeated in every column stops the read; ``skip``: the later copies
    #: are left out and listed (:data:`DATA_DUPLICATE_ROWS`)
    duplicate_rows: str = "error"
    #: where ``path`` came from when not ``[data] path``: ``"--data"``, a command's option
    #: (:mod:`labelwright.config.data_override`); None: the config
    path_from: str | None = None
    #: the folder a compressed file's decompressed copy goes to, the project's
    #: ``.labelwright/cache/decompressed`` (:mod:`labelwright.data.compressed`); None: one
    #: of the system's temporary folder. Not a setting: it says where, not what, is read
    copies: Path | None = field(default=None, compare=False)
    #: the files of a dataset given as a list (``[data] path = ["a.parquet", ...]``), read
    #: in that order; ``path`` is then their common folder. None: ``path`` names the data,
    #: one file, a folder of parts or a wildcard (:mod:`labelwright.data.part_files`)
    parts: tuple[Path, ...] | None = None
    #: ``[data] gold_values``: gold values as the data writes them, each with the label it
    #: stands for ("" for no gold label), for gold that is not the labels' names (Snorkel's
    #: indices); () when unset (:mod:`labelwright.config.gold_values`)
    gold_values: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class NLPConfig:
    lang: str = "en"
    pipeline: str | None = None  # an installed pipeline name, e.g. "en_core_web_sm"
    #: add the lookup lemmatizer to a blank pipeline; None (not set): where
    #: spacy-lookups-data has a lemma table for ``lang`` (Chinese, Japanese, Arabic: none)
    lemmatizer: bool | None = None
    batch_size: int = 256
    #: add spaCy's rule-based sentencizer to a blank pipeline (doc.sents; no download)
    sentencizer: bool = False
    #: how a blank Chinese pipeline splits text into words (``lang = "zh"`` only): ``char``
    #: (a word a character, spaCy's default: nothing to install) or ``jieba`` (words, from
    #: the jieba package); None: not set, spaCy's default
    segmenter: str | None = None
    #: the keys of those given beside a named pipeline (``lemmatizer``, ``sentencizer``,
    #: ``segmenter``):
    #: they set up the blank pipeline only (lang does too, but the spaCy training-set
    #: export still tokenises with it)
    unused: tuple[str, ...] = ()
    #: the config file these settings come from, and the line of each key in it
    #: (:func:`~labelwright.config.located`), which errors about them name
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
    # how the audit is shared across predicted labels: "proportional" to each label's
    # accepted items, or "per_label" (alike: a rare label's precision can be estimated)
    audit_allocation: str = "proportional"
    # send items with conflicting votes to review: all (True), none (False), or those
    # whose confidence is below this number
    review_conflicts: bool | float = True
    ranking: str = "combined"  # queue order within reasons: combined | confidence
    #: "--ranking" when ``labelwright run --ranking`` set ``ranking`` for one run (the
    #: manifest says so); None: as the config file says
    ranking_from: str | None = None
    random_sample: int = 0  # items drawn at random from all items into sample.csv / .jsonl


#: what the end model reads (``[end_model] features``; see
#: :data:`labelwright.end_model.features.CHAR_BUDGET` for ``auto``)
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
    #: (name, the rater it is) pairs: names in the ledger that are one person
    #: (``[review] same_rater``), applied wherever reviews are read
    same_rater: tuple[tuple[str, str], ...] = ()
    #: items with the same text (:mod:`labelwright.copies`): one per text in the queue and
    #: reviews carried to copies ("one"), or every item queued, nothing carried ("all")
    copies: str = "one"
    #: how many of the queue's first items a run writes to ``review.csv`` / ``.jsonl``
    #: (its audit items always); None: every queued item. ``labels.parquet``'s
    #: ``queue_rank`` ranks the whole queue either way
    queue_limit: int | None = None
    #: "--queue-limit" when ``labelwright run --queue-limit`` set ``queue_limit`` for one
    #: run (the manifest says so); None: as the config file says
    queue_limit_from: str | None = None
    #: the item's fields review exports show beside its text (``[review] show_fields``)
    show_fields: tuple[str, ...] = ()
    #: (label, what it means) pairs, in the labels' order (``[review] definitions``): shown
    #: with the label choices of the review tools' exports
    definitions: tuple[tuple[str, str], ...] = ()


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
    #: (old name, current label) pairs: labels renamed (``[project] renamed``); review
    #: decisions and imported rows with an old name are read as the current label
    renamed: tuple[tuple[str, str], ...] = ()
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


