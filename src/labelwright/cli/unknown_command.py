"""What a command group says of a command it does not have: the name it may be a
misspelling of, else the commands whose help speaks of it (``labelwright lfs``: analyze,
run, check), else every command. Click offers only close spellings, so ``lfs`` got none."""

from __future__ import annotations

import re
from typing import Any

from labelwright.spelling import did_you_mean

#: commands named at most, when their help speaks of the unknown name
SHOWN = 3


def unknown_command_text(name: str, group: Any, ctx: Any) -> str:
    """``No such command 'lfs'. Commands whose help speaks of 'lfs': analyze, run, check``
    for ``group`` (a click group) in ``ctx``."""
    commands = [c for c in group.list_commands(ctx) if group.get_command(ctx, c) is not None]
    said = f"No such command {name!r}."
    spelt = did_you_mean(name, commands)
    if spelt:
        return f"{said} {spelt[0].upper()}{spelt[1:].rstrip()}"
    about = commands_about(name, {c: group.get_command(ctx, c) for c in commands})
    if about:
        return f"{said} Commands whose help speaks of {name!r}: {', '.join(about)}"
    return f"{said} Commands: {', '.join(commands)}"


def commands_about(name: str, commands: dict[str, Any]) -> list[str]:
    """The commands whose help holds ``name`` as a word (a plural's trailing s optional),
    most mentions first, then the earliest mention in the short help; at most
    :data:`SHOWN`."""
    word = re.escape(name.lower().removesuffix("s")) if len(name) > 2 else re.escape(name)
    if not word:
        return []
    pattern = re.compile(rf"\b{word}s?\b", re.IGNORECASE)
    scored = []
    for order, (command_name, command) in enumerate(commands.items()):
        text = command.help or ""
        mentions = len(pattern.findall(text))
        if mentions:
            first = pattern.search(command.get_short_help_str(200))
            scored.append((-mentions, first.start() if first else len(text), order,
                           command_name))
    return [command_name for *_, command_name in sorted(scored)[:SHOWN]]
