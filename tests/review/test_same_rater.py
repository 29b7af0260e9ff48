"""``[review] same_rater``: rater names that are one person count as one rater wherever
reviews are read (agreement, settlement, adjudicators, runs, ``explain``, ``runs diff``),
while the ledger keeps each name as it was imported."""

from __future__ import annotations

import json

import pytest
from test_import import decisions, filled_csv
from test_stats import add, stats_text

from labelwright.config import load_config
from labelwright.errors import ConfigError
from labelwright.project import run_project
from labelwright.review.feedback.gold import review_warnings, reviewed_labels
from labelwright.review.imports.file import import_file
from labelwright.review.stats.summary import review_stats

ITEMS = ["t1", "t2", "t3", "t4"]


def set_review(root, lines):
    toml = root / "labelwright.toml"
    toml.write_text(toml.read_text() + "\n[review]\n" + lines + "\n", encoding="utf-8")


@pytest.fixture
def split_bob(reviewed_project):
    """alice labelled t1-t4; bob labelled t1 and t2 under one name and t3 and t4 under
    another (a tool that names him by his id), agreeing with alice on all but t4."""
    root, run_id = reviewed_project.root, reviewed_project.run_id
    add(root, run_id, "alice", {"t1": "billing", "t2": "technical", "t3": "billing",
                                "t4": "technical"}, sha="a")
    add(root, run_id, "bob", {"t1": "billing", "t2": "technical"}, sha="b")
    add(root, run_id, "label-studio:2", {"t3": "billing", "t4": "billing"}, sha="c")
    return reviewed_project


def test_names_in_same_rater_count_as_one_rater_in_review_stats(split_bob):
    root, run_id = split_bob.root, split_bob.run_id
    apart = review_stats(root, run_id)
    assert apart.raters == ["alice", "bob", "label-studio:2"]
    set_review(root, 'same_rater = { "label-studio:2" = "bob" }')
    one = review_stats(root, run_id)
    assert one.raters == ["alice", "bob"]
    assert one.pairs.to_dict("records")[0]["items"] == 4  # alice and bob met on 4 items
    assert one.reviewed.disagreements == ["t4"] and one.reviewed.ties == ["t4"]
    # the ledger keeps the names as imported
    assert {d.rater for d in decisions(root)} == {"alice", "bob", "label-studio:2"}
    text = stats_text(root, run_id)
    assert "label-studio:2" not in text and "│ alice │ bob │ 4 │" in text


def test_an_adjudicator_named_under_either_name_settles(split_bob):
    """A tie settled by an adjudicator whose decision the ledger holds under another name."""
    root, run_id = split_bob.root, split_bob.run_id
    add(root, run_id, "label-studio:9", {"t4": "technical"}, sha="lead")
    set_review(root, 'adjudicators = ["lead"]\nsame_rater = { "label-studio:9" = "lead", '
                     '"label-studio:2" = "bob" }')
    stats = review_stats(root, run_id)
    assert stats.adjudicators == ["lead"] and stats.reviewed.adjudicated == ["t4"]
    run_dir = run_project(root, report=False).run_dir
    manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["reviews"]["same_rater"] == {"label-studio:2": "bob",
                                                 "label-studio:9": "lead"}
    assert manifest["reviews"]["adjudicators"] == ["lead"]
    assert manifest["reviews"]["disagreements_adjudicated"] == 1
    reviews = json.loads((run_dir / "reviews.json").read_text(encoding="utf-8"))["reviews"]
    assert {r["reviewer"] for r in reviews} == {"alice", "bob", "lead"}


def test_explain_and_runs_diff_read_the_names_as_the_run_did(split_bob, cli):
    root = split_bob.root
    before = run_project(root, report=False)
    set_review(root, 'same_rater = { "label-studio:2" = "bob" }')
    after = run_project(root, report=False)
    code, out = cli("runs", "diff", before.run_id, after.run_id, "-p", str(root))
    assert code == 0, out
    assert ("names read as one rater: added label-studio:2 = bob ([review] same_rater, and "
            "the Label Studio user ids imports paired with an email)") in out
    code, out = cli("explain", "t4", "-p", str(root), "--run", after.run_id)
    assert code == 0, out
    assert "Review: billing by label-studio:2 (counted as bob) (imported by importer)" in out
    assert "a 1-1 tie of the raters (alice: technical; bob: billing)" in out
    code, out = cli("explain", "t4", "-p", str(root), "--run", before.run_id)
    assert code == 0 and "counted as" not in out, out
    code, out = cli("runs", "show", after.run_id, "-p", str(root))
    assert "same rater: label-studio:2 = bob" in out


def test_a_name_tied_in_same_rater_is_no_lookalike(reviewed_project, tmp_path):
    """'Bob' is refused as spelt like the ledger's 'bob' but for case; once the project says
    'Bob' is bob, it is taken, and counts as bob."""
    root, run_id = reviewed_project.root, reviewed_project.run_id
    add(root, run_id, "bob", {"t1": "billing"}, sha="b")
    path = filled_csv(tmp_path / "r.csv", [("t2", run_id, "technical")])
    with pytest.raises(Exception, match="differs from another only in case or spacing"):
        import_file(root, path, reviewer="Bob")
    set_review(root, 'same_rater = { "Bob" = "bob" }')
    assert import_file(root, path, reviewer="Bob").added == 1
    config = load_config(root)
    result = reviewed_labels(root, ["t1", "t2"], config.labels)
    assert result.reviewers == [["bob"], ["bob"]]


def test_a_name_no_decision_has_is_warned_of(split_bob):
    root = split_bob.root
    set_review(root, 'same_rater = { "label-studio:3" = "bob" }')
    result = reviewed_labels(root, ITEMS, load_config(root).labels)
    assert result.same_rater == {}
    assert any("[review] same_rater names 'label-studio:3', but no decision in the ledger is "
               "by that name" in w for w in review_warnings(result))


@pytest.mark.parametrize(("value", "message"), [
    ('["bob"]', r"\[review\] same_rater must be a table of rater names, each with the name it "
                r"counts as"),
    ('{ "label-studio:2" = 2 }', r"\[review\] same_rater: 'label-studio:2' = 2; each rater "
                                 r"name .* takes the name of the rater it is, a string"),
    ('{ "a" = "b", "b" = "c" }', r"\[review\] same_rater: 'a' = 'b', and 'b' = 'c': write "
                                 r"'a' = 'c'"),
])
def test_same_rater_must_name_each_rater_once(reviewed_project, value, message):
    set_review(reviewed_project.root, f"same_rater = {value}")
    with pytest.raises(ConfigError, match=message):
        load_config(reviewed_project.root)


def test_a_misspelt_same_rater_is_named(reviewed_project):
    set_review(reviewed_project.root, 'same_raters = { "a" = "b" }')
    with pytest.raises(ConfigError, match=r"unknown key 'same_raters' in \[review\]; did you "
                                          r"mean 'same_rater'\?"):
        load_config(reviewed_project.root)


def test_a_name_may_count_as_itself(reviewed_project):
    set_review(reviewed_project.root, 'same_rater = { "label-studio:2" = "label-studio:2", '
                                      '"x" = "y" }')
    assert load_config(reviewed_project.root).review.same_rater == (
        ("label-studio:2", "label-studio:2"), ("x", "y"))


def test_names_read_as_one_rater_that_disagree_are_named(reviewed_project):
    """bob labelled t4 technical, and again as label-studio:2, billing: read as one rater,
    the later replaced the earlier without a word (alice, bob and carol 3-1 over dave
    became a 2-2 tie), where a file changing bob's label would have needed --relabel."""
    root, run_id = reviewed_project.root, reviewed_project.run_id
    add(root, run_id, "alice", {"t4": "technical", "t3": "billing"}, sha="a")
    add(root, run_id, "carol", {"t4": "technical"}, sha="c")
    add(root, run_id, "bob", {"t4": "technical", "t3": "billing"}, sha="b")
    add(root, run_id, "dave", {"t4": "billing"}, sha="d")
    add(root, run_id, "label-studio:2", {"t4": "billing", "t3": "billing"}, sha="ls")
    labels = load_config(root).labels
    assert not any("gave different labels" in w
                   for w in review_warnings(reviewed_labels(root, ITEMS, labels)))
    set_review(root, 'same_rater = { "label-studio:2" = "bob" }')
    result = reviewed_labels(root, ITEMS, labels)
    assert result.same_rater_split == [("t4", "bob", "billing", {"bob": "technical",
                                                                 "label-studio:2": "billing"})]
    (said,) = [w for w in review_warnings(result) if "gave different labels" in w]
    assert said.startswith("1 item where names read as one rater ([review] same_rater, or a "
                           "Label Studio id an export paired with an email) gave different "
                           "labels: 't4': bob gave technical as 'bob' and billing as "
                           "'label-studio:2' (billing counts, the later)")
    assert "--relabel" in said
    assert "gave different labels" in " ".join(stats_text(root, run_id).split())


def test_a_same_rater_name_reached_through_a_paired_id_ties_someone(reviewed_project,
                                                                   tmp_path):
    """ana's decisions are filed under label-studio:2; an expanded export of the same
    annotations later paired the id with her email (adding nothing: the ledger held them).
    "label-studio:ana@example.com" = "ana" ties her decisions, though none is filed under the
    email: it was warned of as tying no one."""
    from test_import import decisions, ls_export

    root, run_id = reviewed_project.root, reviewed_project.run_id
    by_id = tmp_path / "by_id.json"
    by_id.write_text(json.dumps(ls_export(run_id, {"t5": [(2, "technical")]})),
                     encoding="utf-8")
    import_file(root, by_id, reviewer="lead")
    expanded = tmp_path / "expanded.json"
    expanded.write_text(json.dumps(ls_export(run_id, {"t5": [({"id": 2, "email":
                                                               "ana@example.com"},
                                                              "technical")]})),
                        encoding="utf-8")
    assert import_file(root, expanded, reviewer="lead").added == 0
    assert {d.rater for d in decisions(root)} == {"label-studio:2"}
    set_review(root, 'same_rater = { "label-studio:ana@example.com" = "ana", "x" = "y" }')
    result = reviewed_labels(root, ["t5"], load_config(root).labels)
    assert result.reviewers == [["ana"]]
    assert result.same_rater_unused == ["x"]
    said = [w for w in review_warnings(result) if "ties no one" in w]
    assert len(said) == 1 and "'x'" in said[0] and "ana@" not in said[0]


def test_the_way_out_the_split_warning_gives_ends_it(reviewed_project):
    """bob's names disagree on t4. Deciding it again under one name (the warning said so,
    with --relabel) left the two names' labels apart, so the warning stayed for good;
    retiring his decisions on the item and importing the label he meant ends it."""
    from labelwright.review.decisions.retire import retire_decisions

    root, run_id = reviewed_project.root, reviewed_project.run_id
    add(root, run_id, "bob", {"t4": "technical"}, sha="b")
    add(root, run_id, "label-studio:2", {"t4": "billing"}, sha="ls")
    set_review(root, 'same_rater = { "label-studio:2" = "bob" }')
    labels = load_config(root).labels
    (said,) = [w for w in review_warnings(reviewed_labels(root, ITEMS, labels))
               if "gave different labels" in w]
    assert "labelwright review retire --item ID --rater NAME" in said
    add(root, run_id, "bob", {"t4": "technical"}, sha="b2")  # decided again, under one name
    assert reviewed_labels(root, ITEMS, labels).same_rater_split != []
    retire_decisions(root, reviewer="lead", reason="bob meant technical", items=["t4"],
                     rater="bob")
    assert reviewed_labels(root, ITEMS, labels).gold[ITEMS.index("t4")] == -1
    add(root, run_id, "bob", {"t4": "technical"}, sha="b3")
    result = reviewed_labels(root, ITEMS, labels)
    assert result.same_rater_split == []
    assert result.reviewers[ITEMS.index("t4")] == ["bob"]
    assert labels[result.gold[ITEMS.index("t4")]] == "technical"


def test_a_correction_imported_with_relabel_is_no_split(reviewed_project, tmp_path):
    """bob's tool decision (label-studio:bob@team.org, tied to bob) said billing on t4; his
    correction, imported under bob with --relabel, says technical. The warning said that
    no import changed the label with --relabel, on every run, though one had."""
    root, run_id = reviewed_project.root, reviewed_project.run_id
    set_review(root, 'same_rater = { "label-studio:bob@team.org" = "bob" }')
    add(root, run_id, "label-studio:bob@team.org", {"t4": "billing", "t3": "billing"},
        sha="ls")
    fix = filled_csv(tmp_path / "bob_fix.csv", [("t4", run_id, "technical")])
    import_file(root, fix, reviewer="bob", relabel=True)
    labels = load_config(root).labels
    result = reviewed_labels(root, ITEMS, labels)
    assert result.same_rater_split == []
    assert labels[result.gold[ITEMS.index("t4")]] == "technical"
    assert not any("gave different labels" in w for w in review_warnings(result))
    assert "gave different labels" not in " ".join(stats_text(root, run_id).split())
    # names tied after both decisions were filed: no import saw the change, still said
    add(root, run_id, "label-studio:bob@team.org", {"t3": "technical"}, sha="ls2")
    add(root, run_id, "bob", {"t3": "billing"}, sha="b2")
    assert [s[:2] for s in reviewed_labels(root, ITEMS, labels).same_rater_split] == [
        ("t3", "bob")]


def test_the_tool_name_of_a_tied_rater_retires_that_names_decisions_alone(reviewed_project,
                                                                          cli):
    """The split warning's way out: retire the decision of the name that was wrong; the
    tool name was refused as counting as bob."""
    root, run_id = reviewed_project.root, reviewed_project.run_id
    add(root, run_id, "bob", {"t4": "technical"}, sha="b")
    add(root, run_id, "label-studio:bob@team.org", {"t4": "billing"}, sha="ls")
    set_review(root, 'same_rater = { "label-studio:bob@team.org" = "bob" }')
    labels = load_config(root).labels
    assert reviewed_labels(root, ITEMS, labels).same_rater_split != []
    code, out = cli("review", "retire", "--item", "t4", "--rater", "label-studio:bob@team.org",
                    "--reviewer", "lead", "--reason", "bob meant technical", "-p", str(root))
    assert code == 0 and "Retired 1 decision" in out, out
    result = reviewed_labels(root, ITEMS, labels)
    assert result.same_rater_split == []
    assert labels[result.gold[ITEMS.index("t4")]] == "technical"
    assert result.reviewers[ITEMS.index("t4")] == ["bob"]
