"""Apply labeling functions to items, batch by batch, into a label matrix.

Items are built without per-row pandas overhead; when some LF or glossary needs a
Doc, texts are parsed once per item through ``nlp.pipe`` in batches and every LF
shares that Doc. An LF that raises is counted (with the first item ids and the
first traceback) and the run goes on, unless ``fail_fast`` is set. An LF that
returns something that is not a label stops the run with an error naming the LF,
the item and the value.
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
from spacy.language import Language

from labelwright.data import Dataset
from labelwright.errors import LFFailure
from labelwright.glossaries import Glossary, GlossaryMatcher
from labelwright.item import GlossaryMatch, Item
from labelwright.lfs import LabelingFunction, VoteCoder
from labelwright.matrix import LabelMatrix, vote_dtype

MAX_FAILED_IDS = 5


@dataclass
class LFFailures:
    """How often one LF raised, on which items first, and the first traceback."""

    lf: str
    count: int = 0
    item_ids: list[str] = field(default_factory=list)
    traceback: str = ""

    def add(self, item_id: str, tb: str) -> None:
        self.count += 1
        if len(self.item_ids) < MAX_FAILED_IDS:
            self.item_ids.append(item_id)
        if not self.traceback:
            self.traceback = tb


@dataclass
class ApplyResult:
    matrix: LabelMatrix
    matches: list[list[GlossaryMatch]]  # per item, including matches an exclusion cancelled
    failures: dict[str, LFFailures]
    seconds: float
    parsed: bool  # whether items were parsed with the spaCy pipeline


class Applier:
    """Runs a fixed set of LFs (and the glossaries they and glossary LFs read) over items."""

    def __init__(
        self,
        lfs: Sequence[LabelingFunction],
        labels: Sequence[str],
        *,
        nlp: Language | None = None,
        glossaries: Sequence[Glossary] = (),
        batch_size: int = 256,
        fail_fast: bool = False,
    ) -> None:
        if not lfs:
            raise ValueError("no labeling functions to apply")
        self.lfs = list(lfs)
        self.labels = tuple(labels)
        self.nlp = nlp
        self.batch_size = batch_size
        self.fail_fast = fail_fast
        self.needs_doc = bool(glossaries) or any(lf.uses_doc for lf in self.lfs)
        if self.needs_doc and nlp is None:
            raise ValueError("some LF or glossary needs a Doc but no spaCy pipeline was given")
        self.matcher = GlossaryMatcher(glossaries, nlp) if glossaries and nlp else None
        self._coder = VoteCoder(self.labels)

    def apply(
        self, dataset: Dataset, *, progress: Callable[[int], None] | None = None
    ) -> ApplyResult:
        started = time.perf_counter()
        n = len(dataset)
        votes = np.full((n, len(self.lfs)), -1, dtype=vote_dtype(len(self.labels)))
        matches: list[list[GlossaryMatch]] = [[] for _ in range(n)]
        failures = {lf.name: LFFailures(lf.name) for lf in self.lfs}
        columns = list(dataset.fields.columns)
        for start in range(0, n, self.batch_size):
            stop = min(start + self.batch_size, n)
            field_rows = dataset.fields.iloc[start:stop].to_dict("records") if columns else None
            self._apply_batch(
                dataset.ids[start:stop],
                dataset.texts[start:stop],
                field_rows,
                votes[start:stop],
                matches,
                start,
                failures,
            )
            if progress is not None:
                progress(stop - start)
        matrix = LabelMatrix(votes, [lf.name for lf in self.lfs], list(dataset.ids), self.labels)
        return ApplyResult(
            matrix=matrix,
            matches=matches,
            failures={k: v for k, v in failures.items() if v.count},
            seconds=time.perf_counter() - started,
            parsed=self.needs_doc,
        )

    def _apply_batch(
        self,
        ids: list[str],
        texts: list[str],
        field_rows: list[dict] | None,
        out: np.ndarray,
        matches: list[list[GlossaryMatch]],
        offset: int,
        failures: dict[str, LFFailures],
    ) -> None:
        docs = self.nlp.pipe(texts, batch_size=self.batch_size) if self.needs_doc else None
        parse = self.nlp  # an LF that reads item.doc unannounced still gets one
        code = self._coder.code
        for i, (item_id, text) in enumerate(zip(ids, texts)):
            doc = next(docs) if docs is not None else None
            found = self.matcher.match(doc) if self.matcher is not None and doc is not None else []
            matches[offset + i] = found
            item = Item(item_id, text, field_rows[i] if field_rows else None, doc, found,
                        parse=parse)
            row = out[i]
            for j, lf in enumerate(self.lfs):
                try:
                    value = lf(item)
                except Exception as exc:
                    if self.fail_fast:
                        raise LFFailure(
                            f"labeling function {lf.name!r} ({lf.location}) raised on item "
                            f"{item_id!r}: {type(exc).__name__}: {exc}"
                        ) from exc
                    failures[lf.name].add(item_id, traceback.format_exc())
                    continue
                row[j] = code(value, lf, item_id)
