"""Review exports in each tool's format, read back from a real run folder."""

from __future__ import annotations

import csv
import json
import re
import xml.etree.ElementTree as ET

import pytest
import typer
from typer.testing import CliRunner

from labelwright.cli.review import review_app
from labelwright.errors import ReviewError
from labelwright.review.imports.file import import_file
from labelwright.review.queue.budget import budget_size, cut_to_budget, parse_budget
from labelwright.review.queue.export import EXPORT_FORMATS, export_run
from labelwright.runs.store import read_manifest

LABELS = ["billing", "technical"]


def _jsonl(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _record(item_id, text, export="queue"):
    """A review record as review_records makes it, with nothing to suggest."""
    return {"id": item_id, "run_id": "r1", "text": text, "suggested_label": None,
            "confidence": 0.5, "reasons": [], "signals": [], "votes": {},
            "glossary_matches": [], "export": export}


def test_every_format_carries_item_and_run_ids(reviewed_project, tmp_path):
    queue_ids = [r["id"] for r in reviewed_project.queue()]
    run_id = reviewed_project.run_id
    for fmt in EXPORT_FORMATS:
        out = tmp_path / f"queue-{fmt}.out"
        written = export_run(reviewed_project.run_dir, fmt, out)
        assert written[0] == out and out.is_file(), fmt
        text = out.read_text(encoding="utf-8")
        for item_id in queue_ids:
            assert item_id in text, (fmt, item_id)
        assert run_id in text, fmt


def test_label_studio_tasks_and_config(reviewed_project, tmp_path):
    tasks_path, config_path = export_run(reviewed_project.run_dir, "label-studio",
                                         tmp_path / "tasks.json")
    tasks = json.loads(tasks_path.read_text(encoding="utf-8"))
    by_id = {t["data"]["lw_id"]: t for t in tasks}
    assert set(by_id) == {"t5", "t6"}
    audit = by_id["t6"]
    assert audit["data"]["lw_run_id"] == reviewed_project.run_id
    assert audit["data"]["lw_project"] == "test"
    (prediction,) = audit["predictions"]
    assert prediction["score"] == pytest.approx(1.0)
    (result,) = prediction["result"]
    assert result == {"from_name": "label", "to_name": "text", "type": "choices",
                      "value": {"choices": ["technical"]}}
    assert "predictions" not in by_id["t5"]  # uncovered: nothing to suggest
    view = ET.fromstring(config_path.read_text(encoding="utf-8"))
    choices = view.find("Choices")
    assert choices is not None and choices.get("toName") == "text"
    assert [c.get("value") for c in choices.findall("Choice")] == LABELS
    assert view.find("Text").get("value") == "$text"


@pytest.mark.parametrize("blind", [False, True])
def test_label_studio_shows_each_line_of_a_text_in_its_own_direction(blind):
    """Label Studio showed Arabic texts left to right (an Arabic-language team added a
    style by hand): the config styles the text's lines (Label Studio 1.23 writes each as a
    span of this class) to take their direction from their first letter."""
    from labelwright.review.queue.tools import label_studio_config

    view = ET.fromstring(label_studio_config(["فواتير", "تقني"], blind=blind))
    (style,) = view.findall("Style")
    rule = re.fullmatch(r"\s*(\S+)\s*\{\s*([^}]*?);?\s*\}\s*", style.text or "")
    assert rule is not None, style.text
    assert rule.group(1) == ".lsf-richtext__line"
    assert [p.strip() for p in rule.group(2).split(":")] == ["unicode-bidi", "plaintext"]
    assert list(view).index(style) < list(view).index(view.find("Text"))


def _label_studio_shows(value, data):
    """What Label Studio shows for a tag's ``value``: its parseValue (src/utils/data.js)
    gives a lone ``$field`` the field's value, and replaces each ``$field`` inside text
    with it (a field the task lacks becomes "undefined")."""
    fields = re.compile(r"\$[\w[\].{}]+")
    found = fields.findall(value)
    if found and found[0] == value:
        return data.get(value[1:], "")
    return fields.sub(lambda m: str(data.get(m.group(0)[1:], "undefined")), value)


def test_label_studio_shows_the_votes_and_glossary_terms_on_the_labeling_screen():
    """The config named only the text, the suggestion and the reasons: the LF votes and
    the glossary terms with their notes were in the Data Manager's columns alone."""
    from labelwright.review.queue.tools import label_studio_config, label_studio_tasks

    match = {"glossary": "billing_terms", "label": "billing", "term": "refund",
             "text": "refund", "note": "Check the payment date.", "excluded_by": None}
    full = {**_record("a", "a refund please"), "suggested_label": "billing",
            "votes": {"keyword": "billing"}, "glossary_matches": [match]}
    empty = _record("b", "hello")
    view = ET.fromstring(label_studio_config(LABELS))
    values = [tag.get("value") for tag in view.iter() if tag.tag in ("Header", "Text")]
    tasks = label_studio_tasks([full, empty], project="test")
    shown = [[_label_studio_shows(v, t["data"]) for v in values] for t in tasks]
    assert "LF votes: keyword: billing" in shown[0]
    assert "Glossary terms: refund [billing_terms → billing]: Check the payment date." \
        in shown[0]
    # no votes, no terms: the headers render, with nothing after them
    assert {"LF votes: ", "Glossary terms: "} <= set(shown[1])
    assert not any("undefined" in str(line) for lines in shown for line in lines)


def _glossary_terms(fmt, record):
    """The ``glossary_terms`` a tool's record of ``record`` shows its reviewer."""
    from labelwright.review.queue import tools

    if fmt == "label-studio":
        return tools.label_studio_tasks([record], project="test")[0]["data"]["glossary_terms"]
    if fmt == "prodigy":
        return tools.prodigy_tasks([record], labels=LABELS, project="test")[0]["meta"][
            "glossary_terms"]
    if fmt == "doccano":
        return tools.doccano_records([record], project="test")[0]["glossary_terms"]
    return tools.argilla_records([record], project="test")[0].get("glossary_terms")


@pytest.mark.parametrize("fmt", ["label-studio", "prodigy", "doccano", "argilla"])
def test_every_tool_shows_cancelled_glossary_matches_as_the_csv_does(fmt, tmp_path):
    """The tools showed only the matches no exclusion cancelled: "I don't need a password
    reset, the keyboard is broken" showed only the keyboard, and an item whose only match
    was cancelled showed no term at all, where the CSV showed both with what cancelled one."""
    from labelwright.review.queue.export import write_csv

    live = {"glossary": "hardware", "label": "technical", "term": "keyboard",
            "text": "keyboard", "note": None, "excluded_by": None}
    cancelled = {"glossary": "access", "label": "billing", "term": "password",
                 "text": "password", "note": "Reset via self-service first.",
                 "excluded_by": "not"}
    both = {**_record("a", "I don't need a password reset, the keyboard is broken"),
            "glossary_matches": [cancelled, live]}
    only = {**_record("b", "CANNOT LOG IN"), "glossary_matches": [{**cancelled,
                                                                   "text": "LOG IN"}]}
    csv_fields = {"rank": 1, "probabilities": dict.fromkeys(LABELS, 0.5)}
    write_csv([{**both, **csv_fields}, {**only, **csv_fields}], tmp_path / "q.csv",
              labels=LABELS, lf_names=[])
    with open(tmp_path / "q.csv", encoding="utf-8", newline="") as handle:
        csv_terms = [row["glossary_terms"] for row in csv.DictReader(handle)]
    assert csv_terms[0] == ("password [access → billing] (cancelled by 'not'): Reset via "
                            "self-service first. | keyboard [hardware → technical]")
    assert [_glossary_terms(fmt, r) for r in (both, only)] == csv_terms


def _field(fmt, record, name):
    """The field ``name`` of a tool's record of ``record``."""
    from labelwright.review.queue import tools

    if fmt == "label-studio":
        return tools.label_studio_tasks([record], project="test")[0]["data"][name]
    if fmt == "prodigy":
        return tools.prodigy_tasks([record], labels=LABELS, project="test")[0]["meta"][name]
    if fmt == "doccano":
        return tools.doccano_records([record], project="test")[0][name]
    return tools.argilla_records([record], project="test")[0][name]


@pytest.mark.parametrize("fmt", ["label-studio", "prodigy", "doccano", "argilla"])
def test_every_tool_joins_the_signals_as_the_csv_does(fmt, tmp_path):
    """The CSV's signals column joined the ranking signals with ';' and the tools with
    ', ': a script reading two exports of one queue split one of them wrongly."""
    from labelwright.review.queue.csv_sheet import SIGNALS_SEPARATOR
    from labelwright.review.queue.export import write_csv

    record = {**_record("a", "The app crashes"), "signals": ["small_margin", "cleanlab"],
              "rank": 1, "probabilities": dict.fromkeys(LABELS, 0.5)}
    write_csv([record], tmp_path / "q.csv", labels=LABELS, lf_names=[])
    with open(tmp_path / "q.csv", encoding="utf-8", newline="") as handle:
        (row,) = csv.DictReader(handle)
    assert row["signals"] == "small_margin;cleanlab"  # as the CSV's readers read it
    assert _field(fmt, record, "signals") == row["signals"]
    assert row["signals"].split(SIGNALS_SEPARATOR) == record["signals"]


def test_prodigy_textcat_choice_tasks(reviewed_project, tmp_path):
    (path,) = export_run(reviewed_project.run_dir, "prodigy", tmp_path / "p.jsonl")
    tasks = {t["lw_id"]: t for t in _jsonl(path)}
    task = tasks["t6"]
    assert task["options"] == [{"id": label, "text": label} for label in LABELS]
    assert task["accept"] == ["technical"]
    assert task["meta"]["id"] == "t6" and task["meta"]["run_id"] == reviewed_project.run_id
    assert "accept" not in tasks["t5"]


def test_prodigy_tasks_of_items_with_one_text_are_two_tasks():
    """Without hashes Prodigy hashes a task from its text and options, and drops a second
    item with the same text (or a second empty text) from the stream as a duplicate."""
    from labelwright.review.queue.tools import prodigy_tasks

    def record(item_id, text):
        return {"id": item_id, "run_id": "r1", "text": text, "suggested_label": None,
                "confidence": 0.5, "reasons": [], "signals": [], "votes": {},
                "glossary_matches": [], "export": "queue"}

    records = [record("a", "same words"), record("b", "same words"), record("c", ""),
               record("d", "")]
    tasks = prodigy_tasks(records, labels=LABELS, project="test")
    assert len({t["_input_hash"] for t in tasks}) == 4
    assert len({t["_task_hash"] for t in tasks}) == 4
    assert all(isinstance(t["_input_hash"], int) and -2**31 <= t["_input_hash"] < 2**31
               for t in tasks)
    again = prodigy_tasks(records, labels=LABELS, project="test")  # stable across exports
    assert [t["_task_hash"] for t in again] == [t["_task_hash"] for t in tasks]
    other_labels = prodigy_tasks(records, labels=[*LABELS, "other"], project="test")
    assert other_labels[0]["_input_hash"] == tasks[0]["_input_hash"]
    assert other_labels[0]["_task_hash"] != tasks[0]["_task_hash"]


def test_the_samples_copy_of_a_queue_item_has_its_own_tool_ids():
    """Prodigy skips a task whose hash its dataset holds and Argilla's records.log replaces
    a record with a known id: with one hash and id in both exports, an item in the queue
    and the random sample lost its sample copy in a tool project holding both."""
    from labelwright.review.queue.tools import argilla_records, prodigy_tasks

    queue, sample = _record("a", "same words"), _record("a", "same words", "sample")
    q, s = prodigy_tasks([queue, sample], labels=LABELS, project="test")
    assert q["_input_hash"] != s["_input_hash"] and q["_task_hash"] != s["_task_hash"]
    # the queue's input hash is that of earlier exports, which a Prodigy dataset may hold
    # (its task hash holds the run id: see test_a_later_runs_prodigy_task_is_a_new_question)
    assert q["_input_hash"] == 1854675992
    assert s["lw_id"] == "a" and s["lw_export"] == "sample"
    aq, as_ = argilla_records([queue, sample], project="test")
    assert (aq["id"], as_["id"]) == ("a", "sample:a")
    assert aq["lw_id"] == as_["lw_id"] == "a"


def test_an_argilla_sample_record_imports_as_its_item(reviewed_project, tmp_path):
    """The item id of an Argilla record is its lw_id metadata; a file without it (exported
    before it existed, or logged into a dataset made with the older settings, which drops
    it) gives the item by the record id, without the sample mark."""
    from labelwright.review.imports.readers import read_rows

    run = reviewed_project.run_id
    flat = {"_server_id": "s-1", "status": "completed", "lw_run_id": run, "lw_project": "test",
            "lw_export": "sample", "label.responses": ["billing"],
            "label.responses.users": ["u-1"], "label.responses.status": ["submitted"]}
    path = tmp_path / "argilla.jsonl"
    records = [{**flat, "id": "sample:t6", "lw_id": "t6"},  # this export, flattened
               {**flat, "id": "sample:t5"},  # lw_id dropped by older settings
               {**flat, "id": "t4"},  # exported before either
               {"id": "sample:t3", "status": "completed", "_server_id": "s-2",  # nested
                "metadata": {"lw_id": "t3", "lw_run_id": run, "lw_export": "sample"},
                "responses": {"label": [{"value": "billing", "user_id": "u-1",
                                         "status": "submitted"}]}}]
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    rows = read_rows(path, "argilla")
    assert [(r.item_id, r.export, r.label) for r in rows] == [
        ("t6", "sample", "billing"), ("t5", "sample", "billing"), ("t4", "sample", "billing"),
        ("t3", "sample", "billing")]


def test_an_argilla_export_without_responses_is_read_as_argillas(tmp_path):
    """A dataset no one has answered yet flattens to records without a .responses key,
    whose lw_id metadata made them look like doccano's; every Argilla 2.x record has a
    _server_id."""
    from labelwright.review.imports.readers import detect_format, read_rows

    path = tmp_path / "reviewed.json"
    path.write_text(json.dumps([{"id": "t6", "status": "pending", "_server_id": "s-1",
                                 "text": "x", "lw_id": "t6", "lw_run_id": "r1",
                                 "lw_export": "queue", "label.suggestion": "billing"}]),
                    encoding="utf-8")
    assert detect_format(path) == "argilla"
    assert [r.skip for r in read_rows(path, "argilla")] == ["no response in Argilla"]


def test_doccano_never_preloads_a_label(reviewed_project, tmp_path):
    (path,) = export_run(reviewed_project.run_dir, "doccano", tmp_path / "d.jsonl")
    rows = _jsonl(path)
    assert all("label" not in row and "text" in row for row in rows)
    # an item without a label shows "(none)", which no label can be ("none" can)
    assert {row["suggested_label"] for row in rows} == {"technical", "(none)"}


def test_argilla_records_are_flat_as_records_log_takes_them(reviewed_project, tmp_path):
    """The nested records (fields / metadata / suggestions lists) lost their text, metadata
    and suggestion in Argilla 2.x's records.log; its settings JSON did not load."""
    path, settings = export_run(reviewed_project.run_dir, "argilla", tmp_path / "a.jsonl")
    records = {r["id"]: r for r in _jsonl(path)}
    t6 = records["t6"]
    assert t6["text"] == "The invoice is wrong and the app crashes"
    assert t6["label"] == "technical" and t6["label_score"] == pytest.approx(1.0)
    assert t6["label_agent"] == f"labelwright {reviewed_project.run_id}"
    assert t6["lw_run_id"] == reviewed_project.run_id and t6["lw_export"] == "queue"
    config = json.loads(settings.read_text())
    assert config["questions"][0]["settings"]["options"] == [
        {"value": label, "text": label} for label in LABELS]
    assert config["mapping"] == {"label_score": "label.suggestion.score",
                                 "label_agent": "label.suggestion.agent"}
    # every key of a record is the field, the question, the id, a mapped key or a
    # declared metadata property: nothing Argilla would drop
    known = ({"id"} | {f["name"] for f in config["fields"]}
             | {q["name"] for q in config["questions"]} | set(config["mapping"])
             | {m["name"] for m in config["metadata"]})
    assert all(set(r) <= known for r in records.values())


def test_csv_keeps_an_empty_review_label_column(reviewed_project, tmp_path):
    (path,) = export_run(reviewed_project.run_dir, "csv", tmp_path / "q.csv")
    header, first = path.read_text(encoding="utf-8").splitlines()[:2]
    assert header.split(",")[:7] == ["id", "run_id", "project", "rank", "text",
                                     "suggested_label", "review_label"]
    project = read_manifest(reviewed_project.run_dir)["project"]["name"]
    assert project and first.startswith(f"t5,{reviewed_project.run_id},{project},1,")


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_csv_and_jsonl_rows_from_another_project_are_refused(reviewed_project, tmp_path, fmt):
    """Only the tool formats carried the project name; a CSV or JSONL file exported from
    another project with the same ids imported into this one."""
    (path,) = export_run(reviewed_project.run_dir, fmt, tmp_path / f"q.{fmt}")
    manifest = read_manifest(reviewed_project.run_dir)
    project, label = manifest["project"]["name"], manifest["project"]["labels"][0]
    text = path.read_text(encoding="utf-8")
    if fmt == "csv":
        import csv
        import io

        rows = list(csv.DictReader(io.StringIO(text, newline="")))[:1]
        rows[0].update(project="elsewhere", review_label=label)
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
        path.write_text(out.getvalue(), encoding="utf-8")
    else:
        record = json.loads(text.splitlines()[0])
        record.update(project="elsewhere", review_label=label)
        path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    with pytest.raises(ReviewError, match=f"item from project 'elsewhere'; this project is "
                                          f"'{project}'"):
        import_file(reviewed_project.root, path, reviewer="ann")


def test_unknown_format_lists_the_valid_ones(reviewed_project):
    with pytest.raises(ValueError, match="label-studio, prodigy"):
        export_run(reviewed_project.run_dir, "excel")


def test_budget_cuts_the_head_of_the_queue(reviewed_project, tmp_path):
    (path,) = export_run(reviewed_project.run_dir, "jsonl", tmp_path / "q.jsonl", budget=1)
    assert [r["id"] for r in _jsonl(path)] == ["t5"]


@pytest.mark.parametrize(("budget", "expected"), [
    (None, 10), (3, 3), (0, 0), (50, 10), (0.25, 3), (1.0, 10), (0.01, 1), (20.0, 10)])
def test_budget_size(budget, expected):
    assert budget_size(10, budget) == expected
    assert len(cut_to_budget(list(range(10)), budget)) == expected


@pytest.mark.parametrize("bad", [-1, 1.5, True])
def test_bad_budgets_are_refused(bad):
    with pytest.raises(ValueError):
        budget_size(10, bad)


def test_parse_budget():
    assert parse_budget("50") == 50
    assert parse_budget("0.1") == pytest.approx(0.1)
    assert parse_budget("10%") == pytest.approx(0.1)
    with pytest.raises(ValueError, match="expected a count"):
        parse_budget("lots")
    # 200% read as 2.0, which a budget takes for a count: 2 items
    for bad in ("200%", "-5%"):
        with pytest.raises(ValueError, match="a percentage of the queue is 0% to 100%"):
            parse_budget(bad)
    assert parse_budget("100%") == 1.0


def test_a_percentage_keeps_no_item_past_it():
    """7% of 100 items kept 8: 0.07 * 100 is 7.000000000000001 in floats."""
    for percent in range(1, 101):
        for n in (100, 200, 1000):
            assert budget_size(n, parse_budget(f"{percent}%")) == percent * n // 100


def test_cli_review_export(reviewed_project, tmp_path):
    app = typer.Typer()
    app.add_typer(review_app, name="review")
    out = tmp_path / "tasks.json"
    result = CliRunner().invoke(app, ["review", "export", "--format", "label-studio", "--out",
                                      str(out), "--project", str(reviewed_project.root)])
    assert result.exit_code == 0, result.output
    assert "2 of 2 queued items" in " ".join(result.output.split())
    assert out.is_file() and (tmp_path / "tasks.label_config.xml").is_file()


def test_a_project_named_after_its_folder_imports_its_files_after_a_rename(make_project,
                                                                          tmp_path):
    """Without [project] name the name is the folder's: renaming the folder made every row
    of a file exported before "from another project"."""
    from labelwright.project import run_project
    from review_csv import fill_review_csv

    root = make_project(root=tmp_path / "tickets")
    config = root / "labelwright.toml"
    config.write_text(config.read_text().replace('name = "test"\n', ""))
    run_dir = run_project(root, report=False).run_dir
    (exported,) = export_run(run_dir, "csv", tmp_path / "q.csv")
    moved = root.rename(tmp_path / "tickets-renamed")
    fill_review_csv(exported, tmp_path / "done.csv", [0], "billing")
    report = import_file(moved, tmp_path / "done.csv", reviewer="ann")
    assert report.added == 1


def test_an_empty_export_says_nothing_was_exported_and_why(reviewed_project, make_project,
                                                           tmp_path, cli):
    """--budget 0, or a run that queued nothing, wrote an empty file without a word; the
    README's Argilla snippet then failed on it ("No records provided to ingest")."""
    from labelwright.project import run_project
    from review_csv import fill_review_csv

    out = tmp_path / "none.jsonl"
    code, output = cli("review", "export", "--format", "argilla", "--budget", "0", "--out",
                       str(out), "--project", str(reviewed_project.root))
    assert code == 0, output
    assert ("warning: nothing exported: --budget 0 keeps none of the 2 queued items; the "
            "file(s) hold no records") in output
    assert out.read_text(encoding="utf-8") == ""  # written: no earlier export stays there

    root = make_project(root=tmp_path / "all-reviewed")
    config = root / "labelwright.toml"
    config.write_text(config.read_text().replace("audit_size = 1", "audit_size = 0"))
    run_dir = run_project(root, report=False).run_dir
    (queue,) = export_run(run_dir, "csv", tmp_path / "queue.csv")
    fill_review_csv(queue, tmp_path / "done.csv", None, LABELS[0])
    assert import_file(root, tmp_path / "done.csv", reviewer="ann").added
    after = run_project(root, report=False).run_dir
    code, output = cli("review", "export", "--format", "prodigy", "--out",
                       str(tmp_path / "q.jsonl"), "--project", str(root))
    assert code == 0, output
    assert f"0 of 0 queued items from run {after.name}" in output
    assert (f"nothing exported: run {after.name} queued no items (none needs review: each "
            "is accepted or reviewed already") in output


def test_a_label_label_studio_would_read_as_a_task_field_is_refused(make_project, tmp_path):
    """Label Studio replaces $name in a <Choice> value by the task's field: the label
    "$5 plan" was shown and saved as "undefined plan", which no import takes back."""
    from labelwright.project import run_project

    labels = ("billing", "technical", "$5 plan", "refund $amount", "US$", "$ off")
    run_dir = run_project(make_project(labels=labels), report=False).run_dir
    out = tmp_path / "new-folder" / "tasks.json"
    with pytest.raises(ReviewError) as caught:
        export_run(run_dir, "label-studio", out)
    message = str(caught.value)
    assert ("label(s) '$5 plan' ('$5'), 'refund $amount' ('$amount') cannot go through "
            "Label Studio") in message
    assert "rename the label(s) in [project] labels" in message and "prodigy" in message
    assert not out.parent.exists()  # refused before the folder for it is made
    # a '$' before a space or at the end is no field: those labels export
    from labelwright.review.queue.tools import check_label_studio_labels

    check_label_studio_labels(["US$", "$ off", "5$"])


def test_reason_keeps_the_queue_items_with_it_before_the_budget(reviewed_project, tmp_path):
    """The audit sample sits at the queue's tail: `--budget` keeps the head, so the only way
    to review it was to export the whole queue and filter it by hand."""
    from labelwright.review.queue.export import read_review

    queue = read_review(reviewed_project.run_dir)
    audit = [r["id"] for r in queue if "audit" in r["reasons"]]
    assert audit and queue[0]["id"] not in audit  # not the head of the queue
    (path,) = export_run(reviewed_project.run_dir, "jsonl", tmp_path / "a.jsonl",
                         reasons=["audit"], budget=1)
    assert [r["id"] for r in _jsonl(path)] == audit[:1]
    (path,) = export_run(reviewed_project.run_dir, "jsonl", tmp_path / "b.jsonl",
                         reasons=["audit", "conflict", "low_confidence", "uncovered"])
    assert [r["id"] for r in _jsonl(path)] == [r["id"] for r in queue if r["reasons"]]
    for bad in ([], "audit"):  # nothing kept, or "audit" read letter by letter
        with pytest.raises(ValueError, match=r"--reason \(reasons= from Python\) takes a list"):
            export_run(reviewed_project.run_dir, "jsonl", tmp_path / "c.jsonl", reasons=bad)
    with pytest.raises(ValueError, match="unknown reason 'adit'; did you mean 'audit'.*"
                                         "valid: disputed, copies_disagree, stale, "
                                         "second_opinion, conflict, low_confidence, "
                                         "against_votes, unread, uncovered, audit"):
        export_run(reviewed_project.run_dir, "jsonl", tmp_path / "c.jsonl", reasons=["adit"])
    with pytest.raises(ValueError, match="the random sample .* has none"):
        export_run(reviewed_project.run_dir, "jsonl", tmp_path / "c.jsonl", reasons=["audit"],
                   sample=True)

    app = typer.Typer()
    app.add_typer(review_app, name="review")
    result = CliRunner().invoke(app, ["review", "export", "--reason", "audit", "--format",
                                      "csv", "--out", str(tmp_path / "audit.csv"),
                                      "--project", str(reviewed_project.root)])
    assert result.exit_code == 0, result.output
    assert f"{len(audit)} of {len(audit)} queued (audit) item" in " ".join(result.output.split())


def test_a_later_runs_prodigy_task_is_a_new_question(reviewed_project, tmp_path):
    """Prodigy skips a task whose _task_hash its dataset holds answered: an item raters
    split on, queued again by the next run for an adjudicator, had the hash of the question
    the raters answered, so the adjudicator, in the same dataset, was never shown it."""
    from labelwright.review.decisions import ledger
    from labelwright.review.queue.tools import _hash32, prodigy_tasks

    first = prodigy_tasks([_record("a", "same words")], labels=LABELS, project="test")[0]
    later = prodigy_tasks([{**_record("a", "same words"), "run_id": "r2"}], labels=LABELS,
                          project="test")[0]
    assert later["_input_hash"] == first["_input_hash"]  # Prodigy groups answers by input
    assert later["_task_hash"] != first["_task_hash"]
    # decisions are matched to items by the ids the task carries, not by its hashes: an
    # answer to an export from before the run id was in the hash imports as before
    path = export_run(reviewed_project.run_dir, "prodigy", tmp_path / "prodigy.jsonl")[0]
    task = json.loads(path.read_text(encoding="utf-8").splitlines()[0])
    task.update(answer="accept", accept=["billing"], _annotator_id="reviews-ana",
                _task_hash=_hash32(task["_input_hash"], *LABELS))
    answered = tmp_path / "db-out.jsonl"
    answered.write_text(json.dumps(task) + "\n", encoding="utf-8")
    import_file(reviewed_project.root, answered, reviewer="ana")
    (d,) = ledger.read_decisions(ledger.ledger_path(reviewed_project.root))
    assert (d.item_id, d.run_id, d.label) == (task["lw_id"], reviewed_project.run_id, "billing")


def test_label_studio_header_of_a_shown_field_named_with_a_dollar_keeps_its_name():
    """A ``[review] show_fields`` column named ``$total`` was written into its header as
    ``$total: $field__total``, and Label Studio put the value of a task field ``total``
    (none: "undefined") where the name was; the name now shows as written (a zero-width
    space after the ``$``, which its field pattern does not read on)."""
    from labelwright.review.queue.label_studio import label_studio_config

    view = ET.fromstring(label_studio_config(LABELS, show=["$total", "US$ plan"]))
    values = [tag.get("value") for tag in view.iter() if tag.tag == "Header"]
    data = {"field__total": "12.50", "field_US__plan": "basic"}
    shown = [_label_studio_shows(value, data) for value in values]
    assert "$\u200btotal: 12.50" in shown
    assert "US$ plan: basic" in shown
