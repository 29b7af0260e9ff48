"""Benchmarks as library code: functions that return records (the CLI and scripts print)."""

from labelwright.bench.wrench import BENCH_MODELS, BenchRecord, evaluate, run_wrench
from labelwright.bench.wrench_folders import (
    WrenchDataset,
    WrenchFormatError,
    load_datasets,
    load_wrench,
)

__all__ = [
    "BENCH_MODELS",
    "BenchRecord",
    "WrenchDataset",
    "WrenchFormatError",
    "evaluate",
    "load_datasets",
    "load_wrench",
    "run_wrench",
]
