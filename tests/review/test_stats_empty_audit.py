"""``review stats`` on a run whose audit figure rests on no review says why, as far as the
run's manifest tells: it drew no audit (every accepted item has held-out gold, or
``audit_size = 0``), or none of its audit items is reviewed yet; before, it printed
"— (0/0; ...)" and nothing more."""

from __future__ import annotations

from labelwright.project import run_project
from review_csv import review_items

TITLE = "accepted-label accuracy from the audit sample: —"


def _tickets(n: int) -> list[dict[str, str]]:
    """Billing and technical tickets, each with its gold label."""
    return [{"id": f"i{i}", "gold": "billing" if i % 2 == 0 else "technical",
             "text": f"Please refund order {i}" if i % 2 == 0 else f"The app crashes on {i}"}
            for i in range(n)]


def _project(make_project, rows, audit_size: int, name: str):
    root = make_project(rows=rows, root=make_project().parent / name)
    config = root / "labelwright.toml"
    config.write_text(config.read_text().replace("audit_size = 1",
                                                 f"audit_size = {audit_size}"))
    return root


def _stats(cli, root, run):
    """``review stats`` after one review of an item outside the run's audit."""
    shown = run.labels.set_index("id")
    other = shown.index[~shown["reasons"].fillna("").str.contains("audit")][0]
    review_items(root, {other: "billing"}, run_id=run.run_id)
    code, said = cli("review", "stats", run.run_id, "--project", str(root))
    assert code == 0, said
    assert TITLE in said
    return said


def test_an_audit_the_gold_left_empty_is_said_so(make_project, cli):
    root = _project(make_project, _tickets(40), 8, "all_gold")
    run = run_project(root, report=False)
    said = _stats(cli, root, run)
    assert "this run drew no audit sample: all " in said
    assert "of its accepted items have held-out gold, which the draw leaves out" in said
    assert "(the run's accuracy on held-out gold, which `labelwright run` and its report " \
           "show)" in said
    assert "--reason audit" not in said


def test_an_audit_turned_off_is_said_so(make_project, cli):
    rows = [{**row, "gold": ""} for row in _tickets(40)]
    root = _project(make_project, rows, 0, "off")
    run = run_project(root, report=False)
    said = _stats(cli, root, run)
    assert "this run draws no audit ([triage] audit_size = 0): set audit_size to review " \
           "one" in said


def test_an_audit_not_reviewed_yet_says_how_to_review_it(make_project, cli):
    rows = [{**row, "gold": ""} for row in _tickets(40)]
    root = _project(make_project, rows, 8, "not_yet")
    run = run_project(root, report=False)
    drawn = int(run.labels["reasons"].fillna("").str.contains("audit").sum())
    assert drawn > 0
    said = _stats(cli, root, run)
    assert (f"no audit item of run {run.run_id} is reviewed yet: review its {drawn} with "
            "`labelwright review export --reason audit`, then `labelwright review import`"
            ) in said
