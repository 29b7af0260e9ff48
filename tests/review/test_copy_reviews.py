"""Items with the same text: one of them queued, its review carried to the others at the
next run ([review] copies; labelwright.review.feedback.copy_reviews)."""

import csv
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from labelwright import run_project
from labelwright.config import load_config
from labelwright.copies import find_copies
from labelwright.errors import ConfigError
from labelwright.review.feedback.copy_reviews import carry_to_copies, copy_warnings
from labelwright.review.queue.export import export_review
from labelwright.review.stats.summary import review_stats
from labelwright.triage.draws import random_sample
from review_csv import review_items

# c1, c2 and c9 share a text (whitespace aside); c3 differs in case only; c4 and c5 share one
ROWS = [{"id": "c1", "text": "refund the crash"}, {"id": "c2", "text": "refund  the crash "},
        {"id": "c3", "text": "Refund the crash"}, {"id": "c4", "text": "no votes here"},
        {"id": "c5", "text": "no votes here"}, {"id": "c6", "text": "refund please"},
        {"id": "c7", "text": "crash again"}, {"id": "c8", "text": "something else"},
        {"id": "c9", "text": "refund the crash"}]
ALL_COPIES = '\n[review]\ncopies = "all"\n'


def _queue(run_dir: Path) -> list[dict]:
    with open(run_dir / "review.jsonl", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def test_the_queue_holds_one_item_per_text_and_says_how_many_share_it(make_project):
    root = make_project(rows=ROWS, gold=None)
    result = run_project(root, report=False)
    queue = _queue(result.run_dir)
    ids = [r["id"] for r in queue]
    assert len(ids) == len(set(ids))
    groups = find_copies([r["text"] for r in ROWS]).group
    group_of = {row["id"]: g for row, g in zip(ROWS, groups)}
    queued_texts = [group_of[i] for i in ids if "audit" not in queue[ids.index(i)]["reasons"]]
    assert len(queued_texts) == len(set(queued_texts))  # one item per text
    shared = {r["id"]: r["copies"] for r in queue}
    assert shared.get("c1", shared.get("c2", shared.get("c9"))) == 2
    assert shared.get("c4", shared.get("c5")) == 1
    assert shared["c3"] == 0  # another case is another text
    record = json.loads((result.run_dir / "manifest.json").read_text())["triage"]["copies"]
    assert record["setting"] == "one"
    assert (record["texts_with_copies"], record["items_with_copies"]) == (2, 5)
    assert record["left_out_of_queue"] == 3  # two copies of c1's text, one of c4's


def test_the_budget_counts_texts_and_the_export_says_what_the_items_stand_for(make_project,
                                                                               cli):
    root = make_project(rows=ROWS, gold=None)
    result = run_project(root, report=False)
    code, out = cli("review", "export", "--project", str(root), "--format", "csv",
                    "--budget", "3")
    assert code == 0, out
    queue = _queue(result.run_dir)[:3]
    expected = sum(r["copies"] for r in queue)
    assert expected > 0
    assert f"standing for {expected} more item" in out
    with open(result.run_dir / "review-csv.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [int(r["copies"]) for r in rows] == [r["copies"] for r in queue]
    assert len({" ".join(r["text"].split()) for r in rows}) == 3


@pytest.mark.parametrize("fmt", ["jsonl", "label-studio", "prodigy", "doccano", "argilla"])
def test_every_format_with_room_for_extra_fields_carries_the_count(make_project, tmp_path, fmt):
    root = make_project(rows=ROWS, gold=None)
    result = run_project(root, report=False)
    suffix = ".json" if fmt == "label-studio" else ".jsonl"
    written = export_review(result.run_dir, fmt, tmp_path / f"out-{fmt}{suffix}")
    text = written.files[0].read_text(encoding="utf-8")
    records = json.loads(text) if fmt == "label-studio" else [
        json.loads(line) for line in text.splitlines()]
    found = [r.get("copies", r.get("lw_copies", r.get("data", {}).get("lw_copies")))
             for r in records]
    assert found == [r["copies"] for r in _queue(result.run_dir)]
    assert written.copies == sum(found)
    if fmt == "argilla":
        settings = json.loads(written.files[1].read_text(encoding="utf-8"))
        assert "lw_copies" in [m["name"] for m in settings["metadata"]]


def test_copies_all_queues_every_item_and_carries_nothing(make_project):
    root = make_project(rows=ROWS, gold=None, extra=ALL_COPIES)
    first = run_project(root, report=False)
    queued = [r["id"] for r in _queue(first.run_dir)]
    assert {"c1", "c2", "c9"} <= set(queued)
    review_items(root, {"c1": "technical"}, run_id=first.run_id)
    second = run_project(root, report=False)
    labels = second.labels.set_index("id")
    assert labels.loc["c2", "label_source"] != "copy"
    assert "copy_of" not in labels.columns


def test_a_wrong_copies_setting_lists_the_valid_ones(make_project):
    root = make_project(rows=ROWS, gold=None, extra='\n[review]\ncopies = "none"\n')
    with pytest.raises(ConfigError,
                       match=r"\[review\] copies 'none'; did you mean 'one'\? valid: one, all"):
        load_config(root)


def test_a_review_carries_to_the_copies_and_counts_once(make_project):
    root = make_project(rows=ROWS, gold=None)
    first = run_project(root, report=False)
    review_items(root, {"c1": "technical"}, run_id=first.run_id)
    second = run_project(root, report=False)
    labels = second.labels.set_index("id")
    for copy in ("c2", "c9"):
        assert labels.loc[copy, "label"] == "technical"
        assert labels.loc[copy, "label_source"] == "copy"
        assert labels.loc[copy, "copy_of"] == "c1"
        assert labels.loc[copy, "status"] == "reviewed"
        assert labels.loc[copy, "prob_technical"] == 1.0
    assert labels.loc["c3", "label_source"] == "model"  # another case: no copy
    assert labels.loc["c1", "label_source"] == "review"
    assert not {"c1", "c2", "c9"} & {r["id"] for r in _queue(second.run_dir)}
    # the LF table counts the reviewed item once, not once per copy
    table = second.lf_table.set_index("lf")
    assert table.loc["crashes", "queue_correct"] + table.loc["crashes", "queue_incorrect"] == 1
    record = json.loads((second.run_dir / "manifest.json").read_text())
    assert record["triage"]["copies"]["labels_carried"] == 2
    assert record["reviews"]["items_with_gold"] == 1
    # the training set keeps the copies as reviewed labels
    from labelwright.review.training_set import training_frame
    frame = pd.read_parquet(second.run_dir / "labels.parquet")
    kept = training_frame(frame, ids=[r["id"] for r in ROWS], texts=[r["text"] for r in ROWS],
                          min_confidence=0.99).set_index("id")
    assert kept.loc["c2", "label_source"] == "copy"
    assert kept.loc["c2", "probability"] == 1.0


def test_copies_reviewed_with_different_labels_carry_nothing_and_are_named(make_project):
    root = make_project(rows=ROWS, gold=None, extra="")
    first = run_project(root, report=False)
    review_items(root, {"c1": "technical"}, run_id=first.run_id, rater="ana", sha="s1")
    review_items(root, {"c2": "billing"}, run_id=first.run_id, rater="ben", sha="s2")
    second = run_project(root, report=False)
    labels = second.labels.set_index("id")
    assert labels.loc["c9", "label_source"] == "model"
    said = [w for w in second.warnings if "different labels" in w]
    assert said and all(part in said[0] for part in (
        "(text of 'c1', 3 items: ", "technical on 'c1' by ana", "billing on 'c2' by ben"))
    record = json.loads((second.run_dir / "manifest.json").read_text())
    assert record["triage"]["copies"]["texts_reviewed_apart"] == 1


def test_an_item_with_decisions_of_its_own_keeps_them():
    copies = find_copies(["a", "a", "a"])
    gold = np.array([0, -1, -1])
    reviewers = [["ana"], ["ana", "ben"], []]  # item 1: reviewed, its raters disagree
    carried = carry_to_copies(gold, reviewers, ["x", "y", "z"], ["p", "q"], copies)
    assert carried.gold.tolist() == [0, -1, 0]
    assert carried.copy_of == [None, None, "x"]
    assert copy_warnings(carried) == []


def test_explain_on_a_copy_names_the_reviewed_item(make_project, cli):
    root = make_project(rows=ROWS, gold=None)
    first = run_project(root, report=False)
    review_items(root, {"c1": "technical"}, run_id=first.run_id, rater="ana")
    run_project(root, report=False)
    code, out = cli("explain", "c9", "--project", str(root))
    assert code == 0, out
    assert "source: copy" in out
    assert "its label came from the review of item 'c1' by ana" in out


def test_run_and_runs_show_say_what_the_copies_did_and_recompute_agrees(make_project, cli):
    root = make_project(rows=ROWS, gold=None)
    code, out = cli("run", "--project", str(root))
    assert code == 0, out
    assert "copies: 5 items share 2 texts; the queue holds one item per text (3 left out)" \
        in out
    first = sorted(p.name for p in (root / "runs").iterdir() if p.name[0].isdigit())[-1]
    # the line by suggested label counts items, copies too, and says beside a count what
    # review.jsonl holds of them: it said "factura 817" of 473 factura records
    line = next(x for x in out.splitlines() if "to review by suggested label:" in x)
    held: dict[str, int] = {}
    for record in _queue(root / "runs" / first):
        held[record["suggested_label"] or "(none)"] = held.get(
            record["suggested_label"] or "(none)", 0) + 1
    said = dict(re.findall(r"([\w()]+) \d+ \((\d+) in the queue\)", line))
    assert said and all(held[name] == int(n) for name, n in said.items()), (line, held)
    assert "holds one item per text" in line
    review_items(root, {"c1": "technical"}, run_id=first)
    code, out = cli("run", "--project", str(root))
    assert code == 0, out
    assert "2 items took the label of a reviewed copy" in out
    code, out = cli("runs", "show", "--project", str(root))
    assert "2 items took the label of a reviewed copy" in out, out
    code, out = cli("runs", "verify", "--recompute", "--project", str(root))
    assert code == 0, out
    assert "triage its statuses" in out


def test_runs_diff_counts_a_copy_flipped_by_its_review_as_flipped_by_review(make_project):
    from labelwright.runs.diff.compare import diff_runs
    root = make_project(rows=ROWS, gold=None)
    first = run_project(root, report=False)
    review_items(root, {"c1": "technical"}, run_id=first.run_id)
    second = run_project(root, report=False)
    flipped = (first.labels.set_index("id")["label"] != second.labels.set_index("id")["label"])
    assert flipped[["c1", "c2", "c9"]].all()  # the model said billing (a tie broken first)
    d = diff_runs(first.run_dir, second.run_dir)
    assert d.flipped_by_review == 3
    # the copies' counts changed (labels carried 0 -> 2), the setting did not: no setting
    # change (it was listed as "settings: triage copies {...} -> {...}")
    assert d.settings == {}
    path = second.run_dir / "manifest.json"
    manifest = json.loads(path.read_text())
    manifest["triage"]["copies"]["setting"] = "all"
    path.write_text(json.dumps(manifest))
    assert diff_runs(first.run_dir, second.run_dir).settings == {
        "review copies": ("one", "all")}


def test_the_items_an_export_stands_for_count_each_text_once():
    """An audit may export several items of one text, each record counting the same copies:
    the export said its items stood for 27,920 more items on a 19,956-item dataset."""
    from labelwright.review.queue.export import copies_behind

    records = [{"text": "Check my channel", "copies": 9},   # 10 items hold this text,
               {"text": "Check  my channel ", "copies": 9},  # two of them exported
               {"text": "CHECK MY CHANNEL", "copies": 0},    # another text (case)
               {"text": "nice song", "copies": 3}]
    assert copies_behind(records) == (10 - 2) + 0 + 3
    assert copies_behind([{"text": "a"}]) is None  # a run from before records counted them


def test_the_reports_gold_tables_count_the_items_the_runs_accuracy_counts(make_project):
    """A held-out gold item that took a copy's review was left out of the report's per-label
    and confusion tables and its calibration, while the run's accuracy counted it (with the
    label model's own label): the report gave two sizes for what it called the same items."""
    from labelwright.report.data import load_run

    rows = [{**row, "gold": {"c2": "technical", "c6": "billing", "c7": "technical"}.get(
        row["id"], "")} for row in ROWS]
    root = make_project(rows=rows)
    first = run_project(root, report=False)
    review_items(root, {"c1": "technical"}, run_id=first.run_id)
    second = run_project(root, report=False)
    labels = second.labels.set_index("id")
    assert labels.loc["c2", "label_source"] == "copy"
    evaluation = json.loads((second.run_dir / "manifest.json").read_text())["evaluation"]
    data = load_run(second.run_dir)
    assert data.gold is not None and sum(data.gold.values()) == evaluation["n_gold"] == 3
    # the label model's own label on the copy, as the run's accuracy scores it
    model_said = str(labels.loc["c2", "model_label"])
    assert data.gold_given.get(model_said, 0) >= 1
    # the training set holds it out, as the run scores it (it was trained on before)
    from labelwright.review.training_set import export_training_set

    kept = export_training_set(root, root / "training.parquet")
    assert "c2" not in set(kept["id"]) and "c1" in set(kept["id"])


def test_the_report_says_what_the_copies_did(make_project):
    """The report's only trace of copies was a settings change in its Changes section."""
    from labelwright.report import render_report

    root = make_project(rows=ROWS, gold=None)
    first = run_project(root, report=False)
    review_items(root, {"c1": "technical"}, run_id=first.run_id)
    second = run_project(root, report=False)
    queue = render_report(second.run_dir).split('<section id="queue">')[1].split("</section>")[0]
    record = json.loads((second.run_dir / "manifest.json").read_text())["triage"]["copies"]
    assert record["labels_carried"] == 2
    assert (f"Copies: 5 items share 2 texts; the queue holds one item per text "
            f"({record['left_out_of_queue']} left out), 2 items took the label of a reviewed "
            "copy") in queue


def test_a_conflict_puts_the_label_most_reviewed_items_have_first():
    """A text 18 items of which one rater labelled spam and one another rater labelled ham
    was listed item by item (19 entries), which hid the odd one out."""
    from labelwright.copies import Copies

    n = 20
    gold = np.array([1] * 18 + [0, -1])
    reviewers = [["ana"]] * 18 + [["ben"], []]
    copies = Copies(group=np.zeros(n, dtype=np.int64), size=np.array([n]))
    carried = carry_to_copies(gold, reviewers, [f"r{i}" for i in range(n)], ["ham", "spam"],
                              copies)
    assert carried.conflicts == ["(text of 'r0', 20 items: spam on 18 reviewed items by ana / "
                                 "ham on 'r18' by ben)"]
    assert carried.copy_of[19] is None  # nothing carried


def test_a_tied_item_says_its_copies_wait_for_it():
    """The tie warning named the item awaiting adjudication, not its 126 copies, which took
    no label either."""
    from labelwright.copies import Copies

    gold = np.array([-1, -1, -1, 0])
    reviewers = [["ana", "ben"], [], [], ["ana"]]  # item 0 tied; item 3 settled, no copies
    copies = Copies(group=np.array([0, 0, 0, 1]), size=np.array([3, 1]))
    carried = carry_to_copies(gold, reviewers, ["t", "u", "v", "w"], ["ham", "spam"], copies)
    assert carried.unsettled == [("t", 2)]
    (said,) = copy_warnings(carried)
    assert "1 reviewed item(s) without a settled label" in said
    assert "share their text with 2 other item(s)" in said and "'t' (2)" in said


def test_label_studio_shows_the_reviewer_how_many_items_share_the_text(make_project,
                                                                       tmp_path):
    """``lw_copies`` was in each task's data but not in the labeling config, so Label Studio
    showed it in the Data Manager alone: the reviewer did not see that a decision labels
    the other items with the text too."""
    import xml.etree.ElementTree as ET

    root = make_project(rows=ROWS, gold=None)
    result = run_project(root, report=False)
    written = export_review(result.run_dir, "label-studio", tmp_path / "tasks.json")
    view = ET.fromstring(written.files[1].read_text(encoding="utf-8"))
    headers = [tag.get("value") for tag in view.iter("Header")]
    tasks = json.loads(written.files[0].read_text(encoding="utf-8"))
    shown = [h.replace("$lw_copies", str(t["data"]["lw_copies"])) for t in tasks
             for h in headers if "$lw_copies" in h]
    assert len(shown) == len(tasks)
    by_id = {t["data"]["lw_id"]: line for t, line in zip(tasks, shown)}
    assert by_id[next(i for i in ("c1", "c2", "c9") if i in by_id)] == \
        "Other items with this text: 2"


def test_label_studio_config_of_a_run_before_copies_shows_no_count(tmp_path):
    """A run from before records counted copies has no ``lw_copies``: Label Studio would show
    "undefined" in its place."""
    from labelwright.review.queue.tools import write_tool

    record = {"id": "a", "run_id": "r", "text": "t", "suggested_label": None,
              "confidence": 0.0, "reasons": [], "votes": {}, "glossary_matches": []}
    files = write_tool([record], tmp_path / "tasks.json", "label-studio", labels=["a", "b"],
                       project="p")
    assert "<Header" in files[1].read_text(encoding="utf-8")
    assert "lw_copies" not in files[1].read_text(encoding="utf-8")


SPAM = [{"id": f"s{k:02d}", "text": "refund please"} for k in range(30)] + [
    {"id": f"t{k:02d}", "text": f"refund for order {k}"} for k in range(10)]


def _set_triage(root: Path, **settings: object) -> None:
    """Set ``[triage]`` keys of a ``make_project`` config (its audit_size is 1)."""
    path = root / "labelwright.toml"
    text = path.read_text(encoding="utf-8").replace("audit_size = 1\n", "")
    lines = "".join(f"{key} = {json.dumps(value)}\n" for key, value in settings.items())
    path.write_text(text.replace("[triage]\n", "[triage]\n" + lines), encoding="utf-8")


def test_the_audit_and_the_random_sample_draw_over_items_and_count_each_draw(make_project,
                                                                            cli):
    """The draws took one item per text, so a text 30 of 40 items hold counted as one item
    in the sample's accuracy: the model wrong on that text alone, a sample of 8 read 7 of 8
    right where 10 of the 40 labels are."""
    root = make_project(rows=SPAM, gold=None)
    _set_triage(root, audit_size=8, random_sample=8)
    result = run_project(root, report=False)
    ids = [r["id"] for r in SPAM]
    with open(result.run_dir / "sample.jsonl", encoding="utf-8") as handle:
        sample = [json.loads(line) for line in handle]
    # the seeded draw over items, as runs drew before the one-per-text rule
    assert [r["id"] for r in sample] == [ids[i] for i in random_sample(40, 8, 0, ids=ids)]
    audit = {r["id"] for r in _queue(result.run_dir) if r["reasons"] == ["audit"]}
    assert audit == set(result.labels.loc[result.labels["reasons"] == "audit", "id"])
    assert len(audit) == 8
    # the model is wrong on the repeated text only; each drawn item counts once
    truth = {r["id"]: "technical" if r["text"] == "refund please" else "billing"
             for r in sample}
    assert list(truth.values()).count("technical") > 1  # the repeated text, drawn again
    review_items(root, truth, run_id=result.run_id)
    stats = review_stats(root, run=result.run_id)
    given = result.labels.set_index("id")["label"]
    assert (stats.sample.reviewed, stats.sample.correct) \
        == (8, sum(given[i] == label for i, label in truth.items()))
    manifest = json.loads((result.run_dir / "manifest.json").read_text())
    assert manifest["triage"]["copies"]["draws"] == "per item"
    code, out = cli("runs", "verify", "--recompute", "--project", str(root))
    assert code == 0, out


def test_among_items_ranked_alike_the_text_more_items_hold_comes_first(make_project):
    """The queue broke ties by row: of texts the ranking could not tell apart, one held by
    a single item came before one a review of which labels three."""
    rows = [{"id": "u1", "text": "hello"}, {"id": "u2", "text": "ok"},
            {"id": "u3", "text": "thanks"}, {"id": "u4", "text": "ok"},
            {"id": "u5", "text": "thanks"}, {"id": "u6", "text": "thanks"}]
    root = make_project(rows=rows, gold=None)
    _set_triage(root, audit_size=0, ranking="confidence")
    queue = _queue(run_project(root, report=False).run_dir)
    assert [(r["text"], r["copies"]) for r in queue] == [("thanks", 2), ("ok", 1),
                                                         ("hello", 0)]


FOUR = ROWS + [{"id": "c10", "text": "refund the crash"}]  # c1, c2, c9, c10: one text


def test_copies_reviewed_apart_wait_in_the_queue_until_a_review_settles_the_text(make_project,
                                                                                 cli):
    """Two reviewed items of one text with different labels were named in a warning, but
    the text's other copies took no label and none was queued: nobody was asked."""
    root = make_project(rows=FOUR, gold=None)
    first = run_project(root, report=False)
    review_items(root, {"c1": "technical"}, run_id=first.run_id, rater="ana", sha="s1")
    review_items(root, {"c2": "billing"}, run_id=first.run_id, rater="ben", sha="s2")
    second = run_project(root, report=False)
    labels = second.labels.set_index("id")
    for copy in ("c9", "c10"):
        assert labels.loc[copy, "label_source"] == "model"
        assert labels.loc[copy, "reasons"].split(";")[0] == "copies_disagree"
    queue = _queue(second.run_dir)
    assert queue[0]["id"] in ("c9", "c10") and queue[0]["reasons"][0] == "copies_disagree"
    assert not {"c9", "c10"} - {queue[0]["id"]} & {r["id"] for r in queue}  # one per text
    said = [w for w in second.warnings if "different labels" in w]
    assert said and "2 of them wait, one per text queued with the reason copies_disagree" \
        in said[0]
    # unsettled, as settled apart: the setting for items of one text that may rightly differ
    assert said[0].endswith('[review] copies = "all" gives no item another item\'s review '
                            "and queues each")
    code, out = cli("review", "export", "--project", str(root), "--format", "csv",
                    "--reason", "copies_disagree")
    assert code == 0, out
    assert "1 of 1 queued (copies_disagree) item from run" in out
    manifest = json.loads((second.run_dir / "manifest.json").read_text())["triage"]
    assert manifest["counts"]["copies_disagree"] == 2
    assert manifest["copies"]["copies_waiting"] == 2
    # a third rater's review of the queued copy is the vote that settles the text
    review_items(root, {queue[0]["id"]: "technical"}, run_id=second.run_id, rater="cy",
                 sha="s3")
    third = run_project(root, report=False)
    labels = third.labels.set_index("id")
    other = ({"c9", "c10"} - {queue[0]["id"]}).pop()
    assert labels.loc[other, "label"] == "technical"
    assert labels.loc[other, "label_source"] == "copy"
    assert labels.loc[other, "copy_of"] == "c1"
    assert labels.loc["c2", "label"] == "billing"  # its own review stays its own
    settled = [w for w in third.warnings if "take the label the review policy settled on" in w]
    # items of one text that may rightly differ: the setting that keeps reviews to their item
    assert settled and settled[0].endswith(
        'where items of one text may rightly have different labels (one comment posted under '
        'two videos), [review] copies = "all" gives no item another item\'s review and '
        "queues each")
    code, out = cli("runs", "verify", "--recompute", "--project", str(root))
    assert code == 0 and "and triage its statuses" in out, out


def test_under_adjudicate_only_an_adjudicator_settles_copies_reviewed_apart(make_project):
    root = make_project(rows=FOUR, gold=None,
                        extra='\n[review]\npolicy = "adjudicate"\nadjudicators = ["lead"]\n')
    first = run_project(root, report=False)
    review_items(root, {"c1": "technical", "c9": "technical"}, run_id=first.run_id,
                 rater="ana", sha="s1")
    review_items(root, {"c2": "billing"}, run_id=first.run_id, rater="ben", sha="s2")
    second = run_project(root, report=False).labels.set_index("id")
    assert second.loc["c10", "label_source"] == "model"  # 2-1 settles nothing here
    assert second.loc["c10", "reasons"].startswith("copies_disagree")
    review_items(root, {"c2": "billing"}, run_id=first.run_id, rater="lead", sha="s3")
    third = run_project(root, report=False).labels.set_index("id")
    assert third.loc["c10", "label"] == "billing"
    assert (third.loc["c10", "label_source"], third.loc["c10", "copy_of"]) == ("copy", "c2")


def test_every_disputed_item_is_exported_and_one_adjudication_round_settles_them(
        make_project, cli):
    """Two disputed items sharing a text were exported as one (24 items for 25
    disputes): the other stayed disputed after the adjudication, a round more."""
    root = make_project(rows=FOUR, gold=None, extra='\n[review]\nadjudicators = ["lead"]\n')
    first = run_project(root, report=False)
    review_items(root, {"c1": "technical", "c2": "technical"}, run_id=first.run_id,
                 rater="ana", sha="s1")
    review_items(root, {"c1": "billing", "c2": "billing"}, run_id=first.run_id,
                 rater="ben", sha="s2")
    second = run_project(root, report=False)
    queued = [r["id"] for r in _queue(second.run_dir) if "disputed" in r["reasons"]]
    assert sorted(queued) == ["c1", "c2"]
    code, out = cli("review", "export", "--project", str(root), "--format", "csv",
                    "--reason", "disputed")
    assert code == 0, out
    assert "2 of 2 queued (disputed) items" in out
    review_items(root, {"c1": "technical", "c2": "technical"}, run_id=second.run_id,
                 rater="lead", sha="s3")
    third = run_project(root, report=False).labels.set_index("id")
    assert (third.loc[["c1", "c2"], "label_source"] == "review").all()
    assert not third["reasons"].fillna("").str.contains("disputed").any()


def test_items_whose_every_review_is_stale_are_queued_and_exported_with_reason_stale(
        make_project, cli):
    """An item whose review no longer applied (its text edited in the data, or its label
    removed from the project) fell back to the model's label, accepted, and nothing could
    export it: `review export --reason stale` was refused as an unknown reason."""
    root = make_project(rows=ROWS, gold=None, labels=("billing", "technical", "other"))
    first = run_project(root, report=False)
    queued = [r["id"] for r in _queue(first.run_dir)]
    edited, retired = queued[0], queued[1]
    review_items(root, {edited: "technical", retired: "other"}, run_id=first.run_id)
    rows = [{**row, "text": "crash error crash"} if row["id"] == edited else row
            for row in ROWS]
    pd.DataFrame(rows).to_csv(root / "data" / "items.csv", index=False)
    config = root / "labelwright.toml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        '"billing", "technical", "other"', '"billing", "technical"'), encoding="utf-8")
    second = run_project(root, report=False)
    labels = second.labels.set_index("id")
    for item in (edited, retired):
        assert "stale" in labels.loc[item, "reasons"].split(";"), labels.loc[item, "reasons"]
        assert labels.loc[item, "status"] == "review"
    code, out = cli("review", "export", "--project", str(root), "--format", "jsonl",
                    "--reason", "stale")
    assert code == 0, out
    with open(second.run_dir / "review-jsonl.jsonl", encoding="utf-8") as handle:
        exported = [json.loads(line) for line in handle]
    assert sorted(r["id"] for r in exported) == sorted([edited, retired])
    # a fresh review of the new text settles the item: no longer stale
    review_items(root, {edited: "technical"}, run_id=second.run_id, sha="s2")
    third = run_project(root, report=False).labels.set_index("id")
    assert third.loc[edited, "label_source"] == "review"


def test_an_unknown_reason_lists_the_valid_ones_stale_among_them(make_project, cli):
    root = make_project(rows=ROWS, gold=None)
    run_project(root, report=False)
    code, out = cli("review", "export", "--project", str(root), "--format", "csv",
                    "--reason", "stail")
    assert code != 0
    assert "unknown reason 'stail'" in out and "did you mean 'stale'?" in out
    assert ("valid: disputed, copies_disagree, stale, second_opinion, conflict, low_confidence, "
            "against_votes, unread, uncovered, audit") in out


def test_deleting_the_reviewed_item_says_which_copies_lost_its_label(make_project, cli):
    """With the reviewed item's row deleted, its copies fell back to the model's label and
    the run said only that a reviewed item was not in the data: the labels were lost in
    silence."""
    root = make_project(rows=ROWS, gold=None)
    first = run_project(root, report=False)
    # the item of the text the queue holds (the queue's ties go by a hash of the ids)
    text = {"c1", "c2", "c9"}
    (done,) = text & {r["id"] for r in _queue(first.run_dir)}
    others = sorted(text - {done})
    review_items(root, {done: "technical"}, run_id=first.run_id, rater="ana")
    assert run_project(root, report=False).labels.set_index("id").loc[
        others[0], "label_source"] == "copy"
    pd.DataFrame([r for r in ROWS if r["id"] != done]).to_csv(root / "data" / "items.csv",
                                                              index=False)
    third = run_project(root, report=False)
    labels = third.labels.set_index("id")
    assert labels.loc[others[0], "label_source"] == "model"  # no label from a deleted item
    said = [w for w in third.warnings if "no longer carry" in w]
    assert said, third.warnings
    assert "1 reviewed item(s) are no longer in the data" in said[0]
    assert "to the 2 item(s) with their text" in said[0]
    shown = next(r["text"] for r in ROWS if r["id"] == done).strip()
    assert f"{done!r} (2 items with its text {shown!r})" in said[0]
    manifest = json.loads((third.run_dir / "manifest.json").read_text())
    assert manifest["triage"]["copies"]["labels_lost_with_deleted_items"] == 2
    # asked again: the copies go to review as stale, one of them queued
    for copy in others:
        assert labels.loc[copy, "reasons"].split(";")[0] == "stale"
    assert len(set(others) & {r["id"] for r in _queue(third.run_dir)}) == 1
    code, out = cli("runs", "verify", "--recompute", "--project", str(root))
    assert code == 0 and "and triage its statuses" in out, out


def test_the_export_message_says_its_texts_when_the_records_repeat_one():
    """A 1M-row sample drew two items of one text: the message said 10,239 more items
    while the file's copies added up to 13,358. Both were right (the column counts each
    record's other items, the other exported one too); the message now says so."""
    from labelwright.cli.review import copies_said
    from labelwright.review.queue.export import copies_behind, exported_texts

    records = [{"text": "Check my channel", "copies": 9},
               {"text": "Check  my channel ", "copies": 9},
               {"text": "nice song", "copies": 3}]
    behind = copies_behind(records)
    texts, column = exported_texts(records)
    assert (behind, texts, column) == ((10 - 2) + 3, 2, 21)
    said = copies_said(behind, carried=True, texts=texts, exported=3, column=column)
    assert said.startswith(" (2 different texts, standing for 11 more items with the same text")
    assert said.endswith("; the records' copies add up to 21, as each counts every other item "
                         "of its text, exported or not)")
    shared = copies_said(behind, carried=False, texts=texts, exported=3, column=column)
    assert shared.startswith(" (2 different texts, shared by 11 other items not exported;")
    one_each = records[1:]  # every text once: the column adds up to the count said
    assert exported_texts(one_each) == (2, copies_behind(one_each))
    assert copies_said(12, carried=True, texts=2, exported=2, column=12) == (
        " (standing for 12 more items with the same text, which take their reviewed labels at "
        "the next run; texts reviewed with different labels take the one the review policy "
        "settles on)")
    assert exported_texts([{"text": "a"}]) is None


def test_records_without_a_text_are_each_a_text_of_their_own():
    """Two blank records were counted as one different text, so the message could say
    fewer texts than the export held."""
    from labelwright.review.queue.export import exported_texts

    records = [{"text": "", "copies": 0}, {"text": None, "copies": 0},
               {"text": "nice song", "copies": 0}]
    assert exported_texts(records) == (3, 0)
