"""Regular-expression labeling functions for phrasings rather than single words."""

import re

from labelwright import ABSTAIN, labeling_function

HOW_DO_I = re.compile(
    r"\b(how (do|can|should|would) (i|we|u|you)|how to|is there a way to|"
    r"where (do|can) (i|we) (find|set|change|see))\b",
    re.IGNORECASE,
)
PROBLEM_WORDS = re.compile(r"\b(error|crash\w*|broken|bug|freez\w*|froze)\b", re.IGNORECASE)
QUOTED_OR_STATUS = re.compile(
    r"'[^']{3,40}'|\"[^\"]{3,40}\"|\b[45]0\d\b|\bERR_\w+|\b0x[0-9a-f]+\b", re.IGNORECASE
)
STOPPED_WORKING = re.compile(
    r"\b(stopped|isn'?t|is not|doesn'?t|does not|won'?t|will not|not|never) "
    r"(work|working|load|loading|open|opening|sync|syncing|save|saving|saved|render|recurring|arriv\w*)\b",
    re.IGNORECASE,
)
ROADMAP = re.compile(
    r"\b(any plans to|on the roadmap|do you plan to|will you (ever )?(add|support)|"
    r"when will you|someday)\b|\bwhen\s?\?",
    re.IGNORECASE,
)
MONEY = re.compile(r"[$€£]\s?\d")
WHY_CANT = re.compile(r"\bwhy (can'?t|cannot) (i|we)\b|\bno way to\b|\bneeds a way to\b", re.IGNORECASE)


@labeling_function()
def how_do_i_question(item):
    """'How do I ...?' questions, unless the ticket also reports a problem."""
    if HOW_DO_I.search(item.text) and not PROBLEM_WORDS.search(item.text):
        return "how_to"
    return ABSTAIN


@labeling_function()
def quoted_error_or_status_code(item):
    """A quoted message ('Something went wrong'), an HTTP 4xx/5xx code or an error constant."""
    return "bug" if QUOTED_OR_STATUS.search(item.text) else ABSTAIN


@labeling_function()
def stopped_working(item):
    """'doesn't load', 'stopped syncing', 'won't save' ..."""
    return "bug" if STOPPED_WORKING.search(item.text) else ABSTAIN


@labeling_function()
def roadmap_question(item):
    """Asks whether or when something will be built."""
    return "feature_request" if ROADMAP.search(item.text) else ABSTAIN


@labeling_function()
def money_amount(item):
    """An amount of money such as $49 or €96."""
    return "billing" if MONEY.search(item.text) else ABSTAIN


@labeling_function()
def why_cant_i(item):
    """Complaints that something cannot be done at all: usually a missing feature."""
    return "feature_request" if WHY_CANT.search(item.text) else ABSTAIN
