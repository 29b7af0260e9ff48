"""Which ``[nlp] lang`` values spaCy has a language for, read without importing spaCy: the
config check names a wrong one with the other config errors, in one go, and every command
loads the config (``check`` and ``report`` on a project with a named pipeline import no
spaCy at all)."""

from __future__ import annotations

import importlib.util
import re
from functools import lru_cache
from importlib.metadata import entry_points
from pathlib import Path

#: language names (English and their own) and three-letter codes as users write them for
#: ``[nlp] lang``
_LANGUAGE_NAMES = {
    "english": "en", "german": "de", "deutsch": "de", "french": "fr", "français": "fr",
    "francais": "fr", "spanish": "es", "español": "es", "espanol": "es", "castellano": "es",
    "italian": "it", "italiano": "it", "dutch": "nl", "nederlands": "nl",
    "portuguese": "pt", "português": "pt", "portugues": "pt", "polish": "pl", "polski": "pl",
    "swedish": "sv", "svenska": "sv", "danish": "da", "dansk": "da", "norwegian": "nb",
    "norsk": "nb", "no": "nb", "finnish": "fi", "suomi": "fi", "russian": "ru",
    "ukrainian": "uk", "czech": "cs", "greek": "el", "turkish": "tr", "romanian": "ro",
    "hungarian": "hu", "croatian": "hr", "catalan": "ca", "català": "ca", "basque": "eu",
    "euskara": "eu", "luxembourgish": "lb", "irish": "ga", "lithuanian": "lt",
    "indonesian": "id", "chinese": "zh", "japanese": "ja", "korean": "ko", "arabic": "ar",
    "hindi": "hi", "bengali": "bn", "persian": "fa", "farsi": "fa",
    # ISO 639-2/3 three-letter codes, as other tools and data sets write them ("spa")
    "eng": "en", "deu": "de", "ger": "de", "fra": "fr", "fre": "fr", "spa": "es",
    "ita": "it", "nld": "nl", "dut": "nl", "por": "pt", "pol": "pl", "swe": "sv",
    "dan": "da", "nob": "nb", "nor": "nb", "fin": "fi", "rus": "ru", "ukr": "uk",
    "ces": "cs", "cze": "cs", "ell": "el", "gre": "el", "tur": "tr", "ron": "ro",
    "rum": "ro", "hun": "hu", "hrv": "hr", "cat": "ca", "eus": "eu", "baq": "eu",
    "ltz": "lb", "gle": "ga", "lit": "lt", "ind": "id", "zho": "zh", "chi": "zh",
    "jpn": "ja", "kor": "ko", "ara": "ar", "hin": "hi", "ben": "bn", "fas": "fa",
    "per": "fa",
}


@lru_cache(maxsize=1)
def spacy_languages() -> tuple[str, ...] | None:
    """The language codes ``spacy.blank`` takes: the installed spaCy's ``spacy/lang``
    packages and any a plugin registers (``spacy_languages`` entry points); None when spaCy
    is not installed (loading the pipeline then says so)."""
    spec = importlib.util.find_spec("spacy")  # a top-level spec: spaCy is not imported
    if spec is None or not spec.submodule_search_locations:
        return None
    codes = {folder.name for location in spec.submodule_search_locations
             for folder in _subfolders(Path(location) / "lang")
             if (folder / "__init__.py").is_file()}
    codes.update(point.name for point in entry_points(group="spacy_languages"))
    return tuple(sorted(codes))


def _subfolders(folder: Path) -> list[Path]:
    return [path for path in folder.iterdir() if path.is_dir()] if folder.is_dir() else []


def is_spacy_language(code: str) -> bool:
    """Whether ``spacy.blank(code)`` finds a language (True when spaCy is not installed:
    it is not the setting that is wrong then)."""
    having = spacy_languages()
    return having is None or code in having


def meant_language(lang: str) -> str | None:
    """The spaCy language code ``lang`` most likely means, when it is not one itself:
    " de", "DE", "de-DE", "de_DE", "german", "Deutsch" and "deu" (ISO 639-2/3) mean "de";
    None if none fits."""
    text = lang.strip().lower()
    code = _LANGUAGE_NAMES.get(text) or re.split(r"[-_\s.]", text)[0]
    return code if code != lang and code in (spacy_languages() or ()) else None


def unknown_language(lang: str) -> str:
    """The message for a ``[nlp] lang`` spaCy has no language for, with the code meant and
    the codes there are."""
    meant = meant_language(lang)
    having = spacy_languages() or ("en", "de", "fr", "es", "nl", "pt", "it")
    return (f"[nlp] lang {lang!r} is not a language spaCy knows ("
            + (f"did you mean {meant!r}? " if meant else "")
            + f"valid: {', '.join(having)})")
