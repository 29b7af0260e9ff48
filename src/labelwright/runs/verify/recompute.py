"""A run's votes and labels computed again: ``labelwright runs verify --recompute``.

The hashes ``runs verify`` checks say a run's files are as the run wrote them, and
``--inputs`` that the project's files are the ones it read; neither says the votes the run
wrote are the ones its LFs give, since a run reads most votes back from the vote cache
(``.labelwright/cache/votes``), which no manifest hashes. :func:`recompute_run` applies the
run's LFs to the project's data again without the vote cache and the Doc cache, compares
the result with the run's ``label_matrix.parquet`` LF by LF, and refits the label model with
the run's settings and reviews (the review ledger's first decisions, as the run read them:
:mod:`~labelwright.review.decisions.run_reading`) to compare ``labels.parquet``'s model labels and
probabilities; triage again gives its statuses and reasons and its random sample
(``sample.jsonl``), drawn the way the run drew them (by item id, or by row for runs from
before their manifests said; from items without a gold label in the dataset, or, for runs
from before their manifests said, from gold items too).

It only does so when the inputs are the run's (the same check as ``--inputs``, and the
same spaCy pipeline): with other inputs a difference says the inputs changed, not that the
run's votes were altered, so nothing is recomputed and :attr:`Recomputed.refused` says why.

What it finds is :mod:`~labelwright.runs.verify.recomputed`, the project applied without
caches :mod:`~labelwright.runs.verify.fresh`, the label model refit and triage drawn again
:mod:`~labelwright.runs.verify.refit`, and the lines printed
:mod:`~labelwright.runs.verify.recompute_lines`; each still imports from here.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from labelwright.counts import counted
from labelwright.lfs.stats import vote_coverage
from labelwright.matrix import ID_COLUMN
from labelwright.runs.file_names import MATRIX_FILE
from labelwright.runs.label_set import manifest_labels
from labelwright.runs.verify.claim_values import claim_differences, claim_groups, made_claims
from labelwright.runs.verify.fresh import Fresh as Fresh
from labelwright.runs.verify.fresh import apply_fresh as apply_fresh
from labelwright.runs.verify.kept_project import KEPT_KINDS
from labelwright.runs.verify.recompute_lines import recompute_lines as recompute_lines
from labelwright.runs.verify.recomputed import PROB_TOLERANCE as PROB_TOLERANCE
from labelwright.runs.verify.recomputed import SHOWN_IDS as SHOWN_IDS
from labelwright.runs.verify.recomputed import Difference as Difference
from labelwright.runs.verify.recomputed import Recomputed as Recomputed
from labelwright.runs.verify.recomputed import difference_of
from labelwright.runs.verify.refit import refit_labels

if TYPE_CHECKING:
    from labelwright.config import ProjectConfig
    from labelwright.review.decisions.ledger_digests import RowsChange
    from labelwright.runs.verify.inputs import InputCheck




def reproduce_hint(run_dir: Path, manifest: dict[str, Any], config: ProjectConfig,
                   inputs: InputCheck) -> str:
    """``; to recompute it, give the data the run read ... with --data PATH``: how to give
    the run its data again, which it does not keep ("" when the data did not change); the
    files it kept (:mod:`labelwright.runs.sources`) stand in for the others that changed
    (:mod:`~labelwright.runs.verify.kept_project`). A refusal had said only "nothing
    recomputed"."""
    from labelwright.runs.manifest import project_path
    from labelwright.runs.sources import SOURCES, kept_copies

    kinds = {change.what for change in inputs.changes}
    tops = sorted({parts[1] for copy in kept_copies(manifest)
                   if len(parts := Path(copy).parts) > 1 and parts[0] == SOURCES})
    if not kinds & {"data file", "data part", "DataFrame"}:
        return ""
    data = manifest.get("data") or {}
    hint = (f"; to recompute it, give the data the run read (not kept in the run: "
            f"{counted(data.get('rows'), 'row')}, sha256 {str(data.get('sha256'))[:12]}) with "
            "`runs verify --recompute --data PATH`")
    if tops and kinds & KEPT_KINDS:  # the others are rebuilt from the run's copies
        hint += (f" (the files it kept in {project_path(run_dir / SOURCES, config.root)}/ "
                 "stand in for the project's others changed since)")
    return hint + " (README: \"Recomputing an old run\")"


def recompute_run(run_dir: Path, manifest: dict[str, Any], config: ProjectConfig,
                  inputs: InputCheck, *, ledger_problem: RowsChange | None,
                  decisions: Sequence[Any], fresh: Fresh | None = None,
                  kept_gap: str = "") -> Recomputed:
    """Apply the run's LFs again without the vote and Doc caches and compare with the run in
    ``run_dir`` (its ``manifest``), then refit its label model on the review ledger's
    decisions the run read (its first ones: those imported since are left out), unless
    ``ledger_problem`` says the ledger no longer holds them. ``inputs``: the project's
    inputs against the run's (:func:`~labelwright.runs.verify.inputs.input_changes`); any
    difference refuses. ``fresh``: the project applied already (one apply serves every run
    of ``runs verify --all``). ``kept_gap``: why the run's kept sources cannot stand in for
    the inputs that differ (:func:`~labelwright.runs.verify.kept_project.kept_sources_gap`),
    said in the refusal in place of how to rebuild the run from them."""
    packages, code = package_changes(manifest), code_change(manifest)
    if inputs:
        return Recomputed(packages=packages, code=code,
                          refused_short="the project's inputs are not the run's",
                          refused="the project's inputs are not the ones the run read (see "
                                  "inputs), so votes computed now would differ for that "
                                  "reason: nothing recomputed"
                                  + (f", and not from the run's kept sources either: {kept_gap}"
                                     if kept_gap else
                                     reproduce_hint(run_dir, manifest, config, inputs)))
    fresh = fresh or apply_fresh(config)
    recorded = (manifest.get("pipeline") or {}).get("fingerprint")
    if recorded and recorded != fresh.pipeline:
        from labelwright.runs.pipeline_change import pipeline_change

        cause = pipeline_change(manifest, fresh.project.nlp, config)
        return Recomputed(packages=packages, code=code,
                          refused_short="the spaCy pipeline is not the run's",
                          refused=f"the spaCy pipeline is not the one the run used ({cause}), "
                                  "so votes computed now may differ for that reason: nothing "
                                  "recomputed (it recomputes a run with the labelwright and "
                                  "spaCy pipeline that made it)")
    result = Recomputed(packages=packages, code=code)
    try:
        matrix, labels = _read_matrix(run_dir / MATRIX_FILE, manifest)
    except ValueError as exc:
        result.problems.append(str(exc))
        return result
    now = pd.DataFrame(fresh.votes, columns=fresh.lf_names)
    now.insert(0, ID_COLUMN, fresh.ids)
    if list(labels) != list(config.labels):
        result.problems.append(f"{run_dir / MATRIX_FILE}: records labels {list(labels)}, the "
                               f"project's are {list(config.labels)}")
        return result
    run_lfs = [c for c in matrix.columns if c != ID_COLUMN]
    result.lfs = [lf for lf in run_lfs if lf in fresh.lf_names]
    result.lfs_missing = sorted({*run_lfs} ^ {*fresh.lf_names})
    joined = matrix.merge(now, on=ID_COLUMN, suffixes=("_run", "_now"))
    result.items = len(joined)
    result.items_missing = len(matrix) + len(now) - 2 * len(joined)
    ids = joined[ID_COLUMN].astype(str).to_numpy()
    for lf in result.lfs:
        differ = joined[f"{lf}_run"].to_numpy() != joined[f"{lf}_now"].to_numpy()
        if differ.any():
            result.votes.append(difference_of(lf, ids, differ))
    derived = {"coverage": (vote_coverage(fresh.votes), "the recomputation's votes")}
    derived.update(refit_labels(run_dir, manifest, config, fresh, result, ledger_problem,
                          decisions))
    derived = made_claims(manifest, derived)
    result.claims = claim_differences(manifest, derived)
    result.claims_checked = claim_groups(derived)
    return result


def package_changes(manifest: dict[str, Any]) -> list[str]:
    """The packages (and Python) whose version now differs from the one the run recorded in
    its manifest's ``packages``, as "name recorded -> now" ("not installed" for None). A
    package the run did not record is not named: older runs tracked fewer."""
    from labelwright.runs.store import package_versions

    recorded = manifest.get("packages")
    if not isinstance(recorded, dict):
        return []
    now = package_versions()
    return [f"{name} {recorded[name] or 'not installed'} -> {now[name] or 'not installed'}"
            for name in now if name in recorded and recorded[name] != now[name]]


def code_change(manifest: dict[str, Any]) -> str:
    """``labelwright code 2fd816ad297a -> 9c1e0b7a5d33`` when the labelwright running now is
    not the one that made the run (by ``labelwright_code``); "" when it is, or when the run
    did not record it (an older labelwright)."""
    from labelwright.runs.own_code import code_text, labelwright_code

    recorded = manifest.get("labelwright_code")
    if not isinstance(recorded, dict) or not isinstance(recorded.get("sha256"), str):
        return ""
    if recorded["sha256"] == labelwright_code()["sha256"]:
        return ""
    return f"labelwright code {code_text(recorded)} -> {code_text(labelwright_code())}"


def _read_matrix(path: Path, manifest: dict[str, Any]) -> tuple[pd.DataFrame, list[str]]:
    """A run's label matrix as written (ids as strings) and the labels its codes index."""
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path)
    except FileNotFoundError:
        raise ValueError(f"{path}: missing, so the run's votes cannot be compared") from None
    except Exception as exc:  # pyarrow raises several unrelated types
        raise ValueError(f"{path}: cannot read the label matrix: {exc}") from None
    meta = table.schema.metadata or {}
    labels = json.loads(meta.get(b"labelwright.labels", b"null")) \
        or manifest_labels(manifest) or []
    frame = table.to_pandas()
    frame[ID_COLUMN] = frame[ID_COLUMN].astype(str)
    return frame, [str(label) for label in labels]


