"""Why an item is in the review queue, in words a reviewer reads at a glance, and which
votes it carries.

A record names the ranking signals that put it high (``signals``: ``uncertainty``,
``end_model_disagrees``); a name alone does not say how far the label model doubted or
what the end model said instead. :func:`why_text` reads the record's own values (its
``signal_values``, the end model's label, the label model's probabilities and the votes)
into one line: ``end model says spam (0.91); votes split 2-1 (ham-spam); label model
unsure: ham 0.66, spam 0.34``. A run from before records held the end model's label says that the
end model disagrees, not with what.

:func:`vote_pattern` names the votes an item carries (``short_comment=ham``): items of one
pattern all read alike to the label model, cross the threshold together, and flood the
queue (:mod:`~labelwright.review.queue.patterns` takes at most N of each).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

#: the vote pattern of an item no LF voted on
NO_VOTES = "(no votes)"
#: the signals that say the label model doubts its own label
_DOUBT = ("uncertainty", "small_margin", "entropy")


def vote_pattern(votes: Mapping[str, Any]) -> str:
    """The item's votes as ``lf=label`` joined by ``, ``, in the LFs' order (the record's),
    or :data:`NO_VOTES`."""
    return ", ".join(f"{lf}={label}" for lf, label in votes.items()) or NO_VOTES


def why_text(record: Mapping[str, Any]) -> str:
    """What put ``record`` in the queue, with its values; "" for a blind record (it holds
    none of what the rules and the model said)."""
    if record.get("blind"):
        return ""
    signals = list(record.get("signals") or ())
    values = record.get("signal_values") or {}
    parts = [part for part in (_end_model_part(record, signals),
                               _votes_part(record.get("votes") or {}),
                               _doubt_part(record, signals, values)) if part]
    if "cleanlab" in signals:
        parts.append("cleanlab flags the label"
                     + (f" ({values['cleanlab']:.2f})" if "cleanlab" in values else ""))
    return "; ".join(parts)


def _end_model_part(record: Mapping[str, Any], signals: list[str]) -> str:
    """What the out-of-fold end model said: its label and probability when the run recorded
    them; for an older run's record that names the signal, only that it disagrees. With
    three labels or more the end model can doubt the suggested label while ranking it first
    (``ham`` 0.45): not agreement."""
    label = record.get("end_model_label")
    if label is not None:
        confidence = record.get("end_model_confidence")
        known = isinstance(confidence, (int, float))
        said = f" ({confidence:.2f})" if known else ""
        if label == record.get("suggested_label"):
            if known and "end_model_disagrees" in signals:
                return f"end model gives {label} only {confidence:.2f}"
            return f"end model agrees ({label}{said.replace(' (', ' ').rstrip(')')})"
        return f"end model says {label}{said}"
    if "end_model_disagrees" in signals:
        # named, the signal is at least 0.5: with two labels the end model says the other
        other = [name for name in record.get("probabilities") or {}
                 if name != record.get("suggested_label")]
        if len(other) == 1 and record.get("suggested_label") is not None:
            return f"end model says {other[0]} (its probability not recorded by this run)"
        return "end model disagrees (its label not recorded by this run)"
    return ""


def _votes_part(votes: Mapping[str, Any]) -> str:
    """How the LFs voted: ``no LF voted``, ``one vote: short_comment=ham``, ``3 votes for
    spam`` or ``votes split 2-1 (spam-ham)``."""
    if not votes:
        return "no LF voted"
    if len(votes) == 1:
        return f"one vote: {vote_pattern(votes)}"
    tally: dict[str, int] = {}  # a dict, not a Counter: a third of the records' time
    for label in votes.values():
        tally[str(label)] = tally.get(str(label), 0) + 1
    if len(tally) == 1:
        return f"{len(votes)} votes for {next(iter(tally))}"
    counts = sorted(tally.items(), key=lambda pair: -pair[1])  # stable: first voted first
    return (f"votes split {'-'.join(str(n) for _, n in counts)} "
            f"({'-'.join(label for label, _ in counts)})")


def _doubt_part(record: Mapping[str, Any], signals: list[str],
                values: Mapping[str, float]) -> str:
    """The label model's own doubt, when one of its doubt signals put the item here: its
    label's probability (and the runner-up's)."""
    if not any(name in signals for name in _DOUBT):
        return ""
    probabilities = record.get("probabilities") or {}
    ranked = sorted(probabilities.items(), key=lambda pair: -pair[1])[:2]
    shown = ", ".join(f"{label} {p:.2f}" for label, p in ranked)
    if shown:
        return f"label model unsure: {shown}"
    name = next(name for name in _DOUBT if name in signals)
    return f"label model unsure ({name}" + (f" {values[name]:.2f})" if name in values else ")")
