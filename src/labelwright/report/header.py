"""The report's header: the run, when it finished, and the cards a reader takes in first
(items, coverage, the queue, the reviews, accuracy on held-out gold beside majority vote,
labels flipped since the previous run)."""

from __future__ import annotations

from labelwright.percent import percent
from labelwright.report import html
from labelwright.report.data import NONE, RunData
from labelwright.report.summary import counts_right, interval_text
from labelwright.report.times import readable_time
from labelwright.runs.diff.result import RunDiff


def header(data: RunData, project: str, changes: RunDiff | None) -> str:
    """The page's header: the project and run, when it finished, and its cards; ``changes``
    (the comparison with the previous run) adds the labels flipped since."""
    m = data.manifest
    labeled = sum(v for k, v in data.predicted.items() if k != NONE)
    # plain text: each card is escaped below
    cards = [(f"{data.n_items:,}", "items"), (percent(m.get("coverage")), "covered by an LF"),
             (percent(labeled / data.n_items if data.n_items else None), "labeled"),
             (f"{data.statuses.get('review', 0):,}", f"to review, of {data.n_items:,} items"),
             *_review_cards(data),
             (f"{len(data.lf_names)}", "labeling functions")]
    evaluation = m.get("evaluation") or {}
    n_gold = int(evaluation.get("n_gold") or 0)
    if evaluation.get("label_model"):
        right = counts_right(evaluation["label_model"], n_gold)[0]
        cards.append((percent(evaluation["label_model"]["accuracy"]),
                      f"accuracy on {n_gold:,} gold (95%: {interval_text(right, n_gold)})"))
        if evaluation.get("majority_vote"):  # the yardstick beside it, as the terminal shows
            right = counts_right(evaluation["majority_vote"], n_gold)[0]
            cards.append((percent(evaluation["majority_vote"]["accuracy"]),
                          f"majority vote on the same gold (95%: {interval_text(right, n_gold)})"))
    if changes is not None:
        cards.append((f"{changes.flipped:,}", "labels flipped"))
    cells = "".join(f'<div class="card"><b>{html.esc(v)}</b><span>{html.esc(t)}</span></div>'
                    for v, t in cards)
    return (f"<header><h1>{html.user(project)} — quality report</h1>"
            f"<p>run <code>{html.esc(data.run_id)}</code> · finished "
            f"{html.esc(readable_time(m.get('finished_at'), seconds=True))}</p>"
            f"<div class=\"cards\">{cells}</div>"
            f"{_labeled_note(data, labeled)}</header>")


def _review_cards(data: RunData) -> list[tuple[str, str]]:
    """Cards for the reviews the run used: items whose label is a review's, and how far the
    reviews of the random samples drawn have got (``61 of 100``); none without reviews.
    The first screen had said nothing of the reviews a team had done."""
    cards = []
    reviewed = data.statuses.get("reviewed", 0)
    if reviewed:
        cards.append((f"{reviewed:,}", "reviewed items (label from a review)"))
    samples = ((data.manifest.get("reviews") or {}).get("random_samples") or [])
    drawn = sum(int(s.get("drawn") or 0) for s in samples if isinstance(s, dict))
    if drawn:
        done = sum(int(s.get("reviewed") or 0) for s in samples if isinstance(s, dict))
        cards.append((f"{done:,} of {drawn:,}", "random-sample items reviewed"))
    return cards


def _labeled_note(data: RunData, labeled: int) -> str:
    """Why "labeled" can exceed "covered by an LF": a reviewed label fills an item no LF
    voted on. Said only when it does, as a reader took the two figures to contradict."""
    coverage = data.manifest.get("coverage")
    if coverage is None or not data.n_items or labeled / data.n_items <= float(coverage):
        return ""
    return ('<p class="header-note">Labeled is above covered by an LF: reviewed labels fill '
            "items no LF voted on.</p>")
