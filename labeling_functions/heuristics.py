"""Heuristic labeling functions: glossary matches combined with row fields or text shape.

The glossaries vote on their own (``glossary:<name>``); these LFs only add a vote where
a match means more in context, e.g. next to a symptom or on a given plan.
"""

from labelwright import ABSTAIN, labeling_function


@labeling_function()
def symptom_on_billing_or_login_page(item):
    """An error or crash on the billing or login page is a bug, not a billing/account issue."""
    if item.matched("bug_symptoms") and (item.matched("billing_terms") or item.matched("account_terms")):
        return "bug"
    return ABSTAIN


@labeling_function()
def billing_glossary_on_paid_plan(item):
    """Billing words from a paying customer who reports no symptom."""
    if item.plan in ("pro", "enterprise") and item.matched("billing_terms") and not item.matched("bug_symptoms"):
        return "billing"
    return ABSTAIN


@labeling_function()
def sso_on_enterprise_plan(item):
    """SSO tickets from Enterprise customers are about their login; on other plans SSO
    does not exist yet, so the ticket asks for it."""
    sso = [m for m in item.matched("account_terms") if m.term == "sso"]
    if not sso:
        return ABSTAIN
    return "account" if item.plan == "enterprise" else "feature_request"


@labeling_function()
def phone_identity_check(item):
    """Agents note identity checks on calls only when access to an account is at stake."""
    if item.channel != "phone_transcript":
        return ABSTAIN
    text = item.text.lower()
    cues = ("identity", "verified", "get in", "locked", "code")
    return "account" if any(cue in text for cue in cues) else ABSTAIN


@labeling_function()
def question_without_known_terms(item):
    """A longer question from a Free-plan user that no glossary recognises: new users mostly
    ask how things work."""
    text = item.text.strip()
    if item.plan == "free" and "?" in text and len(text) > 40 and not item.matches:
        return "how_to"
    return ABSTAIN


@labeling_function()
def shouting(item):
    """Mostly upper-case tickets come from people whose work is blocked."""
    letters = [c for c in item.text if c.isalpha()]
    if len(letters) >= 15 and sum(c.isupper() for c in letters) / len(letters) > 0.6:
        return "bug"
    return ABSTAIN
