"""What an LF module's failed import is told: the file and line that raised, a helper beside
it that raised, and what to do for the failures rule writers meet (a relative import, a
file path relative to the wrong folder, snorkel's spaCy pipeline not installed). The same
words for a relative import that fails while an LF runs (:func:`relative_import_failure`).
"""

from __future__ import annotations

import inspect
import linecache
import os
import re
import traceback
from pathlib import Path

from labelwright.errors import LFError
from labelwright.lfs.failure_text import relative_path_hint
from labelwright.lfs.folder_imports import LF_PACKAGE

#: the name an LF module runs under (see :class:`~labelwright.lfs.lf_modules.LFModules`);
#: messages show its file's stem
_INTERNAL_NAME = re.compile(rf"{LF_PACKAGE}\.(\w+?)_[0-9a-f]{{8}}\b")
#: a relative import statement: the module (None for ``from . import x``) and the names
_RELATIVE = re.compile(r"from\s+\.+\s*([\w.]*)\s+import\s+(.+)$")


class ImportFailed(LFError):
    """An LF module's failed import, as :func:`import_failure` words it (a module that
    imports the failed one adds where it did); ``module``: the file that failed."""

    def __init__(self, message: str, module: str | Path) -> None:
        super().__init__(message)
        self.module = os.path.realpath(module)


def import_failure(path: Path, exc: BaseException) -> LFError | None:
    """The :class:`LFError`, naming the file and line, that an LF module's failed import
    raises (``sys.exit()`` at import is a failed import too); None for what is no failure
    of the module (KeyboardInterrupt), which goes on as it is. Called while handling."""
    if isinstance(exc, SyntaxError):
        return ImportFailed(f"{exc.filename or path}:{exc.lineno}: syntax error: {exc.msg}"
                            f"{syntax_error_line(exc)}", exc.filename or path)
    if not isinstance(exc, Exception | SystemExit):
        return None
    real, folder = os.path.realpath(path), os.path.dirname(os.path.realpath(path))
    # Python's own frames ("<frozen importlib._bootstrap>") are no file: realpath would
    # make them one of the current folder
    trace = [(os.path.realpath(f.filename), f.lineno) for f in inspect.trace()
             if not f.filename.startswith("<")]
    lines = [n for file, n in trace if file == real]
    line = f":{lines[-1]}" if lines else ""
    if isinstance(exc, ImportFailed):  # an LF module this one imports failed; it says how
        return ImportFailed(f"{exc}\n  (imported by {path}{line})", exc.module)
    if isinstance(exc, LFError):  # labelwright's own check at import (decorator arguments)
        return ImportFailed(str(exc) if str(path) in str(exc) else f"{path}{line}: {exc}",
                             path)
    # raised in a helper module beside it (``_words.py``): say where
    helpers = [f"{file}:{n}" for file, n in trace
               if file != real and os.path.dirname(file) == folder]
    where = f" (raised at {helpers[-1]})" if helpers else ""
    message = _INTERNAL_NAME.sub(r"\1", str(exc))
    if _is_relative_import(exc):
        return ImportFailed(f"{path}{line}: {_relative_import(path, lines[-1:])}", path)
    hint = relative_path_hint(exc.filename, path) if isinstance(exc, FileNotFoundError) else ""
    hint = hint or snorkel_pipeline_hint(exc)
    if hint:  # spaCy's message ends with a full stop
        message = message.rstrip(".")
    return ImportFailed(f"{path}{line}: importing the module failed: {type(exc).__name__}: "
                         f"{message}{where}{hint}", path)


def syntax_error_line(exc: SyntaxError) -> str:
    """The line a syntax error is on and a caret under where Python stopped, each on a line
    of its own ("\\n    if x in item.text\\n                     ^"), as Python shows them: a
    file and line number alone send a rule writer to the editor to find what is wrong; ""
    when Python kept no line."""
    text = (exc.text or "").split("\n")[0].rstrip()
    if not text.strip():
        return ""
    indent = len(text) - len(text.lstrip())
    start = max((exc.offset or 1) - 1 - indent, 0)
    end = exc.end_offset if exc.end_lineno == exc.lineno and exc.end_offset else 0
    width = max(end - (exc.offset or 1), 1)
    body = text.lstrip().replace("\t", " ")
    return f"\n    {body}\n    {' ' * min(start, len(body))}{'^' * width}"


def snorkel_pipeline_hint(exc: BaseException) -> str:
    """What to do when snorkel's ``nlp_labeling_function``, or a ``SpacyPreprocessor`` made
    in the module, could not load its spaCy pipeline (``exc``, being handled, spaCy's
    E050): it loads ``en_core_web_sm`` unless given ``language=``, and that pipeline is a
    download; "" for any other error."""
    if not isinstance(exc, OSError) or "[E050]" not in str(exc):
        return ""
    files = {Path(record.filename).parts[-4:] for record in inspect.trace()}
    for record in reversed(inspect.trace()):
        if Path(record.filename).parts[-3:] == ("snorkel", "preprocess", "nlp.py"):
            language = record.frame.f_locals.get("language")
            break
    else:
        return ""
    maker, example = (
        ("nlp_labeling_function", "@nlp_labeling_function(language='blank:en')")
        if ("snorkel", "labeling", "lf", "nlp.py") in files else
        ("SpacyPreprocessor",
         "SpacyPreprocessor(text_field=..., doc_field=..., language='blank:en')"))
    default = " (snorkel's default when language= is not given)" \
        if language == "en_core_web_sm" else ""
    return (f"; snorkel's {maker} loads the spaCy pipeline {language!r}"
            f"{default}, which is not installed: pass language= an installed pipeline's "
            "name or folder, or 'blank:en' for spacy.blank('en') (no download; tokens and "
            f"their lexical attributes only: no entities, tags or parse), e.g. {example}; "
            f"or install it (python -m spacy download {language})")


def relative_import_failure(exc: BaseException) -> str | None:
    """What a relative import that failed while an LF ran (``from .helpers import f`` in
    its body) is told, as one at an LF module's top is: the file's name and the line of
    the import (the traceback and the ``at`` of the lines that tell a failure give its
    path) and the import to write, not the package LF modules run in; None for any other
    error."""
    if not _is_relative_import(exc):
        return None
    # Python's own frames ("<frozen importlib._bootstrap>") are no file
    frames = [f for f in traceback.extract_tb(exc.__traceback__)
              if not f.filename.startswith("<") and f.lineno is not None]
    if not frames:
        return None
    file, line = frames[-1].filename, frames[-1].lineno
    return f"{Path(file).name}:{line}: {_relative_import(Path(file), [line] if line else [])}"


def _is_relative_import(exc: BaseException) -> bool:
    """Whether ``exc`` is a relative import's failure in an LF module: the package LF
    modules run in (:data:`LF_PACKAGE`) is no module to import from (a circular
    import's error names a module in it: that is no relative import's)."""
    return isinstance(exc, ImportError) and (
        exc.name == LF_PACKAGE  # from .reviews import ..., from . import reviews
        or str(exc).startswith("attempted relative import"))


def _relative_import(path: Path, lines: list[int]) -> str:
    """What a relative import in an LF module (``from .reviews import star_rating``) is
    told: LF modules import each other by name, and the line as it would be so."""
    source = linecache.getline(str(path), lines[0]).strip() if lines else ""
    found = _RELATIVE.match(source)
    names = found.group(2).strip() if found else ""
    if names.count("(") > names.count(")"):  # names over several lines
        names = "..."
    if found is None:
        written = "e.g. from reviews import star_rating, not from .reviews import ..."
    elif found.group(1):
        written = f"here: from {found.group(1)} import {names}"
    else:
        written = f"here: import {names}"
    return ("a relative import does not work in an LF module (LF modules are not a "
            f"package): import another module of the folder by its name ({written})")

