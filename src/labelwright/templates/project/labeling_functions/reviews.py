"""Labeling functions for product reviews. Each returns a label name or ABSTAIN."""

import re

from labelwright import ABSTAIN, labeling_function

STARS = re.compile(r"\b([1-5])\s*(?:/\s*5|stars?)\b", re.IGNORECASE)


@labeling_function()
def star_rating(item):
    """An explicit rating in the text: 1-2 stars negative, 4-5 positive."""
    found = STARS.search(item.text)
    if not found:
        return ABSTAIN
    stars = int(found.group(1))
    return "negative" if stars <= 2 else "positive" if stars >= 4 else ABSTAIN


@labeling_function()
def returned_it(item):
    """Returning the product is a strong negative signal (reads lemmas: returned -> return)."""
    lemmas = {token.lemma_.lower() for token in item.doc}
    return "negative" if {"return", "refund"} & lemmas else ABSTAIN


@labeling_function()
def praise_without_negation(item):
    """A praise glossary match on a verified purchase."""
    if item.matched("praise") and item.verified == "yes":
        return "positive"
    return ABSTAIN
