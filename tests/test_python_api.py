"""The README's "Python API" section stays true: every function its table names imports
from the path given and takes the arguments named (with the defaults shown), every CLI
command has a row, and what it says of RunResult holds."""

from __future__ import annotations

import ast
import dataclasses
import importlib
import inspect
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import typer

from labelwright.cli.app import app
from labelwright.project import RunResult, run_project
from labelwright.review.decisions import ledger
from ticket_data import TICKETS

README = Path(__file__).resolve().parents[1] / "README.md"
SECTION = README.read_text(encoding="utf-8").split("## Python API\n", 1)[1].split("\n## ", 1)[0]


def table_rows() -> list[tuple[str, list[str], list[str]]]:
    """(command, the functions' paths, the arguments as written) per row of the table."""
    block = SECTION.split("<!-- api-table", 1)[1].split("<!-- /api-table -->", 1)[0]
    rows = []
    for line in block.splitlines():
        if not line.startswith("| `"):
            continue
        command, functions, arguments, _returns = (cell.strip() for cell in
                                                   line.strip().strip("|").split("|"))
        rows.append((command.strip("`"), re.findall(r"`(labelwright[\w.]*)`", functions),
                     re.findall(r"`(\w+(?:=[^`]+)?)`", arguments)))
    return rows


ROWS = table_rows()


def documented(path: str) -> Any:
    """The object at ``path`` as the README says to import it: ``a.b.name`` is ``from a.b
    import name``."""
    module, name = path.rsplit(".", 1)
    return getattr(importlib.import_module(module), name)


def real(function: Any) -> Any:
    """A top-level stand-in's target (labelwright.load_project: labelwright.project's)."""
    target = getattr(function, "target", None)
    return documented(target) if target else function


def cli_leaves(group: Any, prefix: str = "labelwright") -> dict[str, Any]:
    """Every command the CLI runs, as typed (``labelwright runs verify``), with its click
    command; typer may carry its own copy of click, so a group is what has sub-commands."""
    found = {}
    for name, command in group.commands.items():
        if hasattr(command, "commands"):
            found.update(cli_leaves(command, f"{prefix} {name}"))
        else:
            found[f"{prefix} {name}"] = command
    return found


COMMANDS = cli_leaves(typer.main.get_command(app))


def test_the_table_has_a_row_for_every_command_and_no_other():
    assert sorted(command for command, _, _ in ROWS) == sorted(COMMANDS)


@pytest.mark.parametrize(("command", "paths", "arguments"), ROWS, ids=[r[0] for r in ROWS])
def test_each_function_imports_from_its_path_and_takes_the_arguments_named(command, paths,
                                                                          arguments):
    assert paths, f"{command}: no function named"
    functions = [documented(path) for path in paths]
    assert all(callable(f) for f in functions)
    params = {}
    for function in functions:
        params.update(inspect.signature(real(function)).parameters)
    for argument in arguments:
        name, _, default = argument.partition("=")
        assert name in params, f"{command}: {name!r} is not an argument of {paths}"
        if default:
            assert params[name].default == ast.literal_eval(default), f"{command}: {argument}"


@pytest.mark.parametrize(("command", "paths", "arguments"), ROWS, ids=[r[0] for r in ROWS])
def test_an_option_the_command_and_its_function_share_is_named(command, paths, arguments):
    """The test above checks that each argument the row names exists, not that the row
    names each one, so `review export`'s row went without `per_pattern` and `shard` (and
    `excel`, `spread`) as they were added: every option of the command whose function
    takes it by the same name is named in the row."""
    params: dict[str, Any] = {}
    for path in paths:
        params.update(inspect.signature(real(documented(path))).parameters)
    options = {param.name for param in COMMANDS[command].params}
    named = {argument.partition("=")[0] for argument in arguments}
    assert sorted(options & set(params) - named) == [], command


CLI_REFERENCE = README.read_text(encoding="utf-8").split("## CLI reference\n", 1)[1].split(
    "\n## ", 1)[0]


def synopsis(command: str) -> str:
    """The first cells of the CLI reference's rows for ``command`` (``labelwright runs
    diff``: in the row it shares with the other ``runs`` commands, written ``runs diff``)."""
    said = re.compile(r"`(?:labelwright )?" + re.escape(command.removeprefix("labelwright "))
                      + r"(?![\w-])")
    cells = [line.split(" | ")[0] for line in CLI_REFERENCE.splitlines()
             if line.startswith("| `labelwright")]
    return " ".join(cell for cell in cells if said.search(cell))


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_the_cli_reference_row_names_every_option(command):
    """`review export`'s row lacked --per-pattern and --shard, which no test checked: the
    README's command test looks for each command's name only."""
    params = COMMANDS[command].params
    row = synopsis(command)
    assert row, f"{command}: no row in the CLI reference"
    missing = [param.opts[0] for param in params
               if param.param_type_name == "option" and param.name != "project"
               and not any(re.search(re.escape(name) + r"(?![\w-])", row)
                           for name in (*param.opts, *param.secondary_opts))]
    assert missing == [], command


def test_the_top_level_functions_are_those_the_modules_define():
    """labelwright.X in the table is the module's own function (a stand-in that imports it
    when called, for those that import spaCy)."""
    import labelwright

    for path in [p for _, paths, _ in ROWS for p in paths if p.count(".") == 1]:
        name = path.split(".")[1]
        assert name in labelwright.__all__
        target = real(getattr(labelwright, name))
        assert target.__name__ == name and target.__module__.startswith("labelwright.")


def test_completion_offers_the_packages_names_not_its_own_imports():
    """dir(labelwright), what a notebook's tab completion lists, offered `Any` and
    `TYPE_CHECKING`, which the package imports for its own annotations."""
    import labelwright

    shown = dir(labelwright)
    assert "Any" not in shown and "TYPE_CHECKING" not in shown
    assert not [name for name in shown if name.startswith("_") and name != "__version__"]
    assert set(labelwright.__all__) <= set(shown) and {"runs", "models"} <= set(shown)


def test_every_run_result_field_is_described():
    described = SECTION.split("`RunResult` holds", 1)[1].split("**spaCy without torch", 1)[0]
    missing = [f.name for f in dataclasses.fields(RunResult) if f"`{f.name}`" not in described]
    assert missing == []
    # and in the class itself: each field has a comment (a notebook's help() shows the doc)
    source = inspect.getsource(RunResult)
    for f in dataclasses.fields(RunResult):
        line = next(line for line in source.splitlines() if line.strip().startswith(
            f"{f.name}:"))
        above = source.splitlines()[source.splitlines().index(line) - 1].strip()
        assert "#" in line or above.startswith("#:"), f"RunResult.{f.name} is not described"


def test_probs_are_the_label_models_before_reviews_as_documented(make_project):
    """RunResult.probs and labels.parquet's prob_ columns differ on reviewed rows only:
    there the file is all on the reviewed label, and probs keep the model's guess."""
    root = make_project()
    decision = ledger.Decision("t5", "technical", "importer", "alice", "", "now", "f.csv",
                               "s1", "row 1", "r1", "csv")
    ledger.append(ledger.ledger_path(root), [decision], sha256="s1", reviewer="importer",
                  source_file="f.csv", fmt="csv", imported_at="now")
    result = run_project(root, report=False)
    labels = pd.read_parquet(result.run_dir / "labels.parquet")
    columns = [f"prob_{label}" for label in result.project.labels]
    assert result.probs.shape == (len(result.dataset), len(columns))
    same = np.isclose(labels[columns].to_numpy(), result.probs).all(axis=1)
    reviewed = (labels["label_source"] == "review").to_numpy()
    assert reviewed.tolist() == [item == "t5" for item in labels["id"]]
    assert (same == ~reviewed).all()
    assert labels.loc[reviewed, "prob_technical"].tolist() == [1.0]
    assert result.labels.equals(labels)


def test_every_function_that_takes_a_path_takes_it_as_a_string(make_project, tmp_path):
    """A notebook passes paths as str: each function of the table (and read_frame, the
    README's example of reading a file) takes one and gives what it gives for a Path."""
    from labelwright.data import read_frame
    from labelwright.report import write_report
    from labelwright.review import export_run
    from labelwright.runs import list_runs, read_manifest, resolve_run
    from labelwright.runs.diff.compare import diff_runs

    root = make_project()
    first, second = run_project(str(root), report=False), run_project(str(root), report=False)
    runs, a, b = str(root / "runs"), str(first.run_dir), str(second.run_dir)
    assert read_frame(str(root / "data" / "items.csv"), "csv").equals(
        read_frame(root / "data" / "items.csv", "csv"))
    assert list_runs(runs) == [first.run_id, second.run_id]
    assert resolve_run(runs, None) == second.run_dir
    assert resolve_run(runs, first.run_id) == first.run_dir
    assert read_manifest(a)["run_id"] == first.run_id
    assert diff_runs(a, b).flipped == diff_runs(first.run_dir, second.run_dir).flipped
    out = tmp_path / "queue.csv"
    assert export_run(b, "csv", out=str(out)) == [out]
    page = tmp_path / "report.html"
    assert write_report(b, out=str(page)) == page and page.stat().st_size > 0
    # and the top-level functions of the table, which took str before (kept so)
    import labelwright
    from labelwright.review import review_stats

    assert labelwright.check_project(str(root), data=str(root / "data" / "items.csv")).ok
    assert labelwright.explain_item(str(root), "t1", run=first.run_id).item_id == "t1"
    assert all(c.ok for c in labelwright.verify_runs(str(root), every=True))
    assert labelwright.prune_runs(str(root), keep=1, dry_run=True).removed
    assert review_stats(str(root)).pairs is not None
    training = tmp_path / "training.csv"
    labelwright.export_training_set(str(root), out=str(training))
    assert training.stat().st_size > 0


def test_labels_hold_pd_na_where_an_item_has_no_label_as_documented(make_project):
    """What the README says of labels.parquet's label column in pandas: string[pyarrow],
    pd.NA for an item without a label (t5: no LF votes on it), masked with isna()."""
    result = run_project(make_project(), report=False)
    label = result.labels["label"]
    assert label.dtype == pd.StringDtype("pyarrow", na_value=pd.NA)
    assert label.isna().tolist() == [item == "t5" for item in result.labels["id"]]
    assert label[3] == "technical" and label[4] is pd.NA


def test_results_show_a_short_summary_not_their_data(make_project):
    """A notebook cell showing a result prints a line whatever the dataset's size: the run,
    its counts, its model and accuracy, not the texts, votes and probabilities it holds."""
    from labelwright.review import review_stats

    rows = [{**row, "id": f"{row['id']}-{k}"} for k in range(200) for row in TICKETS]
    result = run_project(make_project(rows=rows), report=False)
    shown = repr(result)
    assert shown == (f"RunResult(run_id={result.run_id!r}, run_dir={str(result.run_dir)!r}, "
                     f"items={len(rows)}, lfs=2, model='majority', "
                     f"accuracy={result.evaluation['label_model']['accuracy']!r}, "
                     f"warnings={len(result.warnings)})")
    assert f"<td style='text-align:left'>{result.run_id}</td>" in result._repr_html_()
    for part in (result.dataset, result.applied, result.applied.matrix, result.triage,
                 result.project, review_stats(result.project.config.root)):
        assert len(repr(part)) < 400 and repr(part).startswith(f"{type(part).__name__}(")
    assert f"items={len(rows)}" in repr(result.dataset)


def readme_block(after: str) -> str:
    """The first ```python block of the section after the text ``after``."""
    return SECTION.split(after, 1)[1].split("```python\n", 1)[1].split("```", 1)[0]


def test_the_notebook_block_that_writes_no_run_runs_as_written(make_project, monkeypatch):
    root = make_project()
    monkeypatch.chdir(root.parent)
    source = readme_block("**Trying LFs in a notebook without writing runs.**")
    scope: dict[str, Any] = {}
    exec(compile("import labelwright\n" + source.replace('"path/to/project"', repr(str(root))),
                 "<README>", "exec"), scope)
    assert not (root / "runs").exists() or not any((root / "runs").iterdir())
    table, project = scope["table"], scope["project"]
    assert table["lf"].tolist() == [lf.name for lf in project.lfs]
    assert {"coverage", "emp_accuracy", "kind", "failures"} <= set(table.columns)
    assert scope["probs"].shape == (len(scope["dataset"]), len(project.labels))
    # the LF table by lf_summary on the data's gold is analyze's where no review exists
    from labelwright.lfs.stats import lf_summary

    by_names = lf_summary(scope["applied"].matrix,
                          gold=pd.read_csv(root / "data" / "items.csv", dtype=str)["gold"])
    pd.testing.assert_frame_equal(
        by_names, table.drop(columns=["kind", "failures"]), check_like=True)


@pytest.mark.parametrize("call", [
    lambda df: __import__("labelwright").load_project(df),
    lambda df: __import__("labelwright").check_project(df),
    lambda df: __import__("labelwright").run_project(df),
    lambda df: __import__("labelwright").train_run(df),
    lambda df: __import__("labelwright").export_training_set(df),
    lambda df: __import__("labelwright").explain_item(df, "t1"),
    lambda df: __import__("labelwright.review", fromlist=["x"]).review_stats(df),
], ids=["load_project", "check_project", "run_project", "train_run", "export_training_set",
        "explain_item", "review_stats"])
def test_a_frame_given_as_the_project_says_it_goes_to_data(call):
    frame = pd.DataFrame({"id": ["t1"], "text": ["refund please"]})
    with pytest.raises(TypeError, match=r"the project is a folder .* got a pandas DataFrame: a "
                                        r"DataFrame of items is given as data=, with the "
                                        r"project's path first: run_project\(path, data=df\)"):
        call(frame)
