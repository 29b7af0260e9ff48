"""The report's "Review queue" section: the items' statuses, and apart from them the
reasons items are in the queue, each with a readable name (:data:`REASON_NAMES`)."""

from __future__ import annotations

from labelwright.copies import copies_line
from labelwright.report import html, plots
from labelwright.report.data import RunData


def queue_section(data: RunData) -> str:
    """Statuses (accepted, to review, reviewed: each item has one, they add up to the
    items) apart from the reasons an item is in the queue (an item may have several,
    so they add up past the items): one chart of both had read as 248 reasons of 240."""
    statuses = {"accepted": data.statuses.get("accepted", 0),
                "to review": data.statuses.get("review", 0)}
    if data.statuses.get("reviewed"):
        statuses["reviewed (label from review)"] = data.statuses["reviewed"]
    copies = copies_line(data.manifest.get("triage") or {})
    some, several = data.items_by_reasons
    return ((f"<p>{html.esc(copies[0].upper() + copies[1:])} (items with the same text: "
             "see the README's \"Items with the same text\"; an item that took a copy's "
             "label counts as reviewed below).</p>" if copies else "")
            + f"<h3>Status of the {data.n_items:,} items</h3>"
            + plots.bars(statuses, "queue", "items")
            + html.table(["status", "items"], [[html.esc(k), v] for k, v in statuses.items()],
                         numeric=[False, True])
            + _reasons_part(data.reasons, some, several))


def _reasons_part(reasons: dict[str, int], some: int, several: int) -> str:
    """Items per reason, each with its readable name (the key, as review.csv and the
    README's "Triage" write it, in the hover title and beside it)."""
    if not reasons:
        return ""
    shown = [(reason_name(k),) for k in reasons]  # drawn as text: the SVG escapes it
    rows = [[f'<span title="{html.esc(k)}">{html.esc(reason_name(k))}</span> '
             f'<code class="muted">{html.esc(k)}</code>', v] for k, v in reasons.items()]
    many = (f" {several:,} of the {some:,} items with a reason have more than one, so the "
            f"counts add up to {sum(reasons.values()):,}, past the items." if several else "")
    return (f"<h3>Why items are in the review queue ({some:,} items)</h3>"
            f'<p class="muted">An item can have more than one reason.{many} The audit puts '
            "accepted labels drawn at random in the queue, to check them; the other reasons "
            "mark labels likely wrong or missing (see the README's \"Triage\").</p>"
            + plots.bars(reasons, "reasons", "items", shown=shown)
            + html.table(["reason", "items"], rows, numeric=[False, True]))


#: what each queue reason means, for readers who do not know the keys (review.csv's
#: ``reasons`` and the README's "Triage" use the keys)
REASON_NAMES = {
    "disputed": "reviewers disagree, awaiting adjudication",
    "copies_disagree": "copies reviewed differently",
    "stale": "its review no longer settles a label",
    "second_opinion": "label from one reviewer of a copy",
    "conflict": "LFs voted for different labels",
    "low_confidence": "label model unsure",
    "against_votes": "label no LF voted for",
    "unread": "only votes the model does not read",
    "uncovered": "no LF voted",
    "audit": "random audit of an accepted label",
}


def reason_name(key: str) -> str:
    """The readable name of a queue reason; an unknown key as it is."""
    return REASON_NAMES.get(key, key)
