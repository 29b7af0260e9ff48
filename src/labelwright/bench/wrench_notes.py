"""What a WRENCH folder's data says of the scores made on it: test items that are train
items too, LFs that vote alike, classes nothing names, items without a text, and how far
each split's votes agree with its gold labels beyond chance (:func:`vote_kappa`), with a
warning when a split's votes agree far less than train's: then they may not belong to their
items, and label-model scores on that split measure little. (On this machine's copy of
WRENCH sms, the 73 rules listed in its ``readme.txt`` reproduce every train vote but few
valid/test votes; see ``benchmarks/sms_votes.py``.) None of these stops a run; each is a
note the bench prints with the dataset's results.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from labelwright.models.duplicate_lfs import copy_of, exact_groups

if TYPE_CHECKING:
    from labelwright.bench.wrench_folders import Split

#: a split whose vote kappa is this much below train's gets a warning note
KAPPA_DROP = 0.3


def _positional(ids: Sequence[str]) -> bool:
    """Whether ``ids`` are WRENCH's usual keys, each item's place in its split (0, 1, ...):
    the same key in two splits is then no sign of the same item."""
    return all(item_id == str(i) for i, item_id in enumerate(ids))


def test_in_train(train: Split, test: Split) -> str | None:
    """A note when test items are also train items -- the same id (unless both splits key
    items by place, as WRENCH's files do) or the same non-empty text: the models are fit on
    train, so they are scored on items they were fit on. None when none is."""
    train_ids = set() if _positional(train.ids) and _positional(test.ids) else set(train.ids)
    train_texts = {t for t in train.texts if t}
    id_in = [i in train_ids for i in test.ids]
    text_in = [bool(t) and t in train_texts for t in test.texts]
    both = sum(a or b for a, b in zip(id_in, text_in))
    if not both:
        return None
    ways = ", ".join(f"{n} {how}" for n, how in ((sum(id_in), "by id"),
                                                 (sum(text_in), "by identical text")) if n)
    return (f"test.json: {both} of {len(test.ids)} test items are in train.json too ({ways}): "
            "the models are fit on train, so their test scores count these items they were "
            "fit on (the end model's most of all)")


def data_notes(classes: list[str], splits: dict[str, Split | None]) -> list[str]:
    """What a folder's data leaves out without being wrong: a train split on which no LF
    voted (the models are fit on abstains alone), items without a text (the end model and
    the review rankings read them as empty), classes no label and no vote names."""
    notes = []
    train = splits["train"]
    if train is not None and not (train.L >= 0).any():
        notes.append("train.json: no LF voted on any item, so every model is fit on a "
                     "matrix of abstains (and there is no end-model number)")
    for name, split in splits.items():
        if split is not None and split.no_text:
            notes.append(f"{name}.json: {split.no_text} of {len(split.ids)} items have no "
                         "data.text (missing, null or not text): the end model and the "
                         "review rankings read them as empty texts")
    used: set[int] = set()
    for split in splits.values():
        if split is not None:
            used |= set(split.y[split.y >= 0].tolist()) | set(split.L[split.L >= 0].tolist())
    fit_on = train if train is not None else splits["test"]
    if fit_on is not None and fit_on.L.shape[1] > 1:
        twins = exact_groups(copy_of(fit_on.L))
        if twins:
            notes.append(f"{'train' if train is not None else 'test'}.json: LFs "
                         + "; ".join(" = ".join(map(str, group)) for group in twins)
                         + " (by column) vote alike on every item: dawid_skene (default) "
                           "counts each group once, the other models that take LFs as "
                           "independent count such a vote more than once")
    unused = [f"{k} ({classes[k]!r})" for k in range(len(classes)) if k not in used]
    if unused:
        notes.append(f"label.json: class(es) {', '.join(unused)} appear in no label and no "
                     "vote of any split; they still count among the classes (a model may "
                     "predict them where no LF voted)")
    return notes


def vote_kappa(split: Split, cardinality: int) -> float | None:
    """How far ``split``'s votes agree with its gold labels beyond chance, as a
    class-balanced Cohen's kappa over all (item, LF) votes: ``(agree - chance) / (1 -
    chance)`` with ``agree`` the mean over classes of P(vote = c | item of class c) and
    ``chance`` the mean over classes of P(vote = c) (what ``agree`` is when votes are
    unrelated to items). Averaging over classes keeps a split with another class balance
    but equally good votes at the same value. 1 = every vote right, 0 = no better than
    chance; ``None`` with fewer than two labeled classes that got votes
    (:func:`no_kappa_reason` says why)."""
    kappa = _kappa_or_reason(split, cardinality)
    return kappa if isinstance(kappa, float) else None


def no_kappa_reason(split: Split) -> str:
    """Why :func:`vote_kappa` is None for ``split``, in a few words; a ValueError when it is
    not (the split has a kappa: there is no reason to give)."""
    reason = _kappa_or_reason(split, int(split.y.max(initial=-1)) + 1)
    if not isinstance(reason, str):
        raise ValueError(f"the split has a vote kappa ({reason:.2f}): no_kappa_reason is for "
                         "a split whose vote_kappa is None")
    return reason


def _kappa_or_reason(split: Split, cardinality: int) -> float | str:
    """:func:`vote_kappa` of ``split``, or why it has none."""
    labeled = split.y >= 0
    if not labeled.any():
        return "no gold labels"
    if len(np.unique(split.y[labeled])) < 2:
        return "one class"
    votes = (split.L >= 0) & labeled[:, None]
    if not votes.any():
        return "no votes"
    classes = [c for c in range(cardinality) if votes[split.y == c].any()]
    if len(classes) < 2:
        return "votes on one class's items only"
    all_votes = split.L[votes]
    chance = np.mean([(all_votes == c).mean() for c in classes])  # <= 1/2: classes share votes
    agree = np.mean([(split.L[split.y == c][votes[split.y == c]] == c).mean() for c in classes])
    return float((agree - chance) / (1 - chance))


def vote_notes(splits: dict[str, Split | None], cardinality: int) -> list[str]:
    """A note with every split's :func:`vote_kappa` (or why a split has none: it would
    leave the note in silence), and a warning note for each split whose kappa is more than
    :data:`KAPPA_DROP` below train's."""
    said = {name: _kappa_or_reason(s, cardinality) for name, s in splits.items()
            if s is not None}
    if not said:
        return []
    kappas = {name: kappa if isinstance(kappa, float) else None for name, kappa in said.items()}
    shown = [f"{name} {kappa:.2f}" if isinstance(kappa, float) else f"{name} none ({kappa})"
             for name, kappa in said.items()]
    notes = ["votes vs gold labels beyond chance (class-balanced kappa): " + ", ".join(shown)]
    train = kappas.get("train")
    for name, kappa in kappas.items():
        if name != "train" and train is not None and kappa is not None \
                and kappa < train - KAPPA_DROP:
            notes.append(f"warning: {name} votes agree with their labels far less than train "
                         f"votes (kappa {kappa:.2f} vs {train:.2f}); they may not belong to "
                         f"their items, and label-model scores on {name} measure little")
    return notes
