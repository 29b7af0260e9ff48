"""One row per review decision on a run's items, with how each item settled: the table an
auditor asks for (``labelwright review decisions RUN --out FILE.csv``).

``explain ID`` tells one item's story; an audit needs every item's at once, in a file. Each
row is built from what ``explain`` computes, :func:`~labelwright.runs.explain.reviews.
item_decisions` and :func:`~labelwright.runs.explain.reviews.settle_item` (the run's
recorded policy, adjudicators and names, the decisions it read), so the table and
``explain`` cannot tell two stories of an item.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from labelwright.apply.item_fields import missing_as_none
from labelwright.config import load_config
from labelwright.runs.explain.reviews import (
    item_decisions,
    other_text_caveat,
    project_decisions,
    settle_item,
)
from labelwright.runs.label_set import run_label_set
from labelwright.runs.store import read_manifest, resolve_run, run_labels

#: the table's columns, in order
COLUMNS = ("item_id", "rater", "counted_as", "imported_by", "label", "decided_at",
           "imported_at", "source_file", "source_row", "source_sha256", "exported_from_run",
           "export", "seen", "cut_text", "note", "retired", "used_by_run", "settlement",
           "reviewed_label", "run_label", "label_source")

_SEEN = {True: "blind", False: "shown", None: "not recorded"}


@dataclass
class DecisionAudit:
    """The decisions on a run's items (:data:`COLUMNS`, one row each, by item then ledger
    order) and what applies to the whole table (the ledger changed since the run, or the
    run predates the record of the decisions it set aside for a changed text)."""

    run_id: str
    frame: pd.DataFrame
    warnings: list[str] = field(default_factory=list)

    @property
    def items(self) -> int:
        return int(self.frame["item_id"].nunique()) if len(self.frame) else 0


def _used(d: dict[str, Any]) -> str:
    """Whether the run used the decision, and why not (as ``explain`` marks it)."""
    why = ("imported after the run" if d.get("after_run") else
           "made on another text than the run's data" if d.get("other_text") else
           "retired" if d.get("retired") else "")
    return f"no: {why}" if why else "yes"


def _row(d: dict[str, Any], item_id: str, settlement: str, reviewed: str | None,
         label: Any, source: str) -> dict[str, Any]:
    return {
        "item_id": item_id, "rater": d["reviewer"], "counted_as": d.get("counted_as", ""),
        "imported_by": d["importer"], "label": d["label"],
        "decided_at": d["decided_in_file"], "imported_at": d["imported_at"],
        "source_file": d["source_file"], "source_row": d["source_row"],
        "source_sha256": d["source_sha256"], "exported_from_run": d["run_id"],
        "export": d["export"], "seen": _SEEN[d.get("blind")], "cut_text": d.get("cut") or "",
        "note": d.get("note") or "",
        "retired": d.get("retired") or "", "used_by_run": _used(d),
        "settlement": settlement, "reviewed_label": reviewed or "",
        "run_label": "" if label is None else str(label), "label_source": source,
    }


def decision_audit(root: str | Path = ".", run: str | None = None) -> DecisionAudit:
    """Every review decision on the items of ``run`` (default: the latest), one row each
    (:data:`COLUMNS`): who decided (``rater``, and ``counted_as`` by the run's names), who
    imported it, the label, when, the file with its row and sha256, blind or shown, the
    rater's note (empty: none),
    retired or not, whether the run used it, and how the item settled under the run's
    review policy (``settlement``, as ``explain`` words it, or why the decisions the run
    read settle nothing it could use), with the run's own label and its source. A caveat
    ``explain`` gives every item of the run (one made before runs recorded which decisions
    they set aside for a changed text) goes to the audit's ``warnings`` once; the per-item
    ones do not (``explain ID`` gives them)."""
    config = load_config(root)
    run_dir = resolve_run(config.runs_path, run, project=config)
    manifest = read_manifest(run_dir)
    labels = run_label_set(config, manifest)
    frame = run_labels(run_dir, manifest, ["id", "label", "label_source", "copy_of"])
    warnings: list[str] = []
    # the ledger read once: it says which items have decisions and gives them
    reader = project_decisions(config, manifest, warnings)
    reviewed = frame["id"].astype(str).map(lambda i: bool(reader(i))) if reader else None
    frame = frame[reviewed.to_numpy()] if reviewed is not None else frame.iloc[:0]
    caveat = other_text_caveat(manifest)
    rows: list[dict[str, Any]] = []
    for record in frame.to_dict("records"):
        item_id = str(record["id"])
        _, decisions = item_decisions(config, manifest, item_id, reader, [])
        source = str(record.get("label_source", "model"))
        copied = missing_as_none(record.get("copy_of")) if source == "copy" else None
        item_warnings: list[str] = []
        reviews = settle_item(decisions, reader, item_id, config=config, manifest=manifest,
                              run_dir=run_dir, labels=labels, source=source,
                              copy_of=None if copied is None else str(copied),
                              warnings=item_warnings)
        if caveat in item_warnings and caveat not in warnings:
            warnings.append(caveat)
        settled = reviews.settlement
        said = settled.describe() if settled is not None else (
            "no reviewed label: none of these decisions was read by the run, or a label "
            "it does not have keeps the item unsettled (`labelwright explain ID` says which)")
        label = missing_as_none(record.get("label"))
        rows += [_row(d, item_id, said, settled.label if settled else None, label, source)
                 for d in decisions]
    rows.sort(key=lambda r: r["item_id"])  # stable: ledger order within an item
    return DecisionAudit(str(manifest.get("run_id", run_dir.name)),
                         pd.DataFrame(rows, columns=list(COLUMNS)), warnings)


def write_decision_audit(root: str | Path = ".", run: str | None = None,
                         out: str | Path = "decisions.csv") -> tuple[DecisionAudit, Path]:
    """:func:`decision_audit` written to the CSV ``out``, and the path written. A path
    that is a file of the project (its data, config, ledger, a run's recorded file) is a
    :class:`~labelwright.errors.RunError`, nothing written; a cell a spreadsheet would take
    for a formula (a rater named ``=cmd``) is escaped as review sheets escape it. The
    table is recorded in ``runs/DECISION_TABLES.jsonl`` (its notes may hold personal
    data: ``labelwright erase`` takes those of erased items out)."""
    from labelwright.review.queue.csv_sheet import protect_cell
    from labelwright.review.targets import check_targets
    from labelwright.runs.decision_tables import record_decision_table

    audit = decision_audit(root, run)
    out = Path(out)
    config = load_config(root)
    check_targets([out], config, what="decision table", into_runs=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    audit.frame.map(protect_cell).to_csv(out, index=False)
    # its notes may hold personal data: on record, so `labelwright erase` finds it
    record_decision_table(config.runs_path, audit.run_id, out, config.root)
    return audit, out

