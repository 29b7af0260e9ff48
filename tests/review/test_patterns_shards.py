"""``review export --per-pattern N`` and ``--shard K/N``, and the export's summary of the
biggest vote patterns (:mod:`labelwright.review.queue.patterns`,
:mod:`labelwright.review.queue.shards`)."""

from __future__ import annotations

import json

import pytest

from labelwright.review.queue.budget import cut_to_budget
from labelwright.review.queue.label_mix import spread_labels
from labelwright.review.queue.patterns import (
    biggest_patterns,
    check_per_pattern,
    patterns_said,
    per_pattern,
)
from labelwright.review.queue.shards import (
    Shard,
    budget_shares,
    cut_shards,
    parse_shard,
    shard_said,
    shard_sizes,
    spread_shards,
    take_shard,
)


def _queue():
    """A queue whose head is one vote pattern, as a canned comment fills it."""
    votes = [{"short": "ham"}] * 6 + [{"url": "spam", "short": "ham"}] * 2 + [{}] * 2
    return [{"id": f"c{k}", "rank": k, "votes": v} for k, v in enumerate(votes, start=1)]


def test_per_pattern_keeps_the_first_n_of_each_pattern_in_queue_order():
    kept, held = per_pattern(_queue(), 2)
    assert [r["rank"] for r in kept] == [1, 2, 7, 8, 9, 10]
    assert held == 4
    assert per_pattern(_queue(), None) == (_queue(), 0)


def test_per_pattern_reads_a_recorded_pattern_before_the_votes():
    records = [{"vote_pattern": "p", "votes": {"a": "x"}}, {"vote_pattern": "p", "votes": {}}]
    assert per_pattern(records, 1)[1] == 1


@pytest.mark.parametrize("per", [0, -1, True, 1.5])
def test_a_cap_below_one_is_refused(per):
    with pytest.raises(ValueError, match=r"--per-pattern .* 1 or more"):
        check_per_pattern(per, sample=False)


def test_a_cap_on_the_random_sample_is_refused():
    with pytest.raises(ValueError, match="random sample"):
        check_per_pattern(3, sample=True)


def test_the_biggest_patterns_are_said_biggest_first():
    found = biggest_patterns(_queue())
    assert found == [("short=ham", 6), ("url=spam, short=ham", 2), ("(no votes)", 2)]
    assert patterns_said(found) == ("6 items carry only short=ham; 2 carry url=spam, "
                                    "short=ham; 2 carry no vote")
    # a pattern of one item in a big export is no flood
    many = [{"votes": {f"lf{k}": "x"}} for k in range(30)]
    assert biggest_patterns(many) == []


@pytest.mark.parametrize("text", ["0/3", "4/3", "1/0", "x", "1-3", "", "2/3/4"])
def test_a_bad_shard_names_the_valid_forms(text):
    with pytest.raises(ValueError, match=r"expected K/N, shard K of N reviewers with 1 <= K"):
        parse_shard(text)


def _ranked(ranks):
    return [{"id": f"i{rank}", "rank": rank} for rank in ranks]


def test_shards_are_disjoint_and_cover_the_selection_exactly():
    items = _ranked(range(1, 12))
    shards = [take_shard(items, parse_shard(f"{k}/3")) for k in (1, 2, 3)]
    assert sorted((r["rank"] for r in sum(shards, [])), key=int) == list(range(1, 12))
    assert [len(s) for s in shards] == [4, 4, 3]
    assert [r["rank"] for r in shards[0][:2]] == [1, 4]  # each its share of the head
    assert parse_shard(" 2 / 3 ") == Shard(2, 3) and take_shard(items, None) == items


def test_a_shard_is_cut_by_rank_not_by_position_in_what_each_export_selected():
    """Three reviewers each leaving out what they decided select different items; cut by
    position, the same item fell in two shards and others in none."""
    queue = _ranked(range(1, 31))
    decided = {"alice": {1, 2, 3}, "bob": {4, 5, 8}, "chen": set()}
    shards = {}
    for k, rater in enumerate(decided, start=1):
        selection = [r for r in queue if r["rank"] not in decided[rater]]
        shards[rater] = {r["id"] for r in take_shard(selection, Shard(k, 3))}
    assert not shards["alice"] & shards["bob"] and not shards["bob"] & shards["chen"]
    assert not shards["alice"] & shards["chen"]
    # what nobody got is exactly what a shard's own reviewer had decided
    missing = {r["id"] for r in queue} - set().union(*shards.values())
    assert missing == {"i1", "i5", "i8"}


def test_the_shard_line_says_only_what_is_guaranteed():
    alone = shard_said(Shard(1, 1), 10, own_skips=False)
    assert "whole selection" in alone and "other shard" not in alone
    same = shard_said(Shard(2, 3), 10, own_skips=False)
    assert same.startswith("shard 2/3 of the 10 items selected (ranks 2, 5, 8, ... of the "
                           "run's queue)")
    assert "of the run's random sample" in shard_said(Shard(2, 3), 10, own_skips=False,
                                                       sample=True)
    assert "the 2 other shards hold the rest of the selection" in same
    assert "the other shard holds the rest" in shard_said(Shard(1, 2), 10, own_skips=False)
    own = shard_said(Shard(2, 3), 10, own_skips=True)
    assert "hold the rest" not in own and "no other shard takes those items" in own


def test_each_shard_s_share_of_the_selection_is_counted_and_said():
    """A budget is cut before the split: the shards share it, and the line says how."""
    selection = _ranked([1, 2, 3, 4, 5, 6, 7, 9, 12])
    assert shard_sizes(selection, 3) == (3, 2, 4)
    assert sum(shard_sizes(selection, 3)) == len(selection)
    said = shard_said(Shard(2, 3), 9, own_skips=False, sizes=(3, 2, 4))
    assert said.startswith("shard 2/3 of the 9 items selected (ranks 2, 5, 8, ... of the "
                           "run's queue; the 3 shards get 3, 2 and 4 items, shard 1 first): ")
    assert "the 2 shards get 1,200 and 1,199 items" in shard_said(
        Shard(1, 2), 2399, own_skips=False, sizes=(1200, 1199))


def _spam_project(make_project):
    """A project whose queue is mostly one pattern: many short comments only one LF votes on."""
    rows = ([{"id": f"s{i}", "text": f"nice {i}", "gold": "billing"} for i in range(12)]
            + [{"id": f"r{i}", "text": f"refund my crash {i}", "gold": "billing"}
               for i in range(4)]
            + [{"id": f"c{i}", "text": f"app crash {i}", "gold": "technical"} for i in range(4)])
    lfs = {"tickets": """
        from labelwright import ABSTAIN, labeling_function

        @labeling_function()
        def refund(item):
            return "billing" if "refund" in item.text else ABSTAIN

        @labeling_function()
        def crash(item):
            return "technical" if "crash" in item.text else ABSTAIN

        @labeling_function()
        def nice(item):
            return "billing" if "nice" in item.text else ABSTAIN
    """}
    root = make_project(rows=rows, gold=None, lfs=lfs, model="snorkel")
    config = root / "labelwright.toml"
    config.write_text(config.read_text().replace("threshold = 0.7", "threshold = 0.99"))
    return root


def _ids(path):
    return [json.loads(line)["id"] for line in path.read_text().splitlines()]


def test_review_export_per_pattern_and_shard(make_project, tmp_path, cli):
    root = _spam_project(make_project)
    code, output = cli("run", "--project", str(root))
    assert code == 0, output
    code, output = cli("review", "export", "--project", str(root), "-f", "jsonl",
                       "-o", str(tmp_path / "all.jsonl"))
    assert code == 0, output
    every = [json.loads(line) for line in (tmp_path / "all.jsonl").read_text().splitlines()]
    nice = sum(r["vote_pattern"] == "nice=billing" for r in every)
    assert nice >= 10
    assert f"biggest vote patterns: {nice} items carry only nice=billing" in output
    assert all(r["why"] for r in every)
    code, output = cli("explain", every[0]["id"], "--project", str(root))
    assert code == 0, output
    assert f"review queue: rank 1 of {len(every)}" in output
    assert f"why here: {every[0]['why']}" in output

    code, output = cli("review", "export", "--project", str(root), "-f", "jsonl",
                       "-o", str(tmp_path / "capped.jsonl"), "--per-pattern", "3")
    assert code == 0, output
    capped = [json.loads(line) for line in (tmp_path / "capped.jsonl").read_text().splitlines()]
    assert sum(r["vote_pattern"] == "nice=billing" for r in capped) == 3
    assert [r["id"] for r in capped] == [r["id"] for r in every if r["id"] in
                                         {c["id"] for c in capped}]  # queue order
    assert f"held back {len(every) - len(capped)} items beyond --per-pattern" in output

    shards = []
    for k in (1, 2, 3):
        out = tmp_path / f"shard{k}.jsonl"
        code, output = cli("review", "export", "--project", str(root), "-f", "jsonl",
                           "-o", str(out), "--budget", "10", "--shard", f"{k}/3")
        assert code == 0, output
        assert f"shard {k}/3 of the 10 items selected" in output
        # the budget is the team's total: 10 split 4 + 3 + 3, said by every shard's export
        assert "the 3 shards get 4, 3 and 3 items, shard 1 first" in " ".join(output.split())
        shards.append(_ids(out))
    assert [len(ids) for ids in shards] == [4, 3, 3]
    assert sorted(sum(shards, [])) == sorted(r["id"] for r in every[:10])
    code, output = cli("review", "export", "--project", str(root), "-f", "jsonl", "-o",
                       str(tmp_path / "none.jsonl"), "--budget", "2", "--shard", "3/3")
    assert code == 0, output
    assert "nothing exported: shard 3/3 of the 2 items selected holds none" in output
    code, output = cli("review", "export", "--project", str(root), "-f", "jsonl", "-o",
                       str(tmp_path / "one.jsonl"), "--budget", "4", "--shard", "1/1")
    assert code == 0 and "shard 1/1 is the whole selection" in output, output
    assert "other shard" not in output and len(_ids(tmp_path / "one.jsonl")) == 4
    code, output = cli("review", "export", "--project", str(root), "--shard", "3/2")
    assert code == 2 and "expected K/N" in output
    # one item of each pattern leaves ranks 1, 13 and 16: the head of 2 (ranks 1 and 13)
    # lies wholly in shard 1 of 2, yet each shard gets its share of the budget, spread or not
    for spread in ((), ("--spread",)):
        got = []
        for k in (1, 2):
            out = tmp_path / f"share{len(spread)}-{k}.jsonl"
            code, output = cli("review", "export", "--project", str(root), "-f", "jsonl",
                               "-o", str(out), "--per-pattern", "1", "--budget", "2",
                               "--shard", f"{k}/2", *spread)
            assert code == 0, output
            assert "the 2 shards get 1 and 1 items, shard 1 first" in output
            got.append([json.loads(line)["rank"] for line in out.read_text().splitlines()])
        assert got == [[1], [16]], spread


def test_spread_with_shards_spreads_each_shard_and_splits_the_budget_evenly(make_project,
                                                                             tmp_path, cli):
    """Spread first and then cut by rank, a shard got what the turns' ranks gave it: here
    billing's first item (rank 1) and technical's (rank 13) both fell in shard 1 of 2, so
    `--spread --budget 2 --shard 2/2` exported nothing. Each shard is now spread on its
    own (shard K starting its turns at the K-th label) and the budget split over them."""
    root = _spam_project(make_project)
    code, output = cli("run", "--project", str(root))
    assert code == 0, output
    got = {}
    for budget in ("2", "6"):
        for k in (1, 2):
            out = tmp_path / f"spread{budget}-{k}.jsonl"
            code, output = cli("review", "export", "--project", str(root), "-f", "jsonl",
                               "-o", str(out), "--spread", "--budget", budget,
                               "--shard", f"{k}/2")
            assert code == 0, output
            half = int(budget) // 2
            assert f"the 2 shards get {half} and {half} items" in output
            got[budget, k] = [json.loads(line) for line in out.read_text().splitlines()]
            assert all(int(r["rank"]) % 2 == k % 2 for r in got[budget, k])  # by rank
    assert [r["suggested_label"] for r in got["2", 1] + got["2", 2]] == ["billing",
                                                                         "technical"]
    assert [r["suggested_label"] for r in got["6", 1]] == ["billing", "technical", "billing"]
    assert [r["suggested_label"] for r in got["6", 2]] == ["technical", "billing",
                                                           "technical"]
    # the Python API means the same
    from labelwright.review import export_run

    run_dir = root / "runs" / (root / "runs" / "LATEST").read_text().strip()
    export_run(run_dir, "jsonl", tmp_path / "api.jsonl", budget=2, spread=True, shard="2/2")
    assert _ids(tmp_path / "api.jsonl") == [r["id"] for r in got["2", 2]]


@pytest.mark.parametrize(("total", "sizes", "shares"), [
    (6, [5, 5, 5], [2, 2, 2]),
    (7, [5, 5, 5], [3, 2, 2]),
    (6, [1, 5, 5], [1, 3, 2]),  # what shard 1 cannot fill goes to the others
    (20, [1, 2, 3], [1, 2, 3]),
    (0, [4, 4], [0, 0]),
])
def test_a_spread_budget_is_split_evenly_over_the_shards(total, sizes, shares):
    assert budget_shares(total, sizes) == shares


def test_spread_shards_keep_membership_by_rank_and_begin_at_their_own_label():
    queue = [{"id": f"c{rank}", "rank": rank, "suggested_label": label,
              "reasons": ["low_confidence"]}
             for rank, label in enumerate(["praise"] * 6 + ["billing"] * 3 + ["refund"] * 3,
                                          start=1)]
    selected = spread_shards(queue, 3, 6)
    shards = [take_shard(selected, Shard(k, 3)) for k in (1, 2, 3)]
    # spread over the whole queue first, ranks 1, 7, 10, 2, 8, 11 were cut: shard 3 got none
    assert [[r["rank"] for r in s] for s in shards] == [[1, 7], [8, 11], [12, 3]]
    assert shard_sizes(selected, 3) == (2, 2, 2)
    assert spread_shards(queue, 1, 4) == cut_to_budget(spread_labels(queue), 4)


def test_a_budget_is_the_shards_total_and_each_gets_its_share_spread_or_not():
    """Cut at the selection's head before the split (without --spread), a selection left
    with the odd ranks once the even ones were reviewed gave shard 1 of 2 the whole budget
    and shard 2 none of its items; with --spread each shard got its share. Both now
    split the budget over the shards alike, no item lost or in two shards."""
    selection = [{"id": f"i{rank}", "rank": rank, "suggested_label": "a",
                  "reasons": ["low_confidence"]} for rank in (1, 3, 5, 7, 9, 10)]
    for spread in (False, True):
        selected = cut_shards(selection, 2, 4, spread=spread)
        shards = [take_shard(selected, Shard(k, 2)) for k in (1, 2)]
        assert [[r["rank"] for r in s] for s in shards] == [[1, 3, 5], [10]], spread
        assert shard_sizes(selected, 2) == (3, 1)
    # on a selection of consecutive ranks the shares are the head's, as before
    queue = _ranked(range(1, 21))
    assert cut_shards(queue, 3, 10) == sorted(queue[:10], key=lambda r: (r["rank"] - 1) % 3)
    assert cut_shards(queue, 3, None) == sorted(queue, key=lambda r: (r["rank"] - 1) % 3)
    assert cut_shards(queue, 1, 0.25) == queue[:5]
