"""Importing spaCy without torch when the project does not need it.

spaCy's machine-learning library, thinc, imports torch at its own import whenever torch is
installed (labelwright installs it for snorkel's LabelModel): about 1.3 s of every CLI
command on a 2-core machine, a third of a ``labelwright run`` of the bundled example. Only
models that run in PyTorch need thinc to see torch: a named pipeline (``[nlp] pipeline``,
e.g. a transformer one) or one that LF code loads or builds itself. So the project commands
import spaCy first, with torch hidden from that import, when

* the project's pipeline is blank (the default),
* no LF module under the project's LF folder mentions ``torch``, ``thinc``,
  ``spacy.load`` or ``transformers``, and
* the environment variable ``LABELWRIGHT_KEEP_TORCH`` is unset (or ``0``);

otherwise spaCy gets a plain import. torch itself stays importable either way (snorkel
still works); only thinc records it as not installed.

The Python API does the same (:func:`spacy_for`, through :func:`api_function` for the
top-level ``labelwright.load_project`` and the other functions that take a project's path).
A notebook is one process for many calls, where a command is one project's: once spaCy is
imported with torch hidden, thinc cannot see torch for the rest of the session, so a later
call for a project that may need it warns (:class:`TorchHiddenWarning`). Nothing is hidden
when the user imported spaCy or torch first.

Torch is hidden from the importing thread only (a finder on ``sys.meta_path`` that answers
for that thread alone): another thread of the process that imports torch meanwhile gets it,
and one that asks for a project while the import runs is warned as a later call would be.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import os
import re
import sys
import threading
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from labelwright.errors import LabelwrightError

if TYPE_CHECKING:
    from labelwright.config import ProjectConfig

#: words in LF source that mean it may load or build a PyTorch model through spaCy/thinc
NEEDS_TORCH = re.compile(r"\btorch\b|\bthinc\b|spacy\.load\b|transformers\b")
OPT_OUT = "LABELWRIGHT_KEEP_TORCH"


#: the project folder spaCy was imported for with torch hidden in this process (None: it
#: was not hidden); set before that import starts, so a thread asking meanwhile knows
hidden_for: Path | None = None
#: held while a thread decides to hide torch and claims :data:`hidden_for`
_claim = threading.Lock()


class TorchHiddenWarning(UserWarning):
    """A project that may need torch, in a Python session whose spaCy was imported with
    torch hidden from thinc (:func:`spacy_for`)."""


def import_spacy(project: str | Path) -> bool:
    """Import spaCy for the project at ``project``, hiding torch from thinc when nothing in
    the project needs it (see the module docstring). Returns whether torch was hidden
    (False also when spaCy or torch is already imported or the config cannot be read --
    the command then reports that itself)."""
    global hidden_for
    if _imported() or os.environ.get(OPT_OUT, "0") not in ("", "0"):
        return False
    config = _config(project)
    if config is None or torch_use(config):
        return False
    with _claim:  # one thread hides torch; the others see hidden_for set
        if _imported() or hidden_for is not None:
            return False
        hidden_for = config.root
        hide = _TorchHidden(threading.get_ident())
        sys.meta_path.insert(0, hide)
    try:
        import spacy  # noqa: F401
    except BaseException:
        if "thinc" not in sys.modules:  # nothing saw torch hidden
            hidden_for = None
        raise
    finally:
        sys.meta_path.remove(hide)
    return True


def _imported() -> bool:
    """Whether spaCy or torch is imported already (or being imported), so the user's own
    import stands."""
    return "spacy" in sys.modules or "torch" in sys.modules


class _TorchHidden:
    """A ``sys.meta_path`` finder: ``import torch`` (or a submodule) in the thread
    ``thread`` is a ModuleNotFoundError, as for a missing package; any other thread, and
    any other module, is left to the other finders."""

    def __init__(self, thread: int) -> None:
        self.thread = thread

    def find_spec(self, fullname: str, path: object = None, target: object = None) -> None:
        if (fullname == "torch" or fullname.startswith("torch.")) \
                and threading.get_ident() == self.thread:
            raise ModuleNotFoundError(f"No module named {fullname!r} (hidden from spaCy's "
                                      "import by labelwright.startup)", name=fullname)


def spacy_for(project: str | Path) -> bool:
    """:func:`import_spacy` for the Python API, which may serve several projects in one
    session: when spaCy was imported with torch hidden earlier in this process and the
    project at ``project`` may need torch (:func:`torch_use`), a
    :class:`TorchHiddenWarning` says so and how to start a session that keeps it. Returns
    whether this call hid torch."""
    if import_spacy(project):
        return True
    if hidden_for is None:
        return False
    config = _config(project)
    if config is not None and (use := torch_use(config)):
        warnings.warn(TorchHiddenWarning(
            f"{config.root}: {use}; a PyTorch model needs thinc to see torch, but this "
            f"Python session imported spaCy with torch hidden from thinc, for the project "
            f"{hidden_for} (which needs none: that saves seconds), and thinc cannot see torch "
            f"for the rest of the session. If the pipeline or the LFs fail for want of torch, "
            f"restart the session with {OPT_OUT}=1 set, or `import torch` before the first "
            f"labelwright call"),
            stacklevel=3)
    return False


def torch_use(config: ProjectConfig) -> str:
    """Why the project ``config`` describes may need thinc to see torch: its named
    ``[nlp] pipeline``, or an LF module that mentions ``torch``, ``thinc``, ``spacy.load``
    or ``transformers`` (or cannot be read); "" when nothing does."""
    if config.nlp.pipeline is not None:
        return f"[nlp] pipeline = {config.nlp.pipeline!r} may run on PyTorch"
    module = _lf_module_needing_torch(config.lf_path)
    if module is not None:
        return (f"the LF module {module} may load or build a PyTorch model (it mentions "
                "torch, thinc, spacy.load or transformers, or cannot be read)")
    return ""


def api_function(module: str, name: str, project_arg: str | None) -> Callable[..., Any]:
    """``module.name`` as the top-level ``labelwright.<name>``: ``module``, which imports
    spaCy or pandas, is imported when the function is called, not when it is looked up (``from
    labelwright import load_project`` at a notebook's top imports nothing heavy), and for a
    function whose first argument, ``project_arg``, is a project's path, after
    :func:`spacy_for` that project (None: a function of a loaded project). Its ``target``
    is ``"module.name"``; once called, its ``__wrapped__`` is that function."""

    # read from the module's source, not imported: help() and inspect.signature show the
    # parameters before the first call (the call checks its arguments against them)
    signature, doc = _source_function(module, name)

    def call(*args: Any, **kwargs: Any) -> Any:
        _check_arguments(name, signature, args, kwargs)  # before any import or config
        # run_project(project=...) names a loaded project: its spaCy is imported already
        if project_arg is not None and kwargs.get("project") is None:
            spacy_for(args[0] if args else kwargs.get(project_arg, "."))
        function = getattr(importlib.import_module(module), name)
        call.__wrapped__ = function  # type: ignore[attr-defined]  # help() shows its signature
        call.__dict__.pop("__signature__", None)  # the function's own, defaults as objects
        return function(*args, **kwargs)

    call.__name__ = call.__qualname__ = name
    call.target = f"{module}.{name}"  # type: ignore[attr-defined]
    call.__module__ = "labelwright"
    if signature is not None:
        call.__signature__ = signature  # type: ignore[attr-defined]
    call.__doc__ = (f"{module}.{name}, imported when first called"
                    + (f" and, when spaCy is not imported yet, after importing it as the CLI "
                       f"does for the project ``{project_arg}`` names (torch hidden from "
                       "thinc where the project does not need it: labelwright.startup)"
                       if project_arg else "") + f". See help({module}.{name})."
                    + (f"\n\n{doc}" if doc else ""))
    return call


def _source_signature(module: str, name: str) -> inspect.Signature | None:
    """The signature of the function ``name`` defined in ``module``'s source, read without
    importing the module (which imports spaCy); None when the source or the function
    cannot be found there (the call then checks its arguments itself)."""
    return _source_function(module, name)[0]


def _source_function(module: str, name: str) -> tuple[inspect.Signature | None, str | None]:
    """:func:`_source_signature`, and the function's docstring (None when it has none)."""
    # the file found from this package's folder: importlib's find_spec would import the
    # module's parent packages, and labelwright.end_model's imports spaCy (and torch)
    top, *inner = module.split(".")
    if top != __name__.split(".")[0] or not inner:
        return None, None
    folder = Path(__file__).parent.joinpath(*inner)
    try:
        source = (folder.with_suffix(".py") if folder.with_suffix(".py").is_file()
                  else folder / "__init__.py").read_text(encoding="utf-8")
        tree = ast.parse(source)
    except (OSError, SyntaxError, ValueError):
        return None, None
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == name:
            return _signature(node), ast.get_docstring(node)
    return None, None


class _Source:
    """A default or annotation as its source writes it: shown by ``help()`` and
    ``inspect.signature`` as written (``path: str | Path = '.'``), never evaluated."""

    def __init__(self, node: ast.expr) -> None:
        self.text = ast.unparse(node)

    def __repr__(self) -> str:
        return self.text


def _signature(function: ast.FunctionDef) -> inspect.Signature:
    """The parameters ``function`` lists, each default and annotation as written
    (:class:`_Source`)."""
    kind = inspect.Parameter
    args = function.args

    def annotation(a: ast.arg) -> Any:
        return kind.empty if a.annotation is None else _Source(a.annotation)

    positional = [*args.posonlyargs, *args.args]
    defaults = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
    params = [kind(a.arg, kind.POSITIONAL_ONLY if i < len(args.posonlyargs)
                   else kind.POSITIONAL_OR_KEYWORD,
                   default=kind.empty if d is None else _Source(d), annotation=annotation(a))
              for i, (a, d) in enumerate(zip(positional, defaults))]
    if args.vararg is not None:
        params.append(kind(args.vararg.arg, kind.VAR_POSITIONAL,
                           annotation=annotation(args.vararg)))
    params += [kind(a.arg, kind.KEYWORD_ONLY,
                    default=kind.empty if d is None else _Source(d), annotation=annotation(a))
               for a, d in zip(args.kwonlyargs, args.kw_defaults)]
    if args.kwarg is not None:
        params.append(kind(args.kwarg.arg, kind.VAR_KEYWORD, annotation=annotation(args.kwarg)))
    return inspect.Signature(params, return_annotation=kind.empty if function.returns is None
                             else _Source(function.returns))


def _check_arguments(name: str, signature: inspect.Signature | None, args: tuple[Any, ...],
                     kwargs: dict[str, Any]) -> None:
    """The TypeError the call ``name(*args, **kwargs)`` would raise, naming the valid
    keywords: raised before the stand-in imports anything or reads a project (a mistyped
    keyword read the project in the current folder first)."""
    if signature is None:
        return
    try:
        signature.bind(*args, **kwargs)
    except TypeError as exc:
        keywords = [p.name for p in signature.parameters.values()
                    if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]
        raise TypeError(f"{name}() {exc}; valid keywords: "
                        f"{', '.join(keywords) or 'none'}") from None


def _config(project: str | Path) -> ProjectConfig | None:
    """The project's config; None when it cannot be read (what reads it next says why)."""
    try:
        from labelwright.config import load_config

        return load_config(project)
    except (LabelwrightError, OSError, ValueError):
        return None


def _lf_module_needing_torch(folder: Path) -> Path | None:
    for path in sorted(folder.rglob("*.py")) if folder.is_dir() else []:
        try:
            if NEEDS_TORCH.search(path.read_text(encoding="utf-8", errors="replace")):
                return path
        except OSError:
            return path  # unreadable: the LF loader reports it; do not guess
    return None
