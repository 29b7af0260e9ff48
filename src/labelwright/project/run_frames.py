"""A run's labels by item id (:meth:`RunFrames.frame`) and its review queue
(:meth:`RunFrames.review_queue`), as DataFrames: for a run just made
(:class:`~labelwright.project.result.RunResult`) and one read back from its folder
(:class:`~labelwright.runs.saved_run.SavedRun`) alike."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from labelwright.data.ids import column_ids


class RunFrames:
    """:meth:`frame` of a run's ``labels`` table (``labels.parquet``) and ``run_id``, and
    :meth:`review_queue` of the queue files in ``run_dir``; a class using it gives its
    label names, the label model's probabilities and the id column the run read."""

    labels: pd.DataFrame
    run_id: str
    run_dir: Path

    def _label_names(self) -> list[str]:
        raise NotImplementedError

    def _model_probs(self) -> np.ndarray:
        raise NotImplementedError

    def _id_column(self) -> str:
        raise NotImplementedError

    def frame(self, ids: Any = None, *, model: bool = False) -> pd.DataFrame:
        """Per item, the probability of each label (a column per label, in
        ``project.labels`` order), then ``label`` and ``confidence``, indexed by item id.

        ``ids``: the ids as your data has them (``df.index``, ``df["review_id"]``): the
        rows come in that order, indexed by those very values (an ``int`` id stays an
        ``int``, the index keeps its name). A DataFrame (the one the run read, or rows of
        it) gives its ``[data] id_column``'s ids and keeps the frame's own index, so
        ``df.join(result.frame(df))`` puts the labels beside its rows. They are matched
        as the run read them, as text (``str(7)``, a whole float ``7.0`` as ``"7"``:
        :func:`~labelwright.data.ids.id_value`);
        an id the run has no item for is a KeyError naming it. None: every item, in the
        run's order, indexed by its id as text (named ``id``).
        ``model``: the label model's own probabilities and label, before reviews
        (:attr:`probs`, ``labels.model_label``, ``model_confidence``); else the final ones,
        reviews applied (``labels.parquet``'s ``prob_<label>``, ``label``, ``confidence``).
        """
        from labelwright.models.label_frame import check_frame_labels

        labels = self._label_names()
        check_frame_labels(labels)
        table = self.labels
        run_ids = table["id"].astype(str)
        if model:
            out = pd.DataFrame(self._model_probs(), columns=labels)
            out["label"] = table["model_label"].reset_index(drop=True)
            out["confidence"] = table["model_confidence"].reset_index(drop=True)
        else:
            out = pd.DataFrame({label: table[f"prob_{label}"].to_numpy() for label in labels})
            out["label"] = table["label"].reset_index(drop=True)
            out["confidence"] = table["confidence"].reset_index(drop=True)
        out.index = pd.Index(run_ids, name="id")
        if ids is None:
            return out
        if isinstance(ids, pd.DataFrame):
            return self._frame_of(ids, model)
        given = ids if isinstance(ids, pd.Index) else pd.Index(
            ids.to_numpy() if isinstance(ids, pd.Series) else list(ids),
            name=ids.name if isinstance(ids, pd.Series) else None)
        as_text = column_ids(given.to_series(index=range(len(given))), "ids",
                             str(given.name or "id"), lambda k: f"ids: position {k}")
        missing = [i for i in dict.fromkeys(as_text) if i not in out.index]
        if missing:
            shown = ", ".join(map(repr, missing[:5])) + (", ..." if len(missing) > 5 else "")
            raise KeyError(f"{len(missing)} of the ids given are no item of run "
                           f"{self.run_id}: {shown} (ids are matched as text, as the run read "
                           f"them: str(id); e.g. {out.index[0]!r} is an id of the run)"
                           + self._default_index_hint(given, len(missing) == len(
                               set(as_text))))
        aligned = out.loc[as_text]
        aligned.index = given
        return aligned

    def review_queue(self, *, sample: bool = False, spread: bool = False,
                     per_pattern: int | None = None) -> pd.DataFrame:
        """The run's review queue as a DataFrame, one row per item, most useful first (of a
        run just made and of one read back by ``load_run`` alike: the same frame): the
        records the run wrote to ``review.jsonl`` beside ``review.csv`` (made by the same
        code, so the same rows), read back as ``review export`` reads them (an edited
        file is a RunError; items ``labelwright erase`` erased since are left out).
        Columns: ``id`` (text), ``run_id``, ``rank``, ``text``, ``suggested_label``, an
        empty ``review_label`` and ``note`` to fill in, ``confidence``, ``reasons`` and
        ``signals`` (lists), ``prob_<label>`` per label, ``votes`` (LF -> label),
        ``glossary_matches``, ``fields``, ``export``, ``copies``
        (:func:`~labelwright.review.queue.run_queue.queue_frame`). Filled in,
        ``queue[["id", "run_id", "review_label"]].to_csv(path, index=False)`` is a file
        ``labelwright.review.import_file`` takes. ``sample``: the run's random sample
        (``sample.jsonl``; a RunError when it drew none) in place of the queue.

        ``per_pattern`` and ``spread`` are ``review export``'s ``--per-pattern N`` and
        ``--spread``, by the same code (:func:`~labelwright.review.queue.selection.
        queue_order`), so the frame holds the items that export writes, in its order:
        ``per_pattern`` keeps at most that many items of each vote pattern, in queue order
        (the frame's ``attrs["held_back"]`` counts the rest, which stay in the run's
        queue); ``spread`` then takes the items in turns over their suggested labels within
        each tier of the queue (the head's reasons first, as they are). ``rank`` stays the
        item's place in the run's queue. Neither goes with ``sample`` (a ValueError: picked
        or reordered, it would no longer be a random sample).

        A run that wrote only the queue's head (``[review] queue_limit``) gives that head: a
        ``UserWarning`` says how many items are past it, as ``review export`` does, and the
        frame's ``attrs["limited"]`` holds the same text (absent for a whole queue)."""
        import warnings

        from labelwright.review.queue.patterns import check_per_pattern
        from labelwright.review.queue.run_queue import queue_frame, read_run_queue
        from labelwright.review.queue.selection import check_sample_picks, queue_order
        from labelwright.runs.queue_files import unwritten_note
        from labelwright.runs.store import read_manifest

        check_sample_picks(None, spread, sample=sample)
        check_per_pattern(per_pattern, sample=sample)
        manifest = read_manifest(self.run_dir)
        queue = read_run_queue(self.run_dir, manifest, sample=sample)
        records, held_back = queue_order(queue.records, spread=spread,
                                         per_pattern=per_pattern)
        frame = queue_frame(records, self._label_names())
        if per_pattern is not None:
            frame.attrs["held_back"] = held_back
        limited = None if sample else unwritten_note(self.run_id, manifest)
        if limited:
            frame.attrs["limited"] = limited
            warnings.warn(f"review_queue(): {limited}", UserWarning, stacklevel=2)
        return frame

    def _frame_of(self, rows: pd.DataFrame, model: bool) -> pd.DataFrame:
        """:meth:`frame` of a DataFrame's rows: by its id column, with its own index."""
        column = self._id_column()
        if column not in rows.columns:
            shown = ", ".join(map(str, rows.columns[:10])) + (
                ", ..." if len(rows.columns) > 10 else "")
            raise KeyError(f"the DataFrame has no id column {column!r} ([data] id_column, "
                           f"the column the run read its ids from); columns present: {shown}")
        out = self.frame(rows[column], model=model)
        out.index = rows.index
        return out

    def _default_index_hint(self, given: pd.Index, none_found: bool) -> str:
        """A pointer to the id column when ``given`` is a frame's own row numbers
        (``df.index`` of a frame whose ids are a column, as the project reads them): its
        0..n-1 index, or an unnamed index of whole numbers none of which is an id of the
        run (frames joined with ``pd.concat`` keep each one's 0..n-1)."""
        if given.name is not None:
            return ""
        if isinstance(given, pd.RangeIndex):
            what = "a frame's own index 0..n-1"
        elif none_found and pd.api.types.is_integer_dtype(given.dtype):
            what = "a frame's own row numbers (pd.concat keeps each part's 0..n-1)"
        else:
            return ""
        return (f"; these look like {what}: if its ids are in a column, "
                f"pass that column, as df[{self._id_column()!r}]")
