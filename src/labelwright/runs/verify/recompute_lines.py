"""What ``runs verify --recompute`` prints of a run's recomputation
(:class:`~labelwright.runs.verify.recomputed.Recomputed`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from labelwright.counts import counted
from labelwright.runs.file_names import LABELS_FILE, MATRIX_FILE

if TYPE_CHECKING:
    from labelwright.runs.verify.recomputed import Recomputed


#: what ``runs verify`` says of a run recomputed in its project rebuilt from its kept
#: sources (:mod:`~labelwright.runs.verify.kept_project`)
FROM_SOURCES = "recomputed from the run's kept sources"

#: how ``Recomputed.refit`` opens when the run reused an earlier run's model (not fit)
REUSED_MODEL = "the label model of run"


def _refit_words(refit: str) -> str:
    """The model the recomputation read the votes with: a refit, or a reused model."""
    return refit if refit.startswith(REUSED_MODEL) else f"the label model refit ({refit})"


def recompute_lines(result: Recomputed) -> list[str]:
    """What ``runs verify --recompute`` prints of ``result``: one line when all is as the
    run wrote it, else a line per LF, file column or problem that differs."""
    changed = "; ".join(result.packages)
    code = [f"recompute: labelwright is not the one that made the run ({result.code})"
            ] if result.code else []
    if result.refused:
        return [f"recompute: {result.refused}"] + (
            [f"recompute: package versions are not the run's ({changed})"] if changed
            else []) + code
    lines: list[str] = []
    if result.from_sources:
        lines.append(f"recompute: {FROM_SOURCES} ({result.from_sources}), put back in a "
                     "temporary project, as the project's files differ from the run's (see "
                     "inputs); the project and the run folder are left as they are")
    if result.votes or result.lfs_missing or result.items_missing:
        lines.append(f"recompute: the LFs applied again without the vote cache give other "
                     f"votes than the run's {MATRIX_FILE}:")
        lines += [f"  LF {difference}" for difference in result.votes]
        lines += [f"  LF {lf}: in only one of the run's matrix and the project's LFs now"
                  for lf in result.lfs_missing]
        if result.items_missing:
            lines.append(f"  {counted(result.items_missing, 'item')} in only one of the run's "
                         "matrix and the data now")
    elif result.lfs:
        lines.append(f"recompute: {counted(len(result.lfs), 'LF')} applied again without the "
                     f"vote and Doc caches give the run's votes on all "
                     f"{counted(result.items, 'item')}")
    if result.refit and result.labels:
        lines.append(f"recompute: {_refit_words(result.refit)} gives other labels "
                     f"than the run's {LABELS_FILE}:")
        lines += [f"  {difference}" for difference in result.labels]
    elif result.refit:
        lines.append(f"recompute: {_refit_words(result.refit)} gives the run's "
                     f"model labels and probabilities, and triage its statuses, labels, "
                     f"label sources and confidences (reviewed labels from the decisions it "
                     f"read; samples drawn by {result.draws}, as the run drew them)")
    elif result.refit_note:
        lines.append(f"recompute: label model {result.refit_note}")
    if result.refit and result.reviews_read:
        lines.append(f"recompute: the refit read {result.reviews_read} (those imported "
                     "since are not the run's)")
    lines += [f"recompute: {note}" for note in result.refit_notes]
    if result.sample is not None:
        lines.append(f"recompute: the random sample drawn again (by {result.draws}, as the "
                     f"run drew it) is not the run's {result.sample}")
    lines += [f"recompute: {problem}" for problem in result.problems]
    if result.claims:
        lines.append("recompute: the manifest's figures are not what the recomputation "
                     "gives:")
        lines += [f"  {line}" for line in result.claims]
    elif result.claims_checked:
        lines.append(f"recompute: the manifest's {', '.join(result.claims_checked)} are what "
                     "the recomputation gives")
    if changed and result:
        lines.append(f"recompute: package versions are not the run's ({changed}): a "
                     "difference above may come from them rather than from the run's files")
    elif changed:
        lines.append(f"recompute: package versions are not the run's ({changed}); the "
                     "results are the run's all the same")
    if code and result:
        lines.append(f"{code[0]}: a difference above may come from it rather than from the "
                     "run's files")
    elif code:
        lines.append(f"{code[0]}; the results are the run's all the same")
    return lines
