"""Lone votes on the triage threshold: a generated 8-label bank-ticket project whose truth is
known, run, perturbed and reviewed the way a user works through it.

The project: 1,500 tickets, two fair keyword LFs per label (each right 89-99% of the time),
and three that are not: ``locked_out`` (votes pin_reset, 47% right, almost always alone),
``charged`` (votes fee_dispute, 10% right, half its votes beside others') and
``card_declined`` (votes card_lost, 39% right, never beside another LF). Steps, each a
``labelwright`` run with the project's defaults (``auto``, threshold 0.7, audit 20):

1. run;
2. add an LF unrelated to the lone votes (``urgent_balance``) and run; remove it;
3. two rounds of: export the head of the queue (``--budget``, 150), decide it from the truth
   file (a perfect reviewer), import, run.

Printed per run: items accepted, accepted with a wrong label, to review, ``unread``, items
within 0.02 of the threshold, and the items whose queue membership (any reason but the
audit) moved since the run before, with how many of them moved to an accepted wrong label.
Reviewed items are left out of the moves. Then, for the three LFs after each round: their true
accuracy, how many of their lone votes are reviewed, and the confidence the model gives the
others.

    python benchmarks/lone_votes.py [--out DIR] [--budget 150]
"""

from __future__ import annotations

import argparse
import csv
import random
import tempfile
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd

LABELS = ["card_lost", "transfer_failed", "refund", "balance", "pin_reset", "fee_dispute",
          "close_account", "address_change"]
SHARES = [0.16, 0.15, 0.14, 0.13, 0.12, 0.11, 0.10, 0.09]
CUE_A = {"card_lost": "lost my card", "transfer_failed": "transfer did not go through",
         "refund": "want a refund", "balance": "check my balance",
         "pin_reset": "forgot my pin", "fee_dispute": "unfair fee",
         "close_account": "close my account", "address_change": "new address"}
CUE_B = {"card_lost": "card is missing", "transfer_failed": "payment bounced",
         "refund": "money back", "balance": "how much is left",
         "pin_reset": "reset the pin", "fee_dispute": "fee on my statement",
         "close_account": "leaving the bank", "address_change": "moved house"}
FILLER = ["please help", "thanks", "asap", "regards", "hello", "this is urgent",
          "since yesterday", "on the app", "at the branch", "again", "for the second time",
          "my wife says", "I am confused", "not happy", "quick question"]
#: the true labels of tickets that carry one lone LF's words and nothing else
VAGUE = {"pin_reset": 0.45, "close_account": 0.30, "card_lost": 0.25}
DECLINED = {"card_lost": 0.4, "balance": 0.3, "transfer_failed": 0.3}
CHARGED = {"refund": 0.5, "fee_dispute": 0.25, "transfer_failed": 0.25}

LFS = f'''
from labelwright import ABSTAIN, labeling_function

CUE_A = {CUE_A!r}
CUE_B = {CUE_B!r}


def _make(label, cue, suffix):
    @labeling_function(name=f"{{label}}_{{suffix}}")
    def lf(item):
        return label if cue in item.text else ABSTAIN
    return lf


for _label, _cue in CUE_A.items():
    globals()[f"{{_label}}_a"] = _make(_label, _cue, "a")
for _label, _cue in CUE_B.items():
    globals()[f"{{_label}}_b"] = _make(_label, _cue, "b")


@labeling_function()
def locked_out(item):
    return "pin_reset" if "locked out" in item.text else ABSTAIN


@labeling_function()
def charged(item):
    return "fee_dispute" if "charged" in item.text else ABSTAIN


@labeling_function()
def card_declined(item):
    return "card_lost" if "declined" in item.text else ABSTAIN
'''

UNRELATED_LF = '''
from labelwright import ABSTAIN, labeling_function


@labeling_function()
def urgent_balance(item):
    return "balance" if "check my balance" in item.text and "urgent" in item.text else ABSTAIN
'''

CONFIG = f'''[project]
name = "bank-lone-votes"
labels = {LABELS!r}
seed = 0

[data]
path = "data/tickets.csv"
id_column = "ticket_id"
text_column = "text"

[nlp]
lang = "en"

[triage]
threshold = 0.7
audit_size = 20
'''.replace("'", '"')


def _pick(rng: random.Random, table: dict[str, float]) -> str:
    return rng.choices(list(table), list(table.values()))[0]


def ticket(rng: random.Random, i: int) -> tuple[str, str]:
    """One ticket's text and true label."""
    kind = rng.random()
    parts = []
    if kind < 0.10:
        label = _pick(rng, VAGUE)
        parts.append("I am locked out")
    elif kind < 0.14:
        label = _pick(rng, DECLINED)
        parts.append("my card was declined")
    elif kind < 0.21:
        label = _pick(rng, CHARGED)
        parts.append("I was charged")
    else:
        label = rng.choices(LABELS, SHARES)[0]
        a, b = rng.random() < 0.6, rng.random() < 0.5
        a = a or (not b and rng.random() < 0.7)
        parts += [cue[label] for cue, on in ((CUE_A, a), (CUE_B, b)) if on]
        if rng.random() < 0.05:  # a stray cue of another label
            other = rng.choice([x for x in LABELS if x != label])
            parts.append(rng.choice([CUE_A, CUE_B])[other])
        if label in ("refund", "card_lost", "transfer_failed") and rng.random() < 0.25:
            parts.append("they charged me")
        if label == "pin_reset" and rng.random() < 0.06:
            parts.append("locked out")
    parts += rng.sample(FILLER, 2)
    rng.shuffle(parts)
    return f"{', '.join(parts)} (ref {i:05d})", label


def make_project(root: Path, n: int = 1500, seed: int = 7) -> pd.Series:
    """Write the project into ``root``; returns the truth (id -> label)."""
    rng = random.Random(seed)
    rows = [(f"B{i:05d}", *ticket(rng, i)) for i in range(n)]
    (root / "data").mkdir(parents=True)
    (root / "labeling_functions").mkdir()
    (root / "glossaries").mkdir()
    with open(root / "data" / "tickets.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["ticket_id", "text"])
        writer.writerows((i, text) for i, text, _ in rows)
    (root / "labeling_functions" / "bank.py").write_text(textwrap.dedent(LFS), "utf-8")
    (root / "labelwright.toml").write_text(CONFIG, "utf-8")
    return pd.Series({i: label for i, _, label in rows})


def queued(labels: pd.DataFrame) -> pd.Series:
    """Queued for any reason but the audit (a seeded draw, not the model's doing)."""
    return labels["reasons"].map(lambda r: bool(set(str(r).split(";")) - {"", "audit"}))


def row(name: str, result, truth: pd.Series, before: pd.DataFrame | None) -> dict:
    labels = result.labels.set_index("id")
    wrong = (labels["status"] == "accepted") & (labels["label"] != truth.reindex(labels.index))
    out = {"run": name, "accepted": int((labels["status"] == "accepted").sum()),
           "wrong accepted": int(wrong.sum()),
           "to review": int((labels["status"] == "review").sum()),
           "unread": int(labels["reasons"].map(lambda r: "unread" in str(r).split(";")).sum()),
           "at 0.70 +-0.02": int((labels["model_confidence"] - 0.7).abs().lt(0.02).sum())}
    if before is not None:
        old = before.reindex(labels.index)
        kept = (old["status"] != "reviewed") & (labels["status"] != "reviewed")
        moved = kept & (queued(old) != queued(labels))
        out["moved"] = int(moved.sum())
        out["moved to wrong accepted"] = int((moved & wrong).sum())
    return out


def review_round(root: Path, run_dir: Path, truth: pd.Series, budget: int, k: int) -> None:
    from labelwright.review.imports.file import import_file
    from labelwright.review.queue.export import export_run

    (exported,) = export_run(run_dir, "csv", root.parent / f"queue{k}.csv", budget=budget)
    frame = pd.read_csv(exported, dtype=str, keep_default_na=False)
    frame["review_label"] = truth.reindex(frame["id"]).to_numpy()
    frame.to_csv(root.parent / f"queue{k}-done.csv", index=False)
    import_file(root, root.parent / f"queue{k}-done.csv", reviewer="ana")


def lf_readings(result, truth: pd.Series) -> pd.DataFrame:
    names = list(result.applied.matrix.lf_names)
    votes = result.applied.matrix.votes
    conf = result.labels["model_confidence"].to_numpy()
    true = truth.reindex(result.labels["id"]).to_numpy()
    lone = (votes >= 0).sum(axis=1) == 1
    reviewed = result.labels["status"].to_numpy() == "reviewed"
    rows = []
    for name in ("locked_out", "charged", "card_declined"):
        j = names.index(name)
        on = votes[:, j] >= 0
        right = np.array(LABELS)[votes[on, j]] == true[on]
        waiting = on & lone & ~reviewed
        rows.append({"lf": name, "votes": int(on.sum()), "alone": int((on & lone).sum()),
                     "true acc.": round(float(right.mean()), 3),
                     "alone, reviewed": int((on & lone & reviewed).sum()),
                     "alone, not reviewed: confidence": round(float(conf[waiting].mean()), 3)
                     if waiting.any() else None})
    return pd.DataFrame(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--budget", type=int, default=150)
    args = parser.parse_args()
    from labelwright.project import run_project

    base = args.out or Path(tempfile.mkdtemp(prefix="lone_votes_"))
    root = base / "bank"
    truth = make_project(root)
    rows = []
    first = run_project(root, report=False)
    rows.append(row("1. run", first, truth, None))
    extra = root / "labeling_functions" / "extra.py"
    extra.write_text(textwrap.dedent(UNRELATED_LF), "utf-8")
    plus = run_project(root, report=False)
    rows.append(row("2. + unrelated LF", plus, truth, first.labels.set_index("id")))
    extra.unlink()
    last = run_project(root, report=False)
    readings = []
    for k in (1, 2):
        review_round(root, last.run_dir, truth, args.budget, k)
        after = run_project(root, report=False)
        rows.append(row(f"{k + 2}. {args.budget} queue reviews, run", after, truth,
                        last.labels.set_index("id")))
        readings.append(lf_readings(after, truth).assign(after=f"round {k}"))
        last = after
    print(pd.DataFrame(rows).to_string(index=False))
    print()
    print(pd.concat([lf_readings(first, truth).assign(after="no review"), *readings]
                    ).to_string(index=False))
    print(f"\nproject: {root}")


if __name__ == "__main__":
    main()
