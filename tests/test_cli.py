import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from labelwright.cli.app import app

runner = CliRunner()
REPO_ROOT = Path(__file__).resolve().parents[1]


def squash(text: str) -> str:
    """Output without whitespace: rich wraps long lines at the console width."""
    return re.sub(r"\s+", "", text)

EXTRA_LF = '''
from labelwright import ABSTAIN, labeling_function


@labeling_function()
def says_bad(item):
    return "negative" if "bad" in item.text.lower() else ABSTAIN
'''

EXTRA_GLOSSARY = """\
label: positive
mode: lemma
terms:
  - term: recommend
    note: "Recommendation."
"""


def command_names(typer_app: typer.Typer) -> list[str]:
    names = [c.name or c.callback.__name__ for c in typer_app.registered_commands]
    names += [g.name for g in typer_app.registered_groups if g.name]
    return names


def init(directory: Path) -> Path:
    result = runner.invoke(app, ["init", str(directory)])
    assert result.exit_code == 0, result.output
    return directory


def use_majority(root: Path) -> None:
    config = root / "labelwright.toml"
    text = config.read_text()
    assert 'name = "auto"' in text
    config.write_text(text.replace('name = "auto"', 'name = "majority"'))


def test_init_writes_a_working_project(tmp_path):
    root = init(tmp_path / "proj")
    for rel in ("labelwright.toml", "data/reviews.csv", "labeling_functions/reviews.py",
                "glossaries/praise.yaml", "glossaries/complaints.yaml"):
        assert (root / rel).is_file(), rel
    again = runner.invoke(app, ["init", str(root)])
    assert again.exit_code != 0
    assert "already exists" in str(again.exception) + again.output
    assert runner.invoke(app, ["init", str(root), "--force"]).exit_code == 0


def test_init_without_the_example_writes_the_config_for_the_labels_given(tmp_path):
    """Only Python's init_project(labels=..., example=False) made a project of one's own
    labels; the command wrote the example's, with its data, LFs and glossaries."""
    root = tmp_path / "spam"
    result = runner.invoke(app, ["init", str(root), "--no-example", "--labels", "spam, ham",
                                 "--labels", "other"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in root.iterdir()) == [
        ".gitignore", "data", "glossaries", "labeling_functions", "labelwright.toml"]
    assert not list((root / "labeling_functions").iterdir())
    from labelwright.config import load_config

    assert load_config(root / "labelwright.toml").labels == ("spam", "ham", "other")
    assert "labelwright check" in result.output and "labelwright run" not in result.output
    # what the data file it names must hold, before anything refuses it
    assert "data/items.csv (a header row naming the columns id and text;" in " ".join(
        result.output.split())
    # labels with the example, or no labels without it: refused, naming the flag
    for args, said in ((["--labels", "spam,ham"], "give labels with --no-example"),
                       (["--no-example"], "no labels given: give the project's labels, "
                                          "names in vote order (label i is vote i): "
                                          "--labels spam,ham")):
        other = tmp_path / "other"
        result = runner.invoke(app, ["init", str(other), *args])
        assert result.exit_code == 1 and not other.exists()
        assert said in " ".join((str(result.exception) + result.output).split())


def test_init_writes_the_language_given_and_refuses_one_spacy_has_not(tmp_path):
    """A Spanish project began as lang = "en" (the template's), and check advised listing
    every Spanish term's forms as synonyms; --lang writes [nlp] lang, checked as the config
    check checks it."""
    from labelwright.config import load_config

    root = tmp_path / "resenas"
    result = runner.invoke(app, ["init", str(root), "--no-example", "--labels", "pos,neg",
                                 "--lang", "es"])
    assert result.exit_code == 0, result.output
    assert load_config(root).nlp.lang == "es"
    assert 'lang = "es"              # spacy.blank("es")' in \
        (root / "labelwright.toml").read_text(encoding="utf-8")
    for args, said in ((["--no-example", "--labels", "pos,neg", "--lang", "spanish"],
                        "[nlp] lang 'spanish' is not a language spaCy knows (did you mean "
                        "'es'? valid: "),
                       (["--lang", "es"], "the example project's data and glossaries are "
                                          "English: give a language with --no-example")):
        other = tmp_path / "other"
        result = runner.invoke(app, ["init", str(other), *args])
        assert result.exit_code == 1 and not other.exists()
        assert said in " ".join((str(result.exception) + result.output).split())


def test_init_names_a_file_or_an_empty_name(tmp_path, monkeypatch):
    """`init FILE` ended in a FileExistsError traceback; `init ""` (an unset $DIR) made the
    project in the current folder."""
    (tmp_path / "afile").write_text("x")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["init", "afile"])
    assert result.exit_code == 1
    assert "afile is a file; name a folder" in str(result.exception) + result.output
    result = runner.invoke(app, ["init", ""])  # a usage error (exit 2) since 2026-12-02
    assert result.exit_code == 2 and not (tmp_path / "labelwright.toml").exists()
    assert "an empty name" in str(result.exception) + result.output


def test_init_names_a_file_where_a_template_folder_goes_and_writes_nothing(tmp_path):
    """A file named `data` in the folder: init wrote .gitignore, then failed naming
    data/reviews.csv, and the next init refused because .gitignore now existed."""
    root = tmp_path / "p"
    root.mkdir()
    (root / "data").write_text("my notes\n")
    result = runner.invoke(app, ["init", str(root)])
    assert result.exit_code == 1
    message = str(result.exception) + result.output
    assert squash(f"{root / 'data'} is a file where the project needs a folder") \
        in squash(message)
    assert sorted(p.name for p in root.iterdir()) == ["data"]
    (root / "data").unlink()
    (root / "labelwright.toml").mkdir()
    result = runner.invoke(app, ["init", str(root)])
    assert "labelwright.toml is a folder where the project writes a file" in (
        str(result.exception) + result.output)
    assert sorted(p.name for p in root.iterdir()) == ["labelwright.toml"]


def test_init_check_run_end_to_end(tmp_path):
    root = init(tmp_path / "proj")
    use_majority(root)
    (root / "labeling_functions" / "extra.py").write_text(EXTRA_LF)
    (root / "glossaries" / "recommend.yaml").write_text(EXTRA_GLOSSARY)

    checked = runner.invoke(app, ["check", "--project", str(root)])
    assert checked.exit_code == 0, checked.output
    assert ("ok: 7 labeling functions (3 glossaries, 7 terms, 14 phrases), 16 items"
            in checked.output)

    ran = runner.invoke(app, ["run", "-p", str(root)])
    assert ran.exit_code == 0, ran.output
    run_id = (root / "runs" / "LATEST").read_text().strip()
    run_dir = root / "runs" / run_id
    assert f"run {run_id} written to" in ran.output
    # each label's coverage under the total, the least covered named unless all are alike
    said = re.search(r"coverageperlabel\(itemswithavoteforit\):negative([\d.]+)%\(\d+\),"
                     r"positive([\d.]+)%\(\d+\)(;leastcovered:\w+)?", squash(ran.output))
    assert said is not None
    assert (said[3] is None) == (said[1] == said[2]), said[0]
    # the queue by suggested label, every label said
    assert re.search(r"toreviewbysuggestedlabel:negative\d+,positive\d+", squash(ran.output))

    n_items = len(pd.read_csv(root / "data" / "reviews.csv"))
    labels = pd.read_parquet(run_dir / "labels.parquet")
    assert len(labels) == n_items
    assert {"id", "label", "confidence", "prob_negative", "prob_positive", "status", "reasons",
            "label_source"} <= set(labels.columns)
    assert set(labels["label"].dropna()) <= {"negative", "positive"}

    matrix = pd.read_parquet(run_dir / "label_matrix.parquet")
    assert matrix.columns.tolist() == [
        "id", "says_bad", "star_rating", "returned_it", "praise_without_negation",
        "glossary:complaints", "glossary:praise", "glossary:recommend"]
    assert len(matrix) == n_items

    manifest = json.loads((run_dir / "manifest.json").read_text())
    assert manifest["data"]["rows"] == n_items
    assert len(manifest["data"]["sha256"]) == 64
    assert [g["name"] for g in manifest["glossaries"]] == ["complaints", "praise", "recommend"]
    assert manifest["label_model"]["name"] == "majority"

    review = pd.read_csv(run_dir / "review.csv", keep_default_na=False)
    assert len(review) == int((labels["status"] == "review").sum())

    analyzed = runner.invoke(app, ["analyze", "-p", str(root)])
    assert analyzed.exit_code == 0, analyzed.output
    assert "says_bad" in analyzed.output and "total coverage" in analyzed.output
    assert squash("coverage per label (items with a vote for it): negative") in \
        squash(analyzed.output)


def test_run_names_the_model_auto_chose_and_shows_its_parameters(tmp_path):
    root = init(tmp_path / "proj")  # the template names no model but auto
    ran = runner.invoke(app, ["run", "-p", str(root)], env={"COLUMNS": "200"})
    assert ran.exit_code == 0, ran.output
    assert "Label model: auto (AutoLabelModel), tie-break random" in ran.output
    # "gold" is the dataset's held-out column: auto speaks of the reviews it used
    assert ("chose dawid_skene (DawidSkene): no reviewed labels yet (need >= 20 and >= 5 per "
            "class): using the default model") in ran.output
    assert "gold rows" not in ran.output
    assert "monotone" in ran.output and "scoring" not in ran.output  # the chosen model's
    assert re.search(r"EM rounds\s+\d+ \(converged\)", ran.output)


def test_check_says_how_many_items_the_lfs_were_tried_on(make_project, cli):
    """check said "ok" without saying it had applied the LFs to the first 50 items only."""
    rows = [{"id": str(i), "text": "refund" if i % 2 else "crash", "gold": ""}
            for i in range(60)]
    code, out = cli("check", "-p", str(make_project(rows=rows)))
    assert code == 0, out
    assert "ok: 2 labeling functions" in out
    assert ("LFs tried on 50 of 60 items, spread evenly over the data (a run applies them to "
            "all)") in out
    code, out = cli("check", "-p", str(make_project(root=make_project().parent / "small")))
    assert code == 0 and "LFs tried on all 6 items" in out


def test_check_reports_problems(tmp_path):
    root = init(tmp_path / "proj")
    (root / "glossaries" / "oops.yaml").write_text("label: neutral\nterms: [meh]\n")
    result = runner.invoke(app, ["check", "-p", str(root)])
    assert result.exit_code == 1
    assert squash("oops.yaml:1: label 'neutral' is not a project label") in squash(result.output)
    assert squash("valid labels: negative, positive") in squash(result.output)


def test_console_script_subprocess(tmp_path):
    """The installed ``labelwright`` script: errors go to stderr and the exit code is 1."""
    script = Path(sys.executable).with_name("labelwright")
    command = [str(script)] if script.exists() else [
        sys.executable, "-c", "from labelwright.cli import main; main()"]
    root = init(tmp_path / "proj")
    (root / "glossaries" / "oops.yaml").write_text("label: neutral\nterms: [meh]\n")
    done = subprocess.run([*command, "check", "-p", str(root)], capture_output=True, text=True,
                          timeout=300, env={**os.environ, "COLUMNS": "300"})
    assert "label 'neutral' is not a project label" in done.stderr
    assert "Traceback" not in done.stderr
    assert done.returncode == 1


@pytest.mark.parametrize("command", [[], *[[name] for name in command_names(app)]])
def test_help(command):
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage" in result.output


def _leaf_commands(group, path=()):
    """(path, command) of every command that runs something, subcommands included."""
    for name, command in getattr(group, "commands", {}).items():
        if hasattr(command, "commands"):  # a group (typer carries its own click)
            yield from _leaf_commands(command, (*path, name))
        else:
            yield (*path, name), command


def test_help_in_80_columns_shows_every_option_name_whole():
    """In an 80-column terminal or a pipe, `runs prune --help` showed
    `--keep-review-…  --no-keep-revi…` twice, two options cut to look alike."""
    group = typer.main.get_command(app)
    checked = 0
    for path, command in _leaf_commands(group):
        result = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "80"},
                               terminal_width=80)
        assert result.exit_code == 0, result.output
        assert "\u2026" not in result.output, (path, result.output)
        for param in command.params:
            if param.param_type_name == "option":
                for name in (*param.opts, *param.secondary_opts):
                    assert name in result.output, (path, name, result.output)
                    checked += 1
        assert "\\[" not in result.output, (path, result.output)  # rich's escape shown
    assert checked > 100


def test_every_command_is_documented_in_readme():
    readme = REPO_ROOT / "README.md"
    assert readme.is_file(), "README.md is missing at the repo root"
    text = readme.read_text(encoding="utf-8")
    names = command_names(app)
    assert {"init", "check", "analyze", "run"} <= set(names)
    missing = [n for n in names if not re.search(rf"labelwright\s+{re.escape(n)}\b", text)]
    assert missing == [], f"commands not documented in README.md: {missing}"


def test_init_over_a_project_says_what_force_would_lose(tmp_path, monkeypatch):
    """init on a project only said "use --force to overwrite", and --force replaced the
    project's config with the example's; the Next hint was not quoted for a shell."""
    root = tmp_path / "my proj"
    result = runner.invoke(app, ["init", str(root)])
    assert result.exit_code == 0
    assert f"cd {shlex.quote(str(root))} && labelwright run" in " ".join(result.output.split())
    again = runner.invoke(app, ["init", str(root)])
    message = " ".join((str(again.exception) + again.output).split())
    assert again.exit_code != 0
    assert "is a labelwright project already" in message
    assert "your labels, data and settings are lost" in message
    monkeypatch.chdir(tmp_path)
    here = runner.invoke(app, ["init", "."])  # its own folder: no `cd .`
    assert here.exit_code == 0 and "cd ." not in here.output


def test_export_writes_into_the_project_without_out(make_project, cli, tmp_path, monkeypatch):
    """`labelwright export -p PROJECT` wrote training.parquet into the current folder, while
    every other default path is the project's; an explicit --out stays the shell's."""
    root = make_project()
    assert cli("run", "-p", str(root), "--no-report")[0] == 0
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    code, out = cli("export", "-p", str(root))
    assert code == 0, out
    assert f"to {root.resolve() / 'training.parquet'} (" in out
    assert (root / "training.parquet").is_file() and list(elsewhere.iterdir()) == []
    code, out = cli("export", "-p", str(root), "--format", "csv")
    assert code == 0 and (root / "training.csv").is_file(), out
    code, out = cli("export", "-p", str(root), "--out", "mine.jsonl")
    assert code == 0 and (elsewhere / "mine.jsonl").is_file(), out


@pytest.mark.skipif(shutil.which("git") is None, reason="git not installed")
def test_init_gitignore_leaves_out_what_labelwright_writes(tmp_path):
    """The training set export writes into the project by default, and SQLite keeps the
    ledger's log files beside it while it is open: without lines for them, every later run's
    manifest recorded the project as dirty. The ledger itself is the project's record of the
    reviews: not ignored."""
    root = init(tmp_path / "proj")
    subprocess.run(["git", "-C", str(root), "init", "-q"], check=True)
    written = ["runs/x", ".labelwright/cache", "reviews.sqlite-wal", "reviews.sqlite-shm",
               "training.parquet", "training.parquet.provenance.json", "training.spacy"]
    kept = ["reviews.sqlite", "data/training.csv", "labelwright.toml"]
    done = subprocess.run(["git", "-C", str(root), "check-ignore", *written, *kept],
                          capture_output=True, text=True, check=False)
    assert done.stdout.split() == written


def test_check_reads_a_tab_separated_file_of_any_name_with_format_tsv(tmp_path):
    """`[data] format = "tsv"` was refused (valid: csv, jsonl, parquet), and a file without
    the .tsv suffix (UCI's SMSSpamCollection) could not be read at all."""
    root = init(tmp_path / "proj")
    frame = pd.read_csv(root / "data" / "reviews.csv", dtype=str, keep_default_na=False)
    frame.to_csv(root / "data" / "SMSSpamCollection", sep="\t", index=False)
    config = root / "labelwright.toml"
    config.write_text(config.read_text().replace(
        'path = "data/reviews.csv"', 'path = "data/SMSSpamCollection"\nformat = "tsv"'))
    result = runner.invoke(app, ["check", "--project", str(root)])
    assert result.exit_code == 0, result.output
    assert f"{len(frame)} items" in result.output


def test_a_header_less_tsv_with_quotes_of_text_runs_with_quoting_none_and_columns(tmp_path):
    """A message opening with a quote that is text took the lines up to the next quote into
    one item, silently; a file without a header could not be read at all."""
    root = init(tmp_path / "proj")
    frame = pd.read_csv(root / "data" / "reviews.csv", dtype=str, keep_default_na=False)
    frame.loc[1, "text"] = '"Broke" after two days. Returned it.'
    frame.loc[3, "text"] = '"Meh'
    lines = ["\t".join(row) for row in frame[["id", "gold", "text"]].to_numpy().tolist()]
    (root / "data" / "reviews").write_text("\n".join(lines) + "\n", encoding="utf-8")
    config = root / "labelwright.toml"
    config.write_text(config.read_text().replace(
        'path = "data/reviews.csv"', 'path = "data/reviews"\nformat = "tsv"\n'
        'columns = ["id", "gold", "text"]'))

    checked = runner.invoke(app, ["check", "--project", str(root)])
    assert checked.exit_code == 1
    assert squash("data/reviews:2: row 2: a value starts with a quote and has text after "
                  "its closing quote") in squash(checked.output)

    config.write_text(config.read_text().replace("[data]\n", '[data]\nquoting = "none"\n'))
    checked = runner.invoke(app, ["check", "--project", str(root)])
    assert checked.exit_code == 0, checked.output
    assert f"{len(frame)} items" in checked.output
    ran = runner.invoke(app, ["run", "--no-report", "-p", str(root)])
    assert ran.exit_code == 0, ran.output
    run_dir = root / "runs" / (root / "runs" / "LATEST").read_text().strip()
    manifest = json.loads((run_dir / "manifest.json").read_text())
    assert manifest["data"]["rows"] == len(frame)
    assert (manifest["data"]["quoting"], manifest["data"]["columns"]) == \
        ("none", ["id", "gold", "text"])
    labels = pd.read_parquet(run_dir / "labels.parquet")
    assert labels["id"].tolist() == frame["id"].tolist()


@pytest.mark.parametrize("command", [("runs", "list"), ("check",), ("run", "--no-report"),
                                     ("report",), ("explain", "r01"), ("review", "export"),
                                     ("export",), ("train",)])
def test_project_names_the_project_folder_exactly(tmp_path, monkeypatch, cli, command):
    """`--project emptyproj`, an empty folder inside a project, listed, checked and ran the
    project above it."""
    root = init(tmp_path / "proj").resolve()
    (root / "emptyproj").mkdir()
    monkeypatch.chdir(root)
    code, output = cli(*command, "--project", "emptyproj")
    assert code == 1
    assert (f"{root / 'emptyproj'}: not a project folder (no labelwright.toml in it); the "
            f"nearest project above it is {root}: pass --project {root}") in output
    assert not (root / "runs").exists()
    monkeypatch.chdir(root / "emptyproj")  # left out: the project above the current folder
    code, output = cli("runs", "list")
    assert code == 0 and str(root / "runs") in output, output


def test_run_says_how_long_it_took_not_the_sum_of_overlapping_steps(tmp_path, monkeypatch):
    """`run` printed the sum of its step timings, and "write" (kept for older readers)
    is outputs + publish again: a 259 s run said 314 s."""
    import re

    import labelwright.project

    root = init(tmp_path / "proj")
    use_majority(root)
    real = labelwright.project.run_project

    def slow_steps(*args, **kwargs):
        result = real(*args, **kwargs)
        result.timings["write"] = 1e6  # a step no run takes: printed, it would show
        return result

    monkeypatch.setattr(labelwright.project, "run_project", slow_steps)
    ran = runner.invoke(app, ["run", "-p", str(root), "--no-report"])
    assert ran.exit_code == 0, ran.output
    (seconds,) = re.findall(r"written to .* in ([0-9.]+)s", ran.output.replace("\n", ""))
    assert 0 < float(seconds) < 1e6
    # a scheduler's clock counts start-up too (two users found 18 s of 64 s unaccounted):
    # the line gives the process's whole time beside the run's
    from labelwright.cli.elapsed import process_seconds

    whole = process_seconds()
    if whole is not None:  # Linux: read from /proc
        (total,) = re.findall(r"\(([0-9.]+)s with start-up\)", ran.output.replace("\n", ""))
        assert float(seconds) <= float(total) <= whole + 0.1  # printed to a tenth


def test_train_takes_the_run_as_r_as_explain_does():
    """explain --run had -r, train --run had not."""
    group = typer.main.get_command(app)
    for name in ("train", "explain"):
        (run,) = [p for p in group.commands[name].params if p.name == "run"]
        assert set(run.opts) == {"--run", "-r"}, (name, run.opts)


def test_an_engine_named_for_a_run_beside_a_configured_scheduler(make_project, cli):
    """[apply] scheduler with --engine local ran locally without a word; with lf_timeout
    beside it, --engine local failed "cannot be enforced on the dask engine"."""
    root = make_project(extra='[apply]\nscheduler = "tcp://user:secret@127.0.0.1:1"\n'
                              "lf_timeout = 2.0\n")
    for command in ("run", "analyze"):
        code, out = cli(command, "-p", str(root), "--engine", "local")
        assert code == 0, out
        assert out.count("[apply] scheduler (tcp://127.0.0.1:1) is not used by this run: "
                         "--engine local") == 1, out
        assert "secret" not in out
    code, out = cli("check", "-p", str(root))  # a run with no engine named uses dask
    assert code == 1 and "[apply] lf_timeout cannot be enforced on the dask engine, which " \
        "[apply] scheduler chooses" in out, out
    code, out = cli("run", "-p", str(root), "--engine", "local", "--scheduler",
                    "tcp://127.0.0.1:1")
    assert code != 0 and "only works with the dask engine, and the engine is 'local'" in out
