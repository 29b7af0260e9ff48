"""The file rewrites of ``labelwright erase``: the erased items' records changed, every
other record left byte for byte, the files still parsing."""

from __future__ import annotations

import csv
import io
import json

from labelwright.runs.erase.files import (
    erase_review_file,
    erase_skipped_rows,
    record_id,
    skipped_row_id,
)
from labelwright.runs.erase.records import MARKER


def test_csv_keeps_other_rows_bytes_and_quoting():
    text = ('id,run_id,text,review_label,glossary_terms,export\r\n'
            't1,r,"two\r\nlines, quoted",billing,,queue\r\n'
            't2,r,"secret ""quoted"" words",,charge [billing],queue\r\n'
            't3,r,plain,,,queue\r\n')
    new, n = erase_review_file(text, {"t2"})
    assert n == 1
    lines = new.split("\r\n")
    assert new.startswith(text[:text.index("t2,")])  # the header and t1 as they were
    assert "t2,r,[erased],,[erased],queue" in lines and lines[-2] == "t3,r,plain,,,queue"
    rows = list(csv.DictReader(io.StringIO(new, newline="")))
    assert [r["id"] for r in rows] == ["t1", "t2", "t3"]
    assert rows[0]["text"] == "two\r\nlines, quoted"
    assert erase_review_file(new, {"t2"}) == (new, 0)  # erased already: nothing to do


def test_tool_formats_erase_the_text_and_what_matched_not_the_labels():
    tasks = [{"data": {"text": "call me on 555", "lw_id": "t1", "glossary_terms": "555"},
              "predictions": [{"result": [{"value": {"choices": ["billing"]}}]}]},
             {"data": {"text": "other", "lw_id": "t2"}}]
    new, n = erase_review_file(json.dumps(tasks, indent=1), {"t1"})
    erased = json.loads(new)
    assert n == 1 and erased[0]["data"] == {"text": MARKER, "lw_id": "t1",
                                            "glossary_terms": MARKER}
    assert erased[0]["predictions"] == tasks[0]["predictions"] and erased[1] == tasks[1]
    prodigy = ('{"text": "billing", "options": [{"id": "billing", "text": "billing"}], '
               '"lw_id": "t1", "meta": {"id": "t1"}}\n{"text": "x", "lw_id": "t2"}\n')
    new, n = erase_review_file(prodigy, {"t1"})
    first, second = new.splitlines()
    assert n == 1 and json.loads(first)["text"] == MARKER
    assert json.loads(first)["options"] == [{"id": "billing", "text": "billing"}]
    assert second == prodigy.splitlines()[1]


def test_skipped_rows_found_by_their_id():
    assert skipped_row_id({"raw": "t9,text,x"}, {"t9"}, "id") == "t9"
    assert skipped_row_id({"raw": '{"id": "t9", "text": 1'}, {"t9"}, "id") == "t9"
    assert skipped_row_id({"raw": "t99,text"}, {"t9"}, "id") is None
    line = json.dumps({"line": 3, "row": 2, "raw": None, "reason": "r",
                       "values": {"id": "t9", "text": "secret"}})
    new, n = erase_skipped_rows(line + "\n", {"t9"}, "id")
    assert n == 1 and json.loads(new)["values"] == {"id": "t9", "text": MARKER}


def test_report_texts_replaced_as_the_page_escapes_and_cuts_them():
    from labelwright.runs.erase.files import erase_report_texts

    page = ('<div class="text">Tom &amp; Jerry &lt;3</div>'
            '<div class="text">long text her…</div><div class="text">kept</div>')
    new, n = erase_report_texts(page, ["Tom & Jerry <3", "long text here and more"], 13)
    assert n == 2 and new.count(MARKER) == 2 and "kept" in new and "Tom" not in new


def test_a_jsonl_text_holding_a_unicode_line_separator_is_erased():
    """A review export writes texts as they are (no ASCII escapes), so a text may hold
    U+2028, U+2029 or U+0085; split at those as at line breaks, its record no longer parsed
    and the text stayed in the file, counted as nothing to erase."""
    lines = [json.dumps({"id": "a", "text": f"secret{sep}more", "review_label": ""},
                        ensure_ascii=False) for sep in ("\u2028", "\u2029", "\x85")]
    text = "\n".join(lines) + '\n{"id": "b", "text": "kept\u2028as is"}\n'
    new, n = erase_review_file(text, {"a"})
    assert n == 3 and "secret" not in new
    records = [json.loads(line) for line in new.split("\n") if line]
    assert [r["text"] for r in records] == [MARKER] * 3 + ["kept\u2028as is"]
    assert new.endswith('{"id": "b", "text": "kept\u2028as is"}\n')  # other lines byte for byte


def test_a_record_of_erasures_holding_a_unicode_line_separator_reads_back(tmp_path):
    """The record keeps the reason and ids as written (no ASCII escapes): a reason holding
    U+2028 was cut in two where the record was read, and every command checking the run's
    files stopped at 'not a record of an erasure'."""
    from labelwright.runs.erase.records import ErasedFile, Erasure, read_erasures, record_erasure

    erasures = [Erasure("2026-12-06T10:00:00+00:00", "dana", f"request{sep}42", "erase",
                        (f"t{sep}1",), (ErasedFile("runs/r/review.csv", 1, "a" * 64, "b" * 64),))
                for sep in ("\u2028", "\u2029", "\x85")]
    for erasure in erasures:
        record_erasure(tmp_path, erasure)
    read = read_erasures(tmp_path)
    assert read == erasures and [e.line for e in read] == [1, 2, 3]


def test_a_raters_note_is_erased_in_every_format_a_note_is_read_from():
    """A note (a `note` or `Comment` field, Label Studio's text box) kept the rater's
    words about the person; a glossary match's own note and the labels stay."""
    jsonl = "\n".join(json.dumps(r) for r in (
        {"id": "t1", "text": "hi", "review_label": "billing", "Comment": "Zelda rang",
         "glossary_matches": [{"text": "bill", "note": "fee words"}]},
        {"id": "t2", "text": "other", "note": "kept"})) + "\n"
    new, n = erase_review_file(jsonl, {"t1"})
    first, second = (json.loads(line) for line in new.splitlines())
    assert n == 1 and first["Comment"] == MARKER and first["review_label"] == "billing"
    assert first["glossary_matches"] == [{"text": MARKER, "note": "fee words"}]
    assert second["note"] == "kept"
    tasks = [{"data": {"text": "hi", "lw_id": "t1"}, "annotations": [{"result": [
        {"type": "choices", "from_name": "label", "value": {"choices": ["billing"]}},
        {"type": "textarea", "from_name": "note", "value": {"text": ["Zelda rang"]}}]}]}]
    new, n = erase_review_file(json.dumps(tasks, indent=1), {"t1"})
    result = json.loads(new)[0]["annotations"][0]["result"]
    assert n == 1 and result[0]["value"] == {"choices": ["billing"]}
    assert result[1]["value"] == {"text": [MARKER]}
    table = ("item_id,rater,label,note,retired\r\n"
             "t1,erin,billing,Zelda rang,\r\nt2,erin,billing,routine,\r\n")
    new, n = erase_review_file(table, {"t1"})  # a `review decisions` table
    assert n == 1 and new == table.replace("Zelda rang", MARKER)


def test_a_tool_export_with_its_own_record_ids_is_read_by_lw_id():
    """A real Label Studio export gives every task an integer ``id`` of its own (doccano a
    record id, Argilla a record id beside its metadata): the item is the ``lw_id``, so the
    file is found to hold the erased item and rewritten."""
    tasks = [{"id": 1000, "data": {"text": "secret words", "lw_id": "C102344"},
              "annotations": [{"id": 7, "result": []}]},
             {"id": 1001, "data": {"text": "other", "lw_id": "C102345"}}]
    assert record_id(tasks[0]) == "C102344"
    new, n = erase_review_file(json.dumps(tasks, indent=1), {"C102344"})
    assert n == 1 and json.loads(new)[0]["data"]["text"] == MARKER
    assert json.loads(new)[1]["data"]["text"] == "other"
    assert erase_review_file(json.dumps(tasks, indent=1), {"1000"})[1] == 0
    doccano = {"id": 3, "text": "secret", "label": [], "meta": {"lw_id": "C1"}}
    argilla = {"id": "rec-9", "text": "secret", "metadata": {"lw_id": "C2"}}
    assert record_id(doccano) == "C1" and record_id(argilla) == "C2"
    assert record_id({"id": "t1", "text": "a run's queue"}) == "t1"
    assert record_id({"text": "prodigy", "meta": {"id": "t2"}}) == "t2"


def test_the_fields_shown_beside_the_text_are_erased_too():
    # [review] show_fields puts the item's data fields in review files: they had stayed
    text = ("id,run_id,project,rank,text,field_customer,field_plan,review_label\n"
            "t1,r,p,1,secret,Acme Corp,,billing\nt2,r,p,2,other,Beta Ltd,pro,\n")
    new, n = erase_review_file(text, {"t1"})
    assert n == 1
    assert new.splitlines()[1:] == [f"t1,r,p,1,{MARKER},{MARKER},,billing",
                                    "t2,r,p,2,other,Beta Ltd,pro,"]
    assert erase_review_file(new, {"t1"}) == (new, 0)
    records = [{"text": "secret", "lw_id": "t1", "field_customer": "Acme Corp"},
               {"text": "x", "lw_id": "t1", "meta": {"id": "t1", "field_customer": "Acme Corp"},
                "options": [{"id": "field_x", "text": "field_x"}]},
               {"data": {"text": "y", "lw_id": "t1", "field_customer": "Acme Corp"}}]
    for record in records:
        new, n = erase_review_file(json.dumps(record) + "\n", {"t1"})
        assert n == 1 and "Acme Corp" not in new, new
    prodigy = json.loads(erase_review_file(json.dumps(records[1]) + "\n", {"t1"})[0])
    assert prodigy["options"] == records[1]["options"]  # a label, not the item's data
