"""The review ranking kept between runs (labelwright.review.ranking.cache)."""

from __future__ import annotations

import numpy as np
import pytest

import labelwright.end_model.out_of_fold as out_of_fold
import labelwright.review.ranking.cache as rank_cache_module
from labelwright.caches import ranking_cache_text
from labelwright.review.ranking.cache import KEPT, RankCacheUse, cached_rank, code_sha256
from labelwright.review.ranking.rank import RankResult, rank_queue

WORDS = ["refund", "invoice", "crash", "error", "login", "password", "charge", "bug",
         "billing", "screen", "page", "slow"]


def inputs(seed: int = 5, n: int = 150) -> dict:
    """Texts, probabilistic labels, votes and labels of ``n`` items, 3 classes."""
    rng = np.random.default_rng(seed)
    texts = [" ".join(rng.choice(WORDS, size=int(rng.integers(2, 8)))) for _ in range(n)]
    votes = rng.integers(-1, 3, size=(n, 4))
    probs = rng.dirichlet([1.0, 1.0, 1.0], n)
    return {"probs": probs, "votes": votes, "texts": texts,
            "label": np.where((votes >= 0).any(axis=1), probs.argmax(axis=1), -1)}


def fits(monkeypatch) -> list[int]:
    """Count the end model's fold fits from here on."""
    calls: list[int] = []
    fit = out_of_fold.fit_logistic

    def counting(*args, **kwargs):
        calls.append(1)
        return fit(*args, **kwargs)

    monkeypatch.setattr(out_of_fold, "fit_logistic", counting)
    return calls


def no_fits(monkeypatch) -> None:
    """Make any fold fit fail: what runs now must be read back."""
    def refuse(*args, **kwargs):
        raise AssertionError("the end model was fit again")

    monkeypatch.setattr(out_of_fold, "fit_logistic", refuse)


def assert_same(read: RankResult, fresh: RankResult) -> None:
    """Every field the same: arrays with the same dtype and bytes, dicts equal."""
    for name in ("score", "end_proba", "end_scored"):
        a, b = getattr(read, name), getattr(fresh, name)
        assert a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes(), name
    for name in ("signals", "flags"):
        a, b = getattr(read, name), getattr(fresh, name)
        assert list(a) == list(b), name
        for key in a:
            assert a[key].dtype == b[key].dtype and a[key].tobytes() == b[key].tobytes(), key
    assert read.weights == fresh.weights and list(read.weights) == list(fresh.weights)
    assert read.weights_source == fresh.weights_source
    assert read.weights_cv == fresh.weights_cv
    assert read.weights_evidence == fresh.weights_evidence
    assert read.order().tolist() == fresh.order().tolist()
    assert read.top_signals() == fresh.top_signals()


def reviewed_gold(data: dict, n: int = 40) -> np.ndarray:
    """Reviews of the first ``n`` items: right on most, wrong on every fourth (the learned
    weights are fit, and compared, on them)."""
    gold = np.full(len(data["texts"]), -1)
    gold[:n] = data["probs"][:n].argmax(axis=1)
    gold[:n:4] = (gold[:n:4] + 1) % 3
    return gold


@pytest.mark.parametrize("reviews", [False, True])
def test_a_re_run_reads_the_ranking_back_the_same_to_the_bit(tmp_path, monkeypatch, reviews):
    data = inputs()
    gold = reviewed_gold(data) if reviews else None
    fresh = rank_queue(data["probs"], data["votes"], data["texts"], seed=2, label=data["label"],
                       reviewed_gold=gold)
    calls = fits(monkeypatch)
    first, use = cached_rank(data["probs"], data["votes"], data["texts"], seed=2,
                             label=data["label"], reviewed_gold=gold, cache_dir=tmp_path)
    assert calls and use == RankCacheUse(used=True, reused=False, refreshed=False,
                                     code=code_sha256())
    assert len(list(tmp_path.glob("*.npz"))) == 1
    assert_same(first, fresh)
    no_fits(monkeypatch)
    again, use = cached_rank(data["probs"], data["votes"], data["texts"], seed=2,
                             label=data["label"], reviewed_gold=gold, cache_dir=tmp_path)
    assert use == RankCacheUse(used=True, reused=True, refreshed=False, code=code_sha256())
    assert_same(again, fresh)


CHANGES = {
    "one text": lambda d: {**d, "texts": [*d["texts"][:7], d["texts"][7] + " refund",
                                          *d["texts"][8:]]},
    "one probability": lambda d: {**d, "probs": np.where(
        np.arange(len(d["probs"]))[:, None] == 3,
        np.nextafter(d["probs"], 2.0), d["probs"])},
    "one vote": lambda d: {**d, "votes": np.where(
        (np.arange(len(d["votes"]))[:, None] == 9) & (np.arange(4) == 0),
        (d["votes"] + 2) % 3, d["votes"])},
    "one label": lambda d: {**d, "label": np.where(np.arange(len(d["label"])) == 11,
                                                   (d["label"] + 1) % 3, d["label"])},
    "a review": lambda d: {**d, "reviewed_gold": np.where(np.arange(len(d["texts"])) == 4,
                                                          1, d["reviewed_gold"])},
    "a label before review": lambda d: {**d, "shown_label": np.where(
        np.arange(len(d["texts"])) == 4, 1, -2)},
    "the seed": lambda d: {**d, "seed": 3},
    "the features": lambda d: {**d, "features": "words+chars"},
    "the folds": lambda d: {**d, "n_splits": 4},
    "the text groups": lambda d: {**d, "groups": np.where(
        np.arange(len(d["texts"])) < 2, 0, -1)},
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_any_changed_input_ranks_again(tmp_path, monkeypatch, change):
    data = inputs()
    base = {**data, "seed": 2, "reviewed_gold": np.full(len(data["texts"]), -1),
            "features": "words", "n_splits": 5, "groups": None}
    cached_rank(cache_dir=tmp_path, **base)
    changed = CHANGES[change](base)
    calls = fits(monkeypatch)
    result, use = cached_rank(cache_dir=tmp_path, **changed)
    assert calls and use.reused is False
    assert len(list(tmp_path.glob("*.npz"))) == 2
    monkeypatch.undo()
    fresh = rank_queue(changed["probs"], changed["votes"], changed["texts"],
                       seed=changed["seed"], label=changed["label"],
                       reviewed_gold=changed["reviewed_gold"], features=changed["features"],
                       n_splits=changed["n_splits"], groups=changed["groups"],
                       shown_label=changed.get("shown_label"))
    assert_same(result, fresh)


def test_refresh_ranks_again_and_stores_over(tmp_path, monkeypatch):
    data = inputs()
    cached_rank(seed=2, cache_dir=tmp_path, **data)
    (entry,) = tmp_path.glob("*.npz")
    entry.write_bytes(entry.read_bytes())  # the same bytes, a new file time
    before = entry.stat().st_mtime_ns
    calls = fits(monkeypatch)
    result, use = cached_rank(seed=2, cache_dir=tmp_path, refresh=True, **data)
    assert calls and use == RankCacheUse(used=True, reused=False, refreshed=True,
                                     code=code_sha256())
    assert [p.name for p in tmp_path.glob("*.npz")] == [entry.name]
    assert entry.stat().st_mtime_ns >= before
    no_fits(monkeypatch)
    again, use = cached_rank(seed=2, cache_dir=tmp_path, **data)
    assert use.reused
    assert_same(again, result)


def test_without_a_cache_folder_nothing_is_read_or_written(tmp_path, monkeypatch):
    data = inputs()
    cached_rank(seed=2, cache_dir=tmp_path, **data)
    calls = fits(monkeypatch)
    result, use = cached_rank(seed=2, cache_dir=None, **data)
    assert calls and use == RankCacheUse(used=False)
    assert use.record() == {"used": False, "reused": None, "refreshed": None, "code": None}
    assert_same(result, rank_queue(seed=2, **data))


@pytest.mark.parametrize("damage", ["not an archive", "truncated", "another length"])
def test_a_damaged_entry_is_ranked_again_and_written_over(tmp_path, monkeypatch, damage):
    data = inputs()
    cached_rank(seed=2, cache_dir=tmp_path, **data)
    (entry,) = tmp_path.glob("*.npz")
    if damage == "not an archive":
        entry.write_bytes(b"not a ranking")
    elif damage == "truncated":
        entry.write_bytes(entry.read_bytes()[:-200])
    else:  # an entry of 3 items under this key
        small = inputs(n=30)
        other, _ = cached_rank(seed=2, cache_dir=tmp_path / "other", **small)
        rank_cache_module.write_entry(entry, other)
    warned: list[str] = []
    monkeypatch.setattr(rank_cache_module.log, "warning",
                        lambda message, *args: warned.append(message % args))
    calls = fits(monkeypatch)
    result, use = cached_rank(seed=2, cache_dir=tmp_path, **data)
    assert calls and use.reused is False
    assert len(warned) == 1 and str(entry) in warned[0] and "ranking again" in warned[0]
    assert_same(result, rank_queue(seed=2, **data))
    no_fits(monkeypatch)
    assert cached_rank(seed=2, cache_dir=tmp_path, **data)[1].reused


def test_only_the_newest_entries_are_kept(tmp_path):
    data = inputs(n=40)
    for seed in range(KEPT + 2):
        cached_rank(seed=seed, cache_dir=tmp_path, **data)
    assert len(list(tmp_path.glob("*.npz"))) == KEPT


def test_the_run_line_says_what_the_cache_did():
    assert ranking_cache_text(None) is None
    lines = [ranking_cache_text(RankCacheUse(*args).record())
             for args in ((False,), (True, True, False), (True, False, True),
                          (True, False, False))]
    assert len(set(lines)) == 4
    assert "off" in lines[0] and "read back" in lines[1] and "--no-cache" in lines[2]


def test_rank_keys_stay_the_keys_earlier_runs_stored_under(monkeypatch):
    # a key that changed would miss every entry an earlier labelwright stored (format 2,
    # the labels before review and the weights' evidence, changed it on purpose)
    from pinned_keys import VOTES, Y_DEV, pin_environment

    pin_environment(monkeypatch, rank_cache_module, "R")
    key = rank_cache_module.rank_key(
        np.full((4, 3), 1 / 3), np.asfortranarray(VOTES), ["a", "b", "c", "d"], seed=7,
        reviewed_gold=Y_DEV, label=np.array([0, 1, 0, 2]), n_splits=5, features="auto",
        cleanlab=False, groups=None)
    assert key == "017673327c71e98b79a0ab558587595e03aa1fad0a71b2d610efe0aadcb55fcb"


def test_the_ranking_code_covers_the_characters_the_end_model_reads_as_nothing(
        tmp_path, monkeypatch):
    """The end model reads texts without the invisible characters and tatweel of
    labelwright.text_form: a labelwright that reads other characters so ranks otherwise,
    and its rankings are other entries."""
    from pathlib import Path

    from labelwright import text_form

    compute = rank_cache_module.code_sha256.__wrapped__  # computed once per process
    before = compute()
    other = tmp_path / "text_form.py"
    other.write_bytes(Path(text_form.__file__).read_bytes() + b"\n# other characters\n")
    monkeypatch.setattr(text_form, "__file__", str(other))
    assert compute() != before
