"""``review stats RUN`` counted the whole ledger as the run's: decisions imported after the
run, and an adjudicator who came later, in its kappa table. ``--as-read`` counts only the
decisions the run read, as it settled them; without it the header says how many of the
ledger's decisions came after the run."""

from __future__ import annotations

from labelwright.project import run_project
from labelwright.review.stats.summary import review_stats
from ledger_rows import decide

ADJUDICATE = '\n[review]\npolicy = "adjudicate"\nadjudicators = ["lead"]\n'


def _later_reviews(make_project):
    """A run that read ana's and ben's decisions; then lead (an adjudicator) and cy
    decided, imported after it."""
    root = make_project(extra=ADJUDICATE)
    first = run_project(root, report=False)
    for item, label, rater in (("t1", "billing", "ana"), ("t1", "technical", "ben"),
                               ("t3", "billing", "ana"), ("t3", "billing", "ben")):
        decide(root, item, label, rater, first.run_id)
    second = run_project(root, report=False)
    for item, label, rater in (("t1", "technical", "lead"), ("t3", "technical", "cy")):
        decide(root, item, label, rater, second.run_id)
    return root, second


def test_as_read_counts_only_the_decisions_the_run_read(make_project):
    root, run = _later_reviews(make_project)
    now = review_stats(root, run.run_id)
    assert now.raters == ["ana", "ben", "cy", "lead"]
    read = review_stats(root, run.run_id, as_read=True)
    assert read.raters == ["ana", "ben"]
    assert read.reviewed.count == 4 and read.run_read == 4
    assert list(read.pairs[["rater_a", "rater_b"]].itertuples(index=False, name=None)) == [
        ("ana", "ben")]
    assert read.reviewed.adjudicated == []  # lead's settlement came after the run
    assert read.reviewed.n_gold == 1  # t3, agreed; t1 awaits an adjudicator


def test_the_header_says_which_decisions_are_counted(make_project, cli):
    root, run = _later_reviews(make_project)
    code, out = cli("review", "stats", run.run_id, "-p", str(root))
    assert code == 0, out
    assert out.startswith("ledger now: 6 decisions, 2 items reviewed by 4 rater(s)"), out
    assert (f"; 2 of the decisions were imported after run {run.run_id}, which read 4 "
            "(--as-read counts only those)") in out, out
    code, out = cli("review", "stats", run.run_id, "--as-read", "-p", str(root))
    assert code == 0, out
    assert (f"run {run.run_id} read 4 of the ledger's 6 decisions (the 2 imported since "
            "are not counted)") in out, out
    assert ("2 items reviewed by 2 rater(s); 2 items with 2+ raters; 1 disagreement (1 tie), "
            "0 settled by adjudicators") in out, out
    code, out = cli("review", "stats", "-p", str(root))  # no run named: the ledger now
    assert code == 0 and "ledger now: 6 decisions, 2 items reviewed by 4 rater(s)" in out, out


def test_as_read_says_when_the_first_decisions_are_not_the_ones_the_run_read(make_project,
                                                                             cli):
    """--as-read counted the ledger's first 4 decisions with no word that one of them had
    been edited since the run; and said the adjudicator who decided after the run "made
    no decision in the ledger"."""
    import sqlite3

    from labelwright.review.decisions import ledger

    root, run = _later_reviews(make_project)
    code, out = cli("review", "stats", run.run_id, "--as-read", "-p", str(root))
    said = " ".join(out.split())
    assert code == 0 and "not the ones it read" not in said, out
    assert "adjudicators 'lead' made no decision among the decisions the run read" in said
    with sqlite3.connect(ledger.ledger_path(root)) as conn:
        conn.execute("DROP TRIGGER decisions_no_update")
        conn.execute("UPDATE decisions SET label = 'technical' WHERE seq = "
                     "(SELECT MIN(seq) FROM decisions)")
    conn.close()
    code, out = cli("review", "stats", run.run_id, "--as-read", "-p", str(root))
    said = " ".join(out.split())
    assert "the first 4 decisions, which the run read, are not the ones it read" in said, out


def test_review_stats_as_read_reads_the_ledger_once(make_project, monkeypatch):
    """The figures, the ledger's count now and its edit check all come from one read of
    the ledger: each read of a large ledger cost as much as the figures' own."""
    from labelwright.review.decisions import ledger_reading

    root, run = _later_reviews(make_project)
    reads = []
    real = ledger_reading._decision_rows
    monkeypatch.setattr(ledger_reading, "_decision_rows",
                        lambda conn: reads.append(1) or real(conn))
    stats = review_stats(root, run.run_id, as_read=True)
    assert stats.ledger_count == 6 and stats.reviewed.count == 4
    assert len(reads) == 1


def test_a_note_erasure_runs_folder_does_not_record_is_an_edit_to_as_read(make_project):
    """``runs verify`` takes a ledger row of ``note_erasures`` for an erasure only when
    ``runs/ERASURES.jsonl`` records it too (a row written by hand vouches for nothing);
    ``review stats --as-read`` took any such row, so the two disagreed on one ledger."""
    from dataclasses import replace

    import labelwright
    from labelwright.review.decisions import ledger
    from labelwright.review.decisions.note_erasures import erase_notes

    root = make_project()
    first = run_project(root, report=False)
    path = ledger.ledger_path(root)
    decide(root, "t1", "billing", "ana", first.run_id)
    (made,) = ledger.read_decisions(path)
    ledger.append(path, [replace(made, item_id="t2", note="Ann Smith rang", source_sha256="n")],
                  sha256="n", reviewer="ana", source_file="g.csv", fmt="csv",
                  imported_at=made.imported_at)
    second = run_project(root, report=False)  # read both decisions, the note too
    erase_notes(path, ["t2"], erased_at="2026-12-06T10:00:00+00:00", reviewer="x",
                reason="by hand", counts={2})  # in the ledger, not in runs/ERASURES.jsonl
    (check,) = labelwright.verify_runs(root, second.run_id)
    assert not check.ok and any(str(path) == f.file for f in check.problems)
    stats = review_stats(root, second.run_id, as_read=True)
    assert stats.ledger_changed and "not necessarily those" in stats.ledger_changed[0]
    from labelwright.runs.explain import explain_item

    assert any("not necessarily those" in w
               for w in explain_item(root, "t1", second.run_id).warnings)
