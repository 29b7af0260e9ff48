"""`review export --label` and `--spread`: which suggested labels the exported head holds."""

from __future__ import annotations

import json

import pytest

from labelwright.config.schema import NO_LABEL
from labelwright.review.queue.label_mix import label_mix_said, spread_labels, with_labels


def _record(rank, label, *reasons):
    return {"id": f"c{rank}", "rank": rank, "suggested_label": label,
            "reasons": list(reasons or ("low_confidence",))}


def _queue():
    """A support queue: praise fills the head, a rare intent comes late."""
    labels = ["praise"] * 6 + ["billing"] * 3 + [None] + ["refund"] * 2
    records = [_record(k, label) for k, label in enumerate(labels, start=2)]
    return [_record(1, "praise", "disputed"), *records, _record(99, "praise", "audit")]


def test_label_keeps_the_items_suggested_that_label_in_queue_order():
    queue = _queue()
    kept = with_labels(queue, ["refund", "billing"], ["praise", "billing", "refund"])
    assert [r["rank"] for r in kept] == [8, 9, 10, 12, 13]
    assert [r["id"] for r in with_labels(queue, [NO_LABEL], ["praise"])] == ["c11"]
    assert with_labels(queue, None, ["praise"]) is queue


@pytest.mark.parametrize(("labels", "message"), [
    (["refunds"], r"no label 'refunds'; did you mean 'refund'\?.*valid: praise, billing, "
                  r"refund, \(none\)"),
    ("refund", "a list of one or more labels"),
    ([], "a list of one or more labels"),
])
def test_a_label_the_run_does_not_have_is_named_with_the_valid_ones(labels, message):
    with pytest.raises(ValueError, match=message):
        with_labels(_queue(), labels, ["praise", "billing", "refund"])


def test_spread_takes_the_labels_in_turns_after_the_head():
    spread = spread_labels(_queue())
    assert sorted(r["rank"] for r in spread) == sorted(r["rank"] for r in _queue())
    labels = [r["suggested_label"] for r in spread]
    # the disputed item first, whatever its label; then one of each label per turn, in the
    # order each label first comes in the queue
    assert spread[0]["reasons"] == ["disputed"]
    assert labels[1:5] == ["praise", "billing", None, "refund"]
    assert labels[5:9] == ["praise", "billing", "refund", "praise"]
    # within a label, queue order
    praise = [r["rank"] for r in spread if r["suggested_label"] == "praise"]
    assert praise == sorted(praise)


def test_spread_keeps_the_queues_tiers_in_order():
    """Spread over the whole queue after the head, an audit item and an uncovered one of
    other labels came before the second low-confidence item: the tiers mixed."""
    queue = [_record(1, "praise", "disputed"), _record(2, "praise"), _record(3, "praise"),
             _record(4, "billing", "conflict", "low_confidence"),
             _record(5, None, "uncovered"), _record(6, "refund", "audit"),
             _record(7, "praise", "audit"), _record(8, "billing", "audit")]
    spread = spread_labels(queue)
    assert [r["rank"] for r in spread] == [1, 2, 4, 3, 5, 6, 7, 8]


def test_spread_takes_items_without_a_suggestion_by_the_end_models_label():
    """An uncovered tier, often most of a queue, has no suggested label: in turns over
    "(none)" alone it kept queue order, one video's comments filling the budget."""
    guesses = ["Psy", "Psy", "Psy", "Katy Perry", "Shakira – Waka Waka", "Katy Perry", None]
    queue = [{**_record(k, None, "uncovered"), "end_model_label": guess}
             for k, guess in enumerate(guesses, start=1)]
    spread = spread_labels(queue)
    assert [r["rank"] for r in spread] == [1, 4, 5, 7, 2, 6, 3]


def test_the_export_says_how_its_items_spread_over_the_labels():
    labels = ["Psy", "Katy Perry", "LMFAO"]
    records = [_record(1, "Katy Perry"), _record(2, "Katy Perry"),
               {**_record(3, None, "uncovered"), "end_model_label": "LMFAO"},
               {**_record(4, None, "uncovered"), "end_model_label": "Psy"},
               {**_record(5, None, "uncovered"), "end_model_label": "LMFAO"}]
    assert label_mix_said(records, labels) == (
        "suggested labels: Psy 0, Katy Perry 2, LMFAO 0, (none) 3 (the end model's labels of "
        "those without one: Psy 1, Katy Perry 0, LMFAO 2)")
    assert label_mix_said(records[:2], labels) == (
        "suggested labels: Psy 0, Katy Perry 2, LMFAO 0")
    assert label_mix_said([], labels) is None


def test_an_export_without_suggested_labels_says_no_row_of_zeros():
    records = [{**_record(1, None, "uncovered"), "end_model_label": "Psy"}]
    assert label_mix_said(records, ["Psy", "none"]) == (
        "suggested labels: (none) 1 (the end model's labels of those without one: Psy 1, "
        "none 0)")


def test_label_and_spread_are_refused_for_the_random_sample(tmp_path):
    """Picked by label, the sample's records were still marked export "sample", and their
    reviews read as a random sample of all items."""
    from labelwright.review.queue.export import export_review

    with pytest.raises(ValueError, match=r"--label \(labels= from Python\) pick or order"):
        export_review(tmp_path, "jsonl", tmp_path / "s.jsonl", sample=True,
                      labels=["praise"])
    with pytest.raises(ValueError, match=r"--label .* and --spread .*random sample"):
        export_review(tmp_path, "jsonl", tmp_path / "s.jsonl", sample=True,
                      labels=["praise"], spread=True)
    with pytest.raises(ValueError, match=r"^--spread"):
        export_review(tmp_path, "jsonl", tmp_path / "s.jsonl", sample=True, spread=True)


def _many_billing(make_project):
    """A project whose queue holds many billing items, a few technical ones and some no
    LF voted on (the audit takes every accepted item)."""
    rows = ([{"id": f"b{i}", "text": f"Please refund order {i}", "gold": "billing"}
             for i in range(30)]
            + [{"id": f"t{i}", "text": f"The app crashes on {i}", "gold": "technical"}
               for i in range(6)]
            + [{"id": f"h{i}", "text": f"Hello there {i}", "gold": "billing"} for i in range(4)])
    root = make_project(rows=rows, gold=None)
    config = root / "labelwright.toml"
    config.write_text(config.read_text().replace("audit_size = 1", "audit_size = 40"))
    return root


def test_review_export_label_and_spread_before_the_budget(make_project, tmp_path, cli):
    from labelwright.project import run_project
    from labelwright.review.queue.export import export_review, read_review

    root = _many_billing(make_project)
    run_dir = run_project(root, report=False).run_dir
    queue = read_review(run_dir)
    labels = [r["suggested_label"] for r in queue]
    assert labels.count("billing") > 20 and labels.count("technical") >= 5
    out = tmp_path / "one.jsonl"
    done = export_review(run_dir, "jsonl", out, labels=["technical"], budget=3)
    got = [json.loads(line) for line in out.read_text().splitlines()]
    assert (done.queued, done.exported) == (labels.count("technical"), 3)
    assert [r["id"] for r in got] == [r["id"] for r in queue
                                      if r["suggested_label"] == "technical"][:3]
    assert len(set(labels[:3])) == 1  # the queue's head: one label only
    code, output = cli("review", "export", "--project", str(root), "-f", "jsonl",
                       "-o", str(tmp_path / "spread.jsonl"), "--spread", "--budget", "6")
    assert code == 0, output
    assert "in turns over their suggested labels (the end model's label where the run gave " \
        "none)" in " ".join(output.split())
    assert "suggested labels: billing " in output
    spread = [json.loads(line) for line in (tmp_path / "spread.jsonl").read_text().splitlines()]
    # the uncovered tier first, as the queue has it, then the audit's labels in turns
    assert [r["suggested_label"] for r in spread[:4]] == [None] * 4
    assert {r["suggested_label"] for r in spread[4:]} == {"billing", "technical"}
    assert all("audit" in r["reasons"] for r in spread[4:])
    code, output = cli("review", "export", "--project", str(root), "--label", "nosuch")
    assert code == 2 and "the run has no label 'nosuch'" in output
    code, output = cli("review", "export", "--project", str(root), "-f", "jsonl", "-o",
                       str(tmp_path / "none.jsonl"), "--label", "(none)", "--label", "technical")
    assert code == 0, output
    assert "queued (without a label or technical) items" in " ".join(output.split())


def _tiered_queue():
    """Eight labels: six common ones in the model's doubts, two confident rare ones
    queued by the audit alone, behind them."""
    common = ["factura", "tarifa", "cobertura", "baja", "otros", "plan"]
    doubts = [_record(k, common[k % 6], "conflict") for k in range(1, 61)]
    audit = [_record(100 + k, label, "audit")
             for k, label in enumerate(["billing", "roaming"] * 5 + ["factura"])]
    return doubts + audit, [*common, "billing", "roaming"]


def test_a_spread_export_says_which_labels_sit_past_the_tier_its_budget_ended_in():
    """A rare label queued only by the audit got no item of a spread budget, though the
    run counted its items in the queue: the export named it among the labels with 0 and
    said no more."""
    from labelwright.review.queue.label_mix import unreached_said

    queue, labels = _tiered_queue()
    ordered = spread_labels(queue)
    said = unreached_said(ordered, 25, labels)
    assert said == (
        "no item suggested billing, roaming: --spread takes turns over the labels within each "
        "tier of the queue, an earlier tier's items first, and the 25 exported ended in "
        "the model's doubts (conflict, low_confidence, against_votes, unread), 60 items; "
        "their 10 items all sit in later tiers (audit 10); `--label billing` or "
        "`--reason audit` exports them; --budget 61 reaches the first of them")
    # the budget it names reaches the first (billing's), and the next one roaming's
    assert ordered[60]["suggested_label"] == "billing"
    assert "roaming: the budget ended before its turn in it; `--label roaming` exports " \
        "them; --budget 62" in unreached_said(ordered, 61, labels)
    assert unreached_said(ordered, 62, labels) is None
    # every label has an item, everything kept, nothing kept: nothing to say
    assert unreached_said(ordered, len(ordered), labels) is None
    assert unreached_said(ordered, 0, labels) is None


def test_a_label_whose_turn_the_budget_did_not_reach_is_said_apart():
    from labelwright.review.queue.label_mix import unreached_said

    queue, labels = _tiered_queue()
    said = unreached_said(spread_labels(queue), 4, labels)
    assert said is not None
    # the turns go tarifa, cobertura, baja, otros, plan, factura (as their first items
    # come); said in the run's label order
    assert said.startswith("no item suggested factura, plan, billing, roaming: ")
    assert "billing, roaming: their 10 items all sit in later tiers (audit 10)" in said
    assert "factura, plan: the budget ended before their turn in it" in said
    assert said.endswith("`--label factura` or `--reason audit` exports them; --budget 5 "
                         "reaches the first of them")


def test_review_export_spread_says_why_labels_got_no_item(make_project, tmp_path, cli):
    """The export named the labels with 0 items and no more: a user whose run counted 284
    billing items to review read a spread export without one as a fault."""
    from labelwright.project import run_project

    root = _many_billing(make_project)
    run_project(root, report=False)
    code, output = cli("review", "export", "--project", str(root), "-f", "jsonl",
                       "-o", str(tmp_path / "spread.jsonl"), "--spread", "--budget", "3")
    assert code == 0, output
    assert "suggested labels: (none) 3 (the end model's labels of those without one: " \
        "billing 3, technical 0)" in output
    assert ("no item suggested billing, technical: --spread takes turns over the labels within "
            "each tier of the queue, an earlier tier's items first, and the 3 exported ended "
            "in the uncovered items, 4 items; their ") in output
    assert "all sit in later tiers (audit " in output
    assert "`--label billing` or `--reason audit` exports them; --budget 5 reaches" in output
    # without --spread the queue order is the user's own: nothing said
    code, output = cli("review", "export", "--project", str(root), "-f", "jsonl",
                       "-o", str(tmp_path / "plain.jsonl"), "--budget", "3")
    assert code == 0 and "no item suggested" not in output
