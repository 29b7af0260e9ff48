"""The literals LFs return, checked against the labels by reading the code."""

import textwrap
import unicodedata

from labelwright.lfs.discovery import discover
from labelwright.lfs.literal_votes import bad_literal_votes, label_order_changes

LABELS = ("ham", "spam", "café")


def found(tmp_path, source, labels=LABELS):
    """``{(line, value): LF names}`` of the literals no label, in one LF module."""
    folder = tmp_path / "lfs"
    folder.mkdir()
    (folder / "rules.py").write_text(textwrap.dedent(source), encoding="utf-8")
    lines = (folder / "rules.py").read_text(encoding="utf-8").splitlines()
    votes = bad_literal_votes(discover(folder), labels)
    for vote in votes:  # the line named is the line that returns it
        assert repr(vote.value) in lines[vote.line - 1] or str(vote.value) in lines[vote.line - 1]
        assert vote.file == str(folder / "rules.py")
    return {(lines[v.line - 1].strip(), v.value): v.lfs for v in votes}


def test_a_literal_that_is_no_label_is_found_with_the_valid_labels(tmp_path):
    """``return "Spam"`` where the labels are ham and spam ended a run when an item reached
    it, and `check` passed when its first items did not."""
    source = '''
        from labelwright import ABSTAIN, labeling_function

        @labeling_function()
        def rare(item):
            if "win" in item.text:
                return "Spam"
            return ABSTAIN
    '''
    assert found(tmp_path, source) == {('return "Spam"', "Spam"): ("rare",)}
    (vote,) = bad_literal_votes(discover(tmp_path / "lfs"), LABELS)
    assert str(vote) == (f"{tmp_path / 'lfs' / 'rules.py'}:7: LF rare returns 'Spam', which is "
                         "not a label (did you mean 'spam'?); return one of 'ham', 'spam', "
                         "'café', an index 0..2, or ABSTAIN")


def test_votes_the_run_takes_are_not_reported(tmp_path):
    """Labels (in another Unicode form too), indices, -1, None and a bare return are votes
    or abstain at run time; a name, a constant or a call is known only then."""
    decomposed = unicodedata.normalize("NFD", "café")
    source = f'''
        from labelwright import ABSTAIN, labeling_function

        SPAM = 1
        LABEL = "nonsense"

        @labeling_function()
        def good(item):
            if item.text == "a":
                return "ham"
            if item.text == "b":
                return "{decomposed}"
            if item.text == "c":
                return 2
            if item.text == "d":
                return -1
            if item.text == "e":
                return None
            if item.text == "f":
                return
            if item.text == "g":
                return SPAM
            if item.text == "h":
                return LABEL
            label = "not a label either"
            return label if item.text else str(item.text).upper()
    '''
    assert found(tmp_path, source) == {}


def test_indices_out_of_range_bools_floats_and_either_side_of_if(tmp_path):
    """Snorkel-style LFs return ints: one past the labels, or below -1, is no vote; nor is
    True or 1.0, which equal 1."""
    source = '''
        from labelwright import ABSTAIN, labeling_function

        @labeling_function()
        def numbers(item):
            if item.text == "a":
                return 3
            if item.text == "b":
                return -2
            if item.text == "c":
                return True
            return 1.0 if item.text else ABSTAIN

        @labeling_function()
        def either(item):
            return "hma" if "x" in item.text else "spam" if "y" in item.text else "spma"
    '''
    assert found(tmp_path, source) == {
        ("return 3", 3): ("numbers",), ("return -2", -2): ("numbers",),
        ("return True", True): ("numbers",),
        ("return 1.0 if item.text else ABSTAIN", 1.0): ("numbers",),
        ('return "hma" if "x" in item.text else "spam" if "y" in item.text else "spma"',
         "hma"): ("either",),
        ('return "hma" if "x" in item.text else "spam" if "y" in item.text else "spma"',
         "spma"): ("either",)}


def test_an_index_that_names_another_label_is_reported_as_ambiguous(tmp_path):
    source = '''
        from labelwright import labeling_function

        @labeling_function()
        def stars(item):
            return 1
    '''
    folder = tmp_path / "lfs"
    assert found(tmp_path, source, labels=("1", "2", "3")) == {("return 1", 1): ("stars",)}
    (vote,) = bad_literal_votes(discover(folder), ("1", "2", "3"))
    assert "which is ambiguous" in str(vote)


def test_code_that_is_not_the_lfs_own_return_is_not_read(tmp_path):
    """A function defined inside the LF returns its own values, and a wrapper may change
    what the function it wraps returns: neither is the LF's vote."""
    source = '''
        import functools

        from labelwright import ABSTAIN, labeling_function

        def lowercased(func):
            @functools.wraps(func)
            def wrapper(item):
                return func(item).lower()
            return wrapper

        @labeling_function()
        @lowercased
        def shouting(item):
            return "SPAM"

        @labeling_function()
        def helper_inside(item):
            def pick(text):
                return "whatever"
            words = sorted(item.text.split(), key=lambda w: "x")
            return ABSTAIN if pick(item.text) and words else "spam"

        wrapped = labeling_function(name="wrapped")(lowercased(lambda item: "HAM"))
    '''
    assert found(tmp_path, source) == {}


def test_lambdas_and_factories(tmp_path):
    """A lambda's body is its return; LFs one factory makes from one line are named in one
    finding."""
    source = '''
        from labelwright import ABSTAIN, labeling_function

        def keyword(word):
            @labeling_function(name=f"kw_{word}")
            def lf(item):
                return "spma" if word in item.text else ABSTAIN
            return lf

        LFS = [keyword("win"), keyword("free")]
        short = labeling_function(name="short")(lambda item: "hma" if len(item.text) < 5 else -1)
        two = [labeling_function(name="a")(lambda i: "x"), labeling_function(name="b")(lambda: 1)]
    '''
    # the two lambdas of one line cannot be told apart from the code: left to the run
    assert found(tmp_path, source) == {
        ('return "spma" if word in item.text else ABSTAIN', "spma"): ("kw_free", "kw_win"),
        ('short = labeling_function(name="short")(lambda item: "hma" if len(item.text) < 5 '
         'else -1)', "hma"): ("short",)}


def test_snorkels_decorator(tmp_path):
    source = '''
        from snorkel.labeling import LabelingFunction, labeling_function

        SPAM = 1

        @labeling_function()
        def too_big(x):
            return 5 if "win" in x.text else -1

        @labeling_function()
        def fine(x):
            return SPAM if "free" in x.text else 0

        def bare(x):
            return 7

        made = LabelingFunction(name="made", f=bare)
    '''
    # `made` is run through snorkel's own object, which may change what `bare` returns
    assert found(tmp_path, source) == {('return 5 if "win" in x.text else -1', 5): ("too_big",)}


NUMBER_LFS = '''
from labelwright import ABSTAIN, labeling_function


@labeling_function()
def seats(item):
    if item.seats == 5 or item["plan"] in (1, 2):
        return "billing"
    return ABSTAIN


@labeling_function()
def fine(item):
    if int(item.seats) == 5 or item.plan == "pro" or int(item.seats) > 3:
        def inner(other):
            return other.seats == 9  # not the LF's item
        return "billing"
    return ABSTAIN
'''


def test_text_columns_compared_with_numbers_are_named(make_project):
    """A Snorkel user's ``x.seats == 5`` on a CSV (every value text) never voted, and
    nothing said so: the LF table showed 0 coverage."""
    from labelwright.lfs.number_comparisons import number_comparisons
    from labelwright.project import load_project, project_dataset, run_project
    from labelwright.project.check import check_project
    from ticket_data import TICKETS

    rows = [{**row, "seats": str(k)} for k, row in enumerate(TICKETS)]
    snorkel_lfs = """
from snorkel.labeling import labeling_function


@labeling_function()
def by_id(x):
    return 1 if 7 != x.id else -1
"""
    root = make_project(rows=rows, lfs={"numbers": NUMBER_LFS, "snorkel_rules": snorkel_lfs})
    project = load_project(root)
    found = number_comparisons(project.lfs, project_dataset(project.config))
    file = str(root / "labeling_functions" / "numbers.py")
    assert [(c.lf, c.line, c.written, c.number) for c in found] == [
        ("seats", 7, "item.seats", 5), ("seats", 7, "item['plan']", 1), ("by_id", 7, "x.id", 7)]
    assert str(found[0]) == (
        f"{file}:7: LF seats compares item.seats with the number 5, but column 'seats' holds "
        "text (e.g. '0'), which is never equal to a number: compare with '5', or convert "
        "first (int(item.seats))")
    assert sum(str(c) in check_project(root).warnings for c in found) == 3
    result = run_project(root, report=False)
    assert [w for w in result.dataset.warnings
            if "never equal to a number" in w] == [str(c) for c in found]
    # the same Dataset applied again (the Python API) is not warned twice
    from labelwright.project import apply_project

    dataset, _ = apply_project(project, dataset=result.dataset)
    assert sum("never equal to a number" in w for w in dataset.warnings) == 3


ORDER_LFS = '''
from labelwright import ABSTAIN, labeling_function


@labeling_function()
def big_team(item):
    if item.seats > "40":
        return "billing"
    return "billing" if "2.5" >= item["seats"] else ABSTAIN


@labeling_function()
def by_plan(item):
    return "billing" if item.plan > "m" or int(item.seats) > 40 else ABSTAIN
'''


def test_text_columns_ordered_against_numbers_written_as_text_are_named(make_project):
    """``item.seats > "40"`` on a CSV compares text character by character ("100" < "40")
    and nothing said so, while ``== 40`` was warned of."""
    from labelwright.project.check import check_project
    from ticket_data import TICKETS

    rows = [{**row, "seats": str(k)} for k, row in enumerate(TICKETS)]
    root = make_project(rows=rows, lfs={"order": ORDER_LFS})
    said = [w for w in check_project(root).warnings if "ordered character by character" in w]
    file = str(root / "labeling_functions" / "order.py")
    assert said == [
        f"{file}:7: LF big_team compares item.seats with '40' by >, but column 'seats' holds "
        "text (e.g. '0'), which is ordered character by character ('100' < '40'), not by "
        "value: convert first (int(item.seats) > 40)",
        f"{file}:9: LF big_team compares item['seats'] with '2.5' by <=, but column 'seats' "
        "holds text (e.g. '0'), which is ordered character by character ('100' < '40'), not "
        "by value: convert first (float(item['seats']) <= 2.5)"], said


def test_the_advice_converts_by_float_where_the_column_holds_fractions(make_project):
    """``item.seats > "40"`` on a column holding "2.5" was told to convert by
    ``int(item.seats)``, which raises on "2.5"; ``item.seats == 4`` likewise."""
    from labelwright.project.check import check_project
    from ticket_data import TICKETS

    rows = [{**row, "seats": f"{k}.5"} for k, row in enumerate(TICKETS)]
    lfs = ORDER_LFS + '''

@labeling_function()
def four_seats(item):
    return "billing" if item.seats == 4 else ABSTAIN
'''
    root = make_project(rows=rows, lfs={"order": lfs})
    warnings = check_project(root).warnings
    ordered = [w for w in warnings if "LF big_team compares item.seats with '40' by >" in w]
    assert len(ordered) == 1 and ordered[0].endswith(
        "convert first (float(item.seats) > 40)"), warnings
    equal = [w for w in warnings if "LF four_seats compares item.seats with the number 4" in w]
    assert len(equal) == 1 and equal[0].endswith(
        "or convert first (float(item.seats))"), warnings
    assert not [w for w in warnings if "int(item" in w], warnings


def test_a_column_of_numbers_with_a_unit_in_some_cells_is_named(make_project):
    """A lab column ("10.1", "5.4", ... and one "7.0%") compared by ``item.a1c >= "6.5"``
    ordered "10.1" below "6.5" and nothing said so: the warning needed every value to be
    a number. Most being numbers is enough, and the warning names the values that are not,
    on which the advised float() raises. A column mostly of other text stays unnamed."""
    from labelwright.project.check import check_project
    from ticket_data import TICKETS

    lfs = """
from labelwright import ABSTAIN, labeling_function


@labeling_function()
def high_a1c(item):
    return "billing" if item.a1c >= "6.5" else ABSTAIN


@labeling_function()
def late(item):
    return "billing" if item.due >= "6.5" else ABSTAIN
"""
    rows = [{**row, "a1c": "7.0%" if k == 1 else f"{k + 4}.1",
             "due": f"{k}.5" if k == 1 else f"n/a {k}"} for k, row in enumerate(TICKETS)]
    root = make_project(rows=rows, lfs={"labs": lfs})
    said = [w for w in check_project(root).warnings if "ordered character by character" in w]
    assert len(said) == 1 and "LF high_a1c compares item.a1c with '6.5' by >=" in said[0], said
    assert said[0].endswith(
        f"convert first (float(item.a1c) >= 6.5); 1 of the {len(TICKETS)} values read is no "
        "number (e.g. '7.0%'), on which float() raises: take out what is not the number "
        "first"), said
    assert float("10.1") >= 6.5 and not "10.1" >= "6.5"  # what the LF got wrong


def test_the_advice_fits_a_column_of_full_width_digits(make_project):
    """A support team's ``item.seats == 5`` on a column holding "５" and "12" (typed in a
    Chinese input method's full-width mode) was told to compare with '5', which misses
    "５" as the number did; int() reads both."""
    from labelwright.lfs.number_comparisons import number_comparisons
    from labelwright.project import load_project, project_dataset
    from ticket_data import TICKETS

    digits = str.maketrans("0123456789", "０１２３４５６７８９")
    rows = [{**row, "seats": str(k + 5).translate(digits) if k % 2 else str(k + 5)}
            for k, row in enumerate(TICKETS)]
    project = load_project(make_project(rows=rows, lfs={"numbers": NUMBER_LFS}))
    found = [c for c in number_comparisons(project.lfs, project_dataset(project.config))
             if c.column == "seats"]
    assert len(found) == 1
    assert str(found[0]).endswith(
        "which is never equal to a number: convert first (int(item.seats)): the column "
        "writes digits otherwise than in ASCII ('６'), which int() reads and a comparison "
        "with '5' misses"), str(found[0])
    assert int("６") == 6  # the advice holds


def test_text_ordered_as_text_is_not_named(make_project):
    """ISO dates and versions order right as text (``item.created >= "2023"``), yet were
    warned of with advice (``int(item.created) >= 2023``) that raises on '2024-03-01'."""
    from labelwright.project.check import check_project
    from ticket_data import TICKETS

    lfs = ORDER_LFS.replace('item.seats > "40"', 'item.created >= "2023"').replace(
        '"2.5" >= item["seats"]', '"2.5" >= item["version"]')
    rows = [{**row, "seats": str(k), "created": f"202{k}-03-01", "version": f"2.{k}.1"}
            for k, row in enumerate(TICKETS)]
    report = check_project(make_project(rows=rows, lfs={"order": lfs}))
    assert not [w for w in report.warnings if "ordered character by character" in w], \
        report.warnings
    assert report.ok, report.problems


def test_an_lf_file_is_parsed_once_while_unchanged(tmp_path, monkeypatch):
    """``check`` reads each LF file for wrong literals and for number comparisons, and a
    Python API caller applies a project many times: one parse serves while the file is
    unchanged, and an edit is read again."""
    import tokenize
    import types

    import numpy as np
    import pandas as pd

    from labelwright.data.dataset import Dataset
    from labelwright.lfs import lf_code
    from labelwright.lfs.number_comparisons import number_comparisons

    folder = tmp_path / "lfs"
    folder.mkdir()
    rules = folder / "rules.py"
    rules.write_text(NUMBER_LFS, encoding="utf-8")
    parsed = []  # the files read to be parsed
    monkeypatch.setattr(lf_code, "tokenize", types.SimpleNamespace(
        open=lambda file: parsed.append(file) or tokenize.open(file)))
    dataset = Dataset(ids=["1"], texts=["x"], fields=pd.DataFrame({"seats": ["5"]}),
                      gold=np.array([-1]), source="mem", sha256="")
    lfs = discover(folder)
    assert bad_literal_votes(lfs, ("billing",)) == []
    assert [c.column for c in number_comparisons(lfs, dataset)] == ["seats"]
    assert parsed == [str(rules)]
    rules.write_text(NUMBER_LFS.replace('"billing"', '"Billing"'), encoding="utf-8")
    lfs = discover(folder)
    assert [v.value for v in bad_literal_votes(lfs, ("billing",))] == ["Billing", "Billing"]
    assert parsed == [str(rules), str(rules)]


def test_only_the_columns_compared_with_numbers_are_looked_at(tmp_path):
    """Every run looked at the first 1,000 values of every column, whatever the LFs
    compare; now only the columns some LF compares with a number."""
    import numpy as np
    import pandas as pd

    from labelwright.data.dataset import Dataset
    from labelwright.lfs.number_comparisons import number_comparisons

    class Watched(pd.DataFrame):
        looked_at: list = []

        def __getitem__(self, key):
            Watched.looked_at.append(key)
            return super().__getitem__(key)

    folder = tmp_path / "lfs"
    folder.mkdir()
    (folder / "rules.py").write_text(NUMBER_LFS, encoding="utf-8")
    fields = Watched({"seats": ["5", "6"], "plan": [1, 2], "notes": ["a", "b"],
                      "region": ["eu", "us"]})
    dataset = Dataset(ids=["1", "2"], texts=["x", "y"], fields=fields,
                      gold=np.array([-1, -1]), source="mem", sha256="")
    found = number_comparisons(discover(folder), dataset)
    assert [(c.column, c.example) for c in found] == [("seats", "5")]  # plan holds numbers
    # seats twice: is it text, then do its values spell whole numbers (the advice's int)
    assert set(Watched.looked_at) == {"plan", "seats"}


STARS_LFS = """
from labelwright import ABSTAIN, labeling_function


@labeling_function()
def mid(item):
    if item.stars == 3 or item.score == 3 or item.plan in (1, 2):
        return "billing"
    return ABSTAIN
"""


def test_a_column_holding_text_in_later_rows_is_named(tmp_path, make_project):
    """A dataset merged from parts written with other types held ``"stars": 4`` in its
    first 24,000 rows and ``"stars": "4"`` in the next: ``item.stars == 3`` missed every
    text row and nothing said so, as only the first 1,000 rows were looked at, and all of
    them had to be text. Every row is looked at now: a column holding text among numbers
    is named with its first text row and the counts, when its text spells a number
    ("n/a" among numbers is no miss); a column whose text starts after row 1,000 too."""
    import pandas as pd

    from labelwright.data.dataset import dataset_from_frame
    from labelwright.lfs.number_comparisons import number_comparisons
    from labelwright.project import run_project
    from labelwright.project.check import check_project

    n = 1500
    frame = pd.DataFrame({
        "id": [str(k) for k in range(n)], "text": ["x"] * n,
        "stars": [k % 5 for k in range(1200)] + ["3", None] + [str(k % 5) for k in range(298)],
        "score": [k % 5 for k in range(n - 1)] + ["n/a"],
        "plan": [None] * 1100 + ["pro"] * (n - 1100)}, dtype=object)
    folder = tmp_path / "lfs"
    folder.mkdir()
    (folder / "rules.py").write_text(STARS_LFS, encoding="utf-8")
    dataset = dataset_from_frame(frame, id_column="id", text_column="text",
                                 labels=("billing", "technical"), source="mem")
    found = number_comparisons(discover(folder), dataset)
    assert [(c.column, c.example, c.text_row, c.texts, c.numbers) for c in found] == [
        ("stars", "3", 1201, 299, 1200), ("plan", "pro", 0, 0, 0)]
    assert str(found[0]) == (
        f"{folder / 'rules.py'}:7: LF mid compares item.stars with the number 3, but column "
        "'stars' holds text in 299 rows (first: row 1201, '3') and numbers in 1,200 rows: text is "
        "never equal to a number, so the LF misses those rows: convert first "
        "(int(item.stars))")
    # check and run say it, from a frame as from a file
    root = make_project(lfs={"stars": STARS_LFS})
    frame = frame.assign(gold=None)
    assert str(found[0]).split(": LF ")[1] in "\n".join(
        check_project(root, data=frame).warnings)
    assert sum("LF mid compares item.stars" in w
               for w in run_project(root, data=frame, report=False).dataset.warnings) == 1


def test_an_lf_that_never_returns_a_value_is_named(tmp_path):
    """An expert wrote the vote's expression and left out its `return`: check said ok, the
    run showed the LF at 0% and nothing said why."""
    from labelwright.lfs.discovery import discover
    from labelwright.lfs.literal_votes import never_returning

    folder = tmp_path / "lfs"
    folder.mkdir()
    (folder / "rules.py").write_text(
        "import re\n\nfrom labelwright import ABSTAIN, labeling_function\n\n\n"
        "@labeling_function()\ndef sorry(item):\n"
        "    \"ham\" if re.search('sorry', item.text) else ABSTAIN\n\n\n"
        "@labeling_function()\ndef nested_only(item):\n"
        "    def inner():\n        return 'ham'\n    inner()\n\n\n"
        "@labeling_function()\ndef explicit_none(item):\n    return None\n\n\n"
        "@labeling_function()\ndef fine(item):\n"
        "    if 'x' in item.text:\n        return 'ham'\n\n\n"
        "@labeling_function()\ndef bare_return_then_value(item):\n"
        "    if not item.text:\n        return\n    return 'spam'\n", encoding="utf-8")
    found = never_returning(discover(folder))
    named = sorted(line.split(": LF ")[1].split(" ")[0] for line in found)
    assert named == ["explicit_none", "nested_only", "sorry"]
    assert found[0].startswith(f"{folder / 'rules.py'}:6: LF sorry never returns a value, so "
                               "it abstains on every item (a `return` left out")


TYPO_ON_A_LATER_LINE = '''
from labelwright import ABSTAIN, labeling_function


@labeling_function()
def refund_typo(item):
    """A docstring, so the return is lines below the decorator."""
    if "refund" in item.text.lower():
        return "biling"
    if "crash" in item.text.lower():
        return 1.0 if "x" in item.text else "technical"
    return ABSTAIN


@labeling_function()
def made(item):
    return "bil" + "ling!"
'''


def test_check_and_run_cite_the_same_line_for_a_non_label(make_project):
    """An LF returning "biling": check cited the `return` (line 9), the run that stopped on
    it the decorator (line 5), so the two pointed at different lines."""
    from labelwright.errors import BadVoteError
    from labelwright.project import run_project
    from labelwright.project.check import check_project

    root = make_project(lfs={"tickets": TYPO_ON_A_LATER_LINE})
    path = root / "labeling_functions" / "tickets.py"
    checked = check_project(root)
    cited = [p for p in checked.problems if "'biling'" in p and "refund_typo" in p]
    assert cited and all(p.startswith(f"{path}:9: ") for p in cited), checked.problems
    try:
        run_project(root, report=False)
    except BadVoteError as exc:
        stopped = str(exc)
    else:
        raise AssertionError("the run took 'biling' for a vote")
    # the run stops before applying, naming the return as check does
    assert f"{path}:9: LF refund_typo returns 'biling'" in stopped, stopped
    # a computed value: no return spells it out; both cite the return seen giving it
    # (check and the run called the decorator's line before)
    made = [p for p in checked.problems if "'made'" in p]
    assert made and all(f"'made' ({path}:17) returned 'billing!'" in p for p in made), made
    from labelwright.lfs.discovery import discover
    from labelwright.lfs.literal_votes import returned_at

    lfs = {lf.name: lf for lf in discover(root / "labeling_functions")}
    assert returned_at(lfs["made"], "billing!") is None
    assert returned_at(lfs["refund_typo"], 1.0) == 11
    assert returned_at(lfs["refund_typo"], 1) is None  # an int is another return


INDEX_LF = '''
from labelwright import labeling_function

@labeling_function()
def stopped_working(item):
    return 0 if "stopped" in item.text else None
'''


def test_a_renamed_or_replaced_label_at_an_index_is_no_change_of_order(tmp_path):
    """Renaming "negative" to "complaint" in place made check say the labels changed
    order."""
    folder = tmp_path / "lfs"
    folder.mkdir()
    (folder / "legacy.py").write_text(INDEX_LF, encoding="utf-8")
    lfs = discover(folder)
    then, now = ("negative", "positive"), ("complaint", "positive", "neutral")
    (replaced,) = label_order_changes(lfs, now, then, "R1")
    assert "the label at index 0 was replaced" in replaced
    assert "changed order" not in replaced and "[project] renamed" in replaced
    (renamed,) = label_order_changes(lfs, now, then, "R1", {"negative": "complaint"})
    assert "the label at index 0 was renamed" in renamed and "changed order" not in renamed
    # a label that moved is a change of order, renamed or not
    (moved,) = label_order_changes(lfs, ("neutral", "positive", "complaint"), then, "R1",
                                   {"negative": "complaint"})
    assert "changed order" in moved


CONSTANT_LFS = '''
import snorkel.labeling
from labelwright import labeling_function

ABSTAIN = -1
HAM = 0
SPAM = 1
DEFAULT = SPAM
TWICE = 0
TWICE = 1


@snorkel.labeling.labeling_function()
def tutorial(x):
    return SPAM if "check" in x.text.lower() else ABSTAIN


@labeling_function()
def own(item):
    if "song" in item.text:
        return HAM
    return DEFAULT if "sub" in item.text else ABSTAIN


@labeling_function()
def reassigned(item):
    return TWICE


@labeling_function()
def local(item):
    SPAM = 0
    return SPAM


@labeling_function()
def parameter(item, SPAM=0):
    return SPAM


@labeling_function()
def imported(item):
    from os import SEEK_SET as HAM
    return HAM


def make(HAM):
    @labeling_function(name=f"made_{HAM}")
    def made(item):
        return HAM
    return made


made_0 = make(0)
'''


def test_a_module_constant_returned_is_read_when_the_labels_change_order(tmp_path):
    """Snorkel's tutorials return ``SPAM`` (``SPAM = 1`` at module level): reordering
    [project] labels flipped every such vote, and `check` warned only for ``return 1``."""
    folder = tmp_path / "lfs"
    folder.mkdir()
    (folder / "rules.py").write_text(CONSTANT_LFS, encoding="utf-8")
    lfs = discover(folder)
    warnings = label_order_changes(lfs, ("spam", "ham"), ("ham", "spam"), "R1")
    path = folder / "rules.py"
    assert [w.split(", which")[0] for w in warnings] == [
        f"{path}:15: LF tutorial returns SPAM (= 1 at line 7)",
        f"{path}:21: LF own returns HAM (= 0 at line 6)",
        f"{path}:22: LF own returns DEFAULT (= 1 at line 8)"]
    assert all(w.endswith("[project] labels changed order; return the label's name, which "
                          "keeps its meaning") for w in warnings)
    assert "voted 'spam' in run R1 and votes 'ham' now" in warnings[0]
    # assigned twice, bound in the LF, or a factory's argument: known only when it runs
    assert not [w for w in warnings if "reassigned" in w or "local" in w
                or "parameter" in w or "imported" in w or "made_0" in w]
    # the labels the LFs return as written count them too; the others are unread
    from labelwright.lfs.literal_votes import spelt_out_votes

    spelt, unread = spelt_out_votes(lfs, ("ham", "spam"))
    assert spelt == {0, 1}
    assert sorted(unread) == ["imported", "local", "made_0", "parameter", "reassigned"]


def test_a_star_import_leaves_module_constants_unread(tmp_path):
    folder = tmp_path / "lfs"
    folder.mkdir()
    (folder / "rules.py").write_text("from os.path import *\n" + CONSTANT_LFS,
                                     encoding="utf-8")
    assert label_order_changes(discover(folder), ("spam", "ham"), ("ham", "spam"), "R1") == []


def test_a_name_declared_global_in_any_function_is_no_module_constant(tmp_path):
    """``global HAM`` in a function may bind HAM whenever it runs: HAM is known only then."""
    folder = tmp_path / "lfs"
    folder.mkdir()
    path = folder / "rules.py"
    path.write_text(CONSTANT_LFS + "\n\ndef reset():\n    global HAM\n    HAM = 2\n",
                    encoding="utf-8")
    warnings = label_order_changes(discover(folder), ("spam", "ham"), ("ham", "spam"), "R1")
    assert [w.split(", which")[0] for w in warnings] == [
        f"{path}:15: LF tutorial returns SPAM (= 1 at line 7)",
        f"{path}:22: LF own returns DEFAULT (= 1 at line 8)"]
