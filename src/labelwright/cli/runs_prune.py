"""Command: ``runs prune`` (registered on ``runs_app`` in :mod:`labelwright.cli.runs`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from labelwright.cli.options import ProjectDir
from labelwright.cli.output import make_console
from labelwright.counts import counted

console = make_console()


def size(n: int) -> str:
    """``17.0 MB``, ``840 kB``, ``12 bytes`` (powers of 1,000)."""
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}" if n < 100 * scale else f"{n / scale:.0f} {unit}"
    return counted(n, "byte")


def prune(
    keep: Annotated[int, typer.Option("--keep", min=1, help="Keep the newest N runs.")],
    project: ProjectDir = Path("."),
    keep_review_sources: Annotated[bool, typer.Option(
        "--keep-review-sources/--no-keep-review-sources",
        help="Also keep every run review decisions were exported from (a retired one only "
        "while a kept run used it) and every run a kept run's manifest names "
        "(reviews.random_samples), so reviews can be traced (default: kept).")] = True,
    keep_export_sources: Annotated[bool, typer.Option(
        "--keep-export-sources/--no-keep-export-sources",
        help="Also keep every run a training set or WRENCH folder was exported from "
        "(labelwright export) while a file of it is where it was written, unchanged "
        "(default: kept).")] = True,
    keep_review_exports: Annotated[bool, typer.Option(
        "--keep-review-exports/--no-keep-review-exports",
        help="Also keep every run a review file was exported from (review export) while "
        "that file is where it was written and none of its decisions is imported yet "
        "(default: kept).")] = True,
    caches: Annotated[bool, typer.Option(
        "--caches/--no-caches", help="Also remove vote cache entries and Doc cache shards "
        "not used since the newest run started nor in the last --cache-days days.")] = True,
    cache_days: Annotated[float, typer.Option(
        "--cache-days", min=0, help="Keep cache entries used in the last K days.")] = 7,
    keep_manifests: Annotated[bool, typer.Option(
        "--keep-manifests", help="Keep each removed run's manifest.json and sources/ (the "
        "config, LF modules and glossaries it read) in runs/pruned/<run_id>/, so `runs "
        "verify` still checks it as a link of the chain and its LFs' code and settings can "
        "be read; its labels, votes and other outputs go.")] = False,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="Remove nothing; list what would go, with sizes.")] = False,
    partial: Annotated[bool, typer.Option(
        "--partial", help="Also remove the runs/.<id>.partial folders no live process of "
        "this machine writes: those killed runs left, and those of other machines (a CI "
        "job's), however recent.")] = False,
) -> None:
    """Remove old run folders (and unused cache entries), keeping the newest N runs, the
    run runs/LATEST names, the runs reviews are traced to and those training sets in use
    and review files awaiting import were exported from. Each run removed is recorded
    in runs/PRUNED.jsonl, so `runs verify` and `explain` say it was pruned."""
    from labelwright.runs.prune import prune_command, prune_runs

    kept = {"keep_review_sources": keep_review_sources,
            "keep_export_sources": keep_export_sources,
            "keep_review_exports": keep_review_exports}
    result = prune_runs(project, keep, **kept, dry_run=dry_run, caches=caches,
                        cache_days=cache_days, partial=partial, keep_manifests=keep_manifests,
                        command=prune_command(keep, **kept, cli=True, partial=partial,
                                              keep_manifests=keep_manifests))
    verb = "would remove" if dry_run else "removed"
    for staging, n in result.partial_removed:
        console.print(f"{verb} {staging.path} ({size(n)}): a run staged there by "
                      f"{staging.owner}, made {staging.age_said} ago", highlight=False)
    total = len(result.removed) + len(result.kept)
    console.print(f"{verb} {counted(len(result.removed), 'run')} ({size(result.bytes)}) of "
                  f"{total} in {result.runs_dir}" + (":" if result.removed else ""),
                  highlight=False)
    for folder in result.removed:
        console.print(f"  {folder.run_id}  {size(folder.bytes)}", highlight=False)
    console.print(f"kept {counted(len(result.kept), 'run')}:", highlight=False)
    for run_id, why in result.kept.items():
        console.print(f"  {run_id}: {why}", highlight=False)
    for run_id, why in result.skipped.items():
        console.print(f"  left alone: {run_id}: {why}", highlight=False)
    for staging in result.partial_left:
        console.print(f"  left alone: {staging.describe()}"
                      + ("" if staging.live and staging.here else
                         ": `runs prune --partial` removes it"), highlight=False)
    if result.unchecked:
        n = sum(result.unchecked.values())
        console.print(f"{counted(n, 'review decision')} {'would lose' if dry_run else 'lost'} "
                      f"their text check: exported from "
                      + ", ".join(f"{run_id} ({k:,})" for run_id, k in result.unchecked.items())
                      + " and imported before the ledger recorded the text decided on "
                      "(text_hash), they are checked against that run's texts; without it, "
                      "runs warn that they cannot be checked, and a text edited since is not "
                      "caught (--keep-review-sources, the default, keeps such runs)",
                      highlight=False)
    if result.removed and not dry_run:
        console.print(f"recorded in {result.runs_dir / 'PRUNED.jsonl'} (`runs verify` and "
                      "`explain` say these runs were pruned)", highlight=False)
    if result.report_lines:
        n = sum(map(len, result.report_lines.values()))
        console.print(f"{'would keep' if dry_run else 'kept'} {counted(n, 'line')} of "
                      f"{result.runs_dir / 'REPORTS.jsonl'} naming "
                      f"{counted(len(result.report_lines), 'run')} removed as written (the "
                      "record of their reports built again); PRUNED.jsonl names each run's "
                      "(report_lines)", highlight=False)
    if result.removed and keep_manifests:
        console.print(f"{'would keep' if dry_run else 'kept'} each one's manifest.json and "
                      f"sources/ in {result.runs_dir / 'pruned'}/<run_id>/ (`runs verify "
                      "--all` checks them)", highlight=False)
    if result.caches is not None:
        from datetime import UTC, datetime

        pruned = result.caches
        votes = sum(1 for path, _ in pruned.removed if path.parent.name == "votes")
        since = datetime.fromtimestamp(pruned.cutoff, UTC).isoformat(timespec="seconds")
        console.print(f"caches: {verb} {counted(votes, 'vote cache entry', 'vote cache entries')}"
                      f" and {counted(len(pruned.removed) - votes, 'Doc cache shard')} "
                      f"({size(pruned.bytes)}) not used since {since}", highlight=False)
        if pruned.sizes:
            console.print("cache now: " + ", ".join(f"{name} {size(n)}" for name, n
                                                    in pruned.sizes.items()), highlight=False)
