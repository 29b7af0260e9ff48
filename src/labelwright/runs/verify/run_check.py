"""What ``labelwright runs verify`` finds in a run folder, as data: a :class:`RunCheck` per
run, its problems each a :class:`Finding` (the file it is about, and what is wrong)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from labelwright.runs.verify.recompute_lines import recompute_lines

if TYPE_CHECKING:
    from labelwright.runs.verify.inputs import InputCheck
    from labelwright.runs.verify.recomputed import Recomputed


@dataclass(frozen=True)
class Finding:
    """One thing about a run that is not as the run left it: ``file``, the file it is about
    as the command names it (an output of the run such as ``labels.parquet``,
    ``manifest.json``, ``end_model.json``, the review ledger's path, the run folder's path
    when its manifest is gone; "" when no one file), and ``message``, what is wrong."""

    file: str
    message: str
    #: the run whose folder is gone, for a finding about one (else "")
    run_id: str = field(default="", compare=False)

    def __str__(self) -> str:
        """The line ``runs verify`` prints: ``labels.parquet: changed since ...``."""
        return f"{self.file}: {self.message}" if self.file else self.message


@dataclass
class RunCheck:
    """What :func:`~labelwright.runs.verify.runs.verify_runs` found in one run folder."""

    run_dir: Path
    #: whether its manifest could be read; when not, ``problems`` says why and nothing
    #: else was checked
    readable: bool = True
    #: for a pruned run whose manifest and sources were kept: the archive's path in the
    #: runs folder (``pruned/<run_id>``); "" for a run folder
    archive: str = ""
    problems: list[Finding] = field(default_factory=list)
    outputs_hashed: int = 0  # outputs whose hashes the manifest records
    sources_hashed: int = 0  # the run's kept sources (runs.sources), checked as outputs
    #: the manifest's figures found to be what the run's files give (coverage,
    #: evaluation, ...: :func:`~labelwright.runs.verify.claim_values.claim_groups`)
    claims_checked: list[str] = field(default_factory=list)
    #: the ledger decisions the run read, found unchanged or not (None: the run read no
    #: reviews, or did not record their digest, so none was checked)
    ledger_decisions: int | None = None
    #: the later run whose manifest recorded this one's sha256, found to be its sha256
    #: now ("": none recorded it: the latest run, or an older labelwright's)
    linked_by: str = ""
    #: the provenance files of training sets exported from it that recorded that sha256
    linked_exports: int = 0
    #: the reviewed rows of its labels.parquet re-derived from those decisions (None: not
    #: checked: the decisions changed, or the manifest does not say how the run read them)
    reviewed_rows: int | None = None
    #: the retirement records the run honoured, checked with the decisions (0: none)
    ledger_retirements: int = 0
    train_checked: list[str] = field(default_factory=list)  # train's files found to match
    #: how its ``report.html`` was found to be the run's (``its report.html is as the run
    #: built it``; runs.report_record); "" when not checked (a run from before the manifest
    #: recorded it: listed in ``not_hashed``), or when the run has no report
    report: str = ""
    notes: list[str] = field(default_factory=list)  # what cannot be checked, and why
    #: files in the folder the manifest has no hash for (review exports, ...): listed, not
    #: failed; empty when the manifest records no hashes (no file is known to be the run's)
    not_hashed: list[str] = field(default_factory=list)
    #: with ``inputs``: the project's inputs now against those the run read (None: not
    #: asked for, the manifest unreadable, or the run another project's: see ``inputs_note``)
    inputs: InputCheck | None = None
    inputs_note: str = ""
    #: with ``recompute``: the run's votes (and labels) computed again, against its files
    #: (None: not asked for, or not compared: see ``inputs_note``)
    recomputed: Recomputed | None = None

    @property
    def run_id(self) -> str:
        return self.run_dir.name  # an archive's folder is named for its run too

    @property
    def ok(self) -> bool:
        """No problem, (when compared) every input as the run read it, and (when
        recomputed) the votes and labels as the run wrote them: nothing found to differ (a
        run :attr:`not_recomputed` is ok too; :attr:`outcome` tells the two apart)."""
        return not self.problems and not self.inputs_differ and not self.recomputed

    @property
    def inputs_differ(self) -> bool:
        """Whether the project's inputs (when compared) are not the run's, and that
        counts against the run: not when the run was recomputed from its kept sources
        (``Recomputed.from_sources``), which stood in for the files changed since."""
        return bool(self.inputs) and not (self.recomputed is not None
                                           and self.recomputed.from_sources)

    @property
    def not_recomputed(self) -> str:
        """Why a run checked with ``recompute`` had its labels not computed again (nothing
        recomputed: :attr:`Recomputed.refused`; or its label model not refit:
        :attr:`Recomputed.refit_note`); "" when they were, or recompute was not asked. Said
        of a run that differs too, when both apply (its :attr:`outcome` is "differs")."""
        return self.recomputed.skipped[1] if self.recomputed is not None else ""

    @property
    def outcome(self) -> str:
        """``differs`` (not :attr:`ok`: a problem, an input or a recomputed result that
        differs; it wins over "not recomputed"), ``not recomputed`` (nothing differs, but
        the labels were not computed again: :attr:`not_recomputed`) or ``ok``."""
        if not self.ok:
            return "differs"
        return "not recomputed" if self.not_recomputed else "ok"

    @property
    def failures(self) -> list[str]:
        """Every reason :attr:`ok` is False, a line each, as ``runs verify`` prints them:
        the problems (files), then each input that differs or could not be hashed
        (``inputs: ...``), then what the recompute found to differ (``recompute: ...``);
        empty when ok. A recompute difference is no problem of the run's files, so it is
        not among :attr:`problems`."""
        lines = [str(problem) for problem in self.problems]
        if self.inputs and self.inputs_differ:
            lines += [f"inputs: {change}" for change in self.inputs.changes]
            lines += [f"inputs: {problem}" for problem in self.inputs.problems]
        if self.recomputed:
            lines += recompute_lines(self.recomputed)
        return lines


def finding_of(line: str, files: Sequence[str]) -> Finding:
    """A problem line ``<file>: <message>`` as a :class:`Finding`, for the first of
    ``files`` it starts with (checked, not guessed: a line naming none keeps its whole text
    as the message, with no file)."""
    for name in sorted(files, key=len, reverse=True):  # the longest: a path before its folder
        if line.startswith(f"{name}: "):
            return Finding(name, line[len(name) + 2:])
    return Finding("", line)
