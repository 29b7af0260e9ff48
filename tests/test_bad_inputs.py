"""Bad inputs through the real CLI: each fails with a message naming the file/line/row and
the fix (or, where the input is merely odd, is kept with a warning), and nothing is lost."""

from __future__ import annotations

import errno
import json
import textwrap
from pathlib import Path

import pandas as pd
import pytest

from labelwright.scaffold import init_project

HEADER = "id,text,verified,gold\n"
GOOD_ROWS = "r1,Love it. 5 stars,yes,positive\nr2,Broke after a day. Returned it.,yes,negative\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    init_project(root)
    return root


def write_data(project: Path, content: str | bytes, name: str = "reviews.csv") -> Path:
    path = project / "data" / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    if name != "reviews.csv":
        toml = project / "labelwright.toml"
        toml.write_text(toml.read_text().replace("data/reviews.csv", f"data/{name}"))
    return path


def write_lfs(project: Path, source: str) -> Path:
    path = project / "labeling_functions" / "reviews.py"
    path.write_text(textwrap.dedent(source), encoding="utf-8")
    return path


def latest_labels(project: Path) -> pd.DataFrame:
    run_id = (project / "runs" / "LATEST").read_text().strip()
    return pd.read_parquet(project / "runs" / run_id / "labels.parquet")


def newest_labels(project: Path) -> pd.DataFrame:
    """The newest run's labels, failed or not (``runs/LATEST`` names no failed run)."""
    from labelwright.runs.store import list_runs

    run_id = list_runs(project / "runs")[-1]
    return pd.read_parquet(project / "runs" / run_id / "labels.parquet")


# -- the dataset ----------------------------------------------------------------------------


def test_missing_data_file(project, cli):
    (project / "data" / "reviews.csv").unlink()
    code, out = cli("run", "-p", str(project))
    assert code != 0
    assert str(project / "data" / "reviews.csv") in out and "not found" in out


def test_malformed_csv_unterminated_quote(project, cli):
    path = write_data(project, HEADER + 'r1,"never closed,yes,\nr2,ok,yes,\n')
    code, out = cli("run", "-p", str(project))
    assert code != 0
    assert str(path) in out and "malformed CSV" in out and "row 1" in out


def test_malformed_csv_extra_fields_is_not_silently_shifted(project, cli):
    # An unquoted comma in a text gives a line more fields than the header; pandas would
    # take the first column as the index and shift every value left, losing the ids.
    path = write_data(project, HEADER + "r1,a,b,c,d,e\nr2,ok,yes,\n")
    code, out = cli("run", "-p", str(project))
    assert code != 0
    assert f"{path}:2" in out


def test_malformed_jsonl(project, cli):
    path = write_data(project, '{"id": "r1", "text": "fine"}\n{"id": "r2", "text": \n',
                      name="reviews.jsonl")
    code, out = cli("run", "-p", str(project))
    assert code != 0
    assert f"{path}:2: malformed JSON" in out


def test_a_jsonl_key_given_twice_is_an_error_in_every_reader(project, cli, tmp_path):
    """{"text": "first", "text": "second"}: the first text was dropped without a word."""
    from labelwright.apply import Applier, apply_file
    from labelwright.errors import DataError
    from labelwright.project import load_project

    path = write_data(project, '{"id": "r1", "text": "fine"}\n'
                               '{"id": "r2", "text": "first", "text": "second"}\n',
                      name="reviews.jsonl")
    expected = f"{path}:2: key 'text' is given twice in one object"
    code, out = cli("check", "-p", str(project))
    assert code == 1 and expected in out
    loaded = load_project(project)
    with pytest.raises(DataError, match="key 'text' is given twice"):
        apply_file(Applier(loaded.lfs, loaded.labels, nlp=loaded.nlp), path, tmp_path / "m.pq")


def test_malformed_parquet(project, cli):
    path = write_data(project, b"PAR1 this is not parquet", name="reviews.parquet")
    code, out = cli("run", "-p", str(project))
    assert code != 0
    assert str(path) in out and "Parquet" in out


@pytest.mark.parametrize("column", ["id", "text"])
def test_missing_id_or_text_column(project, cli, column):
    header = HEADER.replace(column, "other", 1)
    path = write_data(project, header + GOOD_ROWS)
    code, out = cli("run", "-p", str(project))
    assert code != 0
    assert str(path) in out and f"no {column} column {column!r}" in out
    assert "columns present: other" in out or "columns present:" in out


def test_duplicate_ids(project, cli):
    path = write_data(project, HEADER + GOOD_ROWS + "r1,Again,yes,\n")
    code, out = cli("run", "-p", str(project))
    assert code != 0
    assert str(path) in out and "duplicate id 'r1' at rows 1 and 3" in out


def test_empty_nan_and_blank_texts_are_kept_with_a_warning(project, cli):
    write_data(project, HEADER + GOOD_ROWS + 'r3,,yes,\nr4,"   ",no,\n')
    code, out = cli("run", "-p", str(project))
    assert code == 0
    assert "2 empty or missing texts" in out and "row 3 (id 'r3')" in out and "'r4'" in out
    labels = latest_labels(project)
    assert labels["id"].tolist() == ["r1", "r2", "r3", "r4"]
    assert labels.set_index("id").loc[["r3", "r4"], "label"].isna().all()


def test_nan_text_in_jsonl_is_kept(project, cli):
    rows = [{"id": "r1", "text": "Love it"}, {"id": "r2", "text": None}, {"id": "r3"}]
    write_data(project, "\n".join(json.dumps(r) for r in rows) + "\n", name="reviews.jsonl")
    (project / "labelwright.toml").write_text(
        (project / "labelwright.toml").read_text().replace('gold_column = "gold"', ""))
    code, out = cli("run", "-p", str(project))
    assert code == 0
    assert "2 empty or missing texts" in out and "'r2'" in out and "'r3'" in out
    assert latest_labels(project)["id"].tolist() == ["r1", "r2", "r3"]


@pytest.mark.slow  # parsing 10 MB with spaCy takes ~10 s if the fix raises nlp.max_length
def test_ten_megabyte_text_is_kept(project, cli):
    # Longer than spaCy's default nlp.max_length (1,000,000 characters): the item must be
    # kept (its id named in a warning), not crash the run with spaCy's E088.
    huge = "great product " * 750_000  # 10.5 MB
    write_data(project, HEADER + GOOD_ROWS + f"r_long,{huge},yes,\n")
    code, out = cli("run", "-p", str(project))
    assert code == 0, out[:2000]
    assert "r_long" in out
    assert "r_long" in latest_labels(project)["id"].tolist()


def test_non_utf8_csv(project, cli):
    latin1 = "r3,caf\xe9,yes,\n".encode("latin-1")
    path = write_data(project, (HEADER + GOOD_ROWS).encode() + latin1)
    code, out = cli("run", "-p", str(project))
    assert code != 0
    assert f"{path}:4: row 3: not valid UTF-8" in out and "save the file as UTF-8" in out


def test_csv_row_with_too_few_values(project, cli):
    # pandas would fill the missing values with NA and read the row without a word
    path = write_data(project, HEADER + GOOD_ROWS + 'r3,"too few"\n')
    code, out = cli("check", "-p", str(project))
    assert code != 0
    assert f"{path}:4: row 3: malformed CSV: 2 values where the header has 4" in out


def test_jsonl_with_a_bom_is_read(project, cli):
    rows = [{"id": "r1", "text": "Love it"}, {"id": "r2", "text": "Broke"}]
    write_data(project, b"\xef\xbb\xbf" + "".join(json.dumps(r) + "\n" for r in rows).encode(),
               name="reviews.jsonl")
    (project / "labelwright.toml").write_text(
        (project / "labelwright.toml").read_text().replace('gold_column = "gold"', ""))
    code, out = cli("run", "-p", str(project))
    assert code == 0, out
    assert latest_labels(project)["id"].tolist() == ["r1", "r2"]


@pytest.mark.parametrize(("row", "message"), [
    ({"id": "r2", "text": ["a", "b"]}, "row 2 (id 'r2'): the text in column 'text' is "
                                       "['a', 'b'] (type list)"),
    ({"id": True, "text": "fine"}, "row 2: the id in column 'id' is True (type bool)"),
])
def test_jsonl_values_that_are_not_strings_are_not_stringified(project, cli, row, message):
    rows = [{"id": "r1", "text": "Love it", "gold": None}, {**row, "gold": None}]
    path = write_data(project, "".join(json.dumps(r) + "\n" for r in rows), name="reviews.jsonl")
    code, out = cli("check", "-p", str(project))
    assert code != 0
    assert f"{path}:2: {message}" in out  # the line: blank lines would make it another


# -- labeling functions ---------------------------------------------------------------------


RAISING_LF = """\
from labelwright import ABSTAIN, labeling_function


@labeling_function()
def fine(item):
    return "positive" if "love" in item.text.lower() else ABSTAIN


@labeling_function()
def broken(item):
    return 1 / 0
"""


def test_lf_that_raises_is_reported_and_the_run_goes_on(project, cli):
    path = write_lfs(project, RAISING_LF)
    code, out = cli("run", "-p", str(project))
    assert code == 1  # on every item: the run is written, and exits 1 as check does
    assert "LF 'broken' raised on 16 items" in out and "ZeroDivisionError" in out
    assert f'File "{path}", line 11' in out
    assert len(newest_labels(project)) == 16  # written, though as a failed run not LATEST
    assert not (project / "runs" / "LATEST").exists()


def test_lf_that_raises_with_fail_fast(project, cli):
    path = write_lfs(project, RAISING_LF)
    code, out = cli("run", "-p", str(project), "--fail-fast")
    assert code != 0
    # where the LF is defined, and the line that raised (the one-line error had only the
    # first, while --help promised a traceback)
    assert f"'broken' ({path}:9) raised on item 'r01' at {path}:11: ZeroDivisionError" in out
    assert not (project / "runs" / "LATEST").exists()


@pytest.mark.parametrize("engine", ["local", "processes"])
def test_lf_that_calls_sys_exit_fails_like_one_that_raises(project, cli, engine):
    """sys.exit() in an LF ended `run` with exit code 0, no output and no run; under the
    processes engine it killed a worker and the run waited for ever."""
    write_lfs(project, """\
        import sys

        from labelwright import labeling_function


        @labeling_function()
        def quits(item):
            sys.exit(0)
        """)
    code, out = cli("run", "-p", str(project), "--engine", engine, "--no-cache")
    assert code == 1, out  # raised on every item: the run is written, then exit 1
    assert "LF 'quits' raised on 16 items" in out and "SystemExit" in out
    assert len(newest_labels(project)) == 16  # written, though as a failed run not LATEST
    assert not (project / "runs" / "LATEST").exists()


def test_a_module_that_calls_sys_exit_is_an_import_error(project, cli):
    path = write_lfs(project, "import sys\n\nsys.exit(0)\n")
    code, out = cli("check", "-p", str(project))
    assert code == 1
    assert f"{path}:3: importing the module failed: SystemExit" in out


def test_lf_returns_an_unknown_label(project, cli):
    path = write_lfs(project, """\
        from labelwright import labeling_function


        @labeling_function()
        def typo(item):
            return "postive"
        """)
    code, out = cli("run", "-p", str(project))
    assert code != 0
    assert f"{path}:6: LF typo returns 'postive', which is not a label (did you mean " \
           "'positive'?)" in out, out
    assert "'negative', 'positive'" in out


def test_lf_returns_a_float(project, cli):
    path = write_lfs(project, """\
        from labelwright import labeling_function


        @labeling_function()
        def floaty(item):
            return 1.0
        """)
    code, out = cli("run", "-p", str(project))
    assert code != 0
    assert f"{path}:6: LF floaty returns 1.0, which is not a label" in out, out


def test_run_names_every_literal_typo_before_applying_the_lfs(project, cli):
    """run applied every LF to every item, then named the typo its items reached first;
    check named both. Now run stops before any LF runs, naming both as check does."""
    marker = project / "applied"
    path = write_lfs(project, f"""\
        from pathlib import Path

        from labelwright import ABSTAIN, labeling_function


        @labeling_function()
        def typo(item):
            Path({str(marker)!r}).touch()
            return "Positive" if "good" in item.text else ABSTAIN


        @labeling_function()
        def other_typo(item):
            return "negatve" if "bad" in item.text else ABSTAIN
        """)
    code, out = cli("run", "-p", str(project))
    assert code == 1
    assert f"{path}:9: LF typo returns 'Positive', which is not a label" in out, out
    assert f"{path}:14: LF other_typo returns 'negatve', which is not a label" in out, out
    assert "nothing was applied" in out
    assert not marker.exists() and not (project / "runs" / "LATEST").exists()


def test_check_lists_every_lf_that_returns_a_non_label(project, cli):
    """check stopped at the first such LF; the next showed only once that one was fixed.
    (Values made by calls: check reads returned literals from the code, before the trial.)"""
    path = write_lfs(project, """\
        from labelwright import labeling_function


        @labeling_function()
        def typo(item):
            return "postive".strip()


        @labeling_function()
        def seven(item):
            return int("7")
        """)
    code, out = cli("check", "-p", str(project))
    assert code == 1
    # at the return that gave the value, as a run cites it
    assert f"'typo' ({path}:6) returned 'postive'" in out
    assert f"'seven' ({path}:11) returned 7" in out


def test_lf_matches_an_unknown_glossary(project, cli):
    write_lfs(project, """\
        from labelwright import ABSTAIN, labeling_function


        @labeling_function()
        def praised(item):
            return "positive" if item.matched("praize") else ABSTAIN
        """)
    code, out = cli("run", "-p", str(project))
    assert code == 1  # like any LF that raises on every item: counted, not 0% coverage
    assert "LF 'praised' raised on 16 items" in out
    assert ("no glossary is named 'praize'; did you mean 'praise'? glossaries: complaints, "
            "praise") in out


def test_no_lfs(project, cli):
    (project / "labeling_functions" / "reviews.py").unlink()
    for glossary in (project / "glossaries").glob("*.yaml"):
        glossary.unlink()
    code, out = cli("run", "-p", str(project))
    assert code != 0
    assert "no labeling functions" in out
    assert str(project / "labeling_functions") in out and str(project / "glossaries") in out


# -- glossaries -----------------------------------------------------------------------------


def test_malformed_glossary_yaml(project, cli):
    path = project / "glossaries" / "praise.yaml"
    path.write_text("label: positive\nterms:\n  - love\n  - [unclosed\n", encoding="utf-8")
    code, out = cli("check", "-p", str(project))
    assert code != 0
    assert f"{path}:" in out and "invalid YAML" in out
    line = out.split(f"{path}:")[1].split(":")[0]
    assert line.isdigit() and int(line) >= 4


@pytest.mark.parametrize("key", ["labeling_functions", "glossaries"])
def test_a_folder_the_config_names_must_exist(project, cli, key):
    """A typo in [project] labeling_functions dropped every Python LF: check said ok."""
    toml = project / "labelwright.toml"
    toml.write_text(toml.read_text().replace("[project]\n", f'[project]\n{key} = "typo"\n'),
                    encoding="utf-8")
    for command in ("check", "run"):
        code, out = cli(command, "-p", str(project))
        assert code == 1
        assert f"[project] {key} = 'typo', but {project / 'typo'} is no folder" in out


def test_glossary_files_are_found_whatever_the_suffix_case_and_folders_are_named(project,
                                                                                  cli):
    """A folder called sub.yaml crashed check with IsADirectoryError; praise.YAML was
    skipped without a word."""
    (project / "glossaries" / "praise.yaml").rename(project / "glossaries" / "praise.YAML")
    (project / "glossaries" / "sub.yaml").mkdir()
    code, out = cli("check", "-p", str(project))
    assert code == 1
    assert f"{project / 'glossaries' / 'sub.yaml'}: a folder, not a glossary file" in out
    (project / "glossaries" / "sub.yaml").rmdir()
    (project / "glossaries" / "extra.json").write_text('{"label": "positive"}')
    code, out = cli("check", "-p", str(project))
    assert code == 0 and "2 glossaries" in out, out
    assert "extra.json not read: glossaries are .yaml / .yml files" in out


def test_phrases_lemma_mode_cannot_tell_apart_fail_check_and_run(project, cli):
    from labelwright.errors import GlossaryError
    from labelwright.project import load_project

    path = project / "glossaries" / "fixes.yaml"
    path.write_text("label: positive\nterms:\n  - breaks\n", encoding="utf-8")
    for command in ("check", "run"):
        code, out = cli(command, "-p", str(project))
        assert code == 1, out
        assert f"{path}:3: 'breaks' (label 'positive') has the lemmas of 'break'" in out
    # the Python API too (the streaming recipe: load_project, then project.applier())
    with pytest.raises(GlossaryError, match="has the lemmas of 'break'"):
        load_project(project).applier()


def test_unknown_label_in_glossary(project, cli):
    path = project / "glossaries" / "praise.yaml"
    path.write_text(path.read_text().replace("label: positive", "label: happy"), encoding="utf-8")
    code, out = cli("run", "-p", str(project))
    assert code != 0
    assert f"{path}:{line_of(path, 'label:')}: label 'happy' is not a project label" in out
    assert "valid labels: negative, positive" in out


def line_of(path: Path, start: str) -> int:
    """The line of ``path`` that starts with ``start`` (a comment may follow it)."""
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1)
                if line.startswith(start))


def test_hyperparameter_of_the_wrong_type_fails_check(project, cli):
    toml = project / "labelwright.toml"
    toml.write_text(toml.read_text().replace(
        'name = "auto"', 'name = "dawid_skene"\nprior_strength = "x"'))
    line = line_of(toml, 'prior_strength = "x"')
    code, out = cli("check", "-p", str(project))
    assert code != 0
    assert (f"{toml}:{line}: [label_model] prior_strength (a setting of the 'dawid_skene' "
            "model) must be int or float, got 'x'") in out


@pytest.mark.parametrize(("setting", "message", "on_line"), [
    ('name = "auto"\nscoring = "xyz"', "unknown scoring 'xyz'; valid: macro_f1", True),
    ('name = "dawid_skene"\nabstain = "bogus"', "unknown abstain 'bogus'; valid: ignore", True),
    # the model names a setting of a candidate, which the config does not set itself
    ('name = "auto"\ncandidates = [["dawid_skene", {abstain = "x"}]]', "unknown abstain 'x'",
     False),
])
def test_a_label_model_setting_the_model_cannot_use_fails_check(project, cli, setting, message,
                                                                on_line):
    """They passed check; run then died in the fit with a traceback. The error names the
    setting's line where the model's message names a setting of the config."""
    toml = project / "labelwright.toml"
    toml.write_text(toml.read_text().replace('name = "auto"', setting))
    where = f"{toml}:{line_of(toml, setting.splitlines()[1])}" if on_line else f"{toml}"
    code, out = cli("check", "-p", str(project))
    assert code == 1 and "Traceback" not in out
    assert f"{where}: [label_model] " in out and message in out


def test_f1_scoring_needs_two_classes(tmp_path, cli):
    from labelwright.scaffold import init_project

    init_project(tmp_path / "p")
    toml = tmp_path / "p" / "labelwright.toml"
    toml.write_text(toml.read_text().replace('labels = ["negative", "positive"]',
                                             'labels = ["negative", "positive", "mixed"]')
                    .replace('name = "auto"', 'name = "auto"\nscoring = "f1"'))
    code, out = cli("check", "-p", str(tmp_path / "p"))
    assert code == 1 and "scoring 'f1' (F1 of class 1) needs 2 classes, got 3" in out
    # the options listed are those that work with 3 labels: f1 is not one of them
    assert "valid with 3: macro_f1, accuracy, log_loss" in " ".join(out.split())


# -- outputs --------------------------------------------------------------------------------


def test_disk_full_while_writing_keeps_the_previous_run(project, cli, monkeypatch):
    from labelwright.runs import run_writer as runs

    code, _ = cli("run", "-p", str(project))
    assert code == 0
    runs_dir = project / "runs"
    before = sorted(p.name for p in runs_dir.iterdir())
    previous = (runs_dir / "LATEST").read_text()
    def files(run_dir):  # every file of the run folder, those in sources/ too
        return {p.relative_to(run_dir): p.read_bytes() for p in run_dir.rglob("*") if p.is_file()}
    previous_bytes = files(runs_dir / previous.strip())

    real = runs.atomic_write_all  # every staged file of a run is written through it
    calls = []

    def filling(paths, write):
        calls.append(paths[0].name)
        if len(calls) == 3:
            def partial(*tmps):
                tmps[0].write_bytes(b"half a file")
                raise OSError(errno.ENOSPC, "No space left on device")
            return real(paths, partial)
        return real(paths, write)

    monkeypatch.setattr(runs, "atomic_write_all", filling)
    code, out = cli("run", "-p", str(project))
    assert code != 0
    assert "No space left on device" in out and calls[2] in out
    assert sorted(p.name for p in runs_dir.iterdir()) == before  # no partial run folder
    assert (runs_dir / "LATEST").read_text() == previous
    assert files(runs_dir / previous.strip()) == previous_bytes


def test_check_and_run_list_every_unknown_gold_value_with_its_count(project, cli):
    """Only the first row of the first unknown gold value was named."""
    path = write_data(project, HEADER + "".join(
        f"r{i},text,yes,{gold}\n" for i, gold in enumerate(["Positive", "1", "Positive"])))
    for command in ("check", "run"):
        code, out = cli(command, "-p", str(project))
        assert code == 1
        assert (f"error: {path}:2: row 1 (id 'r0'): unknown gold label 'Positive', in 2 rows "
                f"of column 'gold' (also row 3 (id 'r2', line 4)); did you mean 'positive'?"
                in out)
        second = f"{path}:3: row 2 (id 'r1'): unknown gold label '1'; gold values are "
        assert (f"error: {second}" if command == "check" else second) in out  # a problem each


def test_check_lists_every_problem_of_a_glossary_file(project, cli):
    """check said one problem per glossary file: five mistakes took five rounds."""
    path = project / "glossaries" / "praise.yaml"
    path.write_text("label: positve\nexclusions: [no]\nterms:\n  - great\n  - on\n"
                    "  - term: superb\n    synonym: [stellar]\n  - great\n")
    code, out = cli("check", "-p", str(project))
    assert code == 1
    for line in (1, 2, 5, 6, 8):
        assert f"error: {path}:{line}: " in out


def test_check_lists_lf_problems_beside_a_broken_glossary(project, cli):
    """The LF modules were read only when everything else was fine, so a syntax error
    showed up one check later."""
    (project / "glossaries" / "praise.yaml").write_text("label: positve\nterms: [great]\n")
    (project / "labeling_functions" / "bad.py").write_text("def broken(:\n")
    code, out = cli("check", "-p", str(project))
    assert code == 1
    assert "praise.yaml" in out and "positve" in out
    assert "bad.py:1: syntax error" in out


def test_a_config_wrong_in_two_tables_is_two_errors_at_check_and_run(project, cli):
    """A user saw one config problem a round: each wrong table is an `error:` line of its
    own, from check (its problems) and from run."""
    import labelwright

    toml = project / "labelwright.toml"
    toml.write_text(toml.read_text() + '\n[end_model]\nfeatures = "wrods"\n\n[review]\n'
                    'policy = "majorty"\n', encoding="utf-8")
    for command in ("check", "run"):
        code, out = cli(command, "-p", str(project))
        assert code == 1
        errors = out.split("error: ")[1:]  # the fixture squashes the lines into one
        assert len(errors) == 2, out
        assert "[review] policy 'majorty'" in errors[0]  # the order tables are checked in
        assert "[end_model] features 'wrods'" in errors[1]
    report = labelwright.check_project(project)
    assert len(report.problems) == 2 and not report.ok
