"""``[triage] audit_size`` and the number of labels: an audit smaller than the labels
leaves the labels with the fewest accepted items unaudited (stratified_sample gives each
label one item only while audit_size allows). init writes an audit that covers them, and
check warns of one that cannot."""

from __future__ import annotations

import numpy as np
import pytest

from labelwright import check_project
from labelwright.config import load_config
from labelwright.config.settings import audit_below_labels
from labelwright.scaffold import init_project
from labelwright.triage import stratified_sample

TWELVE = [f"topic{k}" for k in range(12)]


@pytest.mark.parametrize("labels", [["spam", "ham"], ["a", "b", "c"], TWELVE])
def test_init_writes_an_audit_every_label_gets_items_of(tmp_path, labels):
    """init --labels with 12 labels wrote audit_size = 4: 8 labels were never audited."""
    root = tmp_path / "p"
    init_project(root, labels=labels, example=False)
    size = load_config(root).triage.audit_size
    assert size == max(30, 2 * len(labels))  # 30 reviewed: the fewest review stats reads
    # as a run draws it: every label with accepted items gets at least one, even a rare one
    rng = np.random.default_rng(0)
    predicted = rng.choice(len(labels), 5000, p=np.r_[[0.5], np.full(len(labels) - 1,
                                                                   0.5 / (len(labels) - 1))])
    predicted[:3] = len(labels) - 1  # (it has items either way)
    drawn = stratified_sample(predicted, np.arange(predicted.size), size,
                              keys=rng.random(predicted.size))
    assert set(predicted[drawn]) == set(range(len(labels)))
    assert audit_below_labels(size, labels, "x") == []


def test_the_example_keeps_its_own_audit(tmp_path):
    init_project(tmp_path / "ex")
    assert load_config(tmp_path / "ex").triage.audit_size == 4


def test_an_audit_smaller_than_the_labels_is_warned_of(make_project):
    labels = ["billing", "technical", "account", "bug", "how_to"]
    root = make_project(labels=labels)  # its [triage] audit_size = 1
    config = load_config(root)
    [said] = audit_below_labels(config.triage.audit_size, config.labels,
                                config.where(("triage", "audit_size")))
    assert said.startswith(f"{config.config_path}:")
    assert "[triage] audit_size = 1 is below the 5 labels" in said and "audit_size = 10" in said
    assert said in check_project(root).warnings
    assert audit_below_labels(0, labels, "x") == []  # no audit asked for: nothing to say
