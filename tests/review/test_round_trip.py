"""The whole loop for every review format: export -> annotate -> import -> the next run.

The annotation step turns each exported file into what the tool hands back after a
reviewer labels every item (the shapes test_import.py documents), choosing a label
other than the suggestion so the next run's labels must change.
"""

from __future__ import annotations

import csv
import json
import shutil

import pandas as pd
import pytest

from labelwright.config import load_config
from labelwright.project import run_project
from labelwright.review.decisions import ledger
from labelwright.review.imports.file import import_file
from labelwright.review.queue.export import export_run, read_review
from labelwright.review.stats.summary import review_stats
from labelwright.runs.store import list_runs


def choose(suggested: str | None, labels: tuple[str, ...]) -> str:
    return labels[1] if suggested == labels[0] else labels[0]


def annotate_label_studio(path, labels):
    tasks = json.loads(path.read_text(encoding="utf-8"))
    chosen = {}
    for k, task in enumerate(tasks, start=1):
        label = choose(task["data"].get("suggested_label"), labels)
        chosen[task["data"]["lw_id"]] = label
        task["id"] = k
        task["annotations"] = [{
            "id": 100 + k, "completed_by": 1, "was_cancelled": False,
            "result": [{"from_name": "label", "to_name": "text", "type": "choices",
                        "value": {"choices": [label]}}],
            "created_at": "2026-11-28T10:00:00Z", "updated_at": "2026-11-28T10:00:00Z",
        }]
    path.write_text(json.dumps(tasks), encoding="utf-8")
    return chosen


def annotate_jsonl(path, labels, decide):
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    chosen = {}
    out = []
    for row in rows:
        item_id, label, annotated = decide(row, labels)
        chosen[item_id] = label
        out.append(annotated)
    path.write_text("".join(json.dumps(r) + "\n" for r in out), encoding="utf-8")
    return chosen


def prodigy(row, labels):
    label = choose(row["meta"].get("suggested_label"), labels)
    return row["lw_id"], label, {**row, "answer": "accept", "accept": [label],
                                 "_annotator_id": "reviews-alice", "_timestamp": 1795000000}


def doccano(row, labels):
    label = choose(row.get("suggested_label"), labels)
    return row["lw_id"], label, {**row, "id": 1, "label": [label]}


def annotate_argilla(path, labels):
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    chosen, flat = {}, []
    for record in records:  # as records.to_list(flatten=True) gives them back
        label = choose(record.get("suggested_label"), labels)
        chosen[record["lw_id"]] = label
        suggestion = {f"label.suggestion{k[len('label'):].replace('_', '.')}": record.pop(k)
                      for k in ("label", "label_score", "label_agent") if k in record}
        flat.append({**record, "status": "completed", **suggestion, "label.responses": [label],
                     "label.responses.users": ["u-1"], "label.responses.status": ["submitted"]})
    path.write_text("".join(json.dumps(r) + "\n" for r in flat), encoding="utf-8")
    return chosen


def annotate_csv(path, labels):
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    chosen = {}
    for row in rows:
        row["review_label"] = choose(row.get("suggested_label") or None, labels)
        chosen[row["id"]] = row["review_label"]
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return chosen


ANNOTATE = {
    "label-studio": annotate_label_studio,
    "prodigy": lambda path, labels: annotate_jsonl(path, labels, prodigy),
    "doccano": lambda path, labels: annotate_jsonl(path, labels, doccano),
    "argilla": annotate_argilla,
    "csv": annotate_csv,
}


@pytest.mark.parametrize("fmt", sorted(ANNOTATE))
def test_decisions_come_back_and_change_the_next_run(reviewed_project, tmp_path, fmt):
    root, run_dir = reviewed_project.root, reviewed_project.run_dir
    labels = load_config(root).labels
    before = pd.read_parquet(run_dir / "labels.parquet").set_index("id")

    exported = export_run(run_dir, fmt, tmp_path / f"queue.{fmt}")[0]
    chosen = ANNOTATE[fmt](exported, labels)
    assert chosen, "the queue was empty: nothing to review"

    report = import_file(root, exported, reviewer="alice", fmt=fmt)
    assert report.added == len(chosen)
    assert report.unread == []  # what labelwright's export wrote is no unread key

    run_project(root, report=False)
    newest = list_runs(root / "runs")[-1]
    after = pd.read_parquet(root / "runs" / newest / "labels.parquet").set_index("id")
    for item_id, label in chosen.items():
        assert after.loc[item_id, "label"] == label
        assert after.loc[item_id, "label_source"] == "review"
        assert after.loc[item_id, "status"] == "reviewed"
    changed = [i for i, label in chosen.items()
               if pd.isna(before.loc[i, "label"]) or before.loc[i, "label"] != label]
    assert changed, "no reviewed label differs from the model's: the test shows nothing"
    manifest = json.loads((root / "runs" / newest / "manifest.json").read_text())
    assert manifest["reviews"]["items_with_gold"] == len(chosen)


@pytest.mark.parametrize("fmt", sorted(ANNOTATE))
def test_reviews_of_the_random_sample_are_recorded_as_such(make_project, tmp_path, fmt):
    """Each format carries the export an item came from back into the ledger, so auto can
    tell reviews of the random sample (a random sample of the items) from the queue's."""
    root = make_project(gold=None, extra="random_sample = 6\n")
    run_dir = run_project(root, report=False).run_dir
    labels = load_config(root).labels
    sample = export_run(run_dir, fmt, tmp_path / f"sample.{fmt}", sample=True)[0]
    queue = export_run(run_dir, fmt, tmp_path / f"queue.{fmt}")[0]
    from_sample = ANNOTATE[fmt](sample, labels)
    from_queue = ANNOTATE[fmt](queue, labels)
    assert len(from_sample) == 6 and from_queue
    import_file(root, sample, reviewer="alice", fmt=fmt)
    import_file(root, queue, reviewer="bob", fmt=fmt)
    exports = {(d.item_id, d.reviewer): d.export
               for d in ledger.read_decisions(ledger.ledger_path(root))}
    assert {exports[i, "alice"] for i in from_sample} == {"sample"}
    assert {exports[i, "bob"] for i in from_queue} == {"queue"}
    # explain names the export with each decision
    sources = ledger.decisions_reader(ledger.ledger_path(root))
    item = next(iter(from_sample))
    assert any(f"the random sample of run {run_dir.name}" in d["source"]
               for d in sources(item))
    # every reviewer chose another label than the run's: its accuracy on the sample is 0
    sample = review_stats(root, run_dir.name).sample
    assert (sample.reviewed, sample.correct) == (6, 0)
    after = run_project(root, report=False).run_dir
    manifest = json.loads((after / "manifest.json").read_text())
    # the run's draw makes an item a sample item, whichever export its decisions came
    # through: items of the sample also reviewed from the queue still count as drawn
    assert set(from_queue) & set(from_sample)
    assert manifest["reviews"]["items_from_random_sample"] == len(set(from_sample))
    assert manifest["reviews"]["sample_items"] == "as drawn"


#: what makes two records one in a tool project: Prodigy skips a task whose _task_hash its
#: dataset holds; Argilla's records.log replaces the record with the same id
TOOL_KEY = {"prodigy": lambda r: r["_task_hash"], "argilla": lambda r: r["id"]}


@pytest.mark.parametrize("fmt", sorted(TOOL_KEY))
def test_both_exports_in_one_tool_project_keep_the_samples_copy(make_project, tmp_path, fmt):
    """An item in both the queue and the random sample had one Prodigy hash and one Argilla
    id in both exports, so loaded into one tool project the sample's copy vanished, and
    review stats measured the sample on the items the queue did not hold."""
    root = make_project(gold=None, extra="random_sample = 6\n")
    run_dir = run_project(root, report=False).run_dir
    labels = load_config(root).labels
    queue = export_run(run_dir, fmt, tmp_path / "queue.jsonl")[0]
    sample = export_run(run_dir, fmt, tmp_path / "sample.jsonl", sample=True)[0]
    both = [json.loads(line) for path in (queue, sample)
            for line in path.read_text(encoding="utf-8").splitlines()]
    in_export = {"queue": set(), "sample": set()}
    for r in both:  # an Argilla record's id was its item id
        in_export[r["lw_export"]].add(r["lw_id"] if "lw_id" in r else r["id"])
    overlap = in_export["queue"] & in_export["sample"]
    assert overlap, "no item in both exports: the test shows nothing"
    project = {}  # the tool project: queue loaded first, then the sample
    for record in both:
        project.setdefault(TOOL_KEY[fmt](record), record)
    assert len(project) == len(both)
    loaded = tmp_path / "project.jsonl"
    loaded.write_text("".join(json.dumps(r) + "\n" for r in project.values()),
                      encoding="utf-8")
    ANNOTATE[fmt](loaded, labels)
    report = import_file(root, loaded, reviewer="alice", fmt=fmt)
    assert report.added == len(both)
    exports = {(d.item_id, d.export) for d in ledger.read_decisions(ledger.ledger_path(root))}
    assert {(i, "sample") for i in overlap} <= exports
    assert {(i, "queue") for i in overlap} <= exports
    assert review_stats(root, run_dir.name).sample.reviewed == 6


def review_jsonl(row, labels):
    label = choose(row.get("suggested_label"), labels)
    return row["id"], label, {**row, "review_label": label}


#: every format the import reads, labelwright's review JSONL too
EVERY_FORMAT = {**ANNOTATE, "jsonl": lambda path, labels: annotate_jsonl(path, labels,
                                                                         review_jsonl)}


def blind_by_item(root, source):
    """``{item id: blind}`` of the decisions the file ``source`` brought to the ledger."""
    return {d.item_id: d.blind for d in ledger.read_decisions(ledger.ledger_path(root))
            if d.source_file == str(source.resolve())}


@pytest.mark.parametrize("fmt", sorted(EVERY_FORMAT))
def test_the_ledger_records_whether_each_decision_was_made_blind(make_project, tmp_path, fmt):
    """The ledger did not record which decisions were blind, so review stats could not
    tell whether reviewers lean on the suggestion they are shown."""
    root = make_project(gold=None, extra="random_sample = 6\n")
    run_dir = run_project(root, report=False).run_dir
    labels = load_config(root).labels
    blind = export_run(run_dir, fmt, tmp_path / f"blind.{fmt}", sample=True, blind=True)[0]
    shown = export_run(run_dir, fmt, tmp_path / f"shown.{fmt}", sample=True)[0]
    from_blind = EVERY_FORMAT[fmt](blind, labels)
    from_shown = EVERY_FORMAT[fmt](shown, labels)
    assert len(from_blind) == len(from_shown) == 6
    # each into a ledger of its own: a tool's two files name the same annotator, times and
    # labels, which one ledger would take for one cumulative export
    other = tmp_path / "copy"
    shutil.copytree(root, other)
    import_file(root, blind, reviewer="alice", fmt=fmt)
    import_file(other, shown, reviewer="alice", fmt=fmt)
    assert blind_by_item(root, blind) == dict.fromkeys(from_blind, True)
    assert blind_by_item(other, shown) == dict.fromkeys(from_shown, False)


def item_of(fmt, record):
    """The item id of an exported record of ``fmt``."""
    if fmt == "label-studio":
        return record["data"]["lw_id"]
    return record["id"] if fmt in ("csv", "jsonl") else record["lw_id"]


def combine(fmt, first, second, out):
    """One file of ``fmt`` holding the records of the exports ``first`` and ``second`` (the
    second's of items the first holds left out: the test is not about twins)."""
    if fmt == "csv":
        parts = [list(csv.DictReader(open(path, encoding="utf-8", newline="")))
                 for path in (first, second)]
        columns = list(dict.fromkeys(key for part in parts for key in part[0]))
    elif fmt == "label-studio":
        parts = [json.loads(path.read_text(encoding="utf-8")) for path in (first, second)]
    else:
        parts = [[json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
                 for path in (first, second)]
    taken = {item_of(fmt, r) for r in parts[0]}
    records = parts[0] + [r for r in parts[1] if item_of(fmt, r) not in taken]
    if fmt == "csv":
        with open(out, "w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns, restval="")
            writer.writeheader()
            writer.writerows(records)
    elif fmt == "label-studio":
        out.write_text(json.dumps(records), encoding="utf-8")
    else:
        out.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return {item_of(fmt, r) for r in parts[0]}, {item_of(fmt, r) for r in parts[1]} - taken


@pytest.mark.parametrize("fmt", sorted(EVERY_FORMAT))
def test_a_file_mixing_blind_and_shown_records_is_recorded_per_record(make_project, tmp_path,
                                                                      fmt):
    """A tool project holding a blind export and one that shows the suggestion (their ids
    differ, so both stay) comes back as one file: each decision is blind or not as its
    own record was."""
    root = make_project(gold=None, extra="random_sample = 3\n")
    run_dir = run_project(root, report=False).run_dir
    suffix = ".csv" if fmt == "csv" else ".json" if fmt == "label-studio" else ".jsonl"
    blind = export_run(run_dir, fmt, tmp_path / f"blind{suffix}", sample=True, blind=True)[0]
    shown = export_run(run_dir, fmt, tmp_path / f"shown{suffix}")[0]
    mixed = tmp_path / f"mixed{suffix}"
    blind_items, shown_items = combine(fmt, blind, shown, mixed)
    assert blind_items and shown_items, "one export is empty: the test shows nothing"
    EVERY_FORMAT[fmt](mixed, load_config(root).labels)
    import_file(root, mixed, reviewer="alice", fmt=fmt)
    assert blind_by_item(root, mixed) == {**dict.fromkeys(blind_items, True),
                                            **dict.fromkeys(shown_items, False)}


def _terms_shown(path, fmt, item_id):
    """The ``glossary_terms`` an export at ``path`` shows for ``item_id``."""
    if fmt == "csv":
        with open(path, encoding="utf-8", newline="") as handle:
            return next(r["glossary_terms"] for r in csv.DictReader(handle) if r["id"] == item_id)
    if fmt == "label-studio":
        tasks = json.loads(path.read_text(encoding="utf-8"))
        return next(t["data"]["glossary_terms"] for t in tasks if t["data"]["lw_id"] == item_id)
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    row = next(r for r in rows if r["lw_id"] == item_id)
    return row["meta"]["glossary_terms"] if fmt == "prodigy" else row["glossary_terms"]


@pytest.mark.parametrize("fmt", sorted(ANNOTATE))
def test_cancelled_glossary_matches_go_out_and_the_decisions_come_back(make_project, tmp_path,
                                                                      fmt, audits_t6):
    """Every export shows a match an exclusion cancelled, with the phrase that cancelled it
    (the tools showed only the live ones), and the file still imports as it was labelled."""
    from ticket_data import BILLING_GLOSSARY, TICKETS_WITH_NEGATION

    root = audits_t6(make_project(rows=TICKETS_WITH_NEGATION,
                                  glossaries={"money": BILLING_GLOSSARY}))
    run_dir = run_project(root, report=False).run_dir
    assert "t6" in {r["id"] for r in read_review(run_dir)}, "t6 left the queue"
    exported = export_run(run_dir, fmt, tmp_path / f"queue.{fmt}")[0]
    assert _terms_shown(exported, fmt, "t6") == (
        "invoice [money → billing]: Invoices are billing questions. | "
        "charge [money → billing] (cancelled by 'no')")
    chosen = ANNOTATE[fmt](exported, load_config(root).labels)
    report = import_file(root, exported, reviewer="alice", fmt=fmt)
    assert report.added == len(chosen) and not report.problems
    decided = {d.item_id: d.label for d in ledger.read_decisions(ledger.ledger_path(root))}
    assert decided == chosen
