"""Why an item is in the review queue, in words with the values behind its signals, and
the vote pattern it carries (:mod:`labelwright.review.queue.why`)."""

from __future__ import annotations

import numpy as np

from labelwright.review.queue.records import blind_records, review_records
from labelwright.review.queue.tools import label_studio_config, label_studio_tasks
from labelwright.review.queue.why import NO_VOTES, vote_pattern, why_text


def _record(**over):
    record = {"suggested_label": "ham", "probabilities": {"ham": 0.66, "spam": 0.34},
              "votes": {"short_comment": "ham"},
              "signals": ["end_model_disagrees", "uncertainty"],
              "signal_values": {"end_model_disagrees": 0.91, "uncertainty": 0.68},
              "end_model_label": "spam", "end_model_confidence": 0.91}
    return {**record, **over}


def test_why_says_what_the_end_model_and_the_votes_say_with_values():
    assert why_text(_record()) == ("end model says spam (0.91); one vote: short_comment=ham; "
                                   "label model unsure: ham 0.66, spam 0.34")


def test_why_says_the_end_model_agrees_and_how_votes_split():
    record = _record(signals=["conflict"], end_model_label="ham", end_model_confidence=0.8,
                     votes={"a": "spam", "b": "ham", "c": "spam"})
    assert why_text(record) == "end model agrees (ham 0.80); votes split 2-1 (spam-ham)"
    assert why_text(_record(signals=[], votes={}, end_model_label=None)) == "no LF voted"
    assert why_text(_record(signals=[], votes={"a": "ham", "b": "ham"},
                            end_model_label=None)) == "2 votes for ham"


def test_an_end_model_doubting_the_suggestion_it_ranks_first_does_not_agree():
    """With three labels the end model can rank ham first at 0.45 and still put the item
    here (end_model_disagrees 0.55); why said "end model agrees (ham 0.45)"."""
    record = _record(probabilities={"ham": 0.5, "spam": 0.3, "eggs": 0.2},
                     signals=["end_model_disagrees"], end_model_label="ham",
                     end_model_confidence=0.45)
    assert why_text(record) == "end model gives ham only 0.45; one vote: short_comment=ham"


def test_an_older_runs_record_says_the_other_label_of_two_without_a_value():
    """A run from before records held the end model's label: with two labels, a named
    end_model_disagrees (at least 0.5) means the end model says the other one."""
    old = _record(end_model_label=None, end_model_confidence=None, signal_values=None)
    assert why_text(old).startswith("end model says spam (its probability not recorded")
    three = {**old, "probabilities": {"ham": 0.5, "spam": 0.3, "eggs": 0.2}}
    assert why_text(three).startswith("end model disagrees (its label not recorded")


def test_a_blind_record_says_nothing():
    assert why_text({**_record(), "blind": True}) == ""


def test_vote_pattern_names_the_votes_in_lf_order():
    assert vote_pattern({"b": "spam", "a": "ham"}) == "b=spam, a=ham"
    assert vote_pattern({}) == NO_VOTES


def test_records_carry_signal_values_the_end_models_label_and_why():
    records = review_records(
        run_id="r", order=np.array([1, 0]), ids=["x", "y"], texts=["t0", "t1"],
        labels=("ham", "spam"), predicted=np.array([0, 0]),
        probs=np.array([[0.9, 0.1], [0.6, 0.4]]), confidence=np.array([0.9, 0.6]),
        reasons=[(), ("low_confidence",)], votes=np.array([[0, 0], [0, -1]], dtype=np.int8),
        lf_names=["a", "b"], matches=[[], []],
        signals=[(), ("end_model_disagrees",)],
        signal_values={"end_model_disagrees": np.array([0.1, 0.8766]),
                       "uncertainty": np.array([0.2, 0.8])},
        end_model=(np.array([0, 1]), np.array([0.9, 0.8766])))
    first, second = records
    assert first["signal_values"] == {"end_model_disagrees": 0.877}
    assert (first["end_model_label"], first["end_model_confidence"]) == ("spam", 0.877)
    assert first["vote_pattern"] == "a=ham"
    assert first["why"] == "end model says spam (0.88); one vote: a=ham"
    assert second["signal_values"] == {} and second["why"].startswith("end model agrees")
    # an item no fold's model scored has no end-model label
    unscored = review_records(
        run_id="r", order=np.array([0]), ids=["x"], texts=["t"], labels=("ham", "spam"),
        predicted=np.array([0]), probs=np.array([[0.9, 0.1]]), confidence=np.array([0.9]),
        reasons=[()], votes=np.array([[-1]], dtype=np.int8), lf_names=["a"], matches=[[]],
        end_model=(np.array([-1]), np.array([0.5])))[0]
    assert unscored["end_model_label"] is None and unscored["why"] == "no LF voted"
    blind = blind_records(records)[0]
    assert not {"why", "end_model_label", "signal_values", "vote_pattern"} & set(blind)


def test_label_studio_shows_why_in_its_header_and_task_data():
    config = label_studio_config(["ham", "spam"])
    assert "$why" in config
    assert "$why" not in label_studio_config(["ham", "spam"], blind=True)
    record = {"id": "x", "run_id": "r", "text": "t", "confidence": 0.6, "reasons": ["conflict"],
              "glossary_matches": [], **_record()}
    data = label_studio_tasks([record], project="p")[0]["data"]
    assert data["why"] == why_text(record) and data["end_model_label"] == "spam"
    assert data["vote_pattern"] == "short_comment=ham"


def test_prodigy_and_argilla_carry_why_as_their_reviewers_see_the_context():
    from labelwright.review.queue.tools import argilla_records, argilla_settings, prodigy_tasks

    record = {"id": "x", "run_id": "r", "text": "t", "confidence": 0.6, "reasons": ["conflict"],
              "glossary_matches": [], **_record()}
    meta = prodigy_tasks([record], labels=["ham", "spam"], project="p")[0]["meta"]
    assert meta["why"] == why_text(record) and meta["end_model_label"] == "spam"
    flat = argilla_records([record], project="p")[0]
    declared = {m["name"] for m in argilla_settings(["ham", "spam"])["metadata"]}
    assert {"why", "end_model_label", "vote_pattern"} <= declared  # kept by the dataset
    assert flat["why"] == why_text(record) and flat["vote_pattern"] == "short_comment=ham"
    assert "why" not in {m["name"] for m in argilla_settings(["ham"], blind=True)["metadata"]}
