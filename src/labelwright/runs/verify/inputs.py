"""The project's inputs now against the ones a run read: ``runs verify --inputs``.

A run's manifest records a hash of each input (the dataset, the config file, each LF's
source, the LF modules and the other files of the LF folder, each glossary, the module of
a label model of the user's own). This module
hashes the project as it is now with the very functions a run hashes them with
(:func:`~labelwright.data.data_hash.dataset_sha256`,
:func:`~labelwright.runs.provenance.config_fingerprint`, an LF's ``source_hash`` from
:func:`~labelwright.lfs.discovery.discover`,
:func:`~labelwright.apply.cache_keys.lf_module_files` and ``lf_folder_files``, a glossary's
``sha256`` from :func:`~labelwright.glossaries.reading.load_glossaries`), so a difference is a
change of the input, never of how it was hashed; and it names each input that differs.

The spaCy pipeline and the package versions are the environment, not the project's files:
``runs diff`` compares them between two runs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from labelwright.apply.cache_keys import lf_folder_files, lf_module_files
from labelwright.config import DataConfig, ProjectConfig
from labelwright.counts import counted
from labelwright.data.data_hash import dataset_sha256
from labelwright.data.frame_hash import frame_sha256
from labelwright.data.part_files import many_files, part_hashes, parts_digest
from labelwright.errors import DataError, LabelwrightError
from labelwright.file_hashes import file_sha256
from labelwright.glossaries.reading import load_glossaries
from labelwright.lfs.discovery import discover
from labelwright.runs.provenance import config_fingerprint
from labelwright.runs.sources import LABEL_MODEL_MODULE, label_model_file, label_model_files
from labelwright.runs.verify.data import VERIFY_DATA

if TYPE_CHECKING:
    from collections.abc import Mapping

    from labelwright.glossaries.core import Glossary
    from labelwright.lfs.core import LabelingFunction
    from labelwright.runs.verify.data import DataReads

#: hash prefix shown, as ``runs verify`` and ``runs diff`` show hashes
SHOWN = 12


@dataclass(frozen=True)
class InputChange:
    """One input whose hash now is not the one its run recorded."""

    #: data file | DataFrame | config | LF | LF module | LF folder file | glossary |
    #: label model module
    what: str
    name: str  # a path inside the project, or an LF's or glossary's name
    #: the sha256 the run recorded ("": an entry without one); None: the run had no such input
    then: str | None
    now: str | None  # its sha256 now; None: gone
    note: str = ""  # what the hashes alone do not say (another file, other settings)
    #: an LF's or glossary's own name, where ``name`` adds where it is (``lf (file:line)``)
    key: str = ""
    #: for the data: the items whose text changed, added or gone since the run (or why
    #: they cannot be named), a line each (:func:`~labelwright.runs.item_texts.since_lines`)
    items: tuple[str, ...] = ()

    def __str__(self) -> str:
        sha = "source sha256" if self.what == "LF" else "sha256"  # as the manifest says
        if self.then is None:
            state = f"added since the run ({sha} {hash_prefix(self.now)})"
        elif self.now is None:
            state = f"gone (the run read {sha} {hash_prefix(self.then)})"
        else:
            state = f"{sha} {hash_prefix(self.then)} -> {hash_prefix(self.now)}"
        return f"{self.what} {self.name}: {state}" + (f"; {self.note}" if self.note else "")


def hash_prefix(sha256: str | None) -> str:
    """A hash as shown; "" (a manifest entry without one) as not recorded."""
    return sha256[:SHOWN] if sha256 else "(not recorded)"


@dataclass
class ProjectInputs:
    """The project's inputs now, hashed as a run hashes them. Hashed once for every run
    ``runs verify --all --inputs`` checks (importing the LFs runs their modules' code).
    An input that cannot be hashed is None, and ``problems`` says why."""

    data_path: Path
    data: str | None  # dataset_sha256; None: no file there
    config: dict[str, str] | None  # config_fingerprint; None: no config file
    lfs: dict[str, str] | None  # Python and snorkel LFs: name -> source hash
    lf_modules: dict[str, str]
    lf_folder_files: dict[str, str]
    glossaries: dict[str, str] | None  # name -> sha256
    problems: list[str] = field(default_factory=list)
    #: a dataset in many files: each part's path and hash now (None: one file)
    data_parts: dict[str, str] | None = None
    #: why a dataset in many files cannot be hashed now (a file in its folder that is no
    #: part, a wildcard matching nothing): not "gone", its read's error
    data_unread: str | None = None
    #: a DataFrame given to compare with a run that read one (``verify_runs(...,
    #: data=df)``): its :func:`~labelwright.data.frame_hash.frame_sha256` and shape
    frame_sha256: str | None = None
    frame_shape: tuple[int, int] | None = None
    #: LFs made in a Python session given to compare (``verify_runs(..., lfs=[...])``),
    #: hashed in ``lfs`` beside the project's, and applied with them by a recompute
    session_lfs: tuple[LabelingFunction, ...] = ()
    #: glossaries made in a Python session given to compare (``verify_runs(...,
    #: glossaries=[...])``), hashed in ``glossaries`` beside the project's files', and
    #: matched with them by a recompute
    session_glossaries: tuple[Glossary, ...] = ()


def project_inputs(config: ProjectConfig) -> ProjectInputs:
    """Hash the inputs of the project ``config`` describes, as a run would now."""
    problems: list[str] = []
    try:
        found = discover(config.lf_path) if config.lf_path.is_dir() else []
        lfs: dict[str, str] | None = {lf.name: lf.source_hash for lf in found}
    except LabelwrightError as exc:
        lfs = None
        problems.append(f"cannot import the LFs to hash them: {exc}")
    try:
        glossaries: dict[str, str] | None = {
            g.name: g.sha256 for g in load_glossaries(config.glossary_path, config.labels)}
    except LabelwrightError as exc:
        glossaries = None
        problems.append(f"cannot read the glossaries to hash them: {exc}")
    data, parts, unread = _data_hashes(config.data)
    return ProjectInputs(
        data_path=config.data.path,
        data=data,
        data_parts=parts,
        data_unread=unread,
        config=config_fingerprint(config.config_path, config.root),
        lfs=lfs,
        lf_modules=lf_module_files(config.lf_path),
        lf_folder_files=lf_folder_files(config.lf_path, config.lf_folder_ignore),
        glossaries=glossaries,
        problems=problems,
    )


def _data_sha256(data: DataConfig) -> str | None:
    """:func:`~labelwright.data.data_hash.dataset_sha256`; None when the file is not there
    (or cannot be read): the run's file is gone."""
    try:
        return dataset_sha256(data)
    except OSError:
        return None


def _data_hashes(data: DataConfig
                 ) -> tuple[str | None, dict[str, str] | None, str | None]:
    """:func:`_data_sha256`, and for a dataset in many files each part's hash by its path
    (hashed once for both), and why its parts cannot be found or read now; None for the
    parts of a dataset in one file."""
    if not many_files(data):
        return _data_sha256(data), None, None
    try:
        hashes = part_hashes(data)
    except (OSError, DataError) as exc:
        return None, None, str(exc)
    return parts_digest(data, hashes), {str(part): sha for part, sha in hashes}, None


def with_data(inputs: ProjectInputs, data: DataConfig, reads: DataReads | None = None
              ) -> ProjectInputs:
    """``inputs`` with the dataset file ``data`` reads hashed in place of the project's
    (for a run given its file with ``--data``: :func:`~labelwright.config.data_override.
    run_data_config`; for a file given to ``runs verify --data``, read with the run's
    settings: :func:`~labelwright.runs.verify.data.given_data_config`). ``reads``: the
    files hashed already (each once)."""
    if data.path == inputs.data_path and data.path_from != VERIFY_DATA:
        return inputs
    if many_files(data):  # each part's hash too, to name the one that changed
        sha, parts, unread = _data_hashes(data)
        return replace(inputs, data_path=data.path, data=sha, data_parts=parts,
                       data_unread=unread)
    sha = (reads.sha256(data, lambda: _data_sha256(data)) if reads is not None
           else _data_sha256(data))
    return replace(inputs, data_path=data.path, data=sha, data_parts=None, data_unread=None)


def with_session_lfs(inputs: ProjectInputs, lfs: Sequence[LabelingFunction]) -> ProjectInputs:
    """``inputs`` with the LFs of a Python session (``verify_runs(..., lfs=[...])``) hashed
    beside the project's, as a run hashes them, for the runs that ran them; a ValueError
    for a name a project LF (or another of ``lfs``) has."""
    from labelwright.project.load import check_session_lf

    if not lfs or inputs.lfs is None:
        return inputs
    # a snorkel LF is converted as with_lfs converted it for the run, and hashes the same
    lfs = [check_session_lf(lf, i, "verify_runs: lfs item") for i, lf in enumerate(lfs)]
    hashed = dict(inputs.lfs)
    for lf in lfs:
        if lf.name in hashed:
            raise ValueError(f"lfs: an LF named {lf.name!r} is given twice, or the project "
                             f"has one ({lf.location}); give only the LFs made in the session")
        hashed[lf.name] = lf.source_hash
    return replace(inputs, lfs=hashed, session_lfs=tuple(lfs))


def with_session_glossaries(inputs: ProjectInputs,
                            glossaries: Sequence[Mapping[str, Any] | Glossary],
                            labels: Sequence[str]) -> ProjectInputs:
    """``inputs`` with the glossaries of a Python session (``verify_runs(...,
    glossaries=[...])``: dicts or :class:`Glossary`, as ``project.with_glossaries`` takes
    them) checked against the project's ``labels`` and hashed beside the project's, as a
    run hashes them (their text as a glossary file), for the runs that matched them; a
    ValueError for a name a glossary file of the project (or another of ``glossaries``)
    has."""
    from labelwright.glossaries.python_glossaries import glossary_from_dict

    if not glossaries or inputs.glossaries is None:
        return inputs
    read = [glossary_from_dict(g, labels) for g in glossaries]
    hashed = dict(inputs.glossaries)
    for glossary in read:
        if glossary.name in hashed:
            raise ValueError(f"glossaries: a glossary named {glossary.name!r} is given twice, "
                             "or the project has a file of that name; give only the "
                             "glossaries made in the session")
        hashed[glossary.name] = glossary.sha256
    return replace(inputs, glossaries=hashed, session_glossaries=tuple(read))


def with_frame(inputs: ProjectInputs, frame: pd.DataFrame | None) -> ProjectInputs:
    """``inputs`` with ``frame`` hashed as a run hashes a DataFrame, for the runs that read
    one (a run given a file is compared with its file)."""
    if frame is None:
        return inputs
    return replace(inputs, frame_sha256=frame_sha256(frame),
                   frame_shape=(len(frame), len(frame.columns)))


@dataclass
class InputCheck:
    """What :func:`input_changes` found: inputs that differ, inputs it could not hash now
    (``problems``), remarks that are no difference (``notes``: the same data under another
    path) and what it compared (``checked``, for the line that says all is as it was)."""

    changes: list[InputChange] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)
    #: the data file's change when the items gone are all ones ``runs/ERASURES.jsonl``
    #: names and no other item's text changed or was added: accounted for, no difference
    #: (but the run cannot be recomputed from the data now)
    erased: list[InputChange] = field(default_factory=list)

    @property
    def differs(self) -> bool:
        """Whether anything differs or could not be compared: what ``bool()`` of it says
        too, so inputs found as the run read them are falsy; ``RunCheck.inputs is None``
        says they were not compared."""
        return bool(self.changes or self.problems)

    def __bool__(self) -> bool:
        return self.differs


def input_changes(manifest: dict[str, Any], inputs: ProjectInputs,
                  config: ProjectConfig) -> InputCheck:
    """Each input ``manifest`` records whose hash differs from ``inputs`` (the project
    ``config`` now). A manifest from before an input was recorded has nothing to compare it
    with: that input is left out, and left out of ``checked``."""
    from labelwright.runs.verify.data_changes import data_change

    check = InputCheck(problems=list(inputs.problems))
    data_change(manifest, inputs, config, check)
    _config_change(manifest, inputs, check)
    recorded_lfs = {lf["name"]: lf.get("source_sha256") for lf in
                    manifest.get("labeling_functions") or [] if lf.get("kind") != "glossary"}
    where = {lf["name"]: lf.get("location") for lf in manifest.get("labeling_functions") or []}
    if "labeling_functions" in manifest and inputs.lfs is not None:
        named_changes(check, "LF", recorded_lfs, inputs.lfs, where)
        check.checked.append(counted(len(recorded_lfs), "LF"))
    for key, what, now in (("lf_modules", "LF module", inputs.lf_modules),
                           ("lf_folder_files", "LF folder file", inputs.lf_folder_files)):
        if key in manifest:
            recorded = {f["name"]: f["sha256"] for f in manifest[key]}
            named_changes(check, what, recorded, now)
            check.checked.append(counted(len(recorded), what))
    if "glossaries" in manifest and inputs.glossaries is not None:
        recorded = {g["name"]: g.get("sha256") for g in manifest["glossaries"]}
        named_changes(check, "glossary", recorded, inputs.glossaries,
                       {g["name"]: g.get("path") for g in manifest["glossaries"]})
        check.checked.append(counted(len(recorded), "glossary", "glossaries"))
    _label_model_change(manifest, config, check)
    return check


def _label_model_change(manifest: dict[str, Any], config: ProjectConfig,
                        check: InputCheck) -> None:
    """The module of a label model of the user's own (``[label_model] name =
    "my_models:AccuracyVote"``) and the project's modules it imported, when the run
    recorded their paths and sha256: inputs as LF modules are. Edited since, a refit with
    them would have blamed the run's labels; gone, the refit had stopped at a config
    error."""
    files = label_model_files(manifest)
    if not files:  # a built-in model, or a class with no file (a notebook's)
        return
    check.checked.append(LABEL_MODEL_MODULE if len(files) == 1
                         else counted(len(files), f"{LABEL_MODEL_MODULE} file"))
    for path, then in files.items():
        try:
            now: str | None = file_sha256(label_model_file(path, config.root))
        except OSError:
            now = None
        if now != then:
            check.changes.append(InputChange(LABEL_MODEL_MODULE, path, then, now, key=path))


def named_changes(check: InputCheck, what: str, then: dict[str, Any], now: dict[str, str],
                   where: dict[str, Any] | None = None) -> None:
    """Inputs of one kind, by name: added since the run, gone, or with another hash (an
    input the run recorded without a hash counts as differing: it cannot be vouched for)."""
    for name in sorted({*then, *now}):
        if name in then and name in now and then[name] == now[name]:
            continue
        place = (where or {}).get(name)
        check.changes.append(InputChange(
            what, f"{name} ({place})" if place and place != name else name,
            str(then[name] or "") if name in then else None, now.get(name), key=name))


def _config_change(manifest: dict[str, Any], inputs: ProjectInputs, check: InputCheck) -> None:
    """The config file, when the run recorded one (a project configured from Python has
    none)."""
    then = manifest.get("config")
    if not then:
        return
    check.checked.append("config")
    now = inputs.config
    if now is not None and now.get("sha256") == then.get("sha256"):
        return
    moved = now is not None and now.get("path") != then.get("path")
    check.changes.append(InputChange(
        "config", str(then.get("path")), then.get("sha256"),
        None if now is None else now.get("sha256"),
        f"the project's config file is now {now.get('path')}" if moved and now else ""))
