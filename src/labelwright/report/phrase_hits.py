"""The report's phrases that never matched: a term's hits count its synonyms' too, so a
term can have hundreds of hits while most of its phrases occur in no item
(``glossary_phrase_hits.csv`` has the hits of each phrase)."""

from __future__ import annotations

import pandas as pd

from labelwright.report import html
from labelwright.runs.file_names import PHRASE_HITS_FILE

PHRASE_HITS_COLUMNS = ["glossary", "term", "phrase", "hits", "cancelled"]
#: phrases named per glossary (the file has them all)
SHOWN_PER_GLOSSARY = 8


def phrases_without_hits(hits: pd.DataFrame | None) -> str:
    """How many phrases never matched (no hit, none cancelled), and a few of them per
    glossary, the glossaries with the most first."""
    if hits is None or hits.empty:
        return ""
    never = hits[(hits["hits"] == 0) & (hits["cancelled"] == 0)]
    out = (f"<h3>Phrases that never matched ({len(never):,} of {len(hits):,})</h3>"
           '<p class="muted">A phrase is a term or one of its synonyms; a term\'s hits count '
           f"those of its synonyms too. Hits per phrase: <code>{PHRASE_HITS_FILE}</code>.</p>")
    if never.empty:
        return out + '<p class="muted">Every phrase matched at least once.</p>'
    total = hits.groupby("glossary", sort=False).size()
    per_glossary = never.groupby("glossary", sort=False)
    rows = []
    for name in per_glossary.size().sort_values(ascending=False, kind="stable").index:
        phrases = per_glossary.get_group(name)["phrase"].tolist()
        rows.append(f"<p><b>{html.user(name)}</b> ({len(phrases):,} of {int(total[name]):,}): "
                    + html.chips(phrases, SHOWN_PER_GLOSSARY, render=html.user) + "</p>")
    return out + "".join(rows)
