"""The YAML side of a glossary file: composed once (with libyaml's loader when PyYAML has
it), where each value is written (its nodes, for a problem's line and a value as the file
spells it), keys given twice, and YAML errors with the line they are on.

How a file reads decides which phrases are matched, so this module's source is part of
:data:`~labelwright.glossaries.core.MATCHER_SHA256`, as :mod:`~labelwright.glossaries.reading`'s is.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


class Layout:
    """Where each value of a glossary file is written: its YAML nodes, for the line a
    problem is on and for a value as the file spells it (YAML reads an unquoted ``on`` as
    true, and the fix to suggest is quoting ``on``, not another word for true)."""

    def __init__(self, root: yaml.Node | None) -> None:
        self.root = root

    def node(self, *path: str | int) -> yaml.Node | None:
        """The node at ``path``: keys of mappings, indexes of lists (of equal keys the
        last, the one YAML keeps)."""
        node = self.root
        for step in path:
            if isinstance(node, yaml.MappingNode) and isinstance(step, str):
                node = next((value for key, value in reversed(node.value)
                             if isinstance(key, yaml.ScalarNode) and key.value == step), None)
            elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) \
                    and 0 <= step < len(node.value):
                node = node.value[step]
            else:
                return None
        return node

    def line(self, *path: str | int) -> int:
        """The 1-based line the value at ``path`` starts on (1 when it is not there)."""
        node = self.node(*path)
        return node.start_mark.line + 1 if node is not None else 1

    def key_line(self, key: str) -> int:
        """The line of a top-level key itself (its value may start on the next line)."""
        if isinstance(self.root, yaml.MappingNode):
            for node, _ in reversed(self.root.value):
                if isinstance(node, yaml.ScalarNode) and node.value == key:
                    return int(node.start_mark.line) + 1
        return 1

    def written(self, value: Any, *path: str | int) -> str:
        """``value`` as the file writes it at ``path`` (``on`` for true)."""
        node = self.node(*path)
        if isinstance(node, yaml.ScalarNode):
            return str(node.value)
        return str(value).lower() if isinstance(value, bool) else str(value)


def duplicate_keys(node: Any, path: Path) -> list[tuple[int, str]]:
    """Each key given twice in one mapping, anywhere in the file (YAML keeps the last one:
    a second ``terms:`` dropped the first list in silence)."""
    found = []
    if isinstance(node, yaml.MappingNode):
        first: dict[Any, int] = {}
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                line = key.start_mark.line + 1
                if key.value in first:
                    found.append((line, f"{path}:{line}: key {key.value!r} is given twice "
                                        f"(first on line {first[key.value]}); YAML would "
                                        "keep only this one: merge them"))
                else:
                    first[key.value] = line
            found.extend(duplicate_keys(value, path))
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            found.extend(duplicate_keys(item, path))
    return found


def unquoted(written: str) -> str:
    return (f'YAML reads an unquoted no / yes / on / off as true or false; quote it: '
            f'"{written}"')


def tab_problem(mark: Any, text: str) -> str:
    """What to say when YAML stopped at a tab (it allows none in indentation, and PyYAML
    none before a comment either): its line, and spaces to write instead; "" when the
    character at ``mark`` is not a tab. YAML's own "found character '\\t' that cannot start
    any token" names neither the tab nor the fix."""
    if mark is None:
        return ""
    lines = text.split("\n")
    row = lines[mark.line] if 0 <= mark.line < len(lines) else ""
    if not 0 <= mark.column < len(row) or row[mark.column] != "\t":
        return ""
    if not row[:mark.column].strip():  # only blanks before it: the indentation
        return (f"a tab at line {mark.line + 1}: indent with spaces (YAML allows no tab "
                "in indentation; an editor's 'convert tabs to spaces' fixes the file)")
    return (f"a tab at line {mark.line + 1}, column {mark.column + 1}: write spaces "
            "(YAML does not read a tab there)")


def yaml_error(exc: yaml.YAMLError, text: str, path: Path) -> str:
    """A YAML error with the line it is on: a parser's mark, or the reader's position (a
    character YAML does not allow, such as a control character)."""
    if isinstance(exc, yaml.reader.ReaderError):
        character = (exc.character if isinstance(exc.character, int)
                     else ord(exc.character))
        line = text.count("\n", 0, exc.position) + 1
        return (f"{path}:{line}: invalid YAML: character U+{character:04X} ({exc.reason}); "
                'delete it or write it as an escape in a double-quoted string ("\\x1b")')
    mark = getattr(exc, "problem_mark", None)
    line_text = f":{mark.line + 1}" if mark is not None else ""
    tab = tab_problem(mark, text)
    if tab:
        return f"{path}{line_text}: invalid YAML: {tab}"
    problem = getattr(exc, "problem", None) or str(exc)
    return (f"{path}{line_text}: invalid YAML: {problem} (most often a line indented more "
            "or less than the lines of its list, or a term holding ': ' or starting with a "
            "character such as '?', '*', '&', '[' or '{' without quotes: quote the term)")


#: libyaml's loader when PyYAML was built with it (a 20,000-phrase glossary reads in a
#: fraction of a second, not seconds), else None: the pure-Python one reads alone
FAST_LOADER: type[yaml.SafeLoader] | None = getattr(yaml, "CSafeLoader", None)


def _parse_with(loader_class: Any, text: str) -> tuple[yaml.Node | None, Any]:
    loader = loader_class(text)
    try:
        root = loader.get_single_node()
        return root, loader.construct_document(root) if root is not None else None
    finally:
        loader.dispose()


def parse_yaml(text: str) -> tuple[yaml.Node | None, Any]:
    """A glossary file's YAML nodes (where each value is written) and the values they make,
    composed once. With libyaml (:data:`FAST_LOADER`) a file that does not read is read
    again by the pure-Python loader, whose error names the character and its line as every
    message about YAML here expects (libyaml counts bytes, and rejects some escapes the
    pure loader reads)."""
    if FAST_LOADER is not None:
        try:
            return _parse_with(FAST_LOADER, text)
        except yaml.YAMLError:
            pass
    return _parse_with(yaml.SafeLoader, text)
