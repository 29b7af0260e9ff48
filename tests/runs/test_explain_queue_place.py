"""``explain`` says where a queued item sits in the review queue and what put it there
(:mod:`labelwright.runs.explain.queue_place`)."""

from __future__ import annotations

import json

from labelwright.runs.explain.queue_place import QueuePlace, queue_place

MANIFEST = {"triage": {"queue_files": {"queued": 705}}}


def _run(tmp_path, *records):
    (tmp_path / "review.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return tmp_path


def test_a_queued_item_gets_its_rank_signals_values_and_why(tmp_path):
    run = _run(tmp_path, {"id": "a", "signals": []},
               {"id": 'b"ü', "signals": ["end_model_disagrees", "uncertainty"],
                "signal_values": {"end_model_disagrees": 0.912, "uncertainty": 0.7},
                "why": "end model says spam (0.91)", "end_model_label": "spam"})
    place = queue_place(run, {"queue_rank": 2}, MANIFEST, 'b"ü')
    assert place is not None and (place.rank, place.queued) == (2, 705)
    assert place.describe() == ("rank 2 of 705; signals: end_model_disagrees 0.91, "
                                "uncertainty 0.70")
    assert place.why == "end model says spam (0.91)" and place.end_model_label == "spam"


def test_an_older_runs_record_names_its_signals_and_says_why_from_what_it_holds(tmp_path):
    run = _run(tmp_path, {"id": "a", "signals": ["conflict"], "suggested_label": "ham",
                          "votes": {"x": "ham", "y": "spam"}})
    place = queue_place(run, {"queue_rank": 1}, {}, "a")
    assert place is not None and place.describe() == "rank 1; signals: conflict"
    assert place.why == "votes split 1-1 (ham-spam)"


def test_an_item_past_the_written_queue_or_not_queued(tmp_path):
    run = _run(tmp_path, {"id": "a", "signals": []})
    place = queue_place(run, {"queue_rank": 5000}, MANIFEST, "z")
    assert place == QueuePlace(5000, 705, written=False)
    assert "past what the run's review files hold" in place.describe()
    assert queue_place(run, {"queue_rank": None}, MANIFEST, "a") is None
    assert queue_place(run, {}, MANIFEST, "a") is None


def test_a_run_ranked_by_confidence_says_so_instead_of_naming_no_signal(tmp_path):
    # `run --ranking confidence` (the fast edit loop) writes no signals: explain said
    # "no ranking signal named", which did not say what ordered the queue
    run = _run(tmp_path, {"id": "a", "signals": [], "why": "votes split 1-1 (ham-spam)"})
    confidence = {"triage": {"queue_files": {"queued": 705}, "ranking": "confidence"}}
    place = queue_place(run, {"queue_rank": 4}, confidence, "a")
    assert place is not None and place.describe() == (
        "rank 4 of 705; ordered by the label model's confidence (the run's ranking is "
        "\"confidence\": no ranking signals)")
    signals = {"triage": {"queue_files": {"queued": 705}, "ranking": "signals"}}
    place = queue_place(run, {"queue_rank": 4}, signals, "a")
    assert place is not None and place.describe() == "rank 4 of 705; no ranking signal named"
