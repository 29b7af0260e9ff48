"""check_project(project=...): a project loaded in a session (LFs and glossaries added
there) is checked as run_project(project=...) runs it, not as its folder holds it."""

from __future__ import annotations

import pandas as pd
import pytest

import labelwright
from labelwright import ABSTAIN, labeling_function
from labelwright.project import load_project
from ticket_data import TICKETS


@labeling_function()
def says_refund(item):
    return "billing" if "refund" in item.text.lower() else ABSTAIN


@labeling_function()
def says_bill(item):
    return "bill" if "charge" in item.text.lower() else ABSTAIN  # no such label


MONEY = {"name": "money", "label": "billing", "terms": ["invoice", "charged"]}


def test_a_session_project_is_checked_with_its_own_lfs(make_project):
    """check_project had no project=: a project whose LFs live in the notebook was
    'the project has no labeling functions', and a Project given was a TypeError."""
    root = make_project(lfs={})
    assert "the project has no labeling functions" in " ".join(
        labelwright.check_project(root).problems)
    project = load_project(root).with_lfs(says_refund).with_glossaries(MONEY)
    report = labelwright.check_project(project=project)
    assert report.ok, report.problems
    assert report.n_lfs == 2 and report.n_glossaries == 1 and report.n_items == len(TICKETS)
    assert "says_refund" not in report.never_voted


def test_a_session_lfs_bad_vote_is_a_problem(make_project):
    project = load_project(make_project(lfs={})).with_lfs(says_bill)
    report = labelwright.check_project(project=project)
    assert not report.ok
    assert any("says_bill" in p and "'bill'" in p for p in report.problems), report.problems


def test_lfs_left_out_in_the_session_are_not_checked(make_project):
    project = load_project(make_project()).with_lfs(says_bill).without_lfs("says_bill")
    report = labelwright.check_project(project=project)
    assert report.ok, report.problems
    assert report.n_lfs == len(project.lfs)


def test_a_session_project_with_no_lfs_says_how_to_add_them(make_project):
    report = labelwright.check_project(project=load_project(make_project(lfs={})))
    assert any("project.with_lfs(lf, ...)" in p for p in report.problems), report.problems


def test_a_frame_is_its_data_as_for_run_project(make_project):
    project = load_project(make_project(lfs={})).with_lfs(says_refund)
    frame = pd.DataFrame({"id": [10, 11, 12], "text": ["refund me", "hello", None],
                          "gold": ["billing", None, None]})
    report = labelwright.check_project(project=project, data=frame)
    assert report.n_items == 3, report.problems
    assert any(w.startswith("<DataFrame>") and "empty or missing text" in w
               for w in report.warnings), report.warnings


def test_a_file_with_a_project_is_refused_as_run_project_refuses_it(make_project, tmp_path):
    project = load_project(make_project())
    for call in (labelwright.check_project, labelwright.run_project):
        with pytest.raises(ValueError, match=r"give data or project, not both.*"
                                             r"load_project\(path, data=\.\.\.\)"):
            call(project=project, data=str(tmp_path / "other.csv"))


def test_a_project_given_as_the_path_says_to_give_it_as_project(make_project):
    project = load_project(make_project())
    for call in (labelwright.check_project, labelwright.run_project):
        with pytest.raises(TypeError, match=r"got a labelwright Project: a loaded project is "
                                            r"given as project=.*check_project\(project="):
            call(project)


def test_the_signature_matches_run_projects_for_project_and_data():
    import inspect

    from labelwright.project.check import check_project
    from labelwright.project.run import run_project

    check, run = (inspect.signature(f).parameters for f in (check_project, run_project))
    for name in ("path", "project", "data"):
        assert check[name].kind == run[name].kind and check[name].default == run[name].default
