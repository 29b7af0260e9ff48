"""``review stats`` with adjudicators: agreement is the raters', settlements are counted apart.

Once a lead settled the items two raters disagreed on, the lead's decision moved those
items out of the group Fleiss' kappa uses (0.500 over 8 items became 1.000 over 6), was
counted as a rating in alpha and the consensus, and the disagreements were forgotten
("0 disagreements"): a team lead would have reported perfect agreement."""

from __future__ import annotations

import math

import pytest
import typer
from typer.testing import CliRunner

from labelwright.cli.review import review_app
from labelwright.review.decisions import ledger
from labelwright.review.stats.summary import review_stats

ITEMS = ["t1", "t2", "t3", "t4", "t5", "t6"]
ALICE = dict(zip(ITEMS, ["billing", "technical", "billing", "technical", "billing",
                         "technical"]))
BOB = {**ALICE, "t1": "technical", "t2": "billing"}  # a 1-1 split on t1 and t2
DISPUTED = ["t1", "t2"]


def add(root, run_id, rater, labels, *, sha):
    decisions = [ledger.Decision(item, label, "importer", rater, "", "now", "f", sha,
                                 f"row {k}", run_id, "csv")
                 for k, (item, label) in enumerate(labels.items())]
    ledger.append(ledger.ledger_path(root), decisions, sha256=sha, reviewer="importer",
                  source_file="f", fmt="csv", imported_at="now")


def name_adjudicators(root, *names):
    toml = root / "labelwright.toml"
    toml.write_text(toml.read_text() + f"\n[review]\nadjudicators = {list(names)!r}\n"
                    .replace("'", '"'))


def figures(stats):
    """What ``review stats`` says of the agreement between raters."""
    return (stats.fleiss, stats.fleiss_items, stats.alpha,
            stats.consensus.to_dict("records"), len(stats.reviewed.disagreements),
            len(stats.reviewed.ties))


def same(a, b):
    """Equal figures, NaN equal to NaN (a rater with no clear majority to agree with)."""
    def norm(v):
        if isinstance(v, float) and math.isnan(v):
            return "nan"
        if isinstance(v, list):
            return [{k: norm(x) for k, x in row.items()} for row in v]
        return pytest.approx(v) if isinstance(v, float) else v
    return [norm(v) for v in a] == [norm(v) for v in b]


def stats_text(root, run_id):
    app = typer.Typer()
    app.add_typer(review_app, name="review")
    result = CliRunner().invoke(app, ["review", "stats", run_id, "--project", str(root)],
                                env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return " ".join(result.output.split())


@pytest.fixture
def rated(reviewed_project):
    """alice and bob rated every item and split on two; ``lead`` is an adjudicator."""
    root, run_id = reviewed_project.root, reviewed_project.run_id
    name_adjudicators(root, "lead")
    add(root, run_id, "alice", ALICE, sha="a")
    add(root, run_id, "bob", BOB, sha="b")
    return reviewed_project


def test_settling_disagreements_leaves_the_raters_agreement_as_it_was(rated):
    root, run_id = rated.root, rated.run_id
    before = review_stats(root, run_id)
    assert before.fleiss_items == len(ITEMS) and 0 < before.fleiss < 1
    add(root, run_id, "lead", {item: ALICE[item] for item in DISPUTED}, sha="lead")
    after = review_stats(root, run_id)
    assert after.reviewed.n_gold == before.reviewed.n_gold + len(DISPUTED)  # settled
    assert same(figures(after), figures(before))
    assert after.reviewed.disagreements == DISPUTED == after.reviewed.ties
    assert after.reviewed.adjudicated == DISPUTED and before.reviewed.adjudicated == []
    assert after.adjudicators == ["lead"] and after.independent == ["alice", "bob"]
    assert "lead" not in set(after.consensus["rater"])
    # the pairs keep the adjudicator: each rater against the lead's settlements, apart
    pairs = after.pairs.set_index(["rater_a", "rater_b"])["items"].to_dict()
    assert pairs == {("alice", "bob"): len(ITEMS), ("alice", "lead"): len(DISPUTED),
                     ("bob", "lead"): len(DISPUTED)}
    assert after.peer_pairs[["rater_a", "rater_b"]].values.tolist() == [["alice", "bob"]]
    assert after.adjudicator_pairs["rater_b"].tolist() == ["lead", "lead"]
    text = stats_text(root, run_id)
    assert (f"{len(DISPUTED)} disagreements ({len(DISPUTED)} ties), {len(DISPUTED)} settled "
            "by adjudicators; gold for") in text
    assert "disagreements: settled by an adjudicator (2): 't1', 't2' (" in text
    peers = text[text.index("Cohen's kappa per pair of raters"):
                 text.index("Raters against the adjudicators' decisions")]
    assert "│ alice │ bob │" in peers and "lead" not in peers
    assert "│ alice │ lead │ 2 │" in text[text.index("Raters against the adjudicators'"):]
    # per label: billing has 6 ratings, 4 of them on t3 and t5, both billing, so 4 of 6
    # agree with the other rating of their item (t1 and t2 are split)
    per_label = text[text.index("Agreement per label"):]
    assert "│ billing │ 6 │ 66.7% │" in per_label and "│ technical │ 6 │ 66.7% │" in per_label
    # 6 items: too few for an interval
    assert (f"Fleiss' kappa: {after.fleiss:.3f} (95% interval —; {len(ITEMS)} items); "
            f"Krippendorff's alpha (nominal): {after.alpha:.3f} (95% interval —; "
            f"{len(ITEMS)} items with 2+ ratings)") in text
    assert ("count the raters who rate independently (alice, bob): the decisions of "
            "adjudicators (lead) settle items, so they are left out") in text
    assert "await adjudication" not in text


def test_an_adjudicator_who_also_rated_undisputed_items_is_left_out_of_all_of_them(rated):
    """The rule: every decision of an adjudicator is a settlement, also on items where the
    raters agreed. Counted as a rating only there, it would raise agreement just as before
    (three matching ratings on the agreed items, two split ones on the disputed)."""
    root, run_id = rated.root, rated.run_id
    before = review_stats(root, run_id)
    add(root, run_id, "lead", ALICE, sha="lead")  # every item, siding with alice
    after = review_stats(root, run_id)
    assert same(figures(after), figures(before))
    assert after.reviewed.adjudicated == DISPUTED
    assert after.pairs.set_index(["rater_a", "rater_b"]).loc[("alice", "lead"), "items"] \
        == len(ITEMS)


def test_without_adjudicators_every_rater_counts_as_before(reviewed_project):
    """No ``[review] adjudicators``: lead is one rater among others, in every figure, and
    the ledger line says nothing of settlements."""
    root, run_id = reviewed_project.root, reviewed_project.run_id
    add(root, run_id, "alice", ALICE, sha="a")
    add(root, run_id, "bob", BOB, sha="b")
    two = review_stats(root, run_id)
    add(root, run_id, "lead", {item: ALICE[item] for item in DISPUTED}, sha="lead")
    three = review_stats(root, run_id)
    assert three.adjudicators == [] and three.independent == ["alice", "bob", "lead"]
    assert set(three.consensus["rater"]) == {"alice", "bob", "lead"}
    # lead's ratings count: the disputed items, rated three times now, leave the group of
    # the most common number of ratings Fleiss' kappa uses, and alpha counts a third rating
    assert three.fleiss_items == len(ITEMS) - len(DISPUTED) and three.alpha != two.alpha
    assert three.reviewed.disagreements == DISPUTED and three.reviewed.ties == []
    text = stats_text(root, run_id)
    assert "settled by adjudicators" not in text and "rate independently" not in text
    assert "Raters against the adjudicators'" not in text
    # the line says which items Fleiss' kappa left out, and why
    assert (f"; {len(ITEMS) - len(DISPUTED)} of the {len(ITEMS)} items with 2+ ratings: those "
            "with 2, the most common number; Fleiss' kappa takes one number of ratings per "
            "item, so the others are left out of it, not of alpha)") in text
    assert "disagreements: settled by the majority (2): 't1', 't2' (" in text


def test_items_not_in_the_run_are_left_out_of_the_agreement_as_the_warning_says(rated):
    """Decisions on items of no run item (an item dropped from the data since) counted in
    Fleiss' kappa, alpha and the pairs, but not in the disagreements shown beside them,
    and the warning said these statistics leave them out."""
    root, run_id = rated.root, rated.run_id
    before = review_stats(root, run_id)
    add(root, run_id, "alice", {"gone1": "billing", "gone2": "technical"}, sha="a2")
    add(root, run_id, "bob", {"gone1": "technical", "gone2": "billing"}, sha="b2")
    after = review_stats(root, run_id)
    assert after.reviewed.unknown_items == ["gone1", "gone2"]
    assert same(figures(after), figures(before))
    assert after.items_multi == before.items_multi == len(ITEMS)
    assert after.pairs.equals(before.pairs)  # (NaN intervals too: too few items)
    assert (f"2 reviewed item(s) are not items of run {run_id}, so these statistics leave "
            "them out: 'gone1', 'gone2'") in stats_text(root, run_id)


def test_review_stats_names_reviewed_ids_the_run_holds_written_as_floats(make_project):
    """The run's warning said so; review stats' own warning for the same items did not.
    (Only whole-number ids are taken for ids written as floats: 't1.0' is not 't1'.)"""
    from labelwright import run_project
    from labelwright.runs import list_runs
    from ticket_data import TICKETS

    root = make_project(rows=[{**row, "id": str(k + 1)} for k, row in enumerate(TICKETS)])
    run_project(root, report=False)
    (run_id,) = list_runs(root / "runs")
    add(root, run_id, "alice", {"1.0": "billing", "t1.0": "billing"}, sha="a3")
    text = stats_text(root, run_id)
    assert (f"2 reviewed item(s) are not items of run {run_id}, so these statistics leave "
            "them out: '1.0', 't1.0'; the data has ids '1' where the reviews name "
            "'1.0'") in text


def test_an_adjudicator_who_overrules_agreeing_raters_is_counted(rated):
    """alice and bob agreed on t3 and t4, and the lead gave both another label: the
    lead's label is the gold, and nothing said that the raters had been overruled."""
    root, run_id = rated.root, rated.run_id
    add(root, run_id, "lead", {"t3": "technical", "t4": "technical", "t1": "billing"},
        sha="lead")
    stats = review_stats(root, run_id)
    r = stats.reviewed
    assert r.overruled == ["t3"] and r.adjudicated == ["t1"]  # t4: the lead agreed
    assert r.manifest()["overruled_by_adjudicators"] == 1
    assert r.gold[ITEMS.index("t3")] == 1  # technical
    assert ("1 settled by adjudicators, 1 where adjudicators overruled agreeing raters "
            "('t3')") in stats_text(root, run_id)


def test_the_labels_raters_split_on_are_named(rated):
    """The per-label table says a label is read differently, not with which other label:
    a lead whose reviewers split promo from spam has to know that to mend the definition."""
    from labelwright.review.stats.label_agreement import label_splits

    root, run_id = rated.root, rated.run_id
    assert review_stats(root, run_id).splits == [("billing", "technical", 2)]
    assert ("the labels raters split on: billing / technical (2 items)"
            in stats_text(root, run_id))
    counts = [[2, 0, 0], [1, 0, 1], [0, 1, 1], [1, 1, 1], [0, 0, 1]]  # the last rated once
    assert label_splits(counts, ["ham", "promo", "spam"]) == [
        ("ham", "spam", 2), ("promo", "spam", 2), ("ham", "promo", 1)]
    assert label_splits([[2, 0], [0, 3]], ["a", "b"]) == []
