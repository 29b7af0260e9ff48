import json
import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

from labelwright.config import (
    DataConfig,
    LabelModelConfig,
    NLPConfig,
    TriageConfig,
    find_project_root,
    load_config,
)
from labelwright.data import read_frame
from labelwright.errors import ConfigError

MINIMAL = '[project]\nlabels = ["ham", "spam"]\n\n[data]\npath = "data.csv"\n'


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "labelwright.toml"
    path.write_text(text, encoding="utf-8")
    return path


def error_of(tmp_path: Path, text: str) -> str:
    write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path)
    return str(info.value)


def test_defaults(tmp_path):
    write(tmp_path, MINIMAL)
    config = load_config(tmp_path)
    assert config.root == tmp_path.resolve()
    assert config.name == tmp_path.name
    assert config.labels == ("ham", "spam")
    assert config.data == DataConfig(path=tmp_path.resolve() / "data.csv")
    assert config.data.id_column == "id" and config.data.text_column == "text"
    assert config.data.gold_column is None and config.data.format is None
    # lemmatizer None: not set, so on where spacy-lookups-data has a table for the language
    assert config.nlp == NLPConfig(lang="en", pipeline=None, lemmatizer=None, batch_size=256)
    assert config.label_model == LabelModelConfig(name="auto", tie_break="random", params={})
    assert config.triage == TriageConfig(threshold=0.7, audit_size=20, review_conflicts=True)
    assert config.end_model.features == "auto"
    assert config.seed == 0
    assert config.lf_path == tmp_path.resolve() / "labeling_functions"
    assert config.glossary_path == tmp_path.resolve() / "glossaries"
    assert config.runs_path == tmp_path.resolve() / "runs"
    assert config.label_index("spam") == 1


def test_every_setting_is_read(tmp_path):
    write(tmp_path, """
[project]
name = "sms"
labels = ["ham", "spam", "other"]
seed = 7
labeling_functions = "rules"
glossaries = "terms"
runs = "out"

[data]
path = "d/items.jsonl"
id_column = "key"
text_column = "body"
gold_column = "truth"
format = "jsonl"

[nlp]
lang = "de"
lemmatizer = false
batch_size = 32

[label_model]
name = "majority"
tie_break = "abstain"
params = {epochs = 3}

[triage]
threshold = 0.5
audit_size = 0
review_conflicts = false
""")
    config = load_config(tmp_path / "labelwright.toml")
    assert config.name == "sms"
    assert config.labels == ("ham", "spam", "other")
    assert config.seed == 7
    assert config.lf_path.name == "rules" and config.glossary_path.name == "terms"
    assert config.runs_path.name == "out"
    assert config.data == DataConfig(path=tmp_path.resolve() / "d/items.jsonl", id_column="key",
                                     text_column="body", gold_column="truth", format="jsonl")
    assert config.nlp == NLPConfig(lang="de", pipeline=None, lemmatizer=False, batch_size=32)
    assert config.label_model == LabelModelConfig("majority", "abstain", {"epochs": 3})
    assert config.triage == TriageConfig(threshold=0.5, audit_size=0, review_conflicts=False)


def test_review_conflicts_takes_true_false_or_a_confidence(tmp_path):
    for value, read in (("true", True), ("false", False), ("0.95", 0.95), ("1", 1.0)):
        (tmp_path / "labelwright.toml").write_text(
            MINIMAL + f"[triage]\nreview_conflicts = {value}\n")
        assert load_config(tmp_path / "labelwright.toml").triage.review_conflicts == read
    for bad in ("0", "1.5", "-0.2", '"yes"'):
        message = error_of(tmp_path, MINIMAL + f"[triage]\nreview_conflicts = {bad}\n")
        assert ("[triage] review_conflicts must be true, false or a confidence above 0 and "
                "at most 1") in message, bad


@pytest.mark.parametrize("labels", ["", "labels = []", 'labels = ["only"]', 'labels = "ab"'])
def test_fewer_than_two_labels(tmp_path, labels):
    message = error_of(tmp_path, f'[project]\n{labels}\n[data]\npath = "x.csv"\n')
    assert "at least two label" in message
    assert "labelwright.toml" in message


def test_duplicate_label(tmp_path):
    message = error_of(tmp_path, '[project]\nlabels = ["a", "b", "a"]\n[data]\npath = "x.csv"\n')
    assert "'a' twice" in message


def test_a_label_in_two_unicode_spellings_is_one_label_twice(tmp_path):
    """"caf\u00e9" and "cafe\u0301" look the same everywhere (and glossary matching
    compares composed forms), yet check accepted them as two labels."""
    message = error_of(tmp_path, '[project]\nlabels = ["caf\u00e9", "tea", "cafe\u0301"]\n'
                                 '[data]\npath = "x.csv"\n')
    assert "lists 'caf\u00e9' twice, in other Unicode code points ('caf\\xe9' and " \
           "'cafe\\u0301')" in message


def test_labels_that_differ_only_in_case_are_refused(tmp_path):
    """A review tool's "Password" or an LF's "password" would be one label or the other by
    a keystroke."""
    message = error_of(tmp_path, '[project]\nlabels = ["password", "network", "Password"]\n'
                                 '[data]\npath = "x.csv"\n')
    assert "lists 'password' and 'Password', which differ only in case" in message
    assert "labelwright.toml:2:" in message


@pytest.mark.parametrize(("written", "shown"), [
    ("posi\\ntive", r"'posi\ntive' holds the control character '\n'"),
    ("a\\u001b[8mb", r"'a\x1b[8mb' holds the control character '\x1b'"),
    ("a\\u2028b", r"'a\u2028b' holds the control character '\u2028'")])
def test_a_label_with_a_line_break_or_control_character_is_refused(tmp_path, written, shown):
    """A label holding a line break was accepted, and check's messages split at it."""
    message = error_of(tmp_path, f'[project]\nlabels = ["negative", "{written}"]\n'
                                 '[data]\npath = "x.csv"\n')
    assert shown in message, message


def test_blank_label(tmp_path):
    message = error_of(tmp_path, '[project]\nlabels = ["a", " "]\n[data]\npath = "x.csv"\n')
    assert "' '" in message and "not a label name" in message


@pytest.mark.parametrize(("columns", "message"), [
    ('text_column = "id"', "[data] id_column and text_column are both 'id'"),
    ('gold_column = "text"', "[data] text_column and gold_column are both 'text'"),
])
def test_one_column_in_two_roles(tmp_path, columns, message):
    text = f'[project]\nlabels = ["a", "b"]\n[data]\npath = "x.csv"\n{columns}\n'
    assert message in error_of(tmp_path, text)


def test_several_text_columns_get_the_recipe_that_joins_them(tmp_path):
    """``text_column = ["subject", "body"]`` said only "must be str, got [...]"."""
    text = ('[project]\nlabels = ["a", "b"]\n[data]\npath = "x.jsonl"\n'
            'text_column = ["subject", "body"]\n')
    message = error_of(tmp_path, text)
    assert "[data] text_column names one column, got ['subject', 'body']; to label 'subject' " \
           "and 'body' as one text" in message, message
    recipe = message.split('df["text"] = ', 1)[1].split(", then save", 1)[0]
    # the recipe as written joins the columns, leaving empty ones out
    import pandas as pd
    df = pd.DataFrame({"subject": ["Colis", "", None], "body": ["pas arrivé", "Bonjour", "x"]})
    assert list(eval(recipe, {"df": df})) == ["Colis\n\npas arrivé", "Bonjour", "x"]
    assert 'text_column = "text"' in message
    assert "must be str" in error_of(tmp_path, text.replace('["subject", "body"]', "3"))


def test_missing_data_path(tmp_path):
    message = error_of(tmp_path, '[project]\nlabels = ["a", "b"]\n')
    assert "[data] path is required" in message


@pytest.mark.parametrize(
    ("text", "where", "key", "valid"),
    [
        ("labls = 1\n", "the top level", "labls", "data, label_model, nlp, project, triage"),
        ('[project]\nlabel = ["a"]\n', "[project]", "label",
         "glossaries, labeling_functions, labels, name, runs, seed"),
        ('[data]\npaht = "x"\n', "[data]", "paht",
         "format, gold_column, id_column, path, text_column"),
        ("[nlp]\nlemmatiser = true\n", "[nlp]", "lemmatiser",
         "batch_size, lang, lemmatizer, pipeline"),
        ("[triage]\nthreshhold = 0.5\n", "[triage]", "threshhold",
         "audit_size, review_conflicts, threshold"),
    ],
)
def test_unknown_key_lists_valid_keys(tmp_path, text, where, key, valid):
    base = MINIMAL
    if text.startswith("[project]"):
        base = base.replace('[project]\nlabels = ["ham", "spam"]\n', "")
        text = text.replace("[project]\n", '[project]\nlabels = ["ham", "spam"]\n')
    if text.startswith("[data]"):
        text = text.replace("[data]\n", "")
        base = base + text
        text = ""
    message = error_of(tmp_path, text + base if not text.startswith("[") else base + text)
    assert f"unknown key {key!r} in {where}" in message
    listed = message.split("valid keys: ", 1)[1].split(", ")
    assert set(valid.split(", ")) <= set(listed)  # sections added later may also be listed
    assert listed == sorted(listed)


@pytest.mark.parametrize(("tail", "guess"), [
    ("[triage]\ntreshold = 0.5\n", "unknown key 'treshold' in [triage]; did you mean "
                                    "'threshold'? valid keys: "),
    ("[triag]\nthreshold = 0.5\n", "unknown key 'triag' in the top level; did you mean "
                                    "'triage'? valid keys: "),
    ("[apply]\nworker = 2\n", "did you mean 'workers'?"),
])
def test_a_misspelt_key_gets_the_close_valid_one(tmp_path, tail, guess):
    assert guess in error_of(tmp_path, MINIMAL + tail)
    # only a close one: a key like none of them gets the list alone
    for far in ("[triage]\ncolour = 1\n", "[zzz]\nx = 1\n"):
        message = error_of(tmp_path, MINIMAL + far)
        assert "unknown key" in message and "did you mean" not in message


def test_bad_tie_break(tmp_path):
    message = error_of(tmp_path, MINIMAL + '[label_model]\ntie_break = "coin"\n')
    assert "tie_break 'coin'" in message
    assert "valid: random, first, abstain" in message


@pytest.mark.parametrize("threshold", ["1.5", "-0.1"])
def test_threshold_out_of_range(tmp_path, threshold):
    message = error_of(tmp_path, MINIMAL + f"[triage]\nthreshold = {threshold}\n")
    assert "[triage] threshold must be between 0 and 1" in message
    assert threshold in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[triage]\nthreshold = "high"\n', "[triage] threshold must be int or float"),
        ("[triage]\nthreshold = true\n", "[triage] threshold must be a number"),
        ("[triage]\naudit_size = -1\n", "[triage] audit_size must be >= 0"),
        ('[triage]\naudit_allocation = "equal"\n',
         "[triage] audit_allocation 'equal'; valid: proportional, per_label"),
        ("[triage]\nrandom_sample = -5\n", "[triage] random_sample must be >= 0"),
        ('[triage]\nrandom_sample = "50"\n', "[triage] random_sample must be int"),
        ('[nlp]\nbatch_size = "big"\n', "[nlp] batch_size must be int"),
        ('[project]\nseed = "x"\n', "[project] seed must be int"),
        ('[data]\nformat = "xlsx"\n', "[data] format 'xlsx'; valid: csv, tsv, jsonl, parquet"),
    ],
)
def test_type_errors(tmp_path, text, expected):
    if text.startswith("[project]"):
        body = MINIMAL.replace("[project]\n", "[project]\n" + text.split("\n", 1)[1])
    elif text.startswith("[data]"):
        body = MINIMAL + text.split("\n", 1)[1]
    else:
        body = MINIMAL + text
    assert expected in error_of(tmp_path, body)


def test_bad_toml_names_file_and_line(tmp_path):
    message = error_of(tmp_path, MINIMAL + "\n[triage\nthreshold = 0.5\n")
    assert "labelwright.toml" in message
    assert "invalid TOML" in message
    assert "line 7" in message


def test_find_project_root_walks_up(tmp_path):
    write(tmp_path, MINIMAL)
    deep = tmp_path / "a" / "b" / "c"
    deep.mkdir(parents=True)
    assert find_project_root(deep) == tmp_path.resolve()
    assert load_config(deep).root == tmp_path.resolve()


def test_a_folder_named_as_the_project_must_be_one(tmp_path):
    """`--project emptyproj`, an empty folder inside a project, read the project above it:
    its runs were listed, and a run was written into it."""
    from labelwright.config import project_folder

    write(tmp_path, MINIMAL)
    (tmp_path / "emptyproj").mkdir()
    root = tmp_path.resolve()
    with pytest.raises(ConfigError) as info:
        project_folder(tmp_path / "emptyproj")
    assert str(info.value) == (f"{root / 'emptyproj'}: not a project folder (no labelwright.toml "
                               f"in it); the nearest project above it is {root}: pass "
                               f"--project {root}")
    with pytest.raises(ConfigError, match=r"typo: no such folder; pass a project folder \(one "
                                          r"that holds labelwright.toml\); the nearest project "
                                          r"above it is "):
        project_folder(tmp_path / "emptyproj" / "typo")
    assert project_folder(tmp_path / "emptyproj" / "..") == root
    (tmp_path / "emptyproj" / "new").mkdir()
    write(tmp_path / "emptyproj" / "new", MINIMAL)
    assert project_folder(tmp_path / "emptyproj" / "new") == root / "emptyproj" / "new"


def test_a_folder_named_with_no_project_above_it_says_how_to_make_one(tmp_path):
    from labelwright.config import project_folder

    (tmp_path / "new").mkdir()
    with pytest.raises(ConfigError, match=r"new: not a project folder \(no labelwright.toml "
                                          r"in it\); `labelwright init .*new` creates a "
                                          r"project there"):
        project_folder(tmp_path / "new")


def test_find_project_root_nearest_wins(tmp_path):
    write(tmp_path, MINIMAL)
    inner = tmp_path / "inner"
    inner.mkdir()
    (inner / "labelwright.toml").write_text(MINIMAL, encoding="utf-8")
    assert find_project_root(inner / ".") == inner.resolve()


def test_no_project_root(tmp_path):
    with pytest.raises(ConfigError, match="no labelwright.toml in .*labelwright init"):
        find_project_root(tmp_path)


@pytest.mark.parametrize(("setting", "expected"), [
    ('prior_strength = "x"', "[label_model] prior_strength (a setting of the 'dawid_skene' "
                             "model) must be int or float, got 'x'"),
    ("prior_strength = true", "prior_strength (a setting of the 'dawid_skene' model) must be "
                              "a number, got True"),
    ("max_iter = 10.5", "max_iter (a setting of the 'dawid_skene' model) must be int, got 10.5"),
    ("monotone = 1", "monotone (a setting of the 'dawid_skene' model) must be bool, got 1"),
    ("abstain = 0", "abstain (a setting of the 'dawid_skene' model) must be str, got 0"),
    ("learn_class_balance = 1", "learn_class_balance (a setting of the 'dawid_skene' model) "
                                "must be bool or str, got 1"),
    ("params = {tol = \"small\"}", "tol (a setting of the 'dawid_skene' model) must be int or "
                                  "float, got 'small'"),
])
def test_hyperparameter_of_the_wrong_type_names_file_key_and_type(tmp_path, setting, expected):
    message = error_of(tmp_path, MINIMAL + f'[label_model]\nname = "dawid_skene"\n{setting}\n')
    assert message.startswith(f"{tmp_path / 'labelwright.toml'}:8: ")  # the setting's line
    assert expected in message


@pytest.mark.parametrize("setting", ["prior_strength = 20", "prior_strength = 2.5",
                                     "sample_rows = 1000", "monotone = false",
                                     "learn_class_balance = true",
                                     'learn_class_balance = "auto"',
                                     "no_such_setting = 1"])  # make_label_model reports it
def test_hyperparameters_of_the_right_type_pass(tmp_path, setting):
    write(tmp_path, MINIMAL + f'[label_model]\nname = "dawid_skene"\n{setting}\n')
    key, value = setting.split(" = ")
    assert key in load_config(tmp_path).label_model.params


def test_auto_hyperparameter_types_are_checked(tmp_path):
    message = error_of(tmp_path, MINIMAL + "[label_model]\nscoring = 1\n")
    assert "[label_model] scoring (a setting of the 'auto' model) must be str, got 1" in message


PROJECT = '[project]\nlabels = ["ham", "spam"]\n'
DATA = '\n[data]\npath = "data.csv"\n'


@pytest.mark.parametrize(("text", "expected"), [
    # passed check, then crashed run with a traceback
    (PROJECT + "seed = -1\n" + DATA, "[project] seed must be 0 to 4294967295, got -1"),
    (PROJECT + "seed = 9223372036854775807\n" + DATA, "[project] seed must be 0 to"),
    (MINIMAL + "\n[label_model]\nclass_balance = [nan, nan]\n",
     "class_balance must be positive shares summing to 1"),
    (MINIMAL + "\n[label_model]\nparams = 5\n", "[label_model] params must be dict, got 5"),
    # forked until the machine stalled
    (MINIMAL + "\n[apply]\nworkers = 100000\n", "[apply] workers must be 1 to 256, got 100000"),
    # silently turned into strings: runs = 5 wrote into ./5/
    (PROJECT + "runs = 5\n" + DATA, "[project] runs must be str, got 5"),
    (PROJECT + 'labeling_functions = ["labeling_functions"]\n' + DATA,
     "[project] labeling_functions must be str"),
    (PROJECT + "name = 5\n" + DATA, "[project] name must be str, got 5"),
    ('[project]\nlabels = ["ham", "spam "]\n' + DATA,
     "[project] labels: 'spam ' has spaces around it; write 'spam'"),
    # the report counted its items as unlabeled, and runs diff its flips as none
    ('[project]\nlabels = ["(none)", "yes"]\n' + DATA,
     "[project] labels: '(none)' is how labelwright shows an item without a label"),
    (MINIMAL + "\n[nlp]\nbatch_size = 0\n", "[nlp] batch_size must be >= 1, got 0"),
    (MINIMAL + '\n[end_model]\nfeatures = "chars"\n',
     "[end_model] features 'chars'; valid: auto, words, words+chars"),
    (MINIMAL + '\n[end_model]\nfeature = "words"\n', "unknown key 'feature' in [end_model]"),
    (MINIMAL + "\n[apply]\nscheduler = 0\n", "[apply] scheduler must be str, got 0"),
])
def test_values_check_let_through_before(tmp_path, text, expected):
    assert expected in error_of(tmp_path, text)


def test_a_folder_that_does_not_exist_is_an_error_not_its_parents_project(tmp_path):
    """`run -p project/typo` ran the parent project and wrote a run into it."""
    write(tmp_path, MINIMAL)
    with pytest.raises(ConfigError, match=r"typo: no such folder; pass a project folder"):
        load_config(tmp_path / "typo")
    assert load_config(tmp_path / "labelwright.toml").root == tmp_path.resolve()
    with pytest.raises(ConfigError, match=r"sub[/\\]labelwright.toml: no such file"):
        load_config(tmp_path / "sub" / "labelwright.toml")


def test_a_config_in_another_encoding_or_with_a_bom(tmp_path):
    """Latin-1 gave a UnicodeDecodeError traceback; a BOM an unhelpful TOML error."""
    (tmp_path / "labelwright.toml").write_bytes(
        ('[project]\nlabels = ["ham", "spam"]\nname = "caf\u00e9"\n').encode("latin-1"))
    with pytest.raises(ConfigError, match=r"labelwright.toml:3: not UTF-8 \(byte 0xe9\)"):
        load_config(tmp_path)
    (tmp_path / "labelwright.toml").write_bytes(b"\xef\xbb\xbf" + MINIMAL.encode())
    assert load_config(tmp_path).labels == ("ham", "spam")


@pytest.mark.parametrize("line", ["triage = 5", "label_model = \"snorkel\"", "nlp = []",
                                  "review = \"majority\""])
def test_a_section_written_as_a_value_is_an_error(tmp_path, line):
    """`triage = 5` gave a TypeError traceback, `review = "majority"` complained of a key
    'a' (the string read letter by letter)."""
    section = line.split(" =")[0]
    assert f"{section} must be a table (a [{section}] section" in error_of(
        tmp_path, line + "\n" + MINIMAL)


@pytest.mark.parametrize("line, source", [
    ("cardinality = 3", "the number of \\[project\\] labels"),
    ("random_state = 1", "\\[project\\] seed"),
    ("params = { tie_break = \"first\" }", "\\[label_model\\] tie_break")])
def test_arguments_labelwright_sets_are_named_when_given(tmp_path, line, source):
    """They gave "[label_model]  is not a setting", naming no key."""
    key = line.split(" =")[0] if "tie_break" not in line else "tie_break"
    message = error_of(tmp_path, MINIMAL + "\n[label_model]\n" + line + "\n")
    assert re.search(rf"\[label_model\] {key} is not a setting: labelwright sets it from "
                     rf"{source}", message), message


@pytest.mark.parametrize("apply, message", [
    ('engine = "local"\nscheduler = "tcp://h:8786"', r"scheduler names a Dask cluster, but "
                                                     r"\[apply\] engine = 'local'"),
    ('scheduler = ""', r"\[apply\] scheduler is empty")])
def test_a_scheduler_the_engine_cannot_use_is_a_config_error(tmp_path, apply, message):
    """engine = "local" with a scheduler passed check and failed the run; scheduler = ""
    was ignored."""
    assert re.search(message, error_of(tmp_path, MINIMAL + "\n[apply]\n" + apply + "\n"))


def test_an_unknown_model_setting_lists_the_models_and_the_tables_own_keys(tmp_path):
    """A misspelt `tie_brek` listed the model's settings but not name, tie_break,
    class_balance or params, the keys it was most likely meant to be."""
    from labelwright.models.configured import make_label_model

    write(tmp_path, MINIMAL + '[label_model]\nname = "dawid_skene"\ntie_brek = "first"\n')
    with pytest.raises(ConfigError) as caught:
        make_label_model(load_config(tmp_path))
    message = str(caught.value)
    assert ("'tie_brek' is not a setting of the 'dawid_skene' label model; did you mean "
            "'tie_break'? valid: ") in message
    assert "prior_strength" in message
    assert "[label_model]'s own keys: name, tie_break, class_balance, params" in message


@pytest.mark.parametrize("written", ["prior_strenght = 1.0",
                                     "params = { prior_strenght = 1.0 }"])
def test_a_misspelt_model_setting_gets_a_guess(tmp_path, written):
    """prior_strenght listed every setting of the model, but named none as the one meant."""
    from labelwright.models.configured import make_label_model

    write(tmp_path, MINIMAL + f'[label_model]\nname = "dawid_skene"\n{written}\n')
    with pytest.raises(ConfigError, match=r"labelwright\.toml:\d+: \[label_model\] "
                                          r"'prior_strenght' is not a setting of the "
                                          r"'dawid_skene' label model; did you mean "
                                          r"'prior_strength'\? valid: "):
        make_label_model(load_config(tmp_path))


def test_a_setting_of_a_model_that_takes_none_says_so(tmp_path):
    """name = "majority" with foo = 1 listed an empty "valid: " before the table's keys."""
    from labelwright.models.configured import make_label_model

    write(tmp_path, MINIMAL + '[label_model]\nname = "majority"\nfoo = 1\n')
    with pytest.raises(ConfigError, match=r"'foo' is not a setting of the 'majority' label "
                                          r"model, which takes none \(valid: \[label_model\]'s "
                                          r"own keys: name, tie_break"):
        make_label_model(load_config(tmp_path))


def test_a_config_file_under_another_name_is_refused_not_swapped(tmp_path):
    """`run -p strict.toml` read the labelwright.toml beside it and ran with its settings,
    exit 0."""
    write(tmp_path, MINIMAL)
    (tmp_path / "strict.toml").write_text(MINIMAL + "\n[triage]\nthreshold = 0.99\n")
    with pytest.raises(ConfigError, match=r"strict.toml: a project is a folder holding "
                                          r"labelwright.toml, or that file itself"):
        load_config(tmp_path / "strict.toml")
    assert load_config(tmp_path).root == tmp_path.resolve()


def test_the_end_model_reads_what_end_model_features_says(tmp_path):
    write(tmp_path, MINIMAL + '\n[end_model]\nfeatures = "words"\n')
    assert load_config(tmp_path).end_model.features == "words"


# -- the line of a wrong setting --------------------------------------------------------------

@pytest.mark.parametrize(("tail", "written", "message"), [
    ("[review]\nbudgt = 5\n", "budgt = 5", "unknown key 'budgt' in [review]; valid keys: "),
    ("review.budgt = 5\n", "review.budgt = 5", "unknown key 'review' in [data]"),
    ("[triage]\naudit_size = 5\nthreshold = 2\n", "threshold = 2",
     "[triage] threshold must be between 0 and 1, got 2"),
    ('[nlp]\n"batch_size" = "x"\n', '"batch_size" = "x"', "[nlp] batch_size must be int"),
    ('[label_model]\nname = "dawid_skene"\nparams = { tol = "small" }\n',
     'params = { tol = "small" }', "tol (a setting of the 'dawid_skene' model) must be"),
    ('[label_model.params]\nrandom_state = 3\n', "random_state = 3",
     "[label_model] random_state is not a setting: labelwright sets it from [project] seed"),
    ("[apply.engine]\nx = 1\n", "[apply.engine]", "[apply] engine {'x': 1}; valid: "),
    ("[revue.x]\n", "[revue.x]", "unknown key 'revue' in the top level"),
    ("[[review]]\npolicy = \"x\"\n", "[[review]]", "review must be a table"),
])
def test_a_wrong_setting_names_its_line(tmp_path, tail, written, message):
    text = MINIMAL + "\n" + tail
    line = text.splitlines().index(written) + 1
    error = error_of(tmp_path, text)
    assert error.startswith(f"{tmp_path / 'labelwright.toml'}:{line}: ")
    assert message in error


def test_a_dotted_key_at_the_top_is_placed_in_its_table(tmp_path):
    error = error_of(tmp_path, 'triage.threshold = 7\n' + MINIMAL)
    assert error.startswith(f"{tmp_path / 'labelwright.toml'}:1: [triage] threshold must be")


def test_a_setting_not_written_in_the_file_gets_no_line(tmp_path):
    """A missing key, or a default, is on no line: the message names the file alone."""
    assert error_of(tmp_path, '[data]\npath = "d.csv"\n').startswith(
        f"{tmp_path / 'labelwright.toml'}: [project] labels must list")
    # text_column is the one written; id_column is the default "id"
    message = error_of(tmp_path, MINIMAL + 'text_column = "id"\n')
    assert message.startswith(f"{tmp_path / 'labelwright.toml'}:6: [data] id_column and "
                              "text_column are both 'id'")


def test_a_config_made_from_a_dict_names_no_line():
    from labelwright.config import parse_config

    raw = {"project": {"labels": ["ham", "spam"]}, "data": {"path": "d.csv"},
           "review": {"budgt": 5}}
    with pytest.raises(ConfigError, match=r"^/p/labelwright.toml: unknown key 'budgt'"):
        parse_config(raw, root=Path("/p"), file=Path("/p/labelwright.toml"))


@pytest.mark.parametrize(("tail", "written", "message"), [
    ('[label_model]\nname = "snorkle"\n', 'name = "snorkle"',
     "[label_model] name: unknown label model 'snorkle'; did you mean 'snorkel'? available: "),
    ('[label_model]\nname = "dawid_skene"\nprior_strength = -1.0\n', "prior_strength = -1.0",
     "[label_model] prior_strength must be"),
    ('[label_model]\nname = "auto"\nparams = {scoring = "xyz"}\n',
     'params = {scoring = "xyz"}', "[label_model] unknown scoring 'xyz'"),
    ('[label_model]\nname = "majority"\n\n[label_model.params]\nfoo = 1\n', "foo = 1",
     "[label_model] 'foo' is not a setting of the 'majority' label model"),
])
def test_a_label_model_setting_the_model_refuses_names_its_line(tmp_path, tail, written,
                                                                 message):
    from labelwright.models.configured import make_label_model

    text = MINIMAL + "\n" + tail
    write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        make_label_model(load_config(tmp_path))
    line = text.splitlines().index(written) + 1
    assert str(caught.value).startswith(f"{tmp_path.resolve() / 'labelwright.toml'}:{line}: ")
    assert message in str(caught.value)


def test_a_missing_folder_the_config_names_names_its_line(tmp_path):
    from labelwright.folders import check_folders

    write(tmp_path, MINIMAL.replace("[data]", 'labeling_functions = "rulez"\n\n[data]'))
    with pytest.raises(ConfigError, match=r"labelwright.toml:4: \[project\] labeling_functions "
                                          r"= 'rulez', but .*rulez is no folder"):
        check_folders(load_config(tmp_path))


@pytest.mark.parametrize(("tail", "line", "expected"), [
    # tomllib said "Cannot overwrite a value (at line 9, column 14)", naming no file or key
    ("[triage]\nthreshold = 0.5\nthreshold = 0.6\n", 9,
     "invalid TOML: the key 'threshold' is set twice in one table, [triage] (first on "
     "line 8); a key may be set once in a table: remove one of them"),
    ('[triage]\nthreshold = 0.5\n[review]\npolicy = "majority"\n[triage]\n', 11,
     "invalid TOML: the table [triage] is declared twice (first on line 7); a table is "
     "declared once: put all its keys under one [triage] header"),
    ("[triage]\nthreshold = 0.5\n[triage\n", 9,  # tomllib sees the name before the bracket
     "invalid TOML: a key is set twice in one table, or a table is declared twice"),
])
def test_a_key_set_twice_names_the_file_line_and_key(tmp_path, tail, line, expected):
    message = error_of(tmp_path, MINIMAL + "\n" + tail)
    assert message.startswith(f"{tmp_path / 'labelwright.toml'}:{line}: ")
    assert expected in message


def test_quoting_and_columns_are_read(tmp_path):
    write(tmp_path, '[project]\nlabels = ["ham", "spam"]\n\n[data]\npath = "SMSSpamCollection"\n'
                    'format = "tsv"\nquoting = "none"\ncolumns = ["label", "text"]\n'
                    'id_column = "label"\n')
    data = load_config(tmp_path).data
    assert (data.format, data.quoting, data.columns) == ("tsv", "none", ("label", "text"))
    write(tmp_path, MINIMAL)
    assert (load_config(tmp_path).data.quoting, load_config(tmp_path).data.columns) == \
        ("auto", None)
    assert load_config(tmp_path).data.delimiter is None
    write(tmp_path, MINIMAL + 'delimiter = ";"\n')
    assert load_config(tmp_path).data.delimiter == ";"


@pytest.mark.parametrize(("tail", "written", "message"), [
    ('quoting = "off"\n', 'quoting = "off"',
     "[data] quoting 'off'; valid: \"auto\" (CSV quoting; in a tab-separated file an error "
     "where a quote is ambiguous), \"csv\" (a quoted value may hold delimiters and line "
     "breaks), \"none\" (quotes are text: one line is one record)"),
    ('columns = ["id", "text", "id"]\n', 'columns = ["id", "text", "id"]',
     "[data] columns names 'id' more than once; every column needs its own name"),
    ('columns = ["id", "", "text"]\n', 'columns = ["id", "", "text"]',
     "[data] columns: '' is no column name; name every column"),
    ('columns = "id,text"\n', 'columns = "id,text"',
     "[data] columns must list the names of the file's columns, in order"),
    ('columns = []\n', "columns = []", "[data] columns must list the names"),
    ('delimiter = ";;"\n', 'delimiter = ";;"',
     "[data] delimiter must be one character such as \";\", \"|\" or \"\\t\" (not a letter, "
     "digit, quote or line break), got ';;'"),
    ('columns = ["id", "body"]\n', 'columns = ["id", "body"]',
     "[data] text_column 'text' is not one of [data] columns (id, body); name it there"),
    ('id_column = "key"\ncolumns = ["label", "text"]\n', 'id_column = "key"',
     "[data] id_column 'key' is not one of [data] columns (label, text); name it there, in "
     "its place in the file's order, or name the id column with id_column (every item needs "
     "a unique id: a file without ids needs a column of them; to number its lines"),
])
def test_a_wrong_quoting_or_columns_names_its_line_and_the_valid_options(tmp_path, tail,
                                                                          written, message):
    text = MINIMAL + tail
    line = text.splitlines().index(written) + 1
    error = error_of(tmp_path, text)
    assert error.startswith(f"{tmp_path / 'labelwright.toml'}:{line}: "), error
    assert message in error


@pytest.mark.skipif(shutil.which("awk") is None, reason="needs awk, whose command the error gives")
def test_a_file_without_ids_gets_the_command_that_numbers_its_lines(tmp_path):
    # UCI's SMS Spam Collection: label<TAB>text, no header, no ids
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "SMSSpamCollection").write_text(
        'ham\tOk lar... Joking wif u oni...\nspam\tFREE entry, text "WIN" to 87121\n',
        encoding="utf-8")
    error = error_of(tmp_path, '[project]\nlabels = ["spam", "ham"]\n\n[data]\n'
                     'path = "data/SMSSpamCollection"\nformat = "tsv"\nquoting = "none"\n'
                     'columns = ["label", "text"]\ngold_column = "label"\n')
    command = error.split("in the project folder: ")[1].split(", then set")[0]
    assert command == ("awk '{print NR \"\\t\" $0}' data/SMSSpamCollection > "
                       "data/SMSSpamCollection-numbered.tsv")
    subprocess.run(command, shell=True, cwd=tmp_path, check=True)
    # the settings it names read the numbered copy, the line numbers as ids
    assert ('set [data] path = "data/SMSSpamCollection-numbered.tsv" and columns = '
            '["id", "label", "text"]') in error
    write(tmp_path, '[project]\nlabels = ["spam", "ham"]\n\n[data]\n'
          'path = "data/SMSSpamCollection-numbered.tsv"\nquoting = "none"\n'
          'columns = ["id", "label", "text"]\ngold_column = "label"\n')
    config = load_config(tmp_path)
    frame = read_frame(config.data.path, "tsv", quoting="none", columns=list(config.data.columns))
    assert frame["id"].tolist() == ["1", "2"]
    assert frame["label"].tolist() == ["ham", "spam"]
    assert frame["text"].tolist()[1] == 'FREE entry, text "WIN" to 87121'


@pytest.mark.skipif(shutil.which("awk") is None, reason="needs awk, whose command the error gives")
@pytest.mark.parametrize("name", ["SMS Spam Collection", "it's\\sms", "sms$(x).tsv"])
def test_the_numbering_command_and_setting_work_pasted_for_any_file_name(tmp_path, name):
    """A name with a space, a quote, a backslash or a shell's $( ) was pasted into the
    command and the setting as written: the shell split or ran it, and TOML read the
    backslash as an escape."""
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / name).write_text("ham\tOk lar\nspam\tFREE entry\n", encoding="utf-8")
    tail = 'format = "tsv"\nquoting = "none"\ncolumns = ["label", "text"]\ngold_column = "label"\n'
    error = error_of(tmp_path, '[project]\nlabels = ["spam", "ham"]\n\n[data]\n'
                     f"path = {json.dumps('data/' + name)}\n" + tail)
    command = error.split("in the project folder: ")[1].split(", then set")[0]
    subprocess.run(command, shell=True, cwd=tmp_path, check=True)
    setting = error.split("then set [data] ")[1].split(" and columns = ")[0]
    numbered = tomllib.loads(setting)["path"]
    assert sorted(p.name for p in (tmp_path / "data").iterdir()) == sorted(
        [name, Path(numbered).name])
    assert (tmp_path / numbered).read_text(encoding="utf-8") == (
        "1\tham\tOk lar\n2\tspam\tFREE entry\n")


def test_a_column_whose_name_holds_the_letters_id_is_no_id_column(tmp_path):
    """'video' holds 'id': the file still has no id column, and the command that gives it
    one was left out."""
    error = error_of(tmp_path, MINIMAL + 'columns = ["video", "text"]\n')
    assert "to number its lines" in error and "awk" in error
    assert 'columns = ["id", "video", "text"]' in error


def test_a_file_with_an_id_column_of_another_name_gets_no_numbering_command(tmp_path):
    error = error_of(tmp_path, MINIMAL + 'columns = ["msg_id", "text"]\n')
    assert "[data] id_column 'id' is not one of [data] columns (msg_id, text)" in error
    assert "awk" not in error


@pytest.mark.parametrize(("path", "tail", "written", "message"), [
    ("d.jsonl", 'columns = ["id", "text"]\n', 'columns = ["id", "text"]',
     "[data] columns names the columns of a CSV or TSV file without a header row; d.jsonl is "
     "read as jsonl, whose column names are in the file: remove columns"),
    ("d.csv", 'format = "parquet"\ncolumns = ["id", "text"]\n', 'columns = ["id", "text"]',
     "d.csv is read as parquet"),
    ("d.pq", 'quoting = "none"\n', 'quoting = "none"',
     "[data] quoting is about quotes in a CSV or TSV file; d.pq is read as parquet: remove "
     "quoting"),
    ("d.jsonl", 'delimiter = ";"\n', 'delimiter = ";"',
     "[data] delimiter separates the values of a CSV or TSV file; d.jsonl is read as jsonl: "
     "remove delimiter"),
])
def test_columns_or_quoting_for_jsonl_or_parquet_is_an_error(tmp_path, path, tail, written,
                                                             message):
    text = MINIMAL.replace('"data.csv"', f'"{path}"') + tail
    line = text.splitlines().index(written) + 1
    error = error_of(tmp_path, text)
    assert error.startswith(f"{tmp_path / 'labelwright.toml'}:{line}: "), error
    assert message in error


def test_renamed_labels(tmp_path):
    config_with = ('[project]\nlabels = ["neutral", "positive", "complaint"]\n'
                   'renamed = {renamed}\n\n[data]\npath = "data.csv"\n')
    write(tmp_path, config_with.format(renamed='{ negative = "complaint" }'))
    assert load_config(tmp_path).renamed == (("negative", "complaint"),)
    # the target must be a current label; the errors name the line and the labels
    message = error_of(tmp_path, config_with.format(renamed='{ negative = "complain" }'))
    assert "labelwright.toml:3:" in message and "'complain'" in message
    assert "neutral, positive, complaint" in message
    # an old name that is still a label would mean two labels
    message = error_of(tmp_path, config_with.format(renamed='{ positive = "complaint" }'))
    assert "'positive' is one of [project] labels" in message
    # a chain gives the one step to write
    message = error_of(tmp_path, config_with.format(
        renamed='{ negative = "grievance", grievance = "complaint" }'))
    assert "write 'negative' = 'complaint'" in message
    # a longer chain gives its end, a cycle says it never reaches a label (the hint had
    # been "write 'b' = 'a'", another old name)
    message = error_of(tmp_path, config_with.format(
        renamed='{ a = "b", b = "c", c = "complaint" }'))
    assert "write 'a' = 'complaint'" in message
    message = error_of(tmp_path, config_with.format(renamed='{ a = "b", b = "a" }'))
    assert "the renames 'a' -> 'b' -> 'a' never reach one of them" in message
    # the label an unlabeled item shows, or a blank name, is no old label
    message = error_of(tmp_path, config_with.format(renamed='{ "(none)" = "complaint" }'))
    assert "'(none)' cannot be an old label name" in message
    message = error_of(tmp_path, config_with.format(renamed='{ " " = "complaint" }'))
    assert "cannot be an old label name" in message
    message = error_of(tmp_path, config_with.format(renamed='"negative"'))
    assert "[project] renamed must be a table" in message


def test_each_wrong_table_is_named_in_one_go(tmp_path):
    """A user fixing a config saw one problem a round: a misspelt [triage] key hid a wrong
    [review] policy until it was fixed. Each wrong table is an error line of its own, with
    its line, in the order the tables are checked."""
    from labelwright.errors import ConfigErrors

    write(tmp_path, MINIMAL + '\n[triage]\ntreshold = 0.7\n\n[review]\npolicy = "majorty"\n')
    with pytest.raises(ConfigErrors) as info:
        load_config(tmp_path)
    lines = str(info.value).splitlines()
    assert [str(e) for e in info.value.errors] == lines
    assert len(lines) == 2
    assert re.match(r".*labelwright\.toml:8: unknown key 'treshold' in \[triage\]; did you mean "
                    r"'threshold'\?", lines[0])
    assert re.match(r".*labelwright\.toml:11: \[review\] policy 'majorty'; did you mean "
                    r"'majority'\? valid: ", lines[1])


def test_a_language_spacy_has_not_is_named_with_the_other_errors(tmp_path):
    """lang = "spanish" was found only when the pipeline was built, after the config's
    other errors were fixed (the README promises every wrong table at once); it is one of
    them now, with the code meant and the valid codes."""
    from labelwright.errors import ConfigErrors

    write(tmp_path, MINIMAL + '\n[nlp]\nlang = "spanish"\n\n[review]\npolicy = "majorty"\n')
    with pytest.raises(ConfigErrors) as info:
        load_config(tmp_path)
    lines = str(info.value).splitlines()
    assert len(lines) == 2
    assert re.match(r".*labelwright\.toml:8: \[nlp\] lang 'spanish' is not a language spaCy "
                    r"knows \(did you mean 'es'\? valid: .*\bde, .*\bes, ", lines[0])
    assert re.match(r".*labelwright\.toml:11: \[review\] policy 'majorty'", lines[1])


def test_without_readable_labels_the_checks_against_them_are_left_out(tmp_path):
    """Labels that cannot be read are one error; the class balance is not also called
    wrong for not matching them, while a table that does not need them still is."""
    text = ('[project]\nlabels = ["ham"]\n\n[data]\npath = "data.csv"\n\n[label_model]\n'
            'class_balance = [0.5, 0.5]\n\n[apply]\nengine = "locl"\n')
    message = error_of(tmp_path, text)
    lines = message.splitlines()
    assert len(lines) == 2, message
    assert "[project] labels" in lines[0] and "class_balance" not in message
    assert "[apply] engine 'locl'" in lines[1]


def test_one_wrong_table_is_the_error_it_was(tmp_path):
    """One problem keeps its single-error form: a SettingError located, not a list."""
    from labelwright.errors import ConfigErrors

    write(tmp_path, MINIMAL + '\n[review]\npolicy = "majorty"\n')
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path)
    assert not isinstance(info.value, ConfigErrors)
    assert str(info.value).count("\n") == 0


def test_project_settings_come_first_and_tie_break_is_checked_without_labels(tmp_path):
    """A reviewer saw [project] seed named after [triage], and a wrong tie_break hidden by
    unreadable labels: [project]'s settings lead, and only the class balance waits for the
    labels."""
    text = ('[project]\nlabels = ["ham"]\nseed = "x"\n\n[data]\npath = "data.csv"\n\n'
            '[label_model]\ntie_break = "coin"\nclass_balance = [0.5, 0.5]\n\n'
            '[triage]\nthreshhold = 1\n')
    lines = error_of(tmp_path, text).splitlines()
    assert [line.split(": ", 1)[1][:30] for line in lines] == [
        "[project] labels must list at ",
        "[project] seed must be int, go",
        "[label_model] tie_break 'coin'",
        "unknown key 'threshhold' in [t",
    ]


def test_labels_that_differ_only_in_accents_are_warned_of(make_project, cli):
    """labels = ["averia", "avería", "otro"] was taken as three labels without a word,
    while every did-you-mean read the two as one word."""
    from labelwright import run_project
    from labelwright.config.settings import lookalike_labels

    assert lookalike_labels(["averia", "avería", "otro", "Otró"], "t.toml:2") == [
        "t.toml:2: [project] labels 'averia' and 'avería' differ only in accents: most likely "
        "one label written twice, and where a glossary, review or LF writes it another way "
        "('AVERIA') the \"did you mean\" can name either. If they are one label, keep one "
        "(reviews of the other: [project] renamed); else name them so they differ in letters",
        "t.toml:2: [project] labels 'otro' and 'Otró' differ only in accents and case: most "
        "likely one label written twice, and where a glossary, review or LF writes it another "
        "way ('OTRO') the \"did you mean\" can name either. If they are one label, keep one "
        "(reviews of the other: [project] renamed); else name them so they differ in letters"]
    assert lookalike_labels(["billing", "technical"], "t.toml:2") == []
    # compatibility forms are other letters, not accents
    assert lookalike_labels(["m²", "m2", "ﬁle", "file"], "t.toml:2") == []
    root = make_project(labels=("billing", "technical", "technícal"), lfs={"one": """
        from labelwright import labeling_function

        @labeling_function()
        def fee(item):
            return "billing" if "fee" in item.text else None
        """})
    code, out = cli("check", "-p", str(root))
    assert code == 0, out
    assert (f"{root / 'labelwright.toml'}:3: [project] labels 'technical' and 'technícal' "
            "differ only in accents") in out
    result = run_project(root, report=False)
    assert any("'technical' and 'technícal' differ only in accents" in w
               for w in result.warnings)


def test_snorkels_seed_in_label_model_says_the_seed_is_project_seed(tmp_path):
    """[label_model] seed = 123 listed the valid keys, and not that the seed is [project]
    seed; two unknown keys read "'log_freq', 'seed' is not a setting"."""
    from labelwright.models.configured import make_label_model

    write(tmp_path, MINIMAL + '[label_model]\nname = "snorkel"\nseed = 123\nlog_freq = 5\n')
    with pytest.raises(ConfigError) as caught:
        make_label_model(load_config(tmp_path))
    said = str(caught.value)
    assert "[label_model] 'log_freq', 'seed' are not settings of the 'snorkel' label model" \
        in said
    assert said.endswith("; the seed is [project] seed (every random choice of the run "
                         "derives from it, the label model's random_state too)")
    # snorkel's fit logging options were listed as unknown keys, without what they were
    assert "; snorkel's fit option log_freq has no counterpart here (a run logs no epochs " \
           "and shows no progress bar): leave it out; the seed is" in said
    # snorkel's LabelModel(verbose=False, device="cpu") options, copied into the table
    write(tmp_path, MINIMAL + '[label_model]\nname = "snorkel"\nverbose = false\n'
          'device = "cpu"\n')
    with pytest.raises(ConfigError) as caught:
        make_label_model(load_config(tmp_path))
    said = str(caught.value)
    assert "'device', 'verbose' are not settings" in said or \
        "'verbose', 'device' are not settings" in said
    for key in ("verbose", "device"):
        assert f"; snorkel's LabelModel option {key} has no counterpart here (a run logs " \
               "no epochs, and labelwright's label models fit on the CPU): leave it out" \
               in said
    write(tmp_path, MINIMAL + '[label_model]\nname = "auto"\ntie_break_policy = "abstain"\n')
    with pytest.raises(ConfigError) as caught:
        make_label_model(load_config(tmp_path))
    said = str(caught.value)
    assert "'tie_break_policy' is not a setting of the 'auto' label model" in said
    assert said.endswith("snorkel's tie_break_policy is [label_model] tie_break here")
    assert "name another model" not in said and "another model" not in said
