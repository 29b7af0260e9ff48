"""``run``'s closing lines on a project's first run: what to look at next.

A first run prints the LF table, the label model, accuracy, the review queue and any
warnings, each with its own hint; someone new to the project (or to labelwright) is left
to find the order to read them in. Once a project has an earlier run, ``run`` says what
changed since it instead, and these lines are not printed again.
"""

from __future__ import annotations

from pathlib import Path

from labelwright.runs.manifest import MANIFEST


def is_first_run(run_dir: Path) -> bool:
    """Whether ``run_dir`` is the only run in its runs folder (a published run folder:
    not hidden, with a manifest; a staging ``.<id>.partial/`` folder is none)."""
    for other in run_dir.parent.iterdir():
        if (other != run_dir and not other.name.startswith(".") and other.is_dir()
                and (other / MANIFEST).is_file()):
            return False
    return True


def first_run_lines(run_dir: Path, *, has_gold: bool, report: bool) -> list[str]:
    """The lines that close a project's first run (``run_dir``), or none when the project
    has other runs. ``has_gold``: the data has gold labels (the LF table's emp. acc.);
    ``report``: the run wrote its HTML report."""
    if not is_first_run(run_dir):
        return []
    lines = ["first run of this project; what to look at next:"]
    if report:
        lines.append("  1. the report above, in a browser: its Next steps, then the LF table, "
                     "the labels and the review queue on one page (Terms used, at its end, "
                     "says what each word means)")
    else:
        lines.append("  1. the LF table above: each LF's coverage, overlaps and conflicts "
                     "(README: Reading the LF table)")
    if has_gold:
        lines.append("  2. the LFs with the most `incorrect` votes on gold: "
                     "`labelwright analyze --lf NAME` shows their wrong votes with the "
                     "items' text; fix them and run again (the next run says what changed)")
    else:
        lines.append("  2. one LF's votes with the items' text: `labelwright analyze --lf "
                     "NAME`; a gold column in [data] (held-out labels) lets the LF table "
                     "count each LF's right and wrong votes")
    lines.append("  3. one item's label and where it came from: `labelwright explain ID`")
    lines.append("  4. the items the LFs cannot settle: `labelwright review export` "
                 "(README: Reviewing labels)")
    return lines
