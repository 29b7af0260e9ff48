"""A column the config names and the file does not have: what the file has instead."""

import json

import pytest

from labelwright.config import DataConfig
from labelwright.data import read_dataset
from labelwright.errors import DataError

LABELS = ("ham", "spam")


def _read(tmp_path, name, content, **columns):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    config = DataConfig(path=path, **{"id_column": "id", "text_column": "text", **columns})
    with pytest.raises(DataError) as info:
        read_dataset(config, LABELS)
    return str(info.value)


def test_a_column_spelt_in_another_case_is_guessed(tmp_path):
    said = _read(tmp_path, "items.csv", "ID,Text\n1,hi\n")
    assert said.endswith("no id column 'id'; columns present: ID, Text (did you mean 'ID'?)")


def test_a_header_in_words_is_guessed_for_a_snake_case_column(tmp_path):
    """A header `Complaint ID` for `id_column = "complaint_id"` got no did-you-mean."""
    said = _read(tmp_path, "items.csv", "Complaint ID,Complaint-Text\n1,hi\n",
                 id_column="complaint_id", text_column="complaint_text")
    assert said.endswith("no id column 'complaint_id'; columns present: Complaint ID, "
                         "Complaint-Text (did you mean 'Complaint ID'?)")


def test_an_invisible_character_in_a_name_is_shown(tmp_path):
    said = _read(tmp_path, "items.csv", "id,te\u200bxt,gold\n1,hi,ham\n")
    assert said.endswith("no text column 'text'; columns present: id, 'te\\u200bxt', gold "
                         "(did you mean 'te\\u200bxt', which holds an invisible character?)")


def test_a_nested_key_says_nested_keys_are_not_read(tmp_path):
    line = json.dumps({"id": "1", "payload": {"body": "hi"}, "gold": "ham"}) + "\n"
    said = _read(tmp_path, "items.jsonl", line, text_column="payload.body")
    assert "no text column 'payload.body'; columns present: id, payload, gold ('payload' " \
           "holds nested values, and keys nested in an object are not read as columns: " \
           "flatten the file (one key per column, e.g. \"payload.body\": ...)" in said \
        and "pd.json_normalize(records), whose column 'payload.body' they are" in said
    # the example is the user's own key, however deep
    deep = json.dumps({"id": "1", "meta": {"customer": {"tier": "gold"}}}) + "\n"
    said = _read(tmp_path, "items.jsonl", deep, text_column="meta.customer.tier")
    assert "e.g. \"meta.customer.tier\": ..." in said and "payload" not in said, said
    # the object itself named as the text column: the same advice
    said = _read(tmp_path, "items.jsonl", line, text_column="payload")
    assert "the text in column 'payload' is {'body': 'hi'} (type dict)" in said
    assert "keys nested in an object are not read as columns" in said
    assert "e.g. \"payload.body\": ..." in said  # the object's own key


def test_a_column_unlike_any_guesses_nothing_and_names_the_key_to_set(tmp_path):
    """A file of one's own whose texts are in 'body' said what it had, not how to use it."""
    said = _read(tmp_path, "items.csv", "ident,body\n1,hi\n")
    assert said.endswith("no id column 'id'; columns present: ident, body (if one of them "
                         "holds the ids, name it in [data] id_column)")
    said = _read(tmp_path, "items.csv", "id,body\n1,hi\n")
    assert said.endswith("no text column 'text'; columns present: id, body (if one of them "
                         "holds the texts, name it in [data] text_column)")
    said = _read(tmp_path, "items.csv", "id,text,verdict\n1,hi,spam\n", gold_column="gold")
    assert said.endswith("no gold column 'gold'; columns present: id, text, verdict (if one "
                         "of them holds the gold labels, name it in [data] gold_column)")


def test_a_column_spelt_close_is_guessed(tmp_path):
    """"txt" for "text" differs in more than case or spaces: no guess was offered."""
    said = _read(tmp_path, "items.csv", "id,txt\n1,hi\n")
    assert said.endswith("no text column 'text'; columns present: id, txt (did you mean "
                         "'txt'?)")


def test_a_column_in_another_case_and_separator_is_guessed(tmp_path):
    """A spreadsheet's "Complaint ID" for the configured complaint_id: case and a space for
    an underscore, which the case-and-spaces rule did not see."""
    said = _read(tmp_path, "items.csv", "Complaint ID,text\n1,hi\n", id_column="complaint_id")
    assert said.endswith("no id column 'complaint_id'; columns present: Complaint ID, text "
                         "(did you mean 'Complaint ID'?)")
