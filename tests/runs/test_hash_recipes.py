"""The recipes README's "Hash recipes" and "The saved label model" give, followed as an
auditor without labelwright's source would: each gives back what the run recorded."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import textwrap
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest

import labelwright
from labelwright.project import run_project
from labelwright.runs.store import read_manifest
from ticket_data import BILLING_GLOSSARY


@pytest.fixture
def ran(make_project):
    root = make_project(glossaries={"billing": BILLING_GLOSSARY})
    return root, read_manifest(run_project(root, report=False).run_dir)


def test_an_lfs_source_sha256_is_of_its_lines_from_decorator_to_body_end(ran):
    root, manifest = ran
    lines = (root / "labeling_functions" / "tickets.py").read_text().splitlines(keepends=True)
    for lf in manifest["labeling_functions"]:
        if lf["kind"] != "python":
            continue
        start = int(lf["location"].rsplit(":", 1)[1]) - 1  # file:line names the decorator
        end = start
        while lines[end].lstrip().startswith("@"):  # the decorators, then the def line
            end += 1
        end += 1
        while end < len(lines) and (lines[end].startswith((" ", "\t")) or lines[end] == "\n"):
            end += 1
        while lines[end - 1].strip() == "":
            end -= 1
        source = textwrap.dedent("".join(lines[start:end]))
        assert hashlib.sha256(source.encode() + b"\0").hexdigest() == lf["source_sha256"]


def test_a_glossary_lfs_hash_is_of_file_pipeline_and_matcher(ran):
    root, manifest = ran
    (glossary,) = manifest["glossaries"]
    file_sha = hashlib.sha256((root / "glossaries" / "billing.yaml").read_bytes()).hexdigest()
    assert glossary["sha256"] == file_sha  # what sha256sum gives
    package = Path(labelwright.__file__).parent
    nlp_modules = sorted(f"nlp/{file.name}" for file in (package / "nlp").glob("*.py"))
    glossary_modules = sorted(f"glossaries/{file.name}"
                              for file in (package / "glossaries").glob("*.py"))
    matcher = hashlib.sha256(b"".join((package / name).read_bytes() for name in (
        *glossary_modules, *nlp_modules, "text_form.py", "lfs/item.py"))).hexdigest()
    assert manifest["pipeline"]["matcher_sha256"] == matcher  # recorded: W16 could not tell
    (lf,) = [lf for lf in manifest["labeling_functions"] if lf["kind"] == "glossary"]
    expected = f"{file_sha}:{manifest['pipeline']['fingerprint']}:{matcher}"
    assert lf["source_sha256"] == hashlib.sha256(expected.encode()).hexdigest()


def test_the_ledger_sha256_is_of_the_decision_rows_in_order(make_project):
    from labelwright.review.decisions import ledger

    root = make_project()
    first = run_project(root, report=False)
    now = datetime.now(UTC).isoformat()
    for n, (item, blind) in enumerate((("t1", None), ("t2", True), ("t5", False))):
        ledger.append(ledger.ledger_path(root), [ledger.Decision(
            item, "billing", "ana", "", now, now, "f.csv", f"s{n}", "line 2", first.run_id,
            "csv", "queue" if n else "", blind)], sha256=f"s{n}", reviewer="ana",
            source_file="f.csv", fmt="csv", imported_at=now)
    recorded = read_manifest(run_project(root, report=False).run_dir)["reviews"]
    with sqlite3.connect(root / "reviews.sqlite") as conn:
        rows = conn.execute(
            "SELECT item_id, label, reviewer, annotator, decided_at, imported_at, source_file, "
            "source_sha256, source_row, run_id, format, export, blind FROM decisions "
            "ORDER BY seq").fetchall()
    digest = hashlib.sha256()
    for *values, export, blind in rows[:recorded["decisions"]]:
        if export or blind is not None:
            values.append(export)
        if blind is not None:
            values.append("1" if blind else "0")
        digest.update(("\x1f".join(values) + "\x1e").encode("utf-8"))
    assert digest.hexdigest() == recorded["ledger_sha256"]


@pytest.mark.parametrize(("abstain", "monotone"), [("informative", False), ("fit_only", True),
                                                   ("ignore", False)])
def test_dawid_skene_probabilities_from_the_saved_file_alone(tmp_path, abstain, monotone):
    """confusion_[j, y, 0] is P(abstain | y), confusion_[j, y, v + 1] P(vote v | y); each
    LF's factor is raised to 1 / (the LFs of its group of copies, by copy_of_)."""
    from labelwright.models import get_model

    rng = np.random.default_rng(1)
    L = rng.integers(-1, 3, size=(80, 5))
    L = np.hstack([L, L[:, [2, 2]]])  # LF 2 copied twice
    model = get_model("dawid_skene", cardinality=3, random_state=0, abstain=abstain,
                      monotone=monotone).fit(L)
    model.save(tmp_path / "m.json")
    saved = json.loads((tmp_path / "m.json").read_text())
    def array(name):
        a = saved["learned"][name]
        return np.asarray(a["data"], dtype=a["dtype"]).reshape(a["shape"])
    confusion, balance = array("confusion_"), array("class_balance_")
    prior_votes, a0 = array("prior_votes_"), saved["params"]["prior_accuracy"]
    k = saved["params"]["cardinality"]
    copy_of = array("copy_of_")
    assert copy_of.tolist() == [0, 1, 2, 3, 4, 2, 2]
    share = 1 / np.bincount(copy_of, minlength=len(copy_of))[copy_of]
    probs = np.tile(np.log(balance), (len(L), 1))
    for i, row in enumerate(L):
        for j, v in enumerate(row):
            if v >= 0:
                probs[i] += share[j] * (
                    np.log(np.where(np.arange(k) == v, a0, (1 - a0) / (k - 1)))
                    if prior_votes[j, v] else np.log(confusion[j, :, v + 1]))
            elif saved["params"]["abstain"] == "informative":
                probs[i] += share[j] * np.log(confusion[j, :, 0])
    probs = np.exp(probs - probs.max(axis=1, keepdims=True))
    probs /= probs.sum(axis=1, keepdims=True)
    assert np.allclose(probs, model.predict_proba(L), atol=1e-9)


def test_the_labelwright_code_hash_is_what_sha256sum_gives_for_the_package_files(ran):
    """Every run's manifest said labelwright 0.1.0 whatever commit made it: it records the
    hash of labelwright's own files, by the README's recipe (the lines `sha256sum` prints
    for the package's .py files and templates/, sorted by path, hashed in turn)."""
    _, manifest = ran
    package = Path(labelwright.__file__).parent
    files = sorted({file.relative_to(package).as_posix() for file in package.rglob("*")
                    if file.is_file() and "__pycache__" not in file.parts
                    and (file.suffix == ".py"
                         or file.relative_to(package).parts[0] == "templates")})
    assert "templates/project/labelwright.toml" in files and "runs/own_code.py" in files
    lines = "".join(f"{hashlib.sha256((package / name).read_bytes()).hexdigest()}  {name}\n"
                    for name in files)
    assert manifest["labelwright_code"] == {
        "sha256": hashlib.sha256(lines.encode()).hexdigest(), "files": len(files)}


def test_a_run_made_before_direction_marks_were_invisible_still_verifies(make_project,
                                                                          monkeypatch):
    """labelwright read right-to-left marks (U+200F, U+2067...) as text until it read them
    as nothing, as it reads zero-width characters: items then group into other copies and
    glossaries match more, but no recorded hash is of a text so normalised. A run made
    with the old set verifies, its inputs too, and its text hashes are of the texts as
    written, marks and all (the README recipe)."""
    import pandas as pd

    from labelwright import text_form

    old = "\u200b\u200c\u200d\u2060\ufeff"
    rows = [{"id": "a1", "text": "\u200fbilling refund please", "gold": "billing"},
            {"id": "a2", "text": "billing refund please", "gold": "billing"},
            {"id": "a3", "text": "\u2067app crashes\u2069 on start", "gold": "technical"},
            {"id": "a4", "text": "app crashes on start", "gold": "technical"}]
    root = make_project(rows=rows, glossaries={"billing": BILLING_GLOSSARY})
    with monkeypatch.context() as patch:
        patch.setattr(text_form, "INVISIBLE", old)
        patch.setattr(text_form, "WITHOUT_INVISIBLE", dict.fromkeys(map(ord, old)))
        assert not text_form.same_reading(rows[0]["text"], rows[1]["text"])
        result = run_project(root, report=False)
    assert text_form.same_reading(rows[0]["text"], rows[1]["text"])  # as labelwright reads now
    (check,) = labelwright.verify_runs(root, inputs=True)
    assert check.ok, (check.problems, check.inputs)
    labels = pd.read_parquet(result.run_dir / "labels.parquet")
    for row in rows:
        digest = hashlib.sha256(row["text"].encode("utf-8")).digest()
        assert labels.set_index("id").loc[row["id"], "text_hash"] == int.from_bytes(
            digest[:8], "big")
