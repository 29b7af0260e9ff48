"""The UCI SMS Spam and YouTube Spam collections with labelwright LFs, for the benchmarks.

The raw files stay in ``../shared/data/raw`` (never copied into the repository). LFs are
labelwright LF modules (source text), applied with labelwright's :class:`Applier`:

* SMS: the 8 LFs written for ``tests/test_sms_real_data.py`` (imported from there);
* YouTube: :data:`YOUTUBE_LFS` below, 10 LFs written for this benchmark from what spam
  comments on music videos look like (channel promotion, links, subscribe/like requests,
  money offers; ham: short reactions, talk about the song, the singer or the view count).

:func:`write_wrench` writes a seeded random train / valid / test split in WRENCH's format,
so ``labelwright bench wrench`` can score label models on data whose LFs it has never seen.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
RAW = REPO.parent / "shared" / "data" / "raw"
YOUTUBE = RAW / "youtube_spam_uci"
LABELS = ("ham", "spam")

YOUTUBE_LFS = r'''
import re

from labelwright import ABSTAIN, labeling_function

LINK = re.compile(r"https?://|www\.|\.com\b|youtu\.?be|bit\.ly|\.ly/", re.I)
PROMOTE = re.compile(r"\b(check (out )?(my|our|this)|my (channel|page|video|vid|music|songs?)|"
                     r"visit my|go to my)\b", re.I)
SUBSCRIBE = re.compile(r"\bsub(scribe|scribers?|s)?\b|\bsub4sub\b", re.I)
LIKE_PLEASE = re.compile(r"\b(please|plz|pls)\b.*\b(like|share|comment|thumbs)\b", re.I)
MONEY = re.compile(r"\b(free|money|cash|earn|paid|dollars?|gift ?cards?|win)\b|\$\d", re.I)
SONG_TALK = re.compile(r"\b(song|music|voice|beat|dance|lyrics|video|singer|rap|love (this|it)|"
                       r"best|awesome|amazing|beautiful)\b", re.I)
VIEWS = re.compile(r"\b(billion|million|views?|20\d\d|who('s| is) (still )?(here|watching|"
                   r"listening))\b", re.I)
LAUGH = re.compile(r"\b(lol|haha+|lmao|xd)\b|[:;]-?[)D]", re.I)


@labeling_function()
def has_link(item):
    return "spam" if LINK.search(item.text) else ABSTAIN


@labeling_function()
def promotes_own_channel(item):
    return "spam" if PROMOTE.search(item.text) else ABSTAIN


@labeling_function()
def asks_to_subscribe(item):
    return "spam" if SUBSCRIBE.search(item.text) else ABSTAIN


@labeling_function()
def asks_for_likes(item):
    return "spam" if LIKE_PLEASE.search(item.text) else ABSTAIN


@labeling_function()
def money_offer(item):
    return "spam" if MONEY.search(item.text) else ABSTAIN


@labeling_function()
def shouting(item):
    letters = [c for c in item.text if c.isalpha()]
    upper = sum(c.isupper() for c in letters)
    return "spam" if len(letters) > 30 and upper > 0.6 * len(letters) else ABSTAIN


@labeling_function()
def short_reaction(item):
    words = item.text.split()
    if LINK.search(item.text) or SUBSCRIBE.search(item.text):
        return ABSTAIN
    return "ham" if len(words) <= 5 else ABSTAIN


@labeling_function()
def talks_about_the_song(item):
    if LINK.search(item.text) or PROMOTE.search(item.text) or SUBSCRIBE.search(item.text):
        return ABSTAIN
    return "ham" if SONG_TALK.search(item.text) else ABSTAIN


@labeling_function()
def view_count_talk(item):
    if LINK.search(item.text) or PROMOTE.search(item.text):
        return ABSTAIN
    return "ham" if VIEWS.search(item.text) else ABSTAIN


@labeling_function()
def laughing(item):
    return "ham" if LAUGH.search(item.text) and not LINK.search(item.text) else ABSTAIN
'''


def sms_lf_source() -> tuple[Path, str]:
    """The SMS file and the LF module of ``tests/test_sms_real_data.py``."""
    sys.path.insert(0, str(REPO / "tests"))
    try:
        from test_sms_real_data import SMS, SMS_LFS
    finally:
        sys.path.remove(str(REPO / "tests"))
    return SMS, SMS_LFS


def sms_messages() -> tuple[list[str], np.ndarray, str]:
    """Texts, labels (0 ham, 1 spam) and the LF source of the UCI SMS Spam Collection."""
    path, source = sms_lf_source()
    if not path.is_file():
        raise SystemExit(f"{path}: not found (the shared data folder sits next to the repo)")
    rows = [line.rstrip("\n").partition("\t") for line in path.open(encoding="utf-8")]
    return [t for _, _, t in rows], np.array([LABELS.index(g) for g, _, _ in rows]), source


def youtube_comments() -> tuple[list[str], np.ndarray, str]:
    """Texts, labels (0 ham, 1 spam) and :data:`YOUTUBE_LFS` for the 5 UCI YouTube files."""
    files = sorted(YOUTUBE.glob("Youtube0*.csv"))
    if not files:
        raise SystemExit(f"{YOUTUBE}: no Youtube0*.csv files (the shared data folder sits "
                         "next to the repo)")
    frame = pd.concat([pd.read_csv(f) for f in files], ignore_index=True)
    return frame["CONTENT"].astype(str).tolist(), frame["CLASS"].to_numpy(int), YOUTUBE_LFS


def apply_lfs(texts: list[str], source: str) -> np.ndarray:
    """The label matrix (-1 abstain, 0 ham, 1 spam) of the LF module ``source`` on ``texts``."""
    from labelwright.apply import Applier
    from labelwright.data.dataset import dataset_from_frame
    from labelwright.lfs.discovery import discover

    frame = pd.DataFrame({"id": [str(i) for i in range(len(texts))], "text": texts})
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "bench_lfs.py").write_text(source, encoding="utf-8")
        applier = Applier(discover(Path(tmp)), LABELS)
        data = dataset_from_frame(frame, id_column="id", text_column="text", labels=LABELS)
        return applier.apply(data).matrix.votes.astype(np.int64)


def write_wrench(folder: Path, texts: list[str], y: np.ndarray, L: np.ndarray, *,
                 valid: int, test: int, seed: int = 0) -> Path:
    """Write a seeded random split as a WRENCH folder (train / valid / test.json, label.json)."""
    order = np.random.default_rng(seed).permutation(len(texts))
    parts = {"valid": order[:valid], "test": order[valid:valid + test],
             "train": order[valid + test:]}
    folder.mkdir(parents=True)
    (folder / "label.json").write_text(json.dumps({"0": LABELS[0], "1": LABELS[1]}))
    for name, rows in parts.items():
        doc = {str(i): {"label": int(y[i]), "weak_labels": L[i].tolist(),
                        "data": {"text": texts[i]}} for i in rows}
        (folder / f"{name}.json").write_text(json.dumps(doc), encoding="utf-8")
    return folder


#: the two sets of ``uci_wrench.py``: name -> (loader, valid items, test items)
SETS = {"uci_sms": (sms_messages, 500, 1000), "uci_youtube": (youtube_comments, 150, 400)}


def write_sets(folder: Path, seed: int = 0) -> list[Path]:
    """Write every set of :data:`SETS` as a WRENCH folder under ``folder`` (split ``seed``)."""
    out = []
    for name, (load, valid, test) in SETS.items():
        texts, y, source = load()
        out.append(write_wrench(folder / name, texts, y, apply_lfs(texts, source),
                                valid=valid, test=test, seed=seed))
    return out
