"""The report's "Terms used": a short note on the words of the field the page uses.

A product manager judging a run by its report met LF, held-out gold, ECE, coverage,
overlap, conflict and Krippendorff's alpha undefined; the README explains them at length,
the page did not at all.
"""

from __future__ import annotations

#: term -> what it means on this page (plain text)
TERMS = (
    ("LF (labeling function)", "a rule (Python code or a glossary of terms) that votes a "
     "label for an item or abstains."),
    ("label model", "combines the LFs' votes into one label and a confidence per item, "
     "weighing each LF by how often it seems right."),
    ("majority vote", "the label most LFs voted for: the yardstick a label model should "
     "beat."),
    ("held-out gold", "items with a known (gold) label that the label model was not fit "
     "on; accuracy is measured on them."),
    ("coverage", "share of items an LF (or any LF) voted on."),
    ("overlap", "share of items where an LF and at least one other LF voted."),
    ("conflict", "share of items where an LF and another LF voted different labels."),
    ("ECE (expected calibration error)", "how far the label model's confidence is from how "
     "often it is right, averaged over confidence bins: 0 is perfectly calibrated."),
    ("95% interval", "the range the figure on all items likely lies in, given how few "
     "items it was measured on (Wilson score interval)."),
    ("Krippendorff's alpha, Fleiss' kappa", "how much reviewers agree beyond what chance "
     "alone gives: 1 full agreement, 0 no more than chance, below 0 less."),
)


def terms_section() -> str:
    """The note, as an HTML definition list."""
    from labelwright.report.html import esc

    rows = "".join(f"<dt>{esc(term)}</dt><dd>{esc(meaning)}</dd>" for term, meaning in TERMS)
    return f'<dl class="terms">{rows}</dl>'
