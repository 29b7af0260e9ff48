"""German words typed in lowercase: when reading one in title case (a noun typed in
lowercase, "rechnungen": "Rechnung") helps and when it turns a verb, adjective or
preposition into an unrelated noun ("brauche": "Brauch", "wegen": "Weg").

Part 1, for each CSV given (``path:column``): the lowercase words the title-case lookup
would lemmatize (the table knows the word in title case only), each with its tokens, the
lemma that lookup gives and the lemma the pipeline gives now (the word as written when
:func:`reads_as_other_word` holds).

Part 2, the German table's own noun forms ("Rechnungen", whose lemma "Rechnung" is another
capitalised word): of those whose lowercase the table does not know, how many the rule
keeps from their lemma -- nouns typed in lowercase that lose their lemma.

    python benchmarks/lowercase_nouns.py messages.csv:text
"""

from __future__ import annotations

import argparse
import gzip
import json
from collections import Counter
from pathlib import Path

import pandas as pd
import spacy_lookups_data

from labelwright.nlp.lemma_tables import (
    first_lemma,
    lemma_table,
    reads_as_other_word,
    table_lemmas,
)
from labelwright.nlp.pipeline import _blank_pipeline


def title_case_reads(texts: list[str], lang: str) -> Counter[tuple[str, str, str]]:
    """(word, title-case lemma, lemma now) -> tokens, of the lowercase words the table
    knows in title case only."""
    nlp = _blank_pipeline(lang, True)
    table = lemma_table(nlp)
    forms = table_lemmas(table)
    found: Counter[tuple[str, str, str]] = Counter()
    for doc in nlp.pipe(texts):
        for token in doc:
            word = token.text
            if (len(word) > 1 and word == word.lower() and word not in table
                    and word not in forms and word.title() in table):
                found[word, first_lemma(table[word.title()]), token.lemma_] += 1
    return found


def lookup_words(lang: str) -> dict[str, object]:
    """The lemma lookup table of spacy-lookups-data as words (word -> lemma)."""
    folder = Path(spacy_lookups_data.__file__).parent / "data"
    with gzip.open(folder / f"{lang}_lemma_lookup.json.gz", "rt", encoding="utf-8") as file:
        words: dict[str, object] = json.load(file)
    return words


def noun_forms_kept_back(lang: str) -> tuple[int, list[str]]:
    """The table's noun forms whose lowercase it does not know, and those of them the rule
    keeps from their lemma. Not the forms of a verb or adjective used as a noun
    ("Abbauens", "Neue"), whose lowercase is that word's form, which the rule keeps."""
    nlp = _blank_pipeline(lang, True)
    table = lemma_table(nlp)
    forms = table_lemmas(table)
    stops = frozenset(nlp.Defaults.stop_words)
    nouns, kept_back = 0, []
    words = lookup_words(lang)  # the table holds hashes, not words
    for word, value in words.items():
        lemma = first_lemma(value)
        lower = word.lower()
        if (word[:1].isupper() and word[1:].islower() and lemma[:1].isupper()
                and lemma != word and lower not in words and lower not in forms
                and lemma.lower() not in forms):  # not "Abbauens" ("Abbauen", abbauen)
            nouns += 1
            if reads_as_other_word(lower, forms, stops):
                kept_back.append(word)
    return nouns, kept_back


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("csv", nargs="*", help="path:column of a CSV of German texts")
    parser.add_argument("--lang", default="de")
    args = parser.parse_args()
    for spec in args.csv:
        path, column = spec.rsplit(":", 1)
        texts = pd.read_csv(path)[column].astype(str).tolist()
        found = title_case_reads(texts, args.lang)
        print(f"{path}: {len(texts)} texts, {sum(found.values())} tokens, "
              f"{len(found)} words read in title case")
        print(f"{'tokens':>6}  {'word':<14} {'title case':<14} now")
        for (word, titled, now), count in found.most_common():
            print(f"{count:>6}  {word:<14} {titled:<14} {now}")
        print()
    nouns, kept_back = noun_forms_kept_back(args.lang)
    print(f"table noun forms whose lowercase it lacks: {nouns}; kept from their lemma by "
          f"the rule: {len(kept_back)} ({len(kept_back) / max(nouns, 1):.1%}), e.g. "
          f"{', '.join(kept_back[::max(len(kept_back) // 15, 1)])}")


if __name__ == "__main__":
    main()
