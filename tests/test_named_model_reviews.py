"""A project that names its label model, with reviews of the queue's head only: the class
balance is auto's post-stratified estimate, and the run says where it came from."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from labelwright.report.summary import balance_source

LFS = '''
from labelwright import ABSTAIN, labeling_function


def voter(word, label):
    @labeling_function(name=f"says_{word}")
    def lf(item):
        return label if word in item.text.split() else ABSTAIN
    return lf


alpha, beta, gamma, delta = (voter("alpha", "spam"), voter("beta", "ham"),
                             voter("gamma", "ham"), voter("delta", "spam"))
'''


def spam_like_rows(n: int = 1200, seed: int = 0) -> list[dict[str, str]]:
    """15% spam; two spam LFs and two ham LFs, each firing on the other class too (as
    ``tests/models/test_gold_sample.spam_like``): the queue's head is mostly spam."""
    rng = np.random.default_rng(seed)
    y = rng.random(n) < 0.15
    fire = {"alpha": (0.08, 0.6), "beta": (0.5, 0.2), "gamma": (0.4, 0.15),
            "delta": (0.05, 0.4)}  # (on ham, on spam)
    words = [[f"item{i}"] for i in range(n)]
    for word, (on_ham, on_spam) in fire.items():
        for i in np.flatnonzero(rng.random(n) < np.where(y, on_spam, on_ham)):
            words[i].append(word)
    return [{"id": f"t{i}", "text": " ".join(w), "gold": "spam" if s else "ham"}
            for i, (w, s) in enumerate(zip(words, y))]


@pytest.mark.parametrize("model", ["snorkel", "dawid_skene"])
def test_queue_reviews_set_a_named_models_balance_as_autos_and_the_run_says_so(
        make_project, cli, monkeypatch, model):
    rows = spam_like_rows()
    root = make_project(model=model, labels=("ham", "spam"), rows=rows,
                        lfs={"words": LFS})
    monkeypatch.chdir(root)
    assert cli("run", "--no-report")[0] == 0
    assert cli("review", "export", "--format", "csv", "--budget", "40", "--out",
               "head.csv")[0] == 0
    head = pd.read_csv(root / "head.csv", dtype=str, keep_default_na=False)
    gold = {row["id"]: row["gold"] for row in rows}
    head["review_label"] = [gold[i] for i in head["id"]]
    head.to_csv(root / "head.csv", index=False)
    mix = (head["review_label"] == "spam").mean()
    assert cli("review", "import", "head.csv", "--reviewer", "ann")[0] == 0
    code, out = cli("run", "--no-report")
    assert code == 0
    assert ("from 40 reviewed labels, post-stratified by vote pattern: queue reviews are "
            "not a random sample (distance") in out
    latest = (root / "runs" / "LATEST").read_text().strip()
    manifest = json.loads((root / "runs" / latest / "manifest.json").read_text())
    fitted = manifest["label_model"]
    raw = (round(mix * 40) + 1) / 42  # what the model took before: the reviews' own mix
    assert abs(fitted["class_balance"][1] - raw) > 0.02
    assert fitted["gold_sample"]["representative"] is False
    assert balance_source(fitted, manifest["reviews"]).startswith(
        "estimated from 40 reviewed labels that are no random sample")
    # the very balance auto takes from the same reviews
    toml = root / "labelwright.toml"
    toml.write_text(toml.read_text().replace(f'name = "{model}"', 'name = "auto"'))
    code, out = cli("run", "--no-report")
    assert code == 0 and "queue reviews are not a random sample" in out
    latest = (root / "runs" / "LATEST").read_text().strip()
    auto = json.loads((root / "runs" / latest / "manifest.json").read_text())["label_model"]
    assert auto["class_balance"] == pytest.approx(fitted["class_balance"])
