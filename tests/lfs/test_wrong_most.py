"""The lines under the LF table naming the LFs wrong most often on known labels: a 12-label
run showed them only in the table's incorrect column, in file order, while a warning named
11 LFs the label model misread."""

from __future__ import annotations

import pandas as pd

from labelwright.lfs.wrong_most import WRONG_SHOWN, wrong_most_lines


def _table(rows):
    return pd.DataFrame([{"lf": lf, "correct": right, "incorrect": wrong,
                          "emp_accuracy": right / (right + wrong) if right + wrong else None}
                         for lf, right, wrong in rows])


def test_the_lfs_wrong_most_often_come_first_with_their_accuracy_and_place():
    table = _table([("chest_pain", 23, 2), ("tummy", 32, 26), ("breathing", 27, 13),
                    ("bones", 25, 1), ("glossary:resp_terms", 26, 12), ("silent", 0, 0)])
    where = {"tummy": "labeling_functions/triage.py:20",
             "glossary:resp_terms": "glossaries/resp_terms.yaml:1"}
    lines = wrong_most_lines(table, where)
    assert lines[0] == ("LFs wrong most often on gold or random-sample reviews (5 of 6 LFs "
                        "have wrong votes):")
    assert "labelwright analyze --lf NAME" in lines[-1]
    assert lines[1:-1] == [
        "  tummy: 26 wrong of 58 (55% right), labeling_functions/triage.py:20",
        "  breathing: 13 wrong of 40 (68% right)",
        "  glossary:resp_terms: 12 wrong of 38 (68% right), glossaries/resp_terms.yaml:1"]
    assert len(lines) == 2 + WRONG_SHOWN


def test_a_tie_in_wrong_votes_puts_the_less_accurate_lf_first():
    lines = wrong_most_lines(_table([("a", 90, 5), ("b", 5, 5)]), {})
    assert [line.split(":")[0].strip() for line in lines[1:-1]] == ["b", "a"]


def test_nothing_is_said_without_wrong_votes_or_known_labels():
    assert wrong_most_lines(_table([("a", 3, 0), ("b", 0, 0)]), {}) == []
    assert wrong_most_lines(pd.DataFrame({"lf": ["a"], "coverage": [0.5]}), {}) == []


ROWS = [
    *({"id": f"b{k}", "text": f"my invoice {k} is wrong", "gold": "billing"} for k in range(8)),
    *({"id": f"t{k}", "text": f"the invoice page crashes {k}", "gold": "technical"}
      for k in range(4)),
    *({"id": f"c{k}", "text": f"the app crashes {k}", "gold": "technical"} for k in range(8)),
]
LFS = '''
from labelwright import ABSTAIN, labeling_function


@labeling_function()
def crashes(item):
    return "technical" if "crash" in item.text else ABSTAIN


@labeling_function()
def invoice(item):
    return "billing" if "invoice" in item.text else ABSTAIN
'''


def test_run_and_analyze_name_the_lf_wrong_most_often_under_the_table(make_project, cli):
    root = make_project(rows=ROWS, lfs={"tickets": LFS})
    for command in ("run", "analyze"):
        code, out = cli(command, "--project", str(root), *(("--no-report",)
                                                           if command == "run" else ()))
        assert code == 0, out
        assert ("LFs wrong most often on gold or random-sample reviews (1 of 2 LFs have "
                "wrong votes): invoice: 4 wrong of 12 (67% right), "
                "labeling_functions/tickets.py:") in out
