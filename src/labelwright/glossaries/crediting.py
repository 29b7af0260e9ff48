"""Which phrase a glossary match is credited to where several phrases of a glossary match
the same words: the phrase written as the text is, else the longer one (the one that
matched more words: `conectarse`, read as `se` + `conectar`, takes "conectarme" from
`conectar`), else the one the glossary lists first; in lemma mode a span written as the
text is also takes words a longer span not so written matched ("se rompió" is
``rompió``'s, not ``se rompe``'s). The credit decides no vote (the glossary votes its label
whichever phrase matched); it decides which phrase the report counts a hit for.
:class:`~labelwright.glossaries.matching.GlossaryMatcher` asks it of the spans its
matchers found.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable

from spacy.tokens import Doc

from labelwright.glossaries.words import kind_mode, written_words

#: a matcher's span: (match id, start, end)
Span = tuple[int, int, int]


def credited(spans: list[Span], doc: Doc, kind: str, keep: list[int] | None, *,
             order: dict[int, tuple[int, int, int]], written: dict[int, tuple[str, ...]],
             widths: dict[Span, int] | None = None) -> list[Span]:
    """``spans`` (match id, start, end) in the order they are taken: by start, the
    longer first; where several phrases match the same words (in lemma mode "avería"
    and its synonym "averiado" share the lemma "averiar"), first the phrase written as
    the text is, then the one that matched more words (``widths``: a span's words read,
    where more than it spans: "conectarme" read as "me" + `conectar` is two words of
    `conectarse`'s, one of `conectar`'s; the more specific term), then the one the
    glossary lists first. The matcher's own order of
    such spans follows the hashes of the match ids, which change with unrelated edits
    to the glossaries. In lemma mode a span of a phrase not written as the text is
    that overlaps one of a phrase of its glossary that is, is left out: "se rompió"
    is ``rompió``'s, written there word for word, not ``se rompe``'s, whose longer span
    took it, so ``rompió`` was reported as never matched (the other modes compare the
    written words: every span is written as the text is). ``keep``: the token of each
    key position, when ``spans`` index a Doc of keys. ``order``: each match id's
    (glossary, term, phrase) indices; ``written``: each match id's phrase as written, as
    its mode compares words."""
    wide = widths or {}

    def width(m: Span) -> int:
        return -wide.get(m, m[2] - m[1])

    spans.sort(key=lambda m: (m[1], m[1] - m[2], width(m), order[m[0]]))
    lemma = kind_mode(kind) == "lemma"
    asked = _overlapping(spans, order) if lemma else _tied(spans)
    if not asked:
        return spans
    in_text: dict[tuple[int, int], tuple[str, ...]] = {}
    for start, end in asked:
        first, last = (start, end) if keep is None else (keep[start], keep[end - 1] + 1)
        in_text[start, end] = tuple(written_words(doc, first, last, kind))

    def as_written(m: Span) -> bool:
        return in_text.get((m[1], m[2])) == written[m[0]]

    if lemma:
        spans = _yielded(spans, as_written, order)
    return sorted(spans, key=lambda m: (m[1], m[1] - m[2], not as_written(m), width(m),
                                        order[m[0]]))


def _tied(spans: list[Span]) -> set[tuple[int, int]]:
    """The (start, end) that several of ``spans`` (sorted by start) share."""
    return {(start, end) for (_, start, end), (_, s, e) in zip(spans, spans[1:])
            if (start, end) == (s, e)}


def _overlapping(spans: list[Span], order: dict[int, tuple[int, int, int]]
                 ) -> set[tuple[int, int]]:
    """The (start, end) of ``spans`` (sorted by start) that overlap another span of their
    glossary (``order``: each match id's glossary first), in one pass: the spans of a
    glossary that reach into each other form a run; every span of a run of two or more."""
    found: set[tuple[int, int]] = set()
    runs: dict[int, tuple[int, list[tuple[int, int]]]] = {}  # glossary -> (its end, spans)
    for match_id, start, end in spans:
        glossary = order[match_id][0]
        reach, run = runs.get(glossary, (-1, []))
        if start >= reach:
            if len(run) > 1:
                found.update(run)
            reach, run = end, []
        run.append((start, end))
        runs[glossary] = (max(reach, end), run)
    for _, run in runs.values():
        if len(run) > 1:
            found.update(run)
    return found


def _yielded(spans: list[Span], as_written: Callable[[Span], bool],
             order: dict[int, tuple[int, int, int]]) -> list[Span]:
    """``spans`` (sorted by start) without those not written as the text is that overlap
    one of their glossary that is (see :func:`credited`); a span written
    so is kept. A word only a left-out span covered is in no match of that glossary then:
    in "se rompió" the match is "rompió" (written word for word), and "se", which only
    "se rompe"'s span held, is not highlighted; the phrase written in the text is the one
    the report credits. Asked by bisection: a 10 MB text can hold hundreds of thousands
    of spans."""
    starts: dict[int, list[int]] = {}  # glossary -> the starts of its spans written so
    reach: dict[int, list[int]] = {}  # ... and the furthest end among them up to each
    for m in spans:
        if as_written(m):
            glossary = order[m[0]][0]
            ends = reach.setdefault(glossary, [])
            starts.setdefault(glossary, []).append(m[1])
            ends.append(max(m[2], ends[-1]) if ends else m[2])
    if not starts:
        return spans
    kept = []
    for m in spans:
        glossary = order[m[0]][0]
        if glossary in starts and not as_written(m):
            before = bisect.bisect_left(starts[glossary], m[2])  # written spans starting
            if before and reach[glossary][before - 1] > m[1]:  # before it ends, reaching in
                continue
        kept.append(m)
    return kept
