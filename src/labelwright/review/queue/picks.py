"""The names a review export is asked to keep its items by (``--label``, ``--reason``),
checked one way: a list of one or more of the valid names, an unknown one named with the
one it was likely meant as and the valid ones."""

from __future__ import annotations

from collections.abc import Sequence

from labelwright.spelling import did_you_mean


def check_picks(given: Sequence[str] | None, valid: Sequence[str], *, option: str,
                what: str, none_means: str, unknown: str) -> None:
    """A ValueError when ``given`` (None: no pick asked) is not a list of one or more of
    ``valid``. ``option``: the flag and keyword as the message names them; ``what``: the
    names in the plural (``labels``); ``none_means``: what None keeps; ``unknown``: the
    words before an unknown name (``the run has no label``)."""
    if given is None:
        return
    listed = ", ".join(valid)
    if isinstance(given, str) or not given:  # "praise" would be read letter by letter
        raise ValueError(f"{option} takes a list of one or more {what} (None: {none_means}), "
                         f"got {given!r}; valid: {listed}")
    wrong = next((name for name in given if name not in valid), None)
    if wrong is not None:
        raise ValueError(f"{option}: {unknown} {wrong!r}; {did_you_mean(wrong, valid)}"
                         f"valid: {listed}")
