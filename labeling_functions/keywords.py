"""Keyword labeling functions: short word lists a support lead would write on day one.

They complement the glossaries (``glossaries/*.yaml``): these look for words that are
too ambiguous to be glossary terms on their own and only count together with a second
word, or encode product knowledge (which features Brightdesk does *not* have).
"""

from labelwright import ABSTAIN, labeling_function

# Features customers keep asking for that Brightdesk does not have (product board, Q3).
MISSING_FEATURES = (
    "dark mode", "jira", "outlook", "burndown", "markdown", "offline", "portuguese",
    "linux", "ms project", "microsoft project", "paypal", "bank transfer", "emoji reaction",
    "two assignees", "multiple assignees", "two people", "custom domain", "voice note",
    "security key", "hardware key", "sms digest", "digest by sms",
)


@labeling_function()
def pricing_question(item):
    """Questions about what Brightdesk costs."""
    text = item.text.lower()
    cues = ("how much", "price", "pricing", "cost", "cheaper", "per user", "per seat", "tier", "quote")
    return "billing" if any(cue in text for cue in cues) else ABSTAIN


@labeling_function()
def cancel_or_downgrade(item):
    """Cancelling or downgrading a paid plan; "cancel my account" is left to the account LFs."""
    text = item.text.lower()
    if "account" in text:
        return ABSTAIN
    cues = ("cancel", "downgrade", "stop paying", "unsubscribe", "cancelled", "canceled")
    return "billing" if any(cue in text for cue in cues) else ABSTAIN


@labeling_function()
def delete_or_close_account(item):
    """Requests to delete or close a user account (not a project)."""
    text = item.text.lower()
    verbs = ("delete", "close", "remove", "erase")
    if "account" in text and any(verb in text for verb in verbs) and "project" not in text:
        return "account"
    return ABSTAIN


@labeling_function()
def access_to_someone_elses_work(item):
    """Someone left or lost a role and others need their access: an account matter."""
    text = item.text.lower()
    if "access" not in text and "admin" not in text:
        return ABSTAIN
    cues = ("left", "former", "colleague", "previous", "owner", "role", "leaving")
    return "account" if any(cue in text for cue in cues) else ABSTAIN


@labeling_function()
def known_missing_feature(item):
    """Mentions a feature that Brightdesk does not have."""
    text = item.text.lower()
    return "feature_request" if any(f in text for f in MISSING_FEATURES) else ABSTAIN
