"""Module constants named for one label that hold another label's index: ``HAM = 0`` and
``SPAM = 1``, as snorkel's tutorials write votes, in a project whose ``labels = ["spam",
"ham"]``. Each vote given by such a constant is an index, so it is taken as a vote for the
label at that index, the other one; nothing in the run can tell, and only gold labels (or
a run under the other order) would show every such item labelled the other way. So
``check`` and ``run`` refuse it (:func:`crossed_label_constants`).

Which constants: a name the module binds once, to an int (as
:func:`~labelwright.lfs.lf_code.module_constants` reads them: ``SPAM = 1``), that names a
label (:func:`named_label`) and holds the index of another one, and that the module uses as
a vote (:func:`vote_lines`): returned by a function, passed to a call, a parameter's
default, a key or value of a dict, or an element of a list, tuple or set (each also either
side of ``a if cond else b``, and through another constant set to it, ``DEFAULT = SPAM``).
A constant only compared, counted with or indexed by (``len(words) < SHORT``) gives no vote
and is left alone, as are names that name no label (``MAX_LEN = 1``).
"""

from __future__ import annotations

import ast
import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from labelwright.counts import some_of
from labelwright.lfs.core import LabelingFunction
from labelwright.lfs.lf_code import _bound, _parameters, module_constants


@dataclass(frozen=True)
class CrossedConstant:
    """A constant named for ``label`` at ``file:line`` whose ``value`` is the index of
    another label of ``labels``; ``used_at``: the lines using it as a vote."""

    file: str
    line: int
    name: str
    value: int
    label: str
    labels: tuple[str, ...]
    used_at: tuple[int, ...]
    #: where the labels are set (``labelwright.toml:5``), when known
    labels_at: str = ""

    def __str__(self) -> str:
        other = self.labels[self.value]
        lines = some_of([str(n) for n in self.used_at])
        at = f" ({self.labels_at})" if self.labels_at else ""
        name = json.dumps(self.label, ensure_ascii=False)
        return (f"{self.file}:{self.line}: {self.name} = {self.value} is named for the label "
                f"{self.label!r}, but index {self.value} is the label {other!r} in [project] "
                f"labels = {json.dumps(self.labels, ensure_ascii=False)}{at}, so every vote "
                f"given by {self.name} (line{'s' if len(self.used_at) > 1 else ''} {lines}) "
                f"counts for {other!r}; set {self.name} = {name}, the label's name, which "
                "keeps its meaning whatever the labels' order, or reorder [project] labels "
                f"to put {name} at index {self.value}")


def crossed_label_constants(lfs: Iterable[LabelingFunction], labels: Sequence[str],
                            labels_at: str = "") -> list[CrossedConstant]:
    """Every constant of the Python LFs' modules named for one label that holds another
    label's index and is used as a vote (module docstring), by file and line;
    ``labels_at``: where the labels are set (``labelwright.toml:5``), for the message. The
    modules: each LF's own, and the one that made it (a factory's call there,
    ``make_keyword_lf(["lol"], label=HAM)``, gives it its vote)."""
    python = [lf for lf in lfs if lf.kind in ("python", "snorkel")]
    files = sorted({lf.file for lf in python} | {lf.maker for lf in python if lf.maker})
    found = []
    for file in files:
        read = module_constants(file)
        if read is None:
            continue
        tree, constants = read
        for name, (value, line) in constants.items():
            label = named_label(name, labels)
            if label is None or type(value) is not int or not 0 <= value < len(labels) \
                    or labels[value] == label:
                continue
            used = vote_lines(tree, _aliases(tree, name, set(constants)))
            if used:
                found.append(CrossedConstant(file, line, name, value, label, tuple(labels),
                                             tuple(used), labels_at))
    return sorted(found, key=lambda c: (c.file, c.line))


def named_label(name: str, labels: Sequence[str]) -> str | None:
    """The label the constant ``name`` is named for: its name ignoring case, alone or with
    a ``LABEL_`` prefix or ``_LABEL`` suffix, is the label's name with each run of
    characters other than letters and digits written ``_`` (``SPAM``, ``Spam``,
    ``LABEL_SPAM`` and ``SPAM_LABEL`` name "spam"; ``NOT_SPAM`` names "not spam"); None
    when it names none."""
    key = _identifier_form(name)
    for label in labels:
        form = _identifier_form(label)
        if form and key in (form, f"label_{form}", f"{form}_label"):
            return label
    return None


def _identifier_form(text: str) -> str:
    """``text`` as an identifier reads it (Python reads names in NFKC), ignoring case, with
    each run of other characters than letters and digits written ``_``."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"[\W_]+", "_", folded).strip("_")


def _aliases(tree: ast.Module, name: str, constants: set[str]) -> set[str]:
    """``name`` and the module's constants set to it, directly or through each other
    (``DEFAULT = SPAM``): a vote given by one is given by ``name``."""
    assigned = {node.targets[0].id: node.value.id for node in tree.body
                if isinstance(node, ast.Assign) and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name) and node.targets[0].id in constants
                and isinstance(node.value, ast.Name)}
    names = {name}
    while True:
        more = {alias for alias, source in assigned.items() if source in names} - names
        if not more:
            return names
        names |= more


def vote_lines(tree: ast.Module, names: set[str]) -> list[int]:
    """The lines where the module reads one of ``names`` (module-level names) as a vote
    (module docstring); not inside a function that binds the name itself (a parameter or
    a local of the same name is another value)."""
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    lines: set[int] = set()
    todo: list[tuple[ast.AST, frozenset[str]]] = [(tree, frozenset(names))]
    while todo:
        node, meant = todo.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            # its defaults and decorators are read outside it, its body with its own names
            outside = (*node.args.defaults, *node.args.kw_defaults,
                       *getattr(node, "decorator_list", []))
            todo.extend((d, meant) for d in outside if d is not None)
            inside = meant - _own_names(node)
            body: list[ast.AST] = [node.body] if isinstance(node, ast.Lambda) else [*node.body]
            todo.extend((child, inside) for child in body if inside)
            continue
        if isinstance(node, ast.Name) and node.id in meant and isinstance(node.ctx, ast.Load) \
                and _as_vote(node, parents):
            lines.add(node.lineno)
        todo.extend((child, meant) for child in ast.iter_child_nodes(node))
    return sorted(lines)


def _own_names(node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> set[str]:
    """The names a function binds in its own scope: its parameters and its locals."""
    own = _parameters(node.args)
    body: list[ast.AST] = [node.body] if isinstance(node, ast.Lambda) else list(node.body)
    while body:
        child = body.pop()
        own.update(_bound(child))
        if not isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda
                          | ast.ClassDef):
            body.extend(ast.iter_child_nodes(child))
    return own


def _as_vote(node: ast.expr, parents: dict[ast.AST, ast.AST]) -> bool:
    """Whether the value of ``node`` is given on as a vote where it stands: returned,
    passed to a call, a parameter's default, in a dict, list, tuple or set that is not
    compared (``x in (SPAM, HAM)``), also either side of an if-expression."""
    child: ast.AST = node
    parent = parents.get(child)
    while isinstance(parent, ast.IfExp) and child is not parent.test:
        child, parent = parent, parents.get(parent)
    if isinstance(parent, ast.Return | ast.keyword | ast.arguments):
        return True
    if isinstance(parent, ast.Lambda):
        return child is parent.body
    if isinstance(parent, ast.Call):
        return child is not parent.func
    if isinstance(parent, ast.Dict):
        return True
    if isinstance(parent, ast.List | ast.Tuple | ast.Set):
        return not isinstance(parents.get(parent), ast.Compare)
    return False
