"""``[review] definitions``: what each label means, as the team decided it, shown with the
label choices of the review tools' exports. Three reviewers in three tools saw the bare
label names ("promo", "spam") and drew the line between them each their own way."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest
from test_same_rater import set_review

from labelwright.config import load_config
from labelwright.errors import ConfigError, ReviewError
from labelwright.review.imports.file import import_file
from labelwright.review.queue.export import export_run

MEANT = {"billing": "Money: invoices, refunds, charges.",
         "technical": "Something does not work as it should."}


def _define(root, table: str) -> None:
    set_review(root, f"definitions = {table}")


def _jsonl(path):  # a Prodigy tasks file, one task a line
    return list(map(json.loads, path.read_text(encoding="utf-8").splitlines()))


def test_the_tools_show_what_each_label_means(reviewed_project, tmp_path):
    root, run = reviewed_project.root, reviewed_project.run_dir
    _define(root, '{ technical = "Something does not work\\n as it should.", '
                  'billing = "Money: invoices, refunds, charges." }')
    assert load_config(root).review.definitions == tuple(MEANT.items())  # labels' order

    _, config = export_run(run, "label-studio", tmp_path / "t.json")
    view = ET.parse(config).getroot()
    assert {c.get("value"): c.get("hint") for c in view.iter("Choice")} == MEANT
    assert next(view.iter("Header")).get("value") == (
        "billing: Money: invoices, refunds, charges. | technical: Something does not work "
        "as it should.")

    prodigy = export_run(run, "prodigy", tmp_path / "p.jsonl")[0]
    assert _jsonl(prodigy)[0]["options"] == [
        {"id": label, "text": f"{label}: {text}"} for label, text in MEANT.items()]

    _, settings = export_run(run, "argilla", tmp_path / "a.jsonl")
    made = json.loads(settings.read_text(encoding="utf-8"))
    listed = ("- billing: Money: invoices, refunds, charges.\n"
              "- technical: Something does not work as it should.")
    assert made["guidelines"].endswith("\n\nThe labels:\n" + listed)
    assert made["questions"][0]["description"] == listed

    # the answers still name the labels: a Prodigy file of the export imports as before
    answered = [{**task, "answer": "accept", "accept": ["billing"],
                 "_annotator_id": "reviews-ana", "_session_id": "reviews-ana",
                 "_timestamp": 1795000000} for task in _jsonl(prodigy)[:2]]
    done = tmp_path / "db-out.jsonl"
    done.write_text("".join(json.dumps(t) + "\n" for t in answered), encoding="utf-8")
    assert import_file(root, done, reviewer="lead").added == 2


def test_without_definitions_the_tools_show_the_labels_as_before(reviewed_project, tmp_path):
    _, config = export_run(reviewed_project.run_dir, "label-studio", tmp_path / "t.json")
    assert all(c.get("hint") is None for c in ET.parse(config).getroot().iter("Choice"))
    prodigy = export_run(reviewed_project.run_dir, "prodigy", tmp_path / "p.jsonl")[0]
    assert _jsonl(prodigy)[0]["options"][0] == {"id": "billing", "text": "billing"}


@pytest.mark.parametrize(("table", "said"), [
    ('{ biling = "x" }', "[review] definitions: 'biling' is not a project label; did you "
                         "mean 'billing'? labels: billing, technical"),
    ('{ billing = "" }', "[review] definitions: billing = ''; each label takes a text"),
    ('{ billing = 3 }', "[review] definitions: billing = 3; each label takes a text"),
    ('"billing"', "[review] definitions must be a table of labels"),
])
def test_a_wrong_definitions_table_is_a_config_error(reviewed_project, table, said):
    _define(reviewed_project.root, table)
    with pytest.raises(ConfigError) as info:
        load_config(reviewed_project.root)
    assert said in str(info.value)


def test_label_studio_refuses_a_definition_it_would_change(reviewed_project, tmp_path):
    """Label Studio reads '$name' in a choice's hint as a field of the task."""
    _define(reviewed_project.root, '{ billing = "Refunds over $limit" }')
    with pytest.raises(ReviewError, match=r"\[review\] definitions of 'billing' \('\$limit'\) "
                                          "cannot go through Label Studio"):
        export_run(reviewed_project.run_dir, "label-studio", tmp_path / "t.json")
    assert not (tmp_path / "t.json").exists()
    export_run(reviewed_project.run_dir, "argilla", tmp_path / "a.jsonl")  # other tools take it
