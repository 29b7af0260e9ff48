"""The [apply] table of labelwright.toml."""

from __future__ import annotations

from pathlib import Path

import pytest

from labelwright.config import ApplyConfig, parse_config
from labelwright.errors import ConfigError

BASE = {"project": {"labels": ["a", "b"]}, "data": {"path": "items.csv"}}


def _parse(apply: dict) -> ApplyConfig:
    raw = dict(BASE, apply=apply)
    return parse_config(raw, root=Path("/p"), file=Path("/p/labelwright.toml")).apply


def test_defaults_and_values():
    assert parse_config(BASE, root=Path("/p"), file=Path("/p/x.toml")).apply == ApplyConfig()
    cfg = _parse({"engine": "dask", "workers": 3, "chunk_size": 500, "cache": False,
                  "scheduler": "tcp://127.0.0.1:8786"})
    assert cfg == ApplyConfig("dask", 3, 500, False, "tcp://127.0.0.1:8786")


@pytest.mark.parametrize(("apply", "message"), [
    ({"engine": "threads"}, "valid: local, processes, dask"),
    ({"engine": "Dask"}, "engine 'Dask'; did you mean 'dask'\\? valid: local, processes, dask"),
    ({"workers": 0}, "workers must be 1 to 256, got 0"),
    ({"chunk_size": "big"}, "chunk_size must be int"),
    ({"cache": "yes"}, "cache must be bool"),
    ({"engines": "local"}, "unknown key 'engines' in \\[apply\\]; did you mean 'engine'\\? "
                           "valid keys: cache, chunk_size"),
])
def test_bad_values_are_named(apply, message):
    with pytest.raises(ConfigError, match=message):
        _parse(apply)


def test_check_warns_of_more_workers_than_cores(make_project, monkeypatch):
    """`[apply] workers = 64` on a 2-core machine passed `check` without a word."""
    from labelwright import check_project
    from labelwright.project import check

    monkeypatch.setattr(check, "default_workers", lambda: 2)
    root = make_project(extra='\n[apply]\nengine = "processes"\nworkers = 64\n')
    said = [w for w in check_project(root).warnings if "[apply] workers" in w]
    assert len(said) == 1 and "[apply] workers = 64, on a machine where this process may " \
        "use 2 cores" in said[0] and "write workers = 2" in said[0], said
    root = make_project(extra='\n[apply]\nengine = "processes"\nworkers = 2\n',
                        root=root.parent / "fits")
    assert not [w for w in check_project(root).warnings if "[apply] workers" in w]
