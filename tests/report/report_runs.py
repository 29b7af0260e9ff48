"""Synthetic run folders for report tests, written with the library's own writers.

A plain module (not conftest) so tests import it by a name no other test folder uses.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from labelwright.lfs.stats import lf_summary
from labelwright.matrix import LabelMatrix
from labelwright.review.queue.export import review_records, write_jsonl
from labelwright.runs.store import file_sha256
from labelwright.triage.core import triage

LABELS = ("negative", "neutral", "positive")
XSS_SCRIPT = '<script>document.title="pwned";document.body.setAttribute("data-pwned","1")</script>'
XSS_IMG = '<img src=x onerror="document.title=\'pwned\'" id="pwned-img">'


def make_run(runs_dir: Path, run_id: str, *, n: int = 300, seed: int = 0, n_lfs: int = 6,
             gold: bool = True, glossary_hits: bool = True, edit: str | None = None,
             reviews: list[dict] | None = None, examples: bool = True,
             labels: tuple[str, ...] = LABELS, lf_names: list[str] | None = None,
             texts: list[str] | None = None) -> Path:
    """A finished run folder with noisy LFs, conflicts, gold labels and XSS texts (other
    ``labels``, LF names and item ``texts`` when given: an Arabic run)."""
    rng = np.random.default_rng(seed)
    k = len(labels)
    truth = rng.integers(0, k, n)
    lf_names = lf_names or [f"lf_{j}" for j in range(n_lfs)]
    n_lfs = len(lf_names)
    votes = np.full((n, n_lfs), -1, dtype=np.int8)
    for j in range(n_lfs):
        fires = rng.random(n) < 0.25 + 0.05 * j
        right = rng.random(n) < 0.85
        votes[fires, j] = np.where(right[fires], truth[fires], rng.integers(0, k, n)[fires])
    counts = np.stack([(votes == c).sum(axis=1) for c in range(k)], axis=1) + 0.5
    probs = counts / counts.sum(axis=1, keepdims=True)
    predicted = probs.argmax(axis=1)
    tri = triage(probs, votes, predicted, threshold=0.7, audit_size=10, seed=seed)
    ids = [f"item-{i:07d}" for i in range(n)]
    texts = list(texts) if texts is not None else [f"text of item {i}" for i in range(n)]
    if examples:
        conflicted = [i for i in tri.order.tolist() if "conflict" in tri.reasons[i]]
        texts[conflicted[0]], texts[conflicted[1]] = XSS_SCRIPT, XSS_IMG
    run_dir = runs_dir / run_id
    run_dir.mkdir(parents=True)
    matrix = LabelMatrix(votes, lf_names, ids, labels)
    matrix.write_parquet(run_dir / "label_matrix.parquet")
    gold_idx = np.where(rng.random(n) < 0.3, truth, -1) if gold else np.full(n, -1)
    frame = pd.DataFrame({
        "id": ids,
        "label": pd.array([labels[c] if c >= 0 else None for c in tri.label], dtype="string"),
        "confidence": tri.confidence,
        **{f"prob_{label}": probs[:, c] for c, label in enumerate(labels)},
        "status": tri.status, "reasons": [";".join(r) for r in tri.reasons],
        "label_source": np.where(tri.label >= 0, "model", "none"),
    })
    if gold:
        frame["gold"] = pd.array([labels[c] if c >= 0 else None for c in gold_idx],
                                 dtype="string")
    frame.to_parquet(run_dir / "labels.parquet", index=False)
    lf_summary(matrix, gold=gold_idx, failures={}, kinds=["python"] * n_lfs).to_csv(
        run_dir / "lf_summary.csv", index=False)
    records = review_records(run_id=run_id, order=tri.order, ids=ids, texts=texts, labels=labels,
                             predicted=tri.label, probs=probs, confidence=tri.confidence,
                             reasons=tri.reasons, votes=votes, lf_names=lf_names,
                             matches=[[] for _ in range(n)])
    write_jsonl(records, run_dir / "review.jsonl")
    if glossary_hits:
        pd.DataFrame({"glossary": ["praise", "praise", "complaints", "complaints"],
                      "term": ["love", "great", "broken", XSS_IMG],
                      "label": ["positive", "positive", "negative", "negative"],
                      "hits": [40, 12, 7, 0], "cancelled": [3, 1, 0, 0]}).to_csv(
            run_dir / "glossary_hits.csv", index=False)
    if reviews is not None:
        (run_dir / "reviews.json").write_text(json.dumps({"reviews": reviews}), encoding="utf-8")
    manifest = {
        "run_id": run_id, "started_at": "2026-11-28T03:00:00+00:00",
        "finished_at": "2026-11-28T03:00:05+00:00",
        "project": {"name": "synthetic <b>project</b>", "root": str(runs_dir.parent),
                    "labels": list(labels)},
        "data": {"path": "data/items.csv", "sha256": "ab" * 32, "rows": n,
                 "gold_rows": int((gold_idx >= 0).sum()), "warnings": []},
        "labeling_functions": [{"name": name, "kind": "python", "location": f"lfs.py:{j}",
                                "source_sha256": f"{j:064d}" if name != edit else "f" * 64}
                               for j, name in enumerate(lf_names)],
        "glossaries": [{"name": "praise", "label": "positive", "mode": "lemma",
                        "path": "glossaries/praise.yaml", "sha256": "cd" * 32, "terms": 2}],
        "label_model": {"name": "default", "class": "DawidSkene", "tie_break": "random",
                        "params": {"max_iter": 100}, "chosen": None,
                        "lf_accuracies": {name: 0.8 for name in lf_names}},
        "triage": {"threshold": 0.7, "audit_size": 10, "review_conflicts": True,
                   "counts": tri.counts()},
        "seed": seed, "failures": {}, "coverage": float((votes >= 0).any(axis=1).mean()),
        "evaluation": {}, "timings_seconds": {"apply": 1.0, "fit": 0.5},
        "packages": {"python": "3.11"},
        "outputs": {p.name: file_sha256(p) for p in sorted(run_dir.iterdir()) if p.is_file()},
    }
    (run_dir / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    # the runs folder's pointer to its newest run, as a run leaves it: a report written
    # again in a folder without it is kept on no record (ReportNotRecorded)
    latest = runs_dir / "LATEST"
    if not latest.exists() or latest.read_text(encoding="utf-8").strip() < run_id:
        latest.write_text(run_id + "\n", encoding="utf-8")
    return run_dir


def make_pair(root: Path) -> tuple[Path, Path]:
    """Two runs in one runs/ folder; the second edits lf_2, drops lf_5 and has reviews."""
    runs = root / "runs"
    first = make_run(runs, "20261128-030000-000000", seed=1)
    shown = {"run_id": first.name, "export": "queue"}  # exported from the first run
    second_reviews = [{"id": "item-0000001", "reviewer": "ana", "label": "positive", **shown},
                      {"id": "item-0000001", "reviewer": "ben", "label": "positive", **shown},
                      {"id": "item-0000002", "reviewer": "ana", "label": "negative", **shown},
                      {"id": "item-0000002", "reviewer": "ben", "label": "neutral", **shown},
                      {"id": "item-0000003", "reviewer": "ana", "label": None, **shown}]
    second = make_run(runs, "20261128-040000-000000", seed=2, n_lfs=5, edit="lf_2",
                      reviews=second_reviews)
    return first, second
