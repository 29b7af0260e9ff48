"""Reviews after the project's labels changed: a decision for a label the project no longer
has keeps its item unsettled, and ``[project] renamed`` reads old names as current ones."""

from __future__ import annotations

from labelwright.review.decisions import ledger
from labelwright.review.feedback.gold import review_warnings, reviewed_labels
from ledger_rows import import_rows

OLD = ("positive", "negative")
NEW = ("neutral", "positive", "complaint")
IDS = ["r1", "r2", "r3"]


def add(root, rows, *, sha):
    """rows: (item_id, label, rater), imported together from one file."""
    import_rows(root, rows, sha=sha, run_id="run-old")


def split_ledger(root):
    add(root, [("r1", "negative", "alice"), ("r1", "positive", "bob"),    # a tie
               ("r2", "negative", "alice"), ("r2", "negative", "bob"),    # agreed
               ("r3", "positive", "alice")], sha="s1")


def test_a_split_is_not_settled_by_the_rater_whose_label_is_left(tmp_path):
    """Renaming "negative" made bob's "positive" the label of every item alice and bob
    split on: the tie became a one-rater decision."""
    split_ledger(tmp_path)
    before = reviewed_labels(tmp_path, IDS, OLD)
    assert before.ties == ["r1"] and before.gold[0] == -1
    after = reviewed_labels(tmp_path, IDS, NEW)
    assert after.gold[0] == -1 and after.reviewers[0] == []
    assert after.gold[2] == NEW.index("positive")  # nothing stale there
    assert after.stale == 3 and after.stale_labels == {"negative": 3}
    assert after.stale_items == ["r1", "r2"]
    assert after.manifest()["stale_labels"] == {"negative": 3}
    assert after.manifest()["stale_items"] == 2


def test_the_warning_names_the_labels_items_and_the_way_out(tmp_path):
    split_ledger(tmp_path)
    warning = next(w for w in review_warnings(reviewed_labels(tmp_path, IDS, NEW),
                                              labels=NEW)
                   if "no longer" in w)
    assert warning.startswith("3 review decision(s) have a label the project no longer has")
    assert "'negative' (3)" in warning and "2 item(s)" in warning
    assert "'r1', 'r2'" in warning
    assert "[project] renamed" in warning and "neutral, positive, complaint" in warning


def test_renamed_reads_old_names_as_the_current_label(tmp_path):
    split_ledger(tmp_path)
    result = reviewed_labels(tmp_path, IDS, NEW, renamed={"negative": "complaint"})
    assert result.stale == 0 and result.stale_items == []
    assert result.ties == ["r1"] and result.gold[0] == -1  # still the tie it was
    assert result.gold[1] == NEW.index("complaint")
    assert result.manifest()["renamed"] == {"negative": "complaint"}
    assert result.manifest()["decisions_renamed"] == {"negative": 3}
    # the ledger keeps what was imported
    assert {d.label for d in ledger.read_decisions(ledger.ledger_path(tmp_path))} == set(OLD)


def test_an_adjudicator_with_a_current_label_still_settles(tmp_path):
    split_ledger(tmp_path)
    add(tmp_path, [("r1", "complaint", "lead")], sha="s2")
    result = reviewed_labels(tmp_path, IDS, NEW, adjudicators={"lead"})
    assert result.gold[0] == NEW.index("complaint") and "r1" not in result.stale_items
    # an adjudicator's stale label is no settlement, and the other raters make none
    result = reviewed_labels(tmp_path, IDS, NEW, adjudicators={"alice"})
    assert result.gold[0] == -1 and "r1" in result.stale_items


def test_a_stale_decision_an_adjudicator_overruled_is_said_so(tmp_path):
    """The warning said "their 0 item(s) have no reviewed label ...: ." when an adjudicator
    had settled the only item with a stale decision."""
    add(tmp_path, [("r1", "negative", "alice"), ("r1", "positive", "lead")], sha="s1")
    result = reviewed_labels(tmp_path, IDS, NEW, adjudicators=["lead"])
    assert result.gold[0] == NEW.index("positive") and result.stale_items == []
    warning = next(w for w in review_warnings(result, labels=NEW) if "no longer" in w)
    assert "an adjudicator settled each of their items, so they change no label" in warning
    assert "0 item(s)" not in warning


def test_sample_items_a_stale_label_keeps_unsettled_are_not_called_tied(tmp_path):
    """A random-sample item kept unsettled by a removed label was counted as tied or
    awaiting adjudication, and auto's reason sent the user to settle it as a dispute."""
    decisions = [ledger.Decision("r1", "negative", "importer", "alice", "", "now", "f", "s1",
                                 "row 1", "run-old", "csv", "sample"),
                 ledger.Decision("r1", "positive", "importer", "bob", "", "now", "f", "s1",
                                 "row 2", "run-old", "csv", "sample"),
                 ledger.Decision("r2", "positive", "importer", "alice", "", "now", "f", "s1",
                                 "row 3", "run-old", "csv", "sample"),
                 ledger.Decision("r2", "neutral", "importer", "bob", "", "now", "f", "s1",
                                 "row 4", "run-old", "csv", "sample")]
    ledger.append(ledger.ledger_path(tmp_path), decisions, sha256="s1", reviewer="importer",
                  source_file="f", fmt="csv", imported_at="now")
    result = reviewed_labels(tmp_path, IDS, NEW)
    assert result.stale_items == ["r1"]
    assert result.sample_undecided == 1  # r2, a real tie; not r1
