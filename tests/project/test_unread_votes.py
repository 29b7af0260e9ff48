"""A run sends the items only a held vote speaks for to review as ``unread``, and reviews of
them move the held vote at the next run."""

from __future__ import annotations

import csv
import json

import numpy as np

from review_csv import fill_review_csv

#: two fair LFs per label, and ``odd_rule``: it votes technical on billing tickets (where
#: the billing LFs vote), so the label model reads it against its label and holds it at
#: its prior; 25 tickets carry its word alone
MARKER_LFS = '''
from labelwright import ABSTAIN, labeling_function


def _rule(word, label):
    @labeling_function(name=f"{word}_rule")
    def lf(item):
        return label if word in item.text.split() else ABSTAIN
    return lf


b1, b2 = _rule("b1", "billing"), _rule("b2", "billing")
t1, t2 = _rule("t1", "technical"), _rule("t2", "technical")
odd = _rule("odd", "technical")
'''


def marker_rows(n: int = 400, lone: int = 25, seed: int = 0) -> list[dict[str, object]]:
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n):
        billing = i % 2 == 0
        words = [w for w, p in ((("b1", 0.7), ("b2", 0.6)) if billing
                               else (("t1", 0.7), ("t2", 0.6))) if rng.random() < p]
        if billing and rng.random() < 0.5:
            words.append("odd")
        rows.append({"id": f"m{i}", "text": " ".join([*words, f"ticket {i}"])})
    rows += [{"id": f"lone{i}", "text": f"odd ticket lone {i}"} for i in range(lone)]
    return rows


def test_items_a_held_vote_alone_speaks_for_are_unread_until_reviews_read_it(
        make_project, tmp_path):
    from labelwright.project import run_project
    from labelwright.review.imports.file import import_file
    from labelwright.review.queue.export import export_run

    rows = marker_rows()
    root = make_project(rows=rows, lfs={"markers": MARKER_LFS}, gold=None, model="auto",
                        extra='ranking = "confidence"\n')
    first = run_project(root, report=False)
    labels = first.labels.set_index("id")
    markers = {"b1", "b2", "t1", "t2", "odd"}
    lone = [str(r["id"]) for r in rows if markers & set(str(r["text"]).split()) == {"odd"}]
    assert len(lone) > 25  # the 25 tickets made so, and billing tickets with no other word
    # the held vote gives its items the prior, 0.7, the threshold itself: sent to review
    assert np.allclose(labels.loc[lone, "confidence"], 0.7, atol=0.02)
    assert (labels.loc[lone, "status"] == "review").all()
    assert all(r.split(";") == ["unread"] for r in labels.loc[lone, "reasons"])
    manifest = json.loads((first.run_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["triage"]["counts"]["unread"] == len(lone)
    (exported,) = export_run(first.run_dir, "csv", tmp_path / "q.csv", reasons=["unread"])
    with open(exported, encoding="utf-8", newline="") as handle:
        queued = list(csv.DictReader(handle))
    assert {r["id"] for r in queued} == set(lone)
    assert all(r["reasons"] == "unread" for r in queued)
    # reviewers find 12 of them billing: the next run reads the vote from those reviews
    done = fill_review_csv(exported, tmp_path / "done.csv", range(12), "billing")
    import_file(root, tmp_path / "done.csv", reviewer="ana")
    second = run_project(root, report=False).labels.set_index("id")
    rest = second.loc[sorted(set(lone) - {r["id"] for r in done[:12]})]
    assert not any("unread" in r.split(";") for r in rest["reasons"])
    assert (rest["model_confidence"] < 0.6).all() and (rest["status"] == "review").all()


def test_a_held_vote_for_a_label_the_balance_makes_sure_is_not_unread(make_project):
    """With a class balance of 0.8 technical, the balance alone puts a lone ``odd``
    ticket at 0.7 or more for technical, whatever accuracy the prior assumes of ``odd``: it
    is accepted, not unread. The run records the rule, and ``runs verify --recompute``
    reproduces it, as it does a run from before the rule (every such item unread)."""
    import labelwright
    from labelwright.project import run_project

    root = make_project(rows=marker_rows(), lfs={"markers": MARKER_LFS}, gold=None,
                        model="auto", extra='ranking = "confidence"\n')
    config = root / "labelwright.toml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        'tie_break = "first"\n', 'tie_break = "first"\nclass_balance = [0.2, 0.8]\n'),
        encoding="utf-8")
    run = run_project(root, report=False)
    manifest = json.loads((run.run_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["label_model"]["class_balance"][1] >= 0.7
    assert manifest["triage"]["unread_by_balance"] is True
    labels = run.labels.set_index("id")
    lone = [f"lone{i}" for i in range(25)]
    assert not any("unread" in r.split(";") for r in labels["reasons"])
    assert (labels.loc[lone, "label"] == "technical").all()
    assert (labels.loc[lone, "status"] == "accepted").all()
    (check,) = labelwright.verify_runs(root, recompute=True)
    assert check.recomputed is not None and not check.recomputed.labels, check.recomputed
    # the same run said to be from before the rule: its items were unread then
    del manifest["triage"]["unread_by_balance"]
    (run.run_dir / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    (check,) = labelwright.verify_runs(root, recompute=True)
    assert {d.column for d in check.recomputed.labels} == {"status", "reasons"}
