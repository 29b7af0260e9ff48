"""Labeling functions on spaCy tokens and lemmas (``item.doc``).

The default pipeline has a tokenizer and a lookup lemmatizer only: no tagger, parser or
entities, so these LFs work on lemmas, token order and lexical attributes.
"""

from labelwright import ABSTAIN, labeling_function

PRODUCT_NOUNS = {
    "task", "subtask", "project", "board", "calendar", "chart", "gantt", "timeline", "field",
    "template", "report", "export", "notification", "automation", "comment", "tag", "milestone",
    "dependency", "view", "dashboard", "shortcut", "sidebar", "column", "workspace", "timer",
}
PROBLEM_LEMMAS = {"crash", "error", "break", "freeze", "fix", "bug", "wrong", "lose", "disappear", "refund"}
FAILURE_LEMMAS = {"disappear", "vanish", "hang", "freeze", "duplicate", "ignore", "squish", "slow", "jump"}
REQUEST_VERBS = {"add", "build", "make", "support", "ship", "implement", "give"}


def _lemmas(doc):
    return [t.lemma_.lower() for t in doc]


@labeling_function()
def usage_question_about_feature(item):
    """A question that names a part of the product and no problem."""
    doc = item.doc
    lemmas = _lemmas(doc)
    is_question = any(t.text == "?" for t in doc) or (lemmas and lemmas[0] in {"how", "where", "can", "what"})
    if is_question and PRODUCT_NOUNS & set(lemmas) and not PROBLEM_LEMMAS & set(lemmas):
        return "how_to"
    return ABSTAIN


@labeling_function()
def failure_verb_on_product(item):
    """Something in the product vanished, hung, got duplicated or slowed down."""
    lemmas = set(_lemmas(item.doc))
    return "bug" if FAILURE_LEMMAS & lemmas and PRODUCT_NOUNS & lemmas else ABSTAIN


@labeling_function()
def email_address_change(item):
    """An email address in the ticket, or 'change/update/move ... email' within three tokens."""
    doc = item.doc
    if any(t.like_email for t in doc):
        return "account"
    lemmas = _lemmas(doc)
    for i, lemma in enumerate(lemmas):
        if lemma in {"change", "update", "move"} and "email" in lemmas[i + 1:i + 4]:
            return "account"
    return ABSTAIN


@labeling_function()
def let_us_or_can_you_add(item):
    """'let us pay by PayPal', 'can you guys add voice notes': asking the team to build something."""
    lemmas = _lemmas(item.doc)
    for i, lemma in enumerate(lemmas[:-1]):
        nxt = lemmas[i + 1]
        if lemma == "let" and nxt in {"us", "me"} and "how" not in lemmas:
            return "feature_request"
        if lemma in {"can", "could"} and nxt == "you":
            rest = [x for x in lemmas[i + 2:i + 4] if x != "guy"]
            if rest and rest[0] in REQUEST_VERBS:
                return "feature_request"
    return ABSTAIN
