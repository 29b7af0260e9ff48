"""Long texts (contracts of a million characters) in the review exports and their import:
each glossary match shown once with its count, cells past what an Excel cell holds warned
of, and a decision made on a text Excel cut recorded as made on a cut text."""

from __future__ import annotations

import csv
import hashlib
import json
import shutil

import numpy as np
import pytest

from csv_rows import rewrite_rows
from labelwright.lfs.item import GlossaryMatch
from labelwright.review.queue.cell_limit import EXCEL_CELL_CHARS, excel_length, long_cells
from labelwright.review.queue.export import EXPORT_FORMATS, review_records, write_review

LABELS = ["billing", "technical"]


def _repeating_record() -> dict:
    """One queue record whose text matched the term "refund" 300 times and "charge" once."""
    refund = [GlossaryMatch("money", "billing", "refund", "refund", k, k + 6,
                            note="Money given back") for k in range(300)]
    charge = GlossaryMatch("money", "billing", "charge", "charged", 0, 7)
    (record,) = review_records(
        run_id="r1", order=np.array([0]), ids=["c1"], texts=["refund " * 300],
        labels=LABELS, predicted=np.array([0]), probs=np.array([[0.9, 0.1]]),
        confidence=np.array([0.9]), reasons=[("audit",)],
        votes=np.array([[0]], dtype=np.int8), lf_names=["glossary:money"],
        matches=[[refund[0], charge, *refund[1:]]])
    return record


def _shown_terms(path, fmt) -> str:
    """The glossary terms the export at ``path`` shows for its one record."""
    if fmt == "csv":
        with open(path, encoding="utf-8", newline="") as handle:
            return next(csv.DictReader(handle))["glossary_terms"]
    if fmt == "label-studio":
        return json.loads(path.read_text(encoding="utf-8"))[0]["data"]["glossary_terms"]
    (record,) = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    if fmt == "jsonl":
        return json.dumps(record["glossary_matches"])
    return record["meta"]["glossary_terms"] if fmt == "prodigy" else record["glossary_terms"]


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_every_export_shows_each_glossary_match_once_with_its_count(fmt, tmp_path):
    """A 1.2-million-character appendix listed every hit: Prodigy's glossary_terms was
    219,479 characters, one term and its note repeated hundreds of times."""
    path = tmp_path / f"queue-{fmt}"
    write_review([_repeating_record()], path, fmt, labels=LABELS, lf_names=["glossary:money"])
    shown = _shown_terms(path, fmt)
    if fmt == "jsonl":
        assert json.loads(shown) == [
            {"glossary": "money", "label": "billing", "term": "refund", "text": "refund",
             "note": "Money given back", "excluded_by": None, "count": 300},
            {"glossary": "money", "label": "billing", "term": "charge", "text": "charged",
             "note": None, "excluded_by": None, "count": 1}]
    else:
        assert shown == ("refund [money → billing] x300: Money given back | "
                         "charged [money → billing]")


def test_an_old_runs_queue_listing_every_hit_is_exported_grouped(reviewed_project, tmp_path):
    """A run from before the grouping wrote each hit into review.jsonl: exported now, each
    match is shown once, with its count."""
    from labelwright.review.queue.export import export_run

    queue = reviewed_project.run_dir / "review.jsonl"
    records = [json.loads(line) for line in queue.read_text(encoding="utf-8").splitlines()]
    hit = {"glossary": "g", "label": "billing", "term": "fee", "text": "fee", "note": "n",
           "excluded_by": None}
    records[0]["glossary_matches"] = [hit] * 4
    queue.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
                     encoding="utf-8")
    # as the old run wrote it: its manifest holds the queue's sha256
    manifest_path = reviewed_project.run_dir / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["outputs"]["review.jsonl"] = hashlib.sha256(queue.read_bytes()).hexdigest()
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    (path,) = export_run(reviewed_project.run_dir, "prodigy", tmp_path / "p.jsonl")
    task = json.loads(path.read_text(encoding="utf-8").splitlines()[0])
    assert task["meta"]["glossary_terms"] == "fee [g → billing] x4: n"


def test_excel_counts_a_character_past_u_ffff_twice():
    assert excel_length("abc") == 3
    assert excel_length("é" * 4) == 4
    assert excel_length("\U0001f600" * 3) == 6
    over = "\U0001f600" * (EXCEL_CELL_CHARS // 2 + 1)  # fewer code points than the limit
    assert [c.chars for c in long_cells([("i1", [("text", over)])])] == [EXCEL_CELL_CHARS + 1]
    assert long_cells([("i1", [("text", "a" * EXCEL_CELL_CHARS), ("n", 10**6)])]) == []


#: a contract of about 90,000 characters whose words differ along it
CONTRACT = "".join(f"Clause {k}. The Supplier shall deliver the goods by day {k}. "
                   for k in range(1, 1500))


def _row(text, where="line 2"):
    from labelwright.review.imports.readers import Row

    return Row(where, "DOC-1", "r1", "payment_terms", text=text)


def test_the_whole_text_is_compared_an_edit_late_in_it_is_another_text():
    """Only the first 1,000 characters were compared: "shall" made "shall not" at
    character 3,000 of a contract was accepted as the text its run exported."""
    from labelwright.review.imports.shown_text import text_check

    at = CONTRACT.index("shall", 3000)
    edited = CONTRACT[:at] + "shall not" + CONTRACT[at + len("shall"):]
    problem, cut = text_check(_row(edited), lambda run, item: CONTRACT)
    assert cut is None
    assert f"they differ from character {at + 7} on" in str(problem)
    # spacing, line ends and the Unicode form aside, the whole text is the same text
    spaced = CONTRACT.replace(". ", ".\r\n  ")
    assert text_check(_row(spaced), lambda run, item: CONTRACT) == (None, None)


@pytest.mark.parametrize("start", ["", "=", "\U0001f4c4 "])
def test_a_text_excel_cut_at_its_cell_limit_is_the_items_and_says_how_much(start):
    """Excel cuts a cell to 32,767 characters (UTF-16 code units) when it saves: the row
    holds the text's start, the decision is the item's and records the cut. A cell that
    starts like a formula was written with a ``'`` before it, which the cut counts and the
    import takes off."""
    from labelwright.review.imports.shown_text import text_check
    from labelwright.review.queue.csv_sheet import protect_cell

    text = start + CONTRACT
    cell = protect_cell(text)
    kept = len(cell) - (excel_length(cell) - EXCEL_CELL_CHARS)  # code points Excel keeps
    shown = cell[:kept][len(cell) - len(text):]  # as the import reads it: the ' taken off
    assert text_check(_row(shown), lambda run, item: text) == (None, (len(shown), len(text)))


def test_a_start_cut_where_no_tool_cuts_is_refused():
    """Any start of 500 characters or more passed as "a tool's cut": a contract whose tail
    (an exception clause, say) was deleted in the cell passed as the item's text."""
    from labelwright.review.imports.shown_text import text_check

    for held in (900, EXCEL_CELL_CHARS - 1, EXCEL_CELL_CHARS + 1):
        problem, cut = text_check(_row(CONTRACT[:held]), lambda run, item: CONTRACT)
        assert cut is None
        assert (f"the first {held:,} of the {len(CONTRACT):,} characters of item 'DOC-1''s "
                "text") in str(problem)
        assert "cut where no tool labelwright knows cuts a text (Excel at 32,767" \
            in str(problem)


def _long_project(make_project, cli, text=CONTRACT):
    """The ticket project with ``text`` among its tickets as item c1 (the contract: no LF
    votes on it, so queued as uncovered), after one run."""
    from ticket_data import TICKETS

    root = make_project(rows=[*TICKETS, {"id": "c1", "text": text, "plan": "pro",
                                         "gold": ""}])
    code, out = cli("run", "--project", str(root))
    assert code == 0, out
    return root


def test_a_review_made_in_excel_on_a_long_text_is_recorded_as_made_on_its_start(
        make_project, cli, tmp_path):
    """The export cut nothing and warned of nothing; Excel cut the 90,000-character text to
    32,767 on save, and the import added the decision with no word of it, nor did explain
    or the ledger say the reviewer saw a third of the contract."""
    from labelwright.review import review_decisions

    root = _long_project(make_project, cli)
    exported = tmp_path / "review.csv"
    code, out = cli("review", "export", "--project", str(root), "--format", "csv",
                    "--out", str(exported))
    assert code == 0, out
    assert (f"1 cell holds more than 32,767 characters, the most an Excel cell holds: text "
            f"of 1 item ('c1': {len(CONTRACT):,})") in out
    said = " ".join(out.split())
    assert "Excel opens it whole but cuts it to 32,767" in said and "of this text" in said
    saved = tmp_path / "saved.csv"
    shutil.copy(exported, saved)

    def as_excel_saves(row: dict[str, str]) -> dict[str, str]:
        cut = {key: value[:EXCEL_CELL_CHARS] for key, value in row.items()}
        return {**cut, "review_label": "billing" if row["id"] == "c1" else ""}

    rewrite_rows(saved, as_excel_saves)
    code, out = cli("review", "import", str(saved), "--project", str(root), "--reviewer",
                    "alice")
    assert code == 0, out
    shown = f"32,767 of {len(CONTRACT):,} characters"
    assert "1 decision(s) added" in out
    assert "1 decision was made on a cut text" in out and f"'c1' ({shown})" in out
    frame = review_decisions(root)
    assert frame[["item_id", "shown_chars", "text_chars"]].values.tolist() == [
        ["c1", EXCEL_CELL_CHARS, len(CONTRACT)]]
    code, out = cli("explain", "c1", "--project", str(root))
    assert code == 0, out
    assert f"on a cut text (its reviewer saw the first {shown}" in out
    code, out = cli("review", "stats", "--project", str(root))
    assert code == 0, out
    assert "1 decision was made on a cut text" in out and f"'c1' by alice ({shown})" in out
    # a run reads the decision and records the ledger's digest, which covers the cut
    code, out = cli("run", "--project", str(root))
    assert code == 0, out
    code, out = cli("runs", "verify", "--project", str(root))
    assert code == 0 and "the 1 ledger decisions it read are unchanged" in out, out
    from labelwright.runs.store import list_runs

    used = json.loads((root / "runs" / list_runs(root / "runs")[-1] / "reviews.json")
                      .read_text(encoding="utf-8"))["reviews"]
    assert [(r["id"], r["shown_chars"], r["text_chars"]) for r in used] == [
        ("c1", EXCEL_CELL_CHARS, len(CONTRACT))]


def test_the_training_set_as_csv_warns_of_cells_excel_would_cut(make_project, cli, tmp_path):
    text = "Refund requested. " + CONTRACT  # an LF votes: the item has a label
    root = _long_project(make_project, cli, text)
    code, out = cli("export", "--project", str(root), "--format", "csv", "--out",
                    str(tmp_path / "training.csv"))
    assert code == 0, out
    assert (f"1 cell holds more than 32,767 characters, the most an Excel cell holds: text "
            f"of 1 item ('c1': {len(text):,})") in out
    assert "so a copy saved from Excel holds only the start of this text" in out
    code, out = cli("export", "--project", str(root), "--format", "jsonl", "--out",
                    str(tmp_path / "training.jsonl"))
    assert code == 0 and "32,767" not in out, out  # JSONL has no cells


def test_spellings_of_one_match_a_reader_reads_alike_are_one_match():
    """A contract's cell listed one phrase in seven spellings: "Governing\\nLaw",
    "governing\\xa0law", "Gove\\xadrning\\nLaw" beside "Governing Law", with raw line breaks
    and soft hyphens in the cell."""
    from labelwright.review.queue.terms import terms_text

    def hit(text: str) -> dict[str, object]:
        return {"glossary": "law", "label": "governing_law", "term": "governing law",
                "text": text, "note": None, "excluded_by": None}

    shown = terms_text([hit("Governing Law"), hit("Governing\nLaw"), hit("Gove\xadrning\nLaw"),
                        hit("Governing\xa0 Law"), hit("governing law")])
    assert shown == ("Governing Law [law → governing_law] x4 | "
                     "governing law [law → governing_law]")
