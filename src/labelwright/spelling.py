"""``did you mean ...?`` for a name spelt close to a valid one: a config key, a label in a
review file, an LF's vote, a glossary's key or label.

A guess far from what was written would mislead more than the list of valid names that
every such message gives anyway, so one is offered only when it is close: the same name
but for case and accents (``Envío`` for ``envio``, ``devolucion`` for ``devolución``), or
one that :func:`difflib.get_close_matches` finds (``treshold`` for ``threshold``).
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable


def plain(name: str) -> str:
    """``name`` without case or accents: ``Envío`` -> ``envio``."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def closest(name: str, options: Iterable[str]) -> str | None:
    """The option ``name`` most likely meant, or None when none is close."""
    options = sorted(set(options))
    same = [option for option in options if plain(option) == plain(name)]
    if same:
        return same[0]
    by_plain = {plain(option): option for option in options}
    close = difflib.get_close_matches(plain(name), sorted(by_plain), n=1)
    return by_plain[close[0]] if close else None


def did_you_mean(name: str, options: Iterable[str]) -> str:
    """``did you mean 'threshold'? `` (with its trailing space) for a ``name`` spelt close
    to an option, else ``""``."""
    guess = closest(name, options)
    return f"did you mean {guess!r}? " if guess is not None and guess != name else ""
