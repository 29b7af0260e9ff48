"""What ``labelwright erase`` puts where an erased text, note or other value was: one
spelling for the runs' files (:mod:`~labelwright.runs.erase`) and the review ledger's notes
(:mod:`~labelwright.review.decisions.note_erasures`), which neither package owns."""

#: what an erased text (each other value of an erased row, a rater's note) is replaced with
MARKER = "[erased]"
