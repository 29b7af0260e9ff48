"""Shared fixtures: the default spaCy pipeline and a factory for small projects on disk."""

from __future__ import annotations

import csv
import textwrap
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

import pytest

from labelwright.config import NLPConfig
from labelwright.nlp import load_pipeline
from ticket_data import TICKET_LFS, TICKETS

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def nlp():
    """The default pipeline: spacy.blank("en") + lookup lemmatizer + case folding."""
    return load_pipeline(NLPConfig())


@pytest.fixture(scope="session")
def arabic():
    """spaCy's blank Arabic pipeline, without lemmas (spacy-lookups-data has no Arabic table),
    as a project with ``[nlp] lang = "ar"`` and ``lemmatizer = false`` builds it."""
    return load_pipeline(NLPConfig(lang="ar", lemmatizer=False))


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


def write_csv(path: Path, rows: Iterable[Mapping[str, object]]) -> Path:
    rows = list(rows)
    columns: list[str] = []
    for row in rows:
        columns += [c for c in row if c not in columns]
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    return path



def project_toml(labels: Iterable[str], *, data: str = "data/items.csv", gold: str | None = "gold",
                 model: str = "majority", extra: str = "") -> str:
    label_list = ", ".join(f'"{label}"' for label in labels)
    gold_line = f'gold_column = "{gold}"\n' if gold else ""
    return (
        f'[project]\nname = "test"\nlabels = [{label_list}]\nseed = 0\n\n'
        f'[data]\npath = "{data}"\n{gold_line}\n'
        f'[label_model]\nname = "{model}"\ntie_break = "first"\n\n'
        f"[triage]\nthreshold = 0.7\naudit_size = 1\n{extra}"
    )


@pytest.fixture
def make_project(tmp_path: Path) -> Callable[..., Path]:
    """Write a project folder: config, data/items.csv, LF modules and glossaries."""

    def make(
        *,
        labels: Iterable[str] = ("billing", "technical"),
        rows: Iterable[Mapping[str, object]] = TICKETS,
        lfs: Mapping[str, str] | None = None,
        glossaries: Mapping[str, str] | None = None,
        gold: str | None = "gold",
        model: str = "majority",
        extra: str = "",
        root: Path | None = None,
    ) -> Path:
        root = root or tmp_path / "project"
        root.mkdir(parents=True, exist_ok=True)
        (root / "labelwright.toml").write_text(
            project_toml(labels, gold=gold, model=model, extra=extra), encoding="utf-8")
        write_csv(root / "data" / "items.csv", rows)
        (root / "labeling_functions").mkdir(exist_ok=True)
        for name, source in (lfs if lfs is not None else {"tickets": TICKET_LFS}).items():
            (root / "labeling_functions" / f"{name}.py").write_text(
                textwrap.dedent(source), encoding="utf-8")
        (root / "glossaries").mkdir(exist_ok=True)
        for name, text in (glossaries or {}).items():
            (root / "glossaries" / f"{name}.yaml").write_text(text, encoding="utf-8")
        return root

    return make


@pytest.fixture
def cli(monkeypatch, capsys):
    """Run ``labelwright ARGS`` in-process through the real entry point; (exit code, output
    with whitespace runs squashed)."""
    import importlib
    import sys

    modules = [importlib.import_module(f"labelwright.cli.{name}")  # the modules, not the apps
               for name in ("entry", "app", "runs", "review", "explain", "runs_verify",
                            "runs_diff", "training_export")]
    for module in modules:
        for console in (getattr(module, "console", None), getattr(module, "err", None)):
            if console is not None:  # the private field: the property would stay set after
                monkeypatch.setattr(console, "_width", 10_000)

    def invoke(*args: str) -> tuple[int, str]:
        monkeypatch.setattr(sys, "argv", ["labelwright", *args])
        code = modules[0].run_app()
        captured = capsys.readouterr()
        return code, " ".join((captured.out + captured.err).split())

    return invoke


@pytest.fixture(scope="session")
def dask_scheduler():
    """The address of a LocalCluster of two single-threaded worker processes, shared by
    every test that needs one (starting one costs seconds)."""
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=":0") as cluster:
        yield cluster.scheduler_address
