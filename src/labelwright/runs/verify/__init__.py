"""``labelwright runs verify``: whether runs are as they were left.

:mod:`~labelwright.runs.verify.runs` checks run folders (``labelwright.runs.verify_runs``;
each run: :mod:`~.one_run`; what it finds: :mod:`~.run_check`; the run's own files:
:mod:`~.run_files`; the ledger beside it: :mod:`~.ledger_checks`) and
the figures their manifests claim (:mod:`~.manifest_claims`, the saved label model's:
:mod:`~.model_claims`, compared by :mod:`~.claim_values`); with ``--inputs`` it hashes the
project's inputs now against the ones a run read (:mod:`~.inputs`, :mod:`~.input_checks`, the
data given in place of the project's: :mod:`~.data`), with ``--recompute`` it computes a run's
votes and labels again (:mod:`~.recompute`: :mod:`~.fresh`, :mod:`~.refit`, :mod:`~.recomputed`,
:mod:`~.recompute_lines`), and it names retirement records changed since a
run honoured them (:mod:`~.retirements`)."""
