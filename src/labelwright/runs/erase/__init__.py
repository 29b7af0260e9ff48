"""``labelwright erase``: items deleted from the data taken out of everything the project keeps.

:mod:`~labelwright.runs.erase.items` does it (``labelwright.runs.erase_items``), file by file
with :mod:`~.changes` and :mod:`~.files`, cache by cache with :mod:`~.caches`;
:mod:`~.kept` names what it leaves that may still hold the items' words, and
:mod:`~.records` keeps the record of erasures (``runs/ERASURES.jsonl``) every reader of runs
and reviews honours (what it accounts for in a run's files: :mod:`~.run_accounts`)."""
