"""LFs on a real dataset: the UCI SMS Spam Collection (5,574 messages labelled ham/spam).

The file lives outside the repo (``../shared/data``) and is never copied into it. The
project test converts it to CSV in a temp folder (a project's items need ids, which the file
does not have); the reading tests read it where it is, as ``[data] format = "tsv"``,
``quoting = "none"`` and ``columns`` do.
"""

import csv
import json
import re
import textwrap
from pathlib import Path

import pandas as pd
import pytest

from labelwright import run_project
from labelwright.apply.file_blocks import iter_frames
from labelwright.apply.partitions import file_spec, plan_partitions, read_partition
from labelwright.data.formats import read_frame
from labelwright.errors import DataError

SMS = (Path(__file__).resolve().parents[1].parent / "shared" / "data" / "raw"
       / "sms_spam_collection_uci" / "SMSSpamCollection")

pytestmark = pytest.mark.skipif(
    not SMS.is_file(), reason=f"SMS Spam Collection not found at {SMS} (shared data folder absent)")

SMS_LFS = r'''
import re

from labelwright import ABSTAIN, labeling_function

OFFER = re.compile(r"\b(free|win|won|winner|prize|claim|urgent|award(ed)?|guaranteed|cash)\b", re.I)
TEXT_TO = re.compile(r"\b(txt|text|reply|send)\b\W+(\w+\W+){0,3}?\d{4,6}\b", re.I)
LONG_NUMBER = re.compile(r"\b0\d{9,10}\b|\b\d{5}\b")
MONEY = re.compile(r"[£$€]\s?\d|\b\d+p\b|\bp/?min\b|\bper min\b", re.I)
URL = re.compile(r"https?://|www\.|\.com\b|\.co\.uk\b", re.I)
PLANS = re.compile(r"\b(tonight|tomorrow|today|morning|dinner|lunch|going|gonna|wat|what|when|"
                   r"where|how|come|see|home|work|class|sleep|wait|call me|pick)\b", re.I)
PERSONAL = re.compile(r"\b(i|i'm|im|me|my|u|ur|you|lol|ok|okay|haha|love|sorry|home|later)\b", re.I)


@labeling_function()
def offer_words(item):
    return "spam" if OFFER.search(item.text) else ABSTAIN


@labeling_function()
def text_to_shortcode(item):
    return "spam" if TEXT_TO.search(item.text) else ABSTAIN


@labeling_function()
def phone_or_shortcode(item):
    return "spam" if LONG_NUMBER.search(item.text) else ABSTAIN


@labeling_function()
def money_amount(item):
    return "spam" if MONEY.search(item.text) else ABSTAIN


@labeling_function()
def has_url(item):
    return "spam" if URL.search(item.text) else ABSTAIN


@labeling_function()
def short_message(item):
    return "ham" if len(item.text) < 40 and not re.search(r"\d{4,}", item.text) else ABSTAIN


@labeling_function()
def personal_chat(item):
    words = PERSONAL.findall(item.text)
    if OFFER.search(item.text) or re.search(r"\d{5,}", item.text):
        return ABSTAIN
    return "ham" if words else ABSTAIN


@labeling_function()
def everyday_plans(item):
    if OFFER.search(item.text) or re.search(r"\d{4,}", item.text):
        return ABSTAIN
    return "ham" if PLANS.search(item.text) else ABSTAIN
'''

LF_NAMES = ["offer_words", "text_to_shortcode", "phone_or_shortcode", "money_amount", "has_url",
            "short_message", "personal_chat", "everyday_plans"]


@pytest.fixture(scope="module")
def sms_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("sms")
    (root / "data").mkdir()
    with open(SMS, encoding="utf-8") as src, open(root / "data" / "sms.csv", "w",
                                                   encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["id", "text", "gold"])
        for number, line in enumerate(src, start=1):
            gold, _, text = line.rstrip("\n").partition("\t")
            writer.writerow([f"sms{number:05d}", text, gold])
    (root / "labelwright.toml").write_text(textwrap.dedent("""\
        [project]
        name = "sms"
        labels = ["ham", "spam"]
        seed = 0

        [data]
        path = "data/sms.csv"
        gold_column = "gold"

        [label_model]
        name = "majority"
        tie_break = "abstain"

        [triage]
        threshold = 0.7
        audit_size = 20
    """))
    (root / "labeling_functions").mkdir()
    (root / "labeling_functions" / "sms.py").write_text(SMS_LFS)
    return root, run_project(root)


def test_sms_coverage_and_accuracy(sms_run):
    root, result = sms_run
    assert len(result.dataset) == 5574
    assert result.dataset.n_gold == 5574
    assert result.applied.matrix.lf_names == LF_NAMES
    assert result.applied.failures == {}
    evaluation = result.evaluation
    majority = evaluation["majority_vote"]
    print(f"\nsms: coverage {result.coverage:.3f}, majority accuracy (all gold) "
          f"{majority['accuracy']:.3f}, on labelled {majority['covered_accuracy']:.3f} "
          f"({majority['labeled']} labelled)")
    assert result.coverage >= 0.90  # measured 0.928
    assert majority["covered_accuracy"] >= 0.95  # measured 0.967
    assert majority["accuracy"] >= 0.87  # measured 0.897 (unlabelled items count as wrong)


def test_sms_lf_accuracies(sms_run):
    _, result = sms_run
    table = result.lf_table.set_index("lf")
    print("\n" + table[["coverage", "emp_accuracy"]].round(3).to_string())
    assert table.loc["offer_words", "emp_accuracy"] >= 0.6
    assert table.loc["personal_chat", "emp_accuracy"] >= 0.95
    assert table.loc["short_message", "emp_accuracy"] >= 0.9


def test_sms_run_outputs(sms_run):
    _, result = sms_run
    manifest = json.loads((result.run_dir / "manifest.json").read_text())
    assert manifest["data"]["rows"] == 5574
    counts = manifest["triage"]["counts"]
    assert counts["accepted"] + counts["review"] == 5574


def test_the_raw_file_reads_whole_with_quotes_as_text_and_its_columns_named():
    """The file has no header, and messages that open with a quote that is text (line 617:
    '"Happy valentines day" I know ...'): read as CSV, such quotes took the lines up to the
    next quote into one message, and 5,574 lines gave 5,572 rows, silently."""
    settings = {"quoting": "none", "columns": ["label", "text"]}
    frame = read_frame(SMS, "tsv", **settings)
    with open(SMS, encoding="utf-8") as handle:
        lines = handle.read().splitlines()
    assert len(frame) == len(lines) == 5574
    assert (frame["label"] == "spam").sum() == 747
    assert frame["text"].tolist() == [line.split("\t", 1)[1] for line in lines]
    assert frame["text"][616].startswith('"Happy valentines day" I know its early')
    streamed = pd.concat(list(iter_frames(SMS, "tsv", chunk_size=1000, **settings)),
                         ignore_index=True)
    assert streamed.equals(frame)
    spec = file_spec(str(SMS), str(SMS), "tsv", id_column="label", text_column="text",
                     hidden=(), **settings)
    parts = [read_partition(part)[0] for part in plan_partitions(spec, 1000)]
    assert pd.concat(parts, ignore_index=True).equals(frame)


def test_the_raw_file_read_with_csv_quoting_stops_at_its_first_quote_of_text():
    with pytest.raises(DataError, match=re.escape(f"{SMS}:283: row 283: a value starts with a "
                                                  "quote and has text after its closing "
                                                  "quote")):
        read_frame(SMS, "tsv", columns=["label", "text"])
