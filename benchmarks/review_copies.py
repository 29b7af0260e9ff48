"""How many distinct texts a review budget reaches, with the queue as it was (every item,
``[review] copies = "all"``) and with one item per text (``"one"``, the default).

Three sets: the bundled example's tickets (its copies counted), the UCI YouTube spam
collection (1,956 comments with our LFs, see :mod:`uci_data`), and ``--rows`` comments
drawn from it with replacement, each comment's weight from a Zipf law (``--zipf``, one
row per exponent), as a channel where the same spam is posted again and again. For each:
the label model (`default`), the review ranking and triage as a run builds them; then the
first ``B`` items of the queue for several budgets: how many distinct texts they hold, and under
``"one"`` how many items their reviews reach (the items and their copies). The audit's
items stay in the queue under ``"one"`` whatever their text, so the items reached are
counted once per text.

    python benchmarks/review_copies.py
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pandas as pd
from uci_data import apply_lfs, youtube_comments

from labelwright.copies import find_copies, queue_one_per_text
from labelwright.models import get_model
from labelwright.review.ranking.rank import rank_queue
from labelwright.triage.core import triage

EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "tickets.csv"
BUDGETS = (20, 40, 200, 1000)


def _queue(texts: list[str], votes: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """The queue (every item), the queue cut to one item per text, and the seconds finding
    the copies and cutting took."""
    model = get_model("default", 2).fit(votes)
    probs, pred = model.predict_proba(votes), model.predict(votes)
    ranked = rank_queue(probs, votes, texts, seed=0, label=pred)
    tri = triage(probs, votes, pred, threshold=0.7, audit_size=20, seed=0, score=ranked.score,
                 ids=[str(i) for i in range(len(texts))])
    began = time.perf_counter()
    cut, _ = queue_one_per_text(tri, find_copies(texts))
    return tri.order, cut.order, time.perf_counter() - began


def _row(name: str, texts: list[str], votes: np.ndarray) -> None:
    copies = find_copies(texts)
    full, one, seconds = _queue(texts, votes)
    cells = []
    for budget in BUDGETS:
        before = len(np.unique(copies.group[full[:budget]]))
        after = len(np.unique(copies.group[one[:budget]]))
        reached = int(np.isin(copies.group, copies.group[one[:budget]]).sum())
        cells.append(f"{before} → {after} ({reached:,})")
    print(f"| {name} | {len(texts):,} | {copies.texts_with_copies:,} / "
          f"{copies.items_with_copies:,} | {len(full):,} → {len(one):,} | "
          + " | ".join(cells) + f" | {seconds:.2f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=300_000)
    parser.add_argument("--zipf", type=float, nargs="+", default=[1.3, 0.8])
    args = parser.parse_args()
    print("| set | items | texts with copies / their items | queue: all → one | "
          + " | ".join(f"first {b}: texts, all → one (items reached)" for b in BUDGETS)
          + " | s to find and cut |")
    print("|---" * (5 + len(BUDGETS)) + "|")
    tickets = pd.read_csv(EXAMPLE)["text"].astype(str).tolist()
    example = find_copies(tickets)
    print(f"| bundled example | {len(tickets):,} | {example.texts_with_copies} / "
          f"{example.items_with_copies} | (no copies: the queue is the same) |")
    texts, _, source = youtube_comments()
    votes = apply_lfs(texts, source)
    _row("UCI YouTube", texts, votes)
    for zipf in args.zipf:
        rng = np.random.default_rng(0)
        weights = 1.0 / np.arange(1, len(texts) + 1) ** zipf
        drawn = rng.choice(len(texts), size=args.rows, p=weights / weights.sum())
        _row(f"YouTube, {args.rows:,} drawn (Zipf {zipf})", [texts[i] for i in drawn],
             votes[drawn])


if __name__ == "__main__":
    main()
