"""Dask workers compare the modules from outside the LF folder that the LFs import.

A helper the LF module imports from elsewhere on the Python path (``from nbhelper import
WORDS``) was compared nowhere: a worker with another version of it on its path, or one
that imported it before the file was edited (a worker process keeps it, whatever
``importlib.reload`` and ``load_project`` do on the client), voted with other code in
silence, and a run with ``cache="refresh"`` stored those votes for every later run.
"""

from __future__ import annotations

import contextlib
import importlib
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from labelwright.data.dataset import read_dataset
from labelwright.errors import ConfigError
from labelwright.project import load_project

distributed = pytest.importorskip("distributed")

WORKER = r"the Dask worker tcp://[\d.]+:\d+ \(host [^)]+\)"

HELPED = '''
from labelwright import ABSTAIN, labeling_function
from {helper} import WORD


@labeling_function()
def says_word(item):
    return "billing" if WORD in item.text.lower() else ABSTAIN
'''


def on_workers_path(client, folder: Path, add: bool = True) -> None:
    """``folder`` put first on (or taken off) the Python path of every worker."""
    code = (f"import sys; sys.path.insert(0, {str(folder)!r})" if add else
            f"import sys; {str(folder)!r} in sys.path and sys.path.remove({str(folder)!r})")
    client.run(exec, code, {})


@contextlib.contextmanager
def on_path(client_folder: Path, worker_folder: Path, scheduler: str) -> Iterator[object]:
    """``client_folder`` first on this process's Python path and ``worker_folder`` on the
    workers' (a helper where each finds it), for the block; the Dask client it used to
    reach the workers (closed after: it would be the session's default client)."""
    sys.path.insert(0, str(client_folder))
    with distributed.Client(scheduler) as client:
        on_workers_path(client, worker_folder)
        try:
            yield client
        finally:
            on_workers_path(client, worker_folder, add=False)
            sys.path.remove(str(client_folder))


def _helper(tmp_path: Path, folder: str, word: str) -> tuple[str, Path]:
    """A module no process imported yet (named after the test), holding ``WORD``."""
    name = f"_outside_{re.sub(r'[^0-9a-zA-Z]', '_', tmp_path.name)}"
    (tmp_path / folder).mkdir(exist_ok=True)
    file = tmp_path / folder / f"{name}.py"
    file.write_text(f"WORD = {word!r}\n")
    return name, file


def _votes(loaded, dataset, **options):
    return loaded.applier(cache=False, **options).apply(dataset).matrix.column("says_word")


def test_a_worker_holding_a_helper_imported_before_its_edit_is_an_error(
        make_project, tmp_path, dask_scheduler):
    """The README's fix for an edited helper (reload it, load the project again) reaches
    the client only: the workers kept the old module and their votes were stored."""
    name, file = _helper(tmp_path, "ext", "refund")
    root = make_project(lfs={"rules": HELPED.format(helper=name)})
    with on_path(file.parent, file.parent, dask_scheduler) as client:
        loaded = load_project(root)
        dataset = read_dataset(loaded.config.data, loaded.labels)
        same = _votes(loaded, dataset, engine="dask", scheduler=dask_scheduler)
        assert np.array_equal(same, _votes(loaded, dataset, engine="local"))
        assert (same >= 0).any()
        # every worker holds it now, as one that ran an apply before (whose project load
        # remembered the code it imported: one labelwright first sees after the edit cannot
        # be told from one imported as it is)
        client.run(exec, f"import {name}, sys\nfrom labelwright.lfs.loaded_modules import "
                   f"remember\nremember(sys.modules[{name!r}])", {})
        file.write_text('WORD = "crashes"  # edited\n')
        importlib.reload(sys.modules[name])
        loaded = load_project(root)
        with pytest.raises(ConfigError, match=WORKER + r" runs other code than the client "
                           r"for modules from outside the LF folder that the LFs import: "
                           rf"{name} \({re.escape(str(file))}\) holds the code this worker "
                           r"imported before its file changed .*restart the workers "
                           r"\(client\.restart\(\)"):
            _votes(loaded, dataset, engine="dask", scheduler=dask_scheduler)


def test_a_worker_with_another_version_of_a_helper_on_its_path_is_an_error(
        make_project, tmp_path, dask_scheduler):
    name, file = _helper(tmp_path, "ext", "refund")
    _, other = _helper(tmp_path, "ext2", "charged")
    root = make_project(lfs={"rules": HELPED.format(helper=name)})
    with on_path(file.parent, other.parent, dask_scheduler):
        loaded = load_project(root)
        dataset = read_dataset(loaded.config.data, loaded.labels)
        with pytest.raises(ConfigError, match=WORKER + r" runs other code than the client "
                           rf".*: {name} \({re.escape(str(other))} here, "
                           rf"{re.escape(str(file))} on the client\) holds other code than "
                           r"the client's \(sha256 [0-9a-f]{12} here, [0-9a-f]{12} on the "
                           r"client\); .*the same files"):
            _votes(loaded, dataset, engine="dask", scheduler=dask_scheduler)
