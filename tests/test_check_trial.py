"""check's trial of the LFs on the first items: what it says of an LF that raises."""

from __future__ import annotations

from labelwright import check_project
from ticket_data import TICKETS


def _raising_past_t1(name: str, error: str) -> str:
    """An LF module: ``name`` raises ``error`` on every item but t1."""
    return f'''
from labelwright import ABSTAIN, labeling_function


@labeling_function()
def {name}(item):
    if item.id != "t1":
        raise {error}
    return ABSTAIN
'''


MOSTLY_BROKEN = _raising_past_t1(
    "mostly_broken",
    'ValueError("[E999] the first line of a long error.\\n\\nhttps://example.invalid/x")') + '''

@labeling_function()
def fine(item):
    return "billing" if "refund" in item.text else ABSTAIN
'''


def _said(report, name):
    return [w for w in report.warnings if w.startswith(f"LF {name} (")]


def test_a_failure_is_told_by_its_type_and_first_line(make_project):
    """The last line of the traceback was all check showed: a link, for spaCy's errors."""
    report = check_project(make_project(lfs={"t": MOSTLY_BROKEN}))
    [said] = _said(report, "mostly_broken")
    assert "ValueError: [E999] the first line of a long error." in said, said
    assert "example.invalid" not in said


def test_an_lf_failing_on_most_items_tried_is_called_broken(make_project, cli):
    """An LF failing on almost every item was one warning among many, and check said ok."""
    root = make_project(lfs={"t": MOSTLY_BROKEN})
    report = check_project(root)
    [said] = _said(report, "mostly_broken")
    n = report.n_tried
    assert f"it fails on {100 * (n - 1) // n}% of the items tried: it is broken, not a rule " \
        "that abstains" in said
    assert report.ok and report.mostly_failing == ["mostly_broken"]
    code, out = cli("check", "-p", str(root))
    assert code == 0 and "but mostly_broken raised on most of the items tried: broken" in out
    code, out = cli("run", "-p", str(root), "--no-report")
    assert code == 0, out
    assert f"LF 'mostly_broken' raised on {n - 1} items of {n}: it fails on " \
        f"{100 * (n - 1) // n}% of items: it is broken, not a rule that abstains" in out


BAD_VOTES = '''
from labelwright import ABSTAIN, labeling_function


@labeling_function()
def loud(item):
    print("seen", item.id)
    return ABSTAIN


@labeling_function()
def bad_one(item):
    return "no" + "pe" if item.id == LAST else ABSTAIN  # not a literal: seen as it runs


@labeling_function()
def bad_two(item):
    return 2.5 if item.id == LAST else ABSTAIN
'''


def test_bad_votes_do_not_apply_the_lfs_again(make_project, capsys):
    """Each bad vote stopped the trial and applied every LF again from the start: a
    printing LF printed the items once per bad vote (and a slow one cost as often)."""
    root = make_project(lfs={"t": BAD_VOTES.replace("LAST", repr(TICKETS[-1]["id"]))})
    report = check_project(root)
    assert sum("labeling function 'bad_one'" in p and "returned 'nope'" in p
               for p in report.problems) == 1, report.problems
    assert sum("LF bad_two returns 2.5" in p for p in report.problems) == 1  # its literal
    seen = [line for line in capsys.readouterr().out.splitlines() if line.startswith("seen")]
    # two passes (the second to compare votes), whatever the bad votes
    assert sorted(set(map(seen.count, seen))) == [2] and len(seen) == 2 * report.n_tried


COUNTING = '''
from labelwright import ABSTAIN, labeling_function

CALLS = [0]


@labeling_function()
def every_other(item):
    CALLS[0] += 1
    return "billing" if CALLS[0] % 2 else ABSTAIN


@labeling_function()
def steady(item):
    return "billing" if "refund" in item.text else ABSTAIN
'''


def test_an_lf_whose_votes_change_when_applied_again_is_named(make_project):
    """A counter or random.random() in an LF passed silently, and the vote cache froze its
    first draw."""
    report = check_project(make_project(lfs={"t": COUNTING}))
    changing = [w for w in report.warnings if "voted otherwise when applied again" in w]
    assert len(changing) == 1 and changing[0].startswith("LF every_other ("), changing
    assert "t.py:" in changing[0] and "e.g. 't1'" in changing[0]
    assert "vote cache keeps the votes of the first run" in changing[0]


BLANK_FIRST = _raising_past_t1("blank_first", 'RuntimeError("\\nthe real message\\nmore")')


def test_a_message_starting_with_a_new_line_is_told_by_its_first_words(make_project):
    """``RuntimeError("\\nthe real message")`` was told as ``RuntimeError`` alone."""
    [said] = _said(check_project(make_project(lfs={"t": BLANK_FIRST})), "blank_first")
    assert said.endswith(": RuntimeError: the real message; it fails on 83% of the items "
                         "tried: it is broken, not a rule that abstains"), said


MEMO = '''
from labelwright import ABSTAIN, labeling_function

SEEN = set()


@labeling_function()
def first_of_its_plan(item):
    new = item.plan not in SEEN
    SEEN.add(item.plan)
    return "billing" if new else ABSTAIN
'''


def test_an_lf_with_a_memo_is_not_said_to_vote_by_chance(make_project):
    """A memo of earlier items gives the same votes on every pass in one order: it is not
    chance, but the items seen before."""
    report = check_project(make_project(lfs={"t": MEMO}))
    [said] = [w for w in report.warnings if w.startswith("LF first_of_its_plan (")]
    assert "its votes depend on the items it saw before (random, a counter, a memo of " \
           "earlier items), not on the item alone" in said
    assert "chance" not in said


DOC_READERS = '''
from labelwright import ABSTAIN, labeling_function


@labeling_function()
def lemma_refund(item):
    return "billing" if "refund" in [t.lemma_ for t in item.doc] else ABSTAIN


@labeling_function()
def marks_the_doc(item):
    """Writes on its Doc: the second pass must see a Doc of its own, not this one."""
    seen = item.doc.user_data.get("seen", 0)
    item.doc.user_data["seen"] = seen + 1
    return "billing" if seen else ABSTAIN
'''


def test_the_trial_parses_each_item_once(make_project, monkeypatch):
    """The trial's second pass parsed every item again: on long documents `check` took
    longer than `run`. Its Docs are read back from a temporary Doc cache instead, each
    a fresh Doc, so an LF that writes on its Doc votes the same on both passes."""
    from spacy.language import Language


    parsed: list[str] = []
    pipe = Language.pipe

    def counted(self, texts, *args, **kwargs):  # type: ignore[no-untyped-def]
        texts = list(texts)
        parsed.extend(texts)
        return pipe(self, texts, *args, **kwargs)

    monkeypatch.setattr(Language, "pipe", counted)
    report = check_project(make_project(lfs={"t": DOC_READERS}))
    items = {row["text"] for row in TICKETS}
    assert report.n_tried == len(TICKETS)
    assert sorted(t for t in parsed if t in items) == sorted(items)
    assert not [w for w in report.warnings if "voted otherwise" in w], report.warnings
    assert report.never_voted is not None and "lemma_refund" not in report.never_voted


SORTED_BY_CLASS = '''
from labelwright import ABSTAIN, labeling_function

NAMES = {"crash": "Technical"}


@labeling_function()
def by_word(item):
    for word, label in NAMES.items():
        if word in item.text:
            return label
    return ABSTAIN
'''


def test_check_tries_items_spread_over_data_sorted_by_class(make_project):
    """On data sorted by class the first 50 items were all one class: an LF returning a
    computed non-label for the other ("Technical") passed check and stopped the run."""
    rows = [{"id": f"r{i:03d}", "text": "refund please" if i < 150 else "app crash", "gold": ""}
            for i in range(200)]
    report = check_project(make_project(rows=rows, lfs={"sorted": SORTED_BY_CLASS}))
    assert report.n_tried == 50
    (problem,) = report.problems
    assert problem.startswith("applying the LFs to the 50 items spread over the data: "
                              "labeling function 'by_word'"), problem
    assert "returned 'Technical' for item 'r152'" in problem, problem


def test_trial_rows_are_evenly_spread():
    from labelwright.project.check_trial import trial_rows

    assert trial_rows(200).tolist() == list(range(0, 200, 4))
    assert trial_rows(6).tolist() == list(range(6))
    assert trial_rows(0).tolist() == []
    rows = trial_rows(10_007)
    assert len(set(rows.tolist())) == 50 and rows[0] == 0 and rows[-1] > 9_800
    assert (rows == trial_rows(10_007)).all()


NESTED_LF = '''

@labeling_function()
def please_refund(item):
    return "billing" if item.text.startswith("Please refund") else ABSTAIN
'''


def test_check_names_an_lf_nested_in_another_on_the_items_tried(make_project, cli):
    """UX41: `run` warned of an LF voting only where another votes the same label, `check`
    said nothing of it though its trial showed it."""
    from ticket_data import TICKET_LFS, many_tickets

    root = make_project(lfs={"tickets": TICKET_LFS + NESTED_LF}, rows=many_tickets())
    said = [w for w in check_project(root).warnings if "nested LFs" in w]
    assert len(said) == 1, said
    assert said[0].startswith("on the 50 items spread over the data (a sample: a run checks "
                              "every item): 1 LF votes only where another LF votes the same "
                              "label (at least 95% of its votes; nested LFs): please_refund "
                              "inside mentions_refund (")
    code, out = cli("check", "-p", str(root))
    assert "please_refund inside mentions_refund" in out, out
    few = make_project(lfs={"tickets": TICKET_LFS + NESTED_LF})  # 1 vote: no evidence
    assert not [w for w in check_project(few).warnings if "nested LFs" in w]
