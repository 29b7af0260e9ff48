"""Rater names that differ only in case, Unicode form or spacing: refused at import, and
warned of where [review] adjudicators names them."""

from __future__ import annotations

import csv

import pytest

from labelwright.review.decisions import ledger
from labelwright.review.feedback.gold import review_warnings, reviewed_labels
from labelwright.review.imports.file import ReviewError, import_file
from ticket_data import TICKETS

TEXT_OF = {row["id"]: row["text"] for row in TICKETS}


def review_csv(path, run_id, rows, *, reviewers=None):
    """A filled-in review CSV; ``reviewers`` fills its reviewer column, one name a row."""
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "run_id", "text", "review_label"]
                        + (["reviewer"] if reviewers else []))
        for k, (item_id, label) in enumerate(rows):
            writer.writerow([item_id, run_id, TEXT_OF[item_id], label]
                            + ([reviewers[k]] if reviewers else []))
    return path


def raters(root):
    return sorted({d.rater for d in ledger.read_decisions(ledger.ledger_path(root))})


def test_a_names_key_folds_case_unicode_form_and_spacing():
    from labelwright.review.decisions.raters import lookalikes, name_key

    assert name_key("  Bob \t Smith ") == name_key("bob smith") == name_key("ＢＯＢ SMITH")
    assert name_key("bob smith") != name_key("bobsmith")
    assert lookalikes(["Lead", "lead", "ana", "Ana ", "zoe"], ["lead"]) == {
        "Lead": ["lead"], "Ana ": ["ana"], "ana": ["Ana "]}


@pytest.mark.parametrize("typed", ["Alice", " alice", "ALICE ", "ａｌｉｃｅ"])
def test_a_reviewer_spelt_like_a_rater_of_the_ledger_is_refused(reviewed_project, tmp_path,
                                                                typed):
    """`--reviewer Alice` after `alice` silently made a second rater."""
    run = reviewed_project.run_dir.name
    import_file(reviewed_project.root, review_csv(tmp_path / "a.csv", run, [("t1", "billing")]),
                reviewer="alice")
    path = review_csv(tmp_path / "b.csv", run, [("t2", "technical")])
    with pytest.raises(ReviewError) as caught:
        import_file(reviewed_project.root, path, reviewer=typed)
    message = str(caught.value)
    assert message.startswith(f"{path}: 1 rater name differs from another only in case or "
                              "spacing; nothing imported")
    assert (f"{typed!r} (the name the file is imported under) is spelt like the ledger's "
            "rater 'alice' but for case or spacing: if it is that person, pass --reviewer "
            "'alice' (reviewer='alice' from Python)") in message
    assert raters(reviewed_project.root) == ["alice"]
    assert import_file(reviewed_project.root, path, reviewer="alice").added == 1


def test_an_adjudicator_typed_in_another_case_is_refused_before_their_first_decision(
        reviewed_project, tmp_path):
    """An adjudicator `lead` imported as `Lead` became an ordinary rater: its decisions
    settled nothing and counted in ties and kappas."""
    toml = reviewed_project.root / "labelwright.toml"
    toml.write_text(toml.read_text() + '\n[review]\nadjudicators = ["lead"]\n')
    path = review_csv(tmp_path / "lead.csv", reviewed_project.run_dir.name, [("t1", "billing")])
    with pytest.raises(ReviewError, match=r"'Lead' \(the name the file is imported under\) is "
                                          r"spelt like the adjudicator "
                                          r"'lead' \(\[review\] adjudicators; no decision "
                                          r"yet\) but for case or spacing"):
        import_file(reviewed_project.root, path, reviewer="Lead")
    assert raters(reviewed_project.root) == []


def test_a_reviewer_column_spelt_like_a_rater_names_the_lines(reviewed_project, tmp_path):
    run = reviewed_project.run_dir.name
    import_file(reviewed_project.root, review_csv(tmp_path / "a.csv", run, [("t1", "billing")]),
                reviewer="bob")
    path = review_csv(tmp_path / "b.csv", run, [("t2", "technical"), ("t3", "billing"),
                                                 ("t4", "technical")],
                      reviewers=["carol", "Bob", "Bob"])
    with pytest.raises(ReviewError) as caught:
        import_file(reviewed_project.root, path, reviewer="carol")
    assert ("'Bob' (the reviewer column at line 3, line 4) is spelt like the ledger's rater "
            "'bob' but for case or spacing: if it is that person, write 'bob' there"
            ) in str(caught.value)
    assert raters(reviewed_project.root) == ["bob"]  # carol's row is not imported either


def test_one_new_rater_spelt_two_ways_in_one_file_is_refused(reviewed_project, tmp_path):
    path = review_csv(tmp_path / "b.csv", reviewed_project.run_dir.name,
                      [("t2", "technical"), ("t3", "billing")], reviewers=["Dana", "dana"])
    with pytest.raises(ReviewError, match="2 rater names differ from another") as caught:
        import_file(reviewed_project.root, path, reviewer="carol")
    assert "'Dana' (the reviewer column at line 2) is spelt like 'dana', also in this file" \
        in str(caught.value)


def add(root, rater, sha):
    ledger.append(ledger.ledger_path(root), [
        ledger.Decision("t1", "billing", rater, "", "", "now", "f.csv", sha, "row 1", "r",
                        "csv")], sha256=sha, reviewer=rater, source_file="f.csv", fmt="csv",
        imported_at="now")


def test_runs_and_stats_warn_of_adjudicators_and_raters_spelt_alike(reviewed_project):
    """A misspelt adjudicator was named as one that made no decision, with the raters
    listed, but nothing said that `lead` was `Lead` under another spelling; a rater
    imported as `Lead` beside the adjudicator `lead` went unremarked."""
    root = reviewed_project.root
    add(root, "lead", "s1")
    warned = review_warnings(reviewed_labels(root, ["t1"], ["billing", "technical"],
                                             adjudicators=["Lead "]))
    assert ("[review] adjudicators names 'Lead ', who made no decision in the ledger; the "
            "ledger's rater(s) 'lead' are spelt the same but for case or spacing") in warned[0]
    assert "write 'lead' in [review] adjudicators" in warned[0]
    assert not any("made no decision in the ledger; its raters" in w for w in warned)
    add(root, "LEAD", "s2")  # a ledger from before imports refused it
    warned = review_warnings(reviewed_labels(root, ["t1"], ["billing", "technical"],
                                             adjudicators=["lead"]))
    assert ("the ledger's rater(s) 'LEAD' are spelt like the adjudicator 'lead' ([review] "
            "adjudicators) but for case or spacing") in warned[0]
