"""Renames between two runs, for ``runs diff``: an LF or a glossary one run lists under a
new name and the other under an old one, where nothing else tells them apart.

A run's manifest keeps a hash of each LF's source, and the source holds the function's
name, so a renamed LF has another hash: the hash cannot say "the same code". Its votes
can. A removed LF and an added one are a rename when they are of the same kind, in the
same file (Python and snorkel LFs), and vote alike on every item both runs hold, voting on
one at least; and when each has that one match alone (two added LFs voting as one removed
one: no rename is said). An LF renamed and edited so that a vote moved stays removed and
added. A glossary is renamed when the file of the new name holds the bytes of the removed
one (its sha256); its ``glossary:`` LF then votes alike and is said renamed too.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from labelwright.errors import RunError
from labelwright.matrix import ID_COLUMN
from labelwright.runs.diff.label_effects import run_votes, votes_differ


def one_to_one(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The ``(old, new)`` pairs in which neither name is in another pair."""
    olds = [old for old, _ in pairs]
    news = [new for _, new in pairs]
    return [(old, new) for old, new in pairs if olds.count(old) == 1 and news.count(new) == 1]


def glossary_renames(a: list[dict[str, Any]], b: list[dict[str, Any]],
                     removed: list[str], added: list[str]) -> list[tuple[str, str]]:
    """``(old, new)`` for each removed glossary whose file's bytes an added one holds."""
    sha_a = {g["name"]: g.get("sha256") for g in a if g.get("name") in removed}
    sha_b = {g["name"]: g.get("sha256") for g in b if g.get("name") in added}
    return one_to_one([(old, new) for old, sha in sha_a.items() for new, other in sha_b.items()
                       if sha and sha == other])


def _file(entry: dict[str, Any]) -> str | None:
    """The file of an LF as its manifest entry's ``location`` (``path:line``) names it."""
    location = entry.get("location")
    return str(location).rsplit(":", 1)[0] if location else None


def lf_renames(run_a: Path, manifest_a: dict[str, Any], run_b: Path,
               manifest_b: dict[str, Any], removed: list[str], added: list[str]
               ) -> list[tuple[str, str]]:
    """``(old, new)`` for each LF removed from run a that an LF added in run b renames: same
    kind, same file (but glossary LFs, whose file is the glossary's), and the same vote
    on every item in both runs, at least one a vote; [] when a run's label matrix cannot
    be read or is not as the run wrote it (``runs verify`` names that)."""
    if not removed or not added:
        return []
    entries_a = {e.get("name"): e for e in manifest_a.get("labeling_functions") or []}
    entries_b = {e.get("name"): e for e in manifest_b.get("labeling_functions") or []}
    candidates = [(old, new) for old in removed for new in added
                  if entries_a[old].get("kind") == entries_b[new].get("kind")
                  and (entries_a[old].get("kind") == "glossary"
                       or _file(entries_a[old]) == _file(entries_b[new]))]
    if not candidates:
        return []
    try:
        votes_a = run_votes(run_a, manifest_a, sorted({old for old, _ in candidates}))
        votes_b = run_votes(run_b, manifest_b, sorted({new for _, new in candidates}))
    except RunError:
        return []
    # removed and added names are apart: only the id column is in both
    joined = votes_a.merge(votes_b, on=ID_COLUMN)
    alike = []
    for old, new in candidates:
        if old not in joined or new not in joined or not joined[old].notna().any():
            continue
        before, after = joined[old], joined[new]
        if not votes_differ(before, after).any():
            alike.append((old, new))
    return one_to_one(alike)
