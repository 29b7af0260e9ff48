"""Two LFs written for Snorkel before the team moved to labelwright; they run unchanged.

Snorkel LFs return label indices in the project's label order
(0 billing, 1 bug, 2 account, 3 feature_request, 4 how_to) and -1 to abstain.
"""

from snorkel.labeling import labeling_function

ABSTAIN = -1
BILLING = 0
BUG = 1


@labeling_function()
def legacy_refund_keyword(x):
    text = x.text.lower()
    return BILLING if "refund" in text or "money back" in text else ABSTAIN


@labeling_function()
def legacy_crash_keyword(x):
    return BUG if "crash" in x.text.lower() else ABSTAIN
