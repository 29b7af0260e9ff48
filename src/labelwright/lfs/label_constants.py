"""Module constants named for one label that hold another label's index: ``HAM = 0`` and
``SPAM = 1``, as snorkel's tutorials write votes, in a project whose ``labels = ["spam",
"ham"]``. Each vote given by such a constant is an index, so it is taken as a vote for the
label at that index, the other one; nothing in the run can tell, and only gold labels (or
a run under the other order) would show every such item labelled the other way. So
``check`` and ``run`` refuse it (:func:`crossed_label_constants`).

Which constants: a name the module binds once, to an int (as
:func:`~labelwright.lfs.lf_code.module_constants` reads them: ``SPAM = 1``), that names a
label (:func:`named_label`) and holds the index of another one, and that the module uses as
a vote (:func:`vote_lines`): returned by a function, a parameter's default, a keyword
argument (``label=HAM``), an argument of a call whose value is itself given on so or
assigned (``kw_lol = keyword("lol", HAM)``, a factory's), a key or value of a dict, or an
element of a list, tuple or set (each also either side of ``a if cond else b``, and through
another constant set to it, ``DEFAULT = SPAM``).

An argument of a call whose value is dropped or only tested (``votes.append(HAM)``,
``if matches(item, HAM):``) may be a vote or not: ``check`` warns of it, the run does not
stop. Not read as votes at all: a constant only compared, counted with or indexed by
(``len(words) < SHORT``, ``NAMES[HAM]``); a key of a dict whose value is a string, a map of
indices to names (``NAMES = {HAM: "ham"}``); what is printed or logged
(``print("ham is", HAM)``). Names that name no label (``MAX_LEN = 1``) are left alone.
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
from labelwright.lfs.lf_code import constant_aliases, module_constants, own_names

#: the methods that log their arguments (``log.info``, ``logging.warning``,
#: ``warnings.warn``): what they are given, as what ``print`` is, is shown, not voted
LOGGED_BY = frozenset({"debug", "info", "warning", "warn", "error", "exception", "critical",
                       "log"})
#: how a constant is used where it stands (:func:`vote_lines`): given as a vote (refused),
#: passed to a call that may take it as one (warned of)
VOTE, PASSED = "vote", "passed"


@dataclass(frozen=True)
class CrossedConstant:
    """A constant named for ``label`` at ``file:line`` whose ``value`` is the index of
    another label of ``labels``; ``used_at``: the lines using it as a vote (an error),
    ``passed_at``: the lines passing it to a call that may take it as one (a warning)."""

    file: str
    line: int
    name: str
    value: int
    label: str
    labels: tuple[str, ...]
    used_at: tuple[int, ...]
    #: where the labels are set (``labelwright.toml:5``), when known
    labels_at: str = ""
    passed_at: tuple[int, ...] = ()

    @property
    def refused(self) -> bool:
        """Whether the module gives it as a vote: ``check``'s error, the run's refusal;
        else it is only passed to calls, and ``check`` warns."""
        return bool(self.used_at)

    def __str__(self) -> str:
        other = self.labels[self.value]
        at = f" ({self.labels_at})" if self.labels_at else ""
        name = json.dumps(self.label, ensure_ascii=False)
        if self.refused:
            lines = some_of([str(n) for n in self.used_at])
            said = (f"so every vote given by {self.name} "
                    f"(line{'s' if len(self.used_at) > 1 else ''} {lines}) counts for {other!r}")
        else:
            lines = some_of([str(n) for n in self.passed_at])
            said = (f"so where a call it is passed to (line"
                    f"{'s' if len(self.passed_at) > 1 else ''} {lines}) takes it as a vote, "
                    f"the vote counts for {other!r}")
        return (f"{self.file}:{self.line}: {self.name} = {self.value} is named for the label "
                f"{self.label!r}, but index {self.value} is the label {other!r} in [project] "
                f"labels = {json.dumps(self.labels, ensure_ascii=False)}{at}, {said}; set "
                f"{self.name} = {name}, the label's name, which keeps its meaning whatever the "
                f"labels' order, or reorder [project] labels to put {name} at index "
                f"{self.value}")


def crossed_label_constants(lfs: Iterable[LabelingFunction], labels: Sequence[str],
                            labels_at: str = "") -> list[CrossedConstant]:
    """Every constant of the Python LFs' modules named for one label that holds another
    label's index and is used as a vote or passed to a call (module docstring; see
    :attr:`CrossedConstant.refused`), by file and line;
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
            used, passed = vote_lines(tree, constant_aliases(file, name))
            if used or passed:
                found.append(CrossedConstant(file, line, name, value, label, tuple(labels),
                                             tuple(used), labels_at, tuple(passed)))
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


def vote_lines(tree: ast.Module, names: set[str]) -> tuple[list[int], list[int]]:
    """The lines where the module reads one of ``names`` (module-level names) as a vote,
    and those where it only passes one to a call that may take it as a vote (module
    docstring); not inside a function that binds the name itself (a parameter or a local of
    the same name is another value)."""
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    lines: dict[str, set[int]] = {VOTE: set(), PASSED: set()}
    todo: list[tuple[ast.AST, frozenset[str]]] = [(tree, frozenset(names))]
    while todo:
        node, meant = todo.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            # its defaults and decorators are read outside it, its body with its own names
            outside = (*node.args.defaults, *node.args.kw_defaults,
                       *getattr(node, "decorator_list", []))
            todo.extend((d, meant) for d in outside if d is not None)
            inside = meant - own_names(node)
            body: list[ast.AST] = [node.body] if isinstance(node, ast.Lambda) else [*node.body]
            todo.extend((child, inside) for child in body if inside)
            continue
        if isinstance(node, ast.Name) and node.id in meant and isinstance(node.ctx, ast.Load):
            use = _use(node, parents)
            if use is not None:
                lines[use].add(node.lineno)
        todo.extend((child, meant) for child in ast.iter_child_nodes(node))
    return sorted(lines[VOTE]), sorted(lines[PASSED] - lines[VOTE])


def _use(node: ast.expr, parents: dict[ast.AST, ast.AST]) -> str | None:
    """:data:`VOTE` when the value of ``node`` is given on as a vote where it stands,
    :data:`PASSED` when it is passed to a call that may or may not take it as one, None when
    it gives no vote (module docstring)."""
    if _shown(node, parents):
        return None
    child: ast.AST = node
    parent = parents.get(child)
    while isinstance(parent, ast.IfExp) and child is not parent.test:
        child, parent = parent, parents.get(parent)
    if isinstance(parent, ast.Return | ast.keyword | ast.arguments):
        return VOTE
    if isinstance(parent, ast.Lambda):
        return VOTE if child is parent.body else None
    if isinstance(parent, ast.Call):
        return None if child is parent.func else _call_use(parent, parents)
    if isinstance(parent, ast.Dict):
        return None if _names_a_string(child, parent) else VOTE
    if isinstance(parent, ast.List | ast.Tuple | ast.Set):
        return None if isinstance(parents.get(parent), ast.Compare) else VOTE
    return None


def _call_use(call: ast.Call, parents: dict[ast.AST, ast.AST]) -> str:
    """What a positional argument of ``call`` is: a vote when the call's value is given on
    as one or assigned (``kw_lol = keyword("lol", HAM)``: a factory's LF), else passed."""
    if isinstance(parents.get(call), ast.Assign | ast.AnnAssign | ast.NamedExpr):
        return VOTE
    return VOTE if _use(call, parents) == VOTE else PASSED


def _shown(node: ast.expr, parents: dict[ast.AST, ast.AST]) -> bool:
    """Whether ``node`` is (in) an argument of a call that prints or logs it (``print``, a
    method of :data:`LOGGED_BY`): ``print("ham is", HAM)``, ``log.info("%s", f"{HAM}")``."""
    child: ast.AST = node
    parent = parents.get(child)
    while isinstance(parent, ast.expr | ast.keyword):
        if isinstance(parent, ast.Call) and child is not parent.func and (
                isinstance(parent.func, ast.Name) and parent.func.id == "print"
                or isinstance(parent.func, ast.Attribute) and parent.func.attr in LOGGED_BY):
            return True
        child, parent = parent, parents.get(parent)
    return False


def _names_a_string(child: ast.AST, mapping: ast.Dict) -> bool:
    """Whether ``child`` is a key of ``mapping`` whose value is a string: a map of indices
    to names (``NAMES = {HAM: "ham"}``) reads the index, it gives no vote."""
    for key, value in zip(mapping.keys, mapping.values, strict=True):
        if key is child:
            return isinstance(value, ast.Constant) and isinstance(value.value, str)
    return False
