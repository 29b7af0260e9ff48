"""Gold rows whose class mix should not have set a class balance.

With :data:`~labelwright.models.class_prior.MIN_GOLD_FOR_BALANCE` gold rows or more and no
``class_balance`` given, a model takes its class balance from the gold rows' mix
(:func:`~labelwright.models.class_prior.gold_class_balance`). That is right for rows drawn at
random, and wrong for rows picked by class or from one part of the data: 30 gold rows all of
one class of three set a balance of 94/3/3 and took the default model from 77% to 42% of
the items right, in silence. :func:`gold_mix_warning` says so when the balance came from
gold rows that leave a class out, or whose mix is far from the votes'; the fit is not
changed (the gold rows may be right and the votes' mix wrong)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from labelwright.models.class_prior import MIN_GOLD_FOR_BALANCE, gold_class_balance, vote_share
from labelwright.models.input_warnings import GoldMixWarning as GoldMixWarning

#: how far apart the gold rows' class mix and the votes' (total variation distance: the
#: share of items that would have to change class) must be for a warning. Sampling noise
#: of 20 gold rows in two classes is about 0.11; the votes' mix follows the LFs' coverage
#: too, so only a gap well past both is said
FAR_MIX = 0.3

#: the advice of :func:`gold_mix_warning` to a caller of ``fit``
FIT_ADVICE = ("pass class_balance=[...] to fit (the classes' shares, in class order, if you "
              "know them), or give gold rows drawn at random")



def gold_mix_warning(L: np.ndarray, y_dev: np.ndarray | None, class_balance: np.ndarray,
                     labels: Sequence[str] = (), *, advice: str = FIT_ADVICE) -> str | None:
    """The warning when a fit took ``class_balance`` (its ``class_balance_``) from the gold
    rows of ``y_dev`` (-1: none) and those leave a class out or have a class mix at least
    :data:`FAR_MIX` from the votes' (the majority vote's shares over covered items,
    :func:`~labelwright.models.class_prior.vote_share`); None otherwise, and when the
    balance did not come from gold rows (given, learned, or too few of them). ``labels``:
    the class names (default: ``class 0``, ...); ``advice``: how to give a balance instead,
    in the caller's terms."""
    k = len(class_balance)
    if y_dev is None:
        return None
    y = np.asarray(y_dev)
    taken = gold_class_balance(y, k, MIN_GOLD_FOR_BALANCE)
    if taken is None or not np.allclose(taken, class_balance, atol=1e-9):
        return None
    counts = np.bincount(y[y >= 0], minlength=k)
    mix = counts / counts.sum()
    votes = vote_share(np.asarray(L), k)
    distance = 0.5 * float(np.abs(mix - votes).sum())
    missing = np.flatnonzero(counts == 0)
    if not len(missing) and distance < FAR_MIX:
        return None
    names = list(labels) if len(labels) == k else [f"class {c}" for c in range(k)]

    def shares(values: np.ndarray) -> str:
        return ", ".join(f"{name} {value:.0%}" for name, value in zip(names, values))

    why = []
    if len(missing):
        one = len(missing) == 1
        why.append(f"{', '.join(names[c] for c in missing)} {'has' if one else 'have'} no "
                   f"gold row (the balance gives {'it' if one else 'each'} "
                   f"{class_balance[missing].max():.1%}{'' if one else ' or less'})")
    if distance >= FAR_MIX:
        why.append(f"the two mixes are {distance:.2f} apart (total variation)")
    return (f"the class balance was taken from the mix of {int(counts.sum())} gold rows "
            f"({shares(mix)}), but the majority vote splits the covered items {shares(votes)}:"
            f" {'; '.join(why)}. Gold rows picked by class, or from one part of the data, set "
            f"a wrong balance and can cost much accuracy: {advice}")
