"""``[review] show_fields``: the item's fields a review export shows beside its text (a
reviewer saw the text alone; the subject and channel of a message were in the JSONL only)."""

from __future__ import annotations

import csv
import json
import re
import xml.etree.ElementTree as ET

import pytest

from cli_streams import run_cli
from labelwright.config import load_config
from labelwright.errors import ConfigError, ReviewError
from labelwright.project import run_project
from labelwright.review.imports.file import import_file
from labelwright.review.queue.export import export_review, export_run
from labelwright.review.queue.shown_fields import (
    check_show_fields,
    field_key,
    field_keys,
    renamed_keys,
    shown_values,
)
from review_csv import fill_review_csv
from ticket_data import TICKETS


def _show(root, names: str) -> None:
    config = root / "labelwright.toml"
    config.write_text(config.read_text(encoding="utf-8") + f"\n[review]\nshow_fields = {names}\n",
                      encoding="utf-8")


def _jsonl(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_every_export_shows_the_fields(reviewed_project, tmp_path):
    _show(reviewed_project.root, '["plan"]')
    plans = {r["id"]: r["fields"]["plan"] for r in reviewed_project.queue()}
    run = reviewed_project.run_dir

    sheet = export_run(run, "csv", tmp_path / "q.csv")[0]
    with open(sheet, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0])[4:6] == ["text", "field_plan"]  # beside the text
    assert {r["id"]: r["field_plan"] for r in rows} == plans

    tasks, config = export_run(run, "label-studio", tmp_path / "t.json")
    assert {t["data"]["lw_id"]: t["data"]["field_plan"]
            for t in json.loads(tasks.read_text(encoding="utf-8"))} == plans
    headers = [h.get("value") for h in ET.parse(config).getroot().iter("Header")]
    assert headers[0] == "plan: $field_plan", headers

    prodigy = export_run(run, "prodigy", tmp_path / "p.jsonl")[0]
    assert {t["lw_id"]: t["meta"]["field_plan"] for t in _jsonl(prodigy)} == plans
    doccano = export_run(run, "doccano", tmp_path / "d.jsonl")[0]
    assert {t["lw_id"]: t["field_plan"] for t in _jsonl(doccano)} == plans
    records, settings = export_run(run, "argilla", tmp_path / "a.jsonl")
    assert {t["lw_id"]: t["field_plan"] for t in _jsonl(records)} == plans
    fields = json.loads(settings.read_text(encoding="utf-8"))["fields"]
    assert {"name": "field_plan", "title": "plan", "required": False,
            "settings": {"type": "text", "use_markdown": False}} in fields

    blind = export_run(run, "csv", tmp_path / "b.csv", blind=True)[0]
    with open(blind, encoding="utf-8", newline="") as handle:
        assert {r["id"]: r["field_plan"] for r in csv.DictReader(handle)} == plans


def test_the_sheet_with_the_fields_imports_without_unread_columns(reviewed_project, tmp_path):
    _show(reviewed_project.root, '["plan"]')
    sheet = export_run(reviewed_project.run_dir, "csv", tmp_path / "q.csv")[0]
    fill_review_csv(sheet, sheet, None, "billing")
    report = import_file(reviewed_project.root, sheet, reviewer="alice")
    assert report.unread_warning() is None, report.unread_warning()


def test_an_unknown_field_is_named_with_the_available_ones(reviewed_project, tmp_path):
    _show(reviewed_project.root, '["plna"]')
    with pytest.raises(ReviewError, match=r"\[review\] show_fields: no field 'plna' in the "
                                          r"run's items; did you mean 'plan'\?.*available: "
                                          r".*plan"):
        export_run(reviewed_project.run_dir, "csv", tmp_path / "q.csv")
    assert not (tmp_path / "q.csv").exists()


@pytest.mark.parametrize(("value", "said"), [
    ('"plan"', "must be list"),
    ('["plan", ""]', "must be a list of column names"),
    ('["plan", "plan"]', "names 'plan' twice"),
])
def test_the_setting_must_be_a_list_of_names(reviewed_project, value, said):
    _show(reviewed_project.root, value)
    with pytest.raises(ConfigError, match=said):
        load_config(reviewed_project.root)


def test_a_nested_key_an_object_and_a_missing_value():
    record = {"fields": {"meta": {"customer": {"tier": "gold"}}, "rating": None}}
    assert shown_values(record, ["meta.customer.tier", "meta", "rating"]) == {
        "field_meta_customer_tier": "gold",
        "field_meta": '{"customer": {"tier": "gold"}}',
        "field_rating": ""}


def test_names_without_ascii_letters_keep_apart():
    # as underscores alone both were field___: the sheet's header had two columns and
    # each row one value, so its cells shifted
    names = ["主题", "渠道", "plan"]
    check_show_fields(names, [{"fields": {"主题": "退款", "渠道": "邮件", "plan": "pro"}}])
    keys = [field_key(name) for name in names]
    assert len(set(keys)) == 3, keys
    assert all(re.fullmatch(r"field_[A-Za-z0-9_]+", key) for key in keys), keys
    values = shown_values({"fields": {"主题": "退款", "渠道": "邮件", "plan": "pro"}}, names)
    assert list(values) == keys
    assert list(values.values()) == ["退款", "邮件", "pro"]


@pytest.mark.parametrize(("names", "keys"), [
    (["prénom", "prènom"], ["field_pr_nom", "field_pr_nom_2"]),
    (["meta.tier", "meta_tier"], ["field_meta_tier", "field_meta_tier_2"]),
    (["a-b", "plan", "a b", "a!b"], ["field_a_b", "field_plan", "field_a_b_2", "field_a_b_3"]),
    # a name whose own key is a suffixed one keeps it; the clash takes the next number
    (["prénom", "pr_nom_2", "prènom"], ["field_pr_nom", "field_pr_nom_2", "field_pr_nom_3"]),
])
def test_two_names_with_one_key_keep_apart_in_the_settings_order(names, keys):
    # they had been refused, and the reviewer shown neither field
    check_show_fields(names, [])
    assert list(field_keys(names).values()) == keys
    assert field_keys(names) == field_keys(list(names))  # the same setting, the same keys
    record = {"fields": {name: f"value of {name}" for name in names}}
    assert shown_values(record, names) == {key: f"value of {name}"
                                           for key, name in zip(keys, names)}


def test_only_the_names_that_share_a_key_are_named():
    assert renamed_keys(["plan", "prénom", "prènom"]) == [("field_pr_nom", "prénom"),
                                                        ("field_pr_nom_2", "prènom")]
    assert renamed_keys(["plan", "主题", "渠道"]) == []


def _with_accented_fields(monkeypatch):
    """The run's records hold ``prénom`` and ``prènom`` too, as a run of such data would."""
    import labelwright.review.queue.export as export

    read_run_queue = export.read_run_queue

    def with_fields(*args, **kwargs):
        queue = read_run_queue(*args, **kwargs)
        for record in queue.records:
            record["fields"].update({"prénom": f"é {record['id']}", "prènom": f"è {record['id']}"})
        return queue

    monkeypatch.setattr(export, "read_run_queue", with_fields)


def test_every_export_keeps_fields_of_one_key_apart(reviewed_project, tmp_path, monkeypatch):
    _with_accented_fields(monkeypatch)
    _show(reviewed_project.root, '["prénom", "prènom"]')
    run = reviewed_project.run_dir
    keys = ("field_pr_nom", "field_pr_nom_2")

    def both(found, ident):
        assert (found[keys[0]], found[keys[1]]) == (f"é {ident}", f"è {ident}"), found

    exported = export_review(run, "csv", tmp_path / "q.csv")
    assert exported.renamed_fields == (("field_pr_nom", "prénom"), ("field_pr_nom_2", "prènom"))
    with open(exported.files[0], encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0])[5:7] == list(keys)
    for row in rows:
        both(row, row["id"])
    tasks, config = export_run(run, "label-studio", tmp_path / "t.json")
    for task in json.loads(tasks.read_text(encoding="utf-8")):
        both(task["data"], task["data"]["lw_id"])
    headers = [h.get("value") for h in ET.parse(config).getroot().iter("Header")]
    assert headers[:2] == ["prénom: $field_pr_nom", "prènom: $field_pr_nom_2"], headers
    for task in _jsonl(export_run(run, "prodigy", tmp_path / "p.jsonl")[0]):
        both(task["meta"], task["lw_id"])
    for record in _jsonl(export_run(run, "doccano", tmp_path / "d.jsonl")[0]):
        both(record, record["lw_id"])
    records, settings = export_run(run, "argilla", tmp_path / "a.jsonl")
    for record in _jsonl(records):
        both(record, record["lw_id"])
    fields = json.loads(settings.read_text(encoding="utf-8"))["fields"]
    assert [(f["name"], f["title"]) for f in fields[1:]] == [
        ("field_pr_nom", "prénom"), ("field_pr_nom_2", "prènom")]
    fill_review_csv(exported.files[0], exported.files[0], None, "billing")
    report = import_file(reviewed_project.root, exported.files[0], reviewer="alice")
    assert (report.bad, report.added) == (0, len(rows)), report.problems


def test_the_export_line_says_which_key_is_which(reviewed_project, tmp_path, monkeypatch, cli):
    _with_accented_fields(monkeypatch)
    _show(reviewed_project.root, '["prénom", "prènom"]')
    code, out = cli("review", "export", "-p", str(reviewed_project.root),
                    "--out", str(tmp_path / "q.csv"))
    assert code == 0, out
    assert "field_pr_nom is 'prénom', field_pr_nom_2 is 'prènom'" in out


def test_a_sheet_with_chinese_field_names_imports(reviewed_project, tmp_path, monkeypatch):
    # with both names as field___ every row held one value fewer than the header
    import labelwright.review.queue.export as export

    def with_chinese_fields(*args, **kwargs):
        queue = read_run_queue(*args, **kwargs)
        for record in queue.records:  # the data's columns, as a run of such data has them
            record["fields"].update({"主题": f"退款 {record['id']}", "渠道": "邮件"})
        return queue

    read_run_queue = export.read_run_queue
    monkeypatch.setattr(export, "read_run_queue", with_chinese_fields)
    _show(reviewed_project.root, '["主题", "渠道"]')
    sheet = export_run(reviewed_project.run_dir, "csv", tmp_path / "q.csv")[0]
    with open(sheet, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    keys = [field_key("主题"), field_key("渠道")]
    assert list(rows[0])[5:7] == keys
    assert all((r[keys[0]], r[keys[1]]) == (f"退款 {r['id']}", "邮件") for r in rows), rows[0]
    fill_review_csv(sheet, sheet, None, "billing")
    report = import_file(reviewed_project.root, sheet, reviewer="alice")
    assert report.unread_warning() is None, report.unread_warning()
    assert (report.bad, report.added) == (0, len(rows)), report.problems


def _csv_rows(path):
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_runs_own_sheets_show_the_fields_as_the_export_does(make_project, tmp_path):
    # the run's review.csv and sample.csv had no field columns: only `review export` did
    root = make_project(gold=None, extra="random_sample = 4\n")
    _show(root, '["plan"]')
    result = run_project(root, report=False)
    for name in ("review", "sample"):
        jsonl = {r["id"]: r["fields"]["plan"] for r in _jsonl(result.run_dir / f"{name}.jsonl")}
        rows = _csv_rows(result.run_dir / f"{name}.csv")
        assert list(rows[0])[4:6] == ["text", "field_plan"], name
        assert {r["id"]: r["field_plan"] for r in rows} == jsonl and jsonl, name
    exported = export_run(result.run_dir, "csv", tmp_path / "q.csv")[0]
    assert list(_csv_rows(exported)[0]) == list(_csv_rows(result.run_dir / "review.csv")[0])
    assert not any("show_fields" in w for w in result.warnings), result.warnings


def test_a_run_shows_a_field_the_data_lacks_empty_and_says_so(make_project):
    root = make_project(gold=None)
    _show(root, '["plna", "plan", "pl-an"]')
    result = run_project(root, report=False)
    (said,) = [w for w in result.warnings if "show_fields" in w]
    assert "no field 'plna' in the data; did you mean 'plan'?" in said, said
    assert "'plna' (field_plna), 'pl-an' (field_pl_an) empty" in said, said
    rows = _csv_rows(result.run_dir / "review.csv")
    assert list(rows[0])[5:8] == ["field_plna", "field_plan", "field_pl_an"]
    assert {r["field_plna"] for r in rows} == {""} and all(r["field_plan"] for r in rows)


def test_a_run_says_once_which_renamed_key_is_which(make_project, monkeypatch, capsys):
    """The run's review.csv keeps two names of one key apart (field_pr_nom_2), but only
    review export said which key is which; the run says it once, and run --json has it."""
    rows = [{**row, "prénom": f"é{k}", "prènom": f"è{k}"} for k, row in enumerate(TICKETS)]
    root = make_project(rows=rows, gold=None, extra="random_sample = 4\n")
    _show(root, '["prénom", "prènom"]')
    code, out, err = run_cli(monkeypatch, capsys, "run", "-p", str(root), "--no-report")
    said = " ".join(out.split())
    assert code == 0, err
    line = ("review.csv and sample.csv: [review] show_fields with one key apart: "
            "field_pr_nom is 'prénom', field_pr_nom_2 is 'prènom'")
    assert said.count(line) == 1, said
    code, out, err = run_cli(monkeypatch, capsys, "run", "-p", str(root), "--no-report",
                             "--json")
    assert code == 0, err
    assert json.loads(out)["show_fields_renamed"] == {"field_pr_nom": "prénom",
                                                      "field_pr_nom_2": "prènom"}


def test_a_run_without_renamed_keys_says_nothing_of_them(make_project, monkeypatch, capsys):
    root = make_project(gold=None)
    _show(root, '["plan"]')
    code, out, err = run_cli(monkeypatch, capsys, "run", "-p", str(root), "--no-report",
                             "--json")
    assert code == 0, err
    assert json.loads(out)["show_fields_renamed"] == {}
    assert "one key apart" not in out + err
