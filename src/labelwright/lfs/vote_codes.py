"""What an LF returns, as a vote code: a label name (in any Unicode form) or index is the
label's index, ``ABSTAIN`` or None is -1, and anything else is refused with the labels the
LF may return (:class:`VoteCoder`). Every place that turns LF output into the label matrix
-- a run, a trial, the refusals a run collects -- codes votes here, so they agree."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from labelwright.config import find_label
from labelwright.errors import BadVoteError
from labelwright.lfs.core import ABSTAIN
from labelwright.spelling import did_you_mean

if TYPE_CHECKING:
    from labelwright.lfs.core import LabelingFunction


def ambiguous_indices(labels: Sequence[str]) -> dict[int, int]:
    """``{i: j}`` for each index ``i`` that is also the name of another label, ``j``'s:
    with labels ["1", "2", "3"] an LF's ``1`` is label "2" as an index and label "1" as a
    name (a gold ``1`` in JSONL is read as the name), so it is neither. Where index and
    name agree (["0", "1"]) nothing is ambiguous."""
    names = {label: j for j, label in enumerate(labels)}
    return {i: names[str(i)] for i in range(len(labels))
            if names.get(str(i), i) != i}


class VoteCoder:
    """Turns what an LF returns into a vote code: label index, or -1 for abstain."""

    def __init__(self, labels: Sequence[str]) -> None:
        self.labels = tuple(labels)
        self._ambiguous = ambiguous_indices(self.labels)
        self._codes: dict[Any, int] = {None: ABSTAIN, ABSTAIN: ABSTAIN}
        for index, label in enumerate(self.labels):
            self._codes[label] = index
            if index not in self._ambiguous:  # a miss: code() says why
                self._codes[index] = index

    def code(self, value: Any, lf: LabelingFunction, item_id: str) -> int:
        """``value``'s vote code, or :class:`BadVoteError` naming the LF (:meth:`refused`)."""
        code = self.vote(value)
        if code is None:
            raise self.refused(value, lf, f"for item {item_id!r}")
        return code

    def refused(self, value: Any, lf: LabelingFunction, on: str,
                where: str | None = None) -> BadVoteError:
        """The error of ``value`` (no vote) that ``lf`` returned ``on`` (``for item 'x'``),
        cited at ``where``: by default the ``return`` that spells it out, else the LF
        (:func:`~labelwright.lfs.literal_votes.return_site`)."""
        if where is None:
            from labelwright.lfs.literal_votes import return_site  # imports this module

            where = return_site(lf, value)
        return BadVoteError(f"labeling function {lf.name!r} ({where}) returned {value!r} {on}, "
                            f"{self.refusal(value)}", lf.name, repr(value))

    def vote(self, value: Any) -> int | None:
        """The vote code of what an LF returned, or None when it is no vote
        (:meth:`refusal` says why)."""
        plain, number = plain_value(value)
        if plain is None or isinstance(plain, str) or number:
            code = self._codes.get(plain)
            if code is not None:
                return code
            label = find_label(plain, self.labels) if isinstance(plain, str) else None
            if label is not None:  # another Unicode form: looked up in the table from now on
                self._codes[plain] = code = self._codes[label]
                return code
        return None

    def refusal(self, value: Any) -> str:
        """Why ``value`` is no vote, and what an LF may return instead: ``which is not a
        label; return one of ...``."""
        plain, number = plain_value(value)
        hint = self.hint(value)
        if number and plain in self._ambiguous:
            return f"which is {hint} or ABSTAIN"
        return f"which is not a label{f' ({hint})' if hint else ''}; {self.instead()}"

    def hint(self, value: Any) -> str:
        """What ``value`` (no vote) may have been meant as: ``did you mean 'spam'?``, an
        index that is ambiguous, a number that names a label; "" when nothing is known."""
        plain, number = plain_value(value)
        if number and plain in self._ambiguous:
            return (f"ambiguous: as an index it is label {self.labels[plain]!r}, as a name "
                    f"label {str(plain)!r} (index {self._ambiguous[plain]}); return the label "
                    f"as a string ({str(plain)!r}: str(n) for a number n)")
        if isinstance(plain, str) and (guess := did_you_mean(plain, self.labels)):
            return guess.strip()
        if number and str(plain) in self.labels:
            return f"to vote the label {str(plain)!r}, return it as a string"
        if isinstance(plain, float) and plain.is_integer() and (
                plain == ABSTAIN or 0 <= plain < len(self.labels)):
            meant = "ABSTAIN" if plain == ABSTAIN else f"label {self.labels[int(plain)]!r}"
            return f"a float, not an index: return int(...), here {int(plain)} for {meant}"
        if isinstance(plain, bool):
            return "True and False are no votes: return a label, or ABSTAIN"
        return ""

    def instead(self) -> str:
        """``return one of 'a', 'b', an index 0..1, or ABSTAIN``."""
        return (f"return one of {', '.join(repr(label) for label in self.labels)}, "
                f"an index 0..{len(self.labels) - 1}{self._not_indices()}, or ABSTAIN")

    def _not_indices(self) -> str:
        if not self._ambiguous:
            return ""
        return (f" (but {', '.join(map(str, self._ambiguous))}, which name other labels as "
                "well)")


def plain_value(value: Any) -> tuple[Any, bool]:
    """``value`` as a Python value (a numpy int or str as an int or str), and whether it is
    an integer: floats and bools equal 0 / 1 but are not votes."""
    plain = value.item() if isinstance(value, np.generic) else value
    return plain, isinstance(plain, int) and not isinstance(plain, bool)
