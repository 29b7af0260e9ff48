"""``labelwright analyze --lf NAME``: the items behind one LF's numbers, printed; and the
lines under ``run``'s and ``analyze``'s LF table naming the LFs to look at that way first."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.text import Text

from labelwright.counts import counted
from labelwright.lfs.empty_fields import field_code
from labelwright.lfs.examples import LFExample, LFExamples

if TYPE_CHECKING:
    import pandas as pd

#: characters of an item's text shown per example (the rest: ``labelwright explain ID``)
TEXT_CHARS = 160

_HEADINGS = {
    "wrong": "wrong: votes {vote} where the known label is another",
    "conflict": "in conflict: another LF votes otherwise, no known label",
    "right": "right: the known label is its vote",
    "sample": "its votes (no item it votes on has a known label)",
    "failed": "failed (it raised; the first traceback is below)",
}


def print_lf_examples(console: Console, examples: list[LFExamples],
                      where: Mapping[str, str] | None = None) -> None:
    """Each LF's groups of examples, with how many items each group has; ``where``: LF name
    -> where it is defined (``file:line``), shown beside its name."""
    for lf in examples:
        labels = sorted({e.vote for group, shown in lf.groups.items() if group != "failed"
                         for e in shown})
        at = (where or {}).get(lf.name)
        console.print(Text.assemble("\n", (lf.name, "bold"), f" ({at})" if at else "",
                                    f": votes on {counted(lf.votes, 'item')}"))
        for group, shown in lf.groups.items():
            size = lf.sizes[group]
            if not size:
                continue
            heading = _HEADINGS[group].format(vote="/".join(labels) or "?")
            console.print(Text(f"  {heading}: {size}"
                               + (f" (showing {len(shown)})" if len(shown) < size else "")))
            for example in shown:
                console.print(_line(example))
        if not lf.votes:
            console.print("  it voted on no item")


def _line(example: LFExample) -> Text:
    text = " ".join(example.text.split())
    if len(text) > TEXT_CHARS:
        text = text[:TEXT_CHARS - 1] + "…"
    known = f", known {example.known}" if example.known is not None else ""
    others = "; ".join(f"{label} ← {', '.join(names)}" for label, names in
                       sorted(example.others.items()))
    did = "raised" if example.vote == "(raised)" else f"votes {example.vote}"
    line = Text(f"    {example.item_id}: {did}{known}")
    if example.empty:  # what the LF found empty there (None)
        line.append(" | " + ", ".join(f"{field_code(f)} = None" for f in example.empty),
                    style="yellow")
    if example.matched:  # a glossary LF: the phrases behind its vote
        line.append(" | matched: " + "; ".join(example.matched))
    line.append(f" | others: {others}" if others else " | no other LF votes", style="dim")
    line.append(f"\n      {text!r}" if text else "\n      (empty text)")
    if example.same_text:  # the group's other items with this text are not shown again
        line.append(f" (and {counted(example.same_text, 'more item')} of this group with "
                    "this text)", style="dim")
    return line


def shown_location(file: str, line: int, root: Path) -> str:
    """``file:line``, the file relative to the project folder when it is inside it."""
    try:
        file = Path(file).resolve().relative_to(Path(root).resolve()).as_posix()
    except ValueError:
        pass
    return f"{file}:{line}"


def print_wrong_most(console: Console, summary: pd.DataFrame, project: Any) -> None:
    """Under the LF table of ``run`` and ``analyze``: the LFs wrong most often on known
    labels, with where each is defined (:func:`~labelwright.lfs.wrong_most.wrong_most_lines`;
    ``project``: the loaded project, whose LFs say their file and line)."""
    from labelwright.lfs.wrong_most import wrong_most_lines

    root = project.config.root
    where = {f.name: shown_location(f.file, f.line, root) for f in project.lfs}
    for line in wrong_most_lines(summary, where):
        console.print(line, highlight=False)
