"""The ledger's two digests share one recipe (review/decisions/ledger_digests.py): the bytes they
hash must stay those the code before it hashed, or every run recorded before would be
reported as reading an edited ledger."""

from __future__ import annotations

from labelwright.review.decisions.ledger import Decision
from labelwright.review.decisions.ledger_digests import ledger_digest, rows_sha256
from labelwright.review.decisions.retirements import Retirement, retirements_digest

# decisions of every shape a ledger holds: without export and blind (the oldest rows), an
# export without blind, blind True and blind False, a non-ASCII label
DECISIONS = [
    Decision("t1", "billing", "ana", "", "2026-12-01T10:00:00+00:00",
             "2026-12-01T11:00:00+00:00", "q.csv", "abc", "2", "20261201-100000-000001", "csv"),
    Decision("t2", "técnico", "ana", "label-studio:2", "2026-12-01", "2026-12-01", "q.csv",
             "abc", "3", "r", "csv", "queue"),
    Decision("t3", "billing", "bo", "", "", "", "q.csv", "abc", "4", "r", "csv", "sample", True),
    Decision("t4", "billing", "bo", "", "", "", "q.csv", "abc", "5", "r", "csv", "", False),
]
RECORDS = [
    Retirement("retire", 1, "t1", "ana", "lead", "2026-12-05T09:00:00+00:00",
               "misread: the guidelines", "--item t1", 0),
    Retirement("undo", 1, "t1", "ana", "lead", "2026-12-06T09:00:00+00:00", "ana was right",
               "--item t1 --undo", 0),
]
# the digests the code before the shared recipe gave these (labelwright at 2e5755b):
# what the manifests of runs made then record
OLD_LEDGER_SHA256 = "bb101801bf7c582950fd28ba91425003637065f5820eb6a7d6862a07117412e9"
OLD_RETIREMENTS_SHA256 = "acfe0a0a626f66d347fc8b56f9a44031f77a8d92ae182dd9ec454eb5d08e82ca"


def test_a_decisions_digest_recorded_by_the_old_code_still_matches() -> None:
    assert ledger_digest(DECISIONS) == OLD_LEDGER_SHA256


def test_a_retirements_digest_recorded_by_the_old_code_still_matches() -> None:
    assert retirements_digest(RECORDS) == OLD_RETIREMENTS_SHA256


def test_both_digests_are_the_shared_recipe_over_their_rows() -> None:
    fields = [(r.action, str(r.decision), r.item_id, r.rater, r.reviewer, r.at, r.reason,
               r.selection) for r in RECORDS]
    assert retirements_digest(RECORDS) == rows_sha256(fields)
    assert ledger_digest(DECISIONS[:1]) == rows_sha256([(
        "t1", "billing", "ana", "", "2026-12-01T10:00:00+00:00", "2026-12-01T11:00:00+00:00",
        "q.csv", "abc", "2", "20261201-100000-000001", "csv")])
