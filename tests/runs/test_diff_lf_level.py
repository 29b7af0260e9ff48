"""runs diff down to the LF: each LF's numbers across runs, the votes that flipped an item,
the phrases an edited glossary gained and lost, and what the gold items that went wrong
follow (the accuracy-drop warning's advice)."""

from __future__ import annotations

import pandas as pd
import pytest

from labelwright.project import run_project
from labelwright.runs.diff.compare import diff_runs
from labelwright.runs.diff.gold_flips import LF
from labelwright.runs.diff.lf_stats import MOVED, lf_stat_changes
from labelwright.runs.diff.lines import accuracy_drop_warning, effect_lines, input_changes
from labelwright.runs.store import file_sha256

ROWS = [
    *({"id": f"b{k}", "text": f"my invoice {k} is wrong", "gold": "billing"} for k in range(6)),
    *({"id": f"c{k}", "text": f"you charged me twice {k}", "gold": "billing"} for k in range(3)),
    *({"id": f"t{k}", "text": f"the app crashes {k}", "gold": "technical"} for k in range(4)),
    *({"id": f"e{k}", "text": f"error on page {k}", "gold": "technical"} for k in range(3)),
]
GLOSSARY = """\
label: billing
mode: lemma
terms:
  - term: invoice
  - term: charge
"""
LFS = '''
from labelwright import ABSTAIN, labeling_function


@labeling_function()
def crashes(item):
    return "technical" if "crash" in item.text else ABSTAIN


@labeling_function()
def twice(item):
    return "billing" if "twice" in item.text else ABSTAIN
'''


@pytest.fixture
def two_runs(make_project):
    """A run, then one after the glossary lost ``invoice``, ``crashes`` also took
    ``error`` and ``twice`` was deleted."""
    root = make_project(rows=ROWS, lfs={"tickets": LFS}, glossaries={"billing_terms": GLOSSARY})
    first = run_project(root, report=False)
    glossary = root / "glossaries" / "billing_terms.yaml"
    glossary.write_text(GLOSSARY.replace("  - term: invoice\n", "  - term: bill\n"))
    module = root / "labeling_functions" / "tickets.py"
    edited = LFS.replace('"crash" in item.text', '"crash" in item.text or "error" in item.text')
    module.write_text(edited[:edited.index("@labeling_function()\ndef twice")])
    second = run_project(root, report=False)
    return root, first, second


def _summary(run) -> dict[str, dict]:
    frame = pd.read_csv(run.run_dir / "lf_summary.csv")
    return frame.set_index("lf").to_dict("index")


def test_runs_diff_compares_each_lfs_numbers_across_runs(two_runs, cli):
    """The user merged two runs' lf_summary.csv by hand to see an LF's accuracy move."""
    root, first, second = two_runs
    d = diff_runs(first.run_dir, second.run_dir)
    a, b = _summary(first), _summary(second)
    moved = {m.lf: m.stats for m in d.lf_stats.moved}
    assert moved["crashes"]["coverage"] == pytest.approx(
        (a["crashes"]["coverage"], b["crashes"]["coverage"]))
    assert abs(b["crashes"]["coverage"] - a["crashes"]["coverage"]) >= MOVED
    assert "glossary:billing_terms" in moved
    sizes = [max(abs(y - x) for x, y in m.stats.values() if x is not None and y is not None)
             for m in d.lf_stats.moved]
    assert sizes == sorted(sizes, reverse=True)
    assert list(d.lf_stats.removed) == ["twice"] and not d.lf_stats.added
    lines = effect_lines(d)
    assert any(line.startswith("LF numbers moved (2+ pts, largest first): ") and
               f"crashes coverage {100 * a['crashes']['coverage']:.1f}% -> "
               f"{100 * b['crashes']['coverage']:.1f}%" in line for line in lines), lines
    assert any(line.startswith("numbers of LFs removed: twice ") for line in lines), lines
    code, out = cli("runs", "diff", first.run_id, second.run_id, "-p", str(root))
    assert code == 0, out
    assert "LF numbers moved (2+ pts, largest first): " in out


def test_lf_numbers_that_moved_less_than_the_threshold_are_left_out(tmp_path):
    def run(name: str, rows: list[dict]) -> tuple:
        folder = tmp_path / name
        folder.mkdir()
        pd.DataFrame(rows).to_csv(folder / "lf_summary.csv", index=False)
        return folder, {"outputs": {"lf_summary.csv": file_sha256(folder / "lf_summary.csv")}}
    a = run("a", [{"lf": "x", "coverage": 0.50, "emp_accuracy": 0.90},
                  {"lf": "y", "coverage": 0.30, "emp_accuracy": 0.80}])
    b = run("b", [{"lf": "x", "coverage": 0.51, "emp_accuracy": 0.89},
                  {"lf": "y", "coverage": 0.30, "emp_accuracy": 0.70}])
    changes = lf_stat_changes((a[0], b[0]), (a[1], b[1]), lf_renames=[])
    assert [(m.lf, m.stats) for m in changes.moved] == [("y", {"emp_accuracy": (0.8, 0.7)})]
    # an edited file is not compared, and says so
    (b[0] / "lf_summary.csv").write_text("lf,coverage\nx,0.9\n")
    changes = lf_stat_changes((a[0], b[0]), (a[1], b[1]), lf_renames=[])
    assert not changes.moved and "lf_summary.csv: changed since the run wrote it" in str(
        changes.problem)


def test_a_flip_names_the_votes_that_changed_on_it(two_runs, cli):
    """Each flipped item's because said only "votes changed (same text)"."""
    root, first, second = two_runs
    d = diff_runs(first.run_dir, second.run_dir, max_examples=50)
    by_id = {ex["id"]: ex for ex in d.examples}
    assert by_id["b0"]["votes"] == [("glossary:billing_terms", "billing", "abstain")]
    assert by_id["e0"]["votes"] == [("crashes", "abstain", "technical")]
    assert by_id["b0"]["cause"] == "votes changed (same text)"  # the counted cause stays
    code, out = cli("runs", "diff", first.run_id, second.run_id, "-p", str(root),
                    "--examples", "50")
    assert code == 0, out
    assert "votes changed (same text): glossary:billing_terms billing -> abstain" in out
    assert "flipped because: votes changed (same text)" in out


def test_an_edited_glossary_names_the_phrases_it_gained_and_lost(two_runs, cli):
    """"glossaries edited: praise" did not say that "great" had gone from it."""
    root, first, second = two_runs
    d = diff_runs(first.run_dir, second.run_dir)
    edit = d.glossary_edits["billing_terms"]
    assert (edit.removed, edit.added) == (["invoice"], ["bill"])
    assert "glossary billing_terms: phrases removed: invoice; phrases added: bill" in \
        input_changes(d)
    # without run a's kept copy the phrases are not known: the line is left out
    copy = first.run_dir / "sources" / "glossaries" / "billing_terms.yaml"
    copy.write_text(copy.read_text() + "# edited\n")
    assert "billing_terms" not in diff_runs(first.run_dir, second.run_dir).glossary_edits


def test_an_edited_glossary_names_the_settings_that_changed(make_project):
    """``label: otro -> elogio``, ``mode: lemma -> lowercase`` or ``accents: ignore ->
    keep`` showed "the same phrases and exclusions (another setting or the layout
    changed)", in ``runs diff`` and the run's summary alike."""
    from labelwright.runs.diff.lines import since_line

    root = make_project(rows=ROWS, lfs={"tickets": LFS}, glossaries={"billing_terms": GLOSSARY})
    first = run_project(root, report=False)
    glossary = root / "glossaries" / "billing_terms.yaml"
    glossary.write_text(GLOSSARY.replace("label: billing", "label: technical")
                        .replace("mode: lemma", "mode: lowercase\naccents: ignore"))
    second = run_project(root, report=False)
    d = diff_runs(first.run_dir, second.run_dir)
    said = "label billing -> technical, mode lemma -> lowercase, accents keep -> ignore"
    assert d.glossary_edits["billing_terms"].settings == {
        "label": ("billing", "technical"), "mode": ("lemma", "lowercase"),
        "accents": ("keep", "ignore")}
    assert f"glossary billing_terms: settings changed: {said}" in input_changes(d)
    assert f"glossaries edited: billing_terms ({said})" in since_line(d)
    # a layout edit alone says so, and names no setting
    glossary.write_text("# layout only\n" + glossary.read_text())
    third = run_project(root, report=False)
    lines = input_changes(diff_runs(second.run_dir, third.run_dir))
    assert any("billing_terms: the same phrases, exclusions and settings" in line
               for line in lines), lines


def test_the_accuracy_drop_warning_names_what_the_gold_items_that_went_wrong_follow(two_runs):
    """The warning advised [label_model] settings or retiring reviews when a glossary edit
    had stopped its votes on the items that went wrong."""
    _, first, second = two_runs
    d = diff_runs(first.run_dir, second.run_dir)
    lost = [ex["id"] for ex in diff_runs(first.run_dir, second.run_dir,
                                         max_examples=100).examples
            if ex["from"] == "billing" and ex["id"].startswith("b")]
    assert d.gold_flips.items == len(lost) == 6
    assert d.gold_flips.causes[0] == (LF, "glossary:billing_terms", 6)
    said = accuracy_drop_warning(d)
    assert said is not None
    assert "the 6 gold items right before and not now: votes of glossary:billing_terms " \
           "changed on 6" in said
    assert "glossary billing_terms's edit: it lost invoice; restore what it lost" in said
    assert "sources" in said.rsplit("restore", 1)[1]
    assert "retiring reviews" not in said
    assert ("gold items right before and wrong now: 6 (votes of glossary:billing_terms "
            "changed on 6; an item counts for each LF whose vote on it moved)") in effect_lines(d)


def test_the_advice_follows_the_top_cause(two_runs):
    """The label model or reviews on top get their own advice; an LF removed since names
    itself."""
    import dataclasses

    from labelwright.runs.diff.gold_flips import LABEL_MODEL, REVIEWS, GoldFlips, drop_advice

    _, first, second = two_runs
    d = diff_runs(first.run_dir, second.run_dir)
    for causes, expected in (([(LABEL_MODEL, "", 3), (REVIEWS, "", 1)],
                              "the label model reads them otherwise; the change can be undone "
                              "in [label_model]"),
                             ([(REVIEWS, "", 3)], "follow reviews: check them, or retire them"),
                             ([(LF, "twice", 2)], "follow LF twice, removed since; compare it "
                              "with the run's copy")):
        advice = drop_advice(dataclasses.replace(d, gold_flips=GoldFlips(3, causes)))
        assert expected in advice, advice


def test_the_reports_changes_section_shows_the_lf_numbers_and_the_votes(two_runs):
    from labelwright.report.html import changes_section

    _, first, second = two_runs
    html = changes_section(diff_runs(first.run_dir, second.run_dir, max_examples=50))
    assert "LF numbers moved (2+ pts, largest first): " in html
    assert "glossary billing_terms: phrases removed: invoice; phrases added: bill" in html
    assert "votes changed (same text): glossary:billing_terms billing -&gt; abstain" in html


def test_comparing_glossary_copies_does_not_load_spacy(two_runs):
    """Reading the kept glossaries through the glossary loader imported spaCy and torch:
    5 s more for every `runs diff` over an edited glossary."""
    import subprocess
    import sys

    _, first, second = two_runs
    code = ("import sys; from labelwright.runs.diff import diff_runs; "
            f"d = diff_runs({str(first.run_dir)!r}, {str(second.run_dir)!r}); "
            "print(d.glossary_edits['billing_terms'].removed, 'spacy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.split() == ["['invoice']", "False"]


def test_gold_items_whose_cause_is_not_known_get_advice_of_their_own(two_runs):
    """A flip whose label matrix could not be read was advised "have the same votes: the
    label model reads them otherwise"; flips put down to a manifest listing no LFs, or to
    a rename, were not counted, leaving "right before and not now: " with nothing after."""
    import dataclasses

    from labelwright.runs.diff.flip_causes import NO_LFS, NOT_KNOWN, RENAMED, FlipCauses
    from labelwright.runs.diff.gold_flips import UNKNOWN, drop_advice, gold_cause_text, gold_flips

    _, first, second = two_runs
    d = diff_runs(first.run_dir, second.run_dir)
    flips = pd.DataFrame({"label_a": ["billing"] * 3, "label_b": ["technical"] * 3,
                          "gold_b": ["billing"] * 3})
    for cause in (NOT_KNOWN, NO_LFS, RENAMED):
        gold = gold_flips(flips, FlipCauses(causes=[cause] * 3))
        assert gold.causes == [(UNKNOWN, cause, 3)]
        d = dataclasses.replace(d, gold_flips=gold)
        assert gold_cause_text(d) == f"; the 3 gold items right before and not now: {cause} on 3"
        advice = drop_advice(d)
        assert f"have no cause found ({cause}); `labelwright runs diff " in advice, advice
        assert "reads them otherwise" not in advice


def test_a_glossary_not_edited_is_not_told_to_restore_what_it_lost(two_runs):
    """A glossary whose votes moved though it was not edited (the data or the pipeline
    changed) was advised to "restore what it lost"."""
    import dataclasses

    from labelwright.runs.diff.gold_flips import GoldFlips, drop_advice
    from labelwright.runs.diff.result import Changes

    _, first, second = two_runs
    d = diff_runs(first.run_dir, second.run_dir)
    d = dataclasses.replace(d, gold_flips=GoldFlips(4, [(LF, "glossary:billing_terms", 4)]),
                            glossaries=Changes())
    advice = drop_advice(d)
    assert "follow glossary billing_terms, whose votes moved (its module" in advice, advice
    assert "restore" not in advice


def test_runs_diff_counts_gold_items_that_went_right_as_well_as_wrong(two_runs, cli):
    """runs diff counted the gold items right before and wrong now, never the reverse: an
    edit that fixed some items and broke others read as breaking only."""
    root, first, second = two_runs
    forward, back = diff_runs(first.run_dir, second.run_dir), diff_runs(second.run_dir,
                                                                         first.run_dir)
    assert (forward.gold_flips.items, back.gold_flips.gained) == (6, 6)
    assert back.gold_flips.items == forward.gold_flips.gained
    lines = effect_lines(back)
    assert "gold items wrong before and right now: 6" in lines
    assert f"gold items right before and wrong now: {back.gold_flips.items}" in " ".join(lines)
    code, out = cli("runs", "diff", second.run_id, first.run_id, "--project", str(root))
    assert code == 0, out
    assert "gold items wrong before and right now: 6" in out


def test_runs_diff_and_the_run_summary_name_the_labels_whose_f1_moved(two_runs):
    """The summary's since-run line and runs diff gave the accuracy on gold, never which
    label an edit helped or hurt."""
    from labelwright.runs.diff.label_f1_moves import F1_MOVE
    from labelwright.runs.diff.lines import since_line
    from labelwright.runs.manifest import read_manifest

    _, first, second = two_runs
    d = diff_runs(first.run_dir, second.run_dir)
    f1 = [dict(zip(first.project.labels, read_manifest(run.run_dir)["evaluation"]["label_model"]
                   ["f1_by_label"])) for run in (first, second)]
    moved = [label for label in first.project.labels if abs(f1[1][label] - f1[0][label]) >= F1_MOVE]
    assert moved  # the glossary lost "invoice": billing's F1 fell
    assert list(d.label_f1) == sorted(moved, key=lambda k: -abs(f1[1][k] - f1[0][k]))
    shown = f"{moved[0]} F1 {f1[0][moved[0]]:.2f} -> {f1[1][moved[0]]:.2f}"
    assert shown in since_line(d)
    assert any(line.startswith("label F1 moved") and shown in line for line in effect_lines(d))
    assert diff_runs(first.run_dir, first.run_dir).label_f1 == {}


def test_a_label_renamed_in_the_project_is_not_counted_as_gone_right():
    """Items whose label changed only by a ``[project]`` rename (kidney to renal, gold
    renal) were counted as gold items "wrong before and right now": a rename read as a fix."""
    from labelwright.runs.diff.flip_causes import RENAMED, VOTES, FlipCauses
    from labelwright.runs.diff.gold_flips import gold_flips

    flips = pd.DataFrame({"label_a": ["kidney"] * 3 + ["liver"], "label_b": ["renal"] * 4,
                          "gold_b": ["renal"] * 4})
    gold = gold_flips(flips, FlipCauses(causes=[RENAMED] * 3 + [VOTES]))
    assert (gold.items, gold.gained) == (0, 1)
