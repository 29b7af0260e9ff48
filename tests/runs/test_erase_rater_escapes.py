"""``labelwright erase --rater`` of a name a file writes with JSON's ASCII escapes
(``"Zo\\u00eb"``, a letter past U+FFFF as a surrogate pair): erase looked for the name's
own bytes alone, so a review tool's export written with ``ensure_ascii`` kept the name
and erase did not say so."""

from __future__ import annotations

import json

from labelwright.project import run_project
from labelwright.runs.erase.rater_files import holds_rater_name, renamed_text, written_forms
from review_csv import exported_sample

NAME = "Zoë 🦊"


def test_the_forms_a_json_writer_gives_a_name():
    assert written_forms([NAME]) == [NAME, "Zo\\u00eb \\ud83e\\udd8a", "Zo\\u00EB \\uD83E\\uDD8A"]
    assert written_forms(['a "b"']) == ['a "b"', 'a \\"b\\"']
    assert written_forms(["plain"]) == ["plain"]


def test_an_escaped_name_is_found_and_replaced(tmp_path):
    export = tmp_path / "tool_export.jsonl"
    export.write_text(json.dumps({"id": "t1", "annotator": NAME}) + "\n", encoding="utf-8")
    assert "\\ud83e\\udd8a" in export.read_text(encoding="utf-8")  # escaped, as tools write
    assert holds_rater_name(export, [NAME])
    upper = tmp_path / "upper.json"
    upper.write_text('{"reviewer": "Zo\\u00EB \\uD83E\\uDD8A"}', encoding="utf-8")
    assert holds_rater_name(upper, [NAME])
    cut = tmp_path / "cut.json"  # cannot be read as JSON: the name as written, escaped too
    cut.write_text('{"reviewer": "Zo\\u00eb \\ud83e\\udd8a', encoding="utf-8")
    assert holds_rater_name(cut, [NAME])
    other = tmp_path / "other.json"  # the same letters as no rater's naming: none
    other.write_text(json.dumps({"label": NAME}), encoding="utf-8")
    assert not holds_rater_name(other, [NAME])
    text, n = renamed_text(json.dumps({"reviewer": NAME, "note": NAME}), {NAME},
                           "erased-rater-1", html=False)
    assert n == 1 and json.loads(text) == {"reviewer": "erased-rater-1", "note": NAME}


def test_erase_names_a_file_holding_the_rater_escaped(make_project, cli, tmp_path):
    """A non-ASCII reviewer imported from a review tool's export that writes ASCII
    escapes: the runs' files erase rewrites name the pseudonym, and a copy of the export
    kept in a run folder is named as still naming the rater."""
    root = make_project(extra="random_sample = 10\n")
    run_project(root, report=False)
    sheet = exported_sample(root, cli, tmp_path, "jsonl")
    rows = [json.loads(line) for line in sheet.read_text(encoding="utf-8").splitlines()]
    rows[0]["review_label"] = "billing"
    done = tmp_path / "done.jsonl"  # as the tool writes it: every letter past ASCII escaped
    done.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    code, out = cli("review", "import", str(done), "--reviewer", NAME, "-p", str(root))
    assert code == 0, out
    run = run_project(root, report=False)
    kept = run.run_dir / "notes" / "tool_export.jsonl"
    kept.parent.mkdir()
    kept.write_text(json.dumps({"id": rows[0]["id"], "reviewer": NAME}) + "\n",
                    encoding="utf-8")
    assert NAME.encode() not in kept.read_bytes()
    code, out = cli("erase", "--rater", NAME, "--reviewer", "lead", "--reason", "request 9",
                    "-p", str(root))
    assert code == 0, out
    said = " ".join(out.split())
    assert f"{run.run_dir}: notes/tool_export.jsonl holds the rater's name" in said, out
    forms = [f.encode() for f in written_forms([NAME])]
    left = sorted(p.relative_to(root).as_posix() for p in (root / "runs").rglob("*")
                  if p.is_file() and any(f in p.read_bytes() for f in forms))
    assert left == [kept.relative_to(root).as_posix()], left


def test_a_name_with_a_lone_surrogate_is_looked_for_without_an_error(tmp_path):
    """A review tool's JSON may hold half a surrogate pair (``"\\ud83e"``, a name cut in the
    middle of an emoji), which the import reads as written; searching a file for that name
    encoded it as UTF-8, which has no form for it: UnicodeEncodeError, and erase stopped."""
    name = "ana \ud83e"
    export = tmp_path / "tool_export.json"
    export.write_text(json.dumps({"reviewer": name}), encoding="utf-8")  # escaped: ASCII
    assert holds_rater_name(export, [name])
    assert not holds_rater_name(export, ["ana"])
