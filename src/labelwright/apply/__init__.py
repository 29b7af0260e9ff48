"""Apply labeling functions to items, chunk by chunk, into a label matrix.

Items reach LFs without per-row pandas overhead; when some LF or glossary needs a Doc,
texts are parsed once per item through ``nlp.pipe`` in batches and every LF shares that
Doc. Chunks run on an engine (``local``, ``processes`` or ``dask``) that gives the same
label matrix on all of them; a vote cache lets a re-run compute only the LF columns and
rows that changed; files larger than memory stream through :func:`apply_file` (or, a
DataFrame at a time, :func:`iter_frames`).
An LF that raises is counted (with the first item ids and the first traceback) and the
run goes on, unless ``fail_fast`` is set.
"""

from labelwright.apply.applier import Applier
from labelwright.apply.apply_result import ApplyResult
from labelwright.apply.chunks import Chunk
from labelwright.apply.core import ChunkRunner
from labelwright.apply.engines import ENGINES, default_workers, resolve_engine
from labelwright.apply.file_blocks import iter_frames
from labelwright.apply.lf_failures import LFFailures
from labelwright.apply.stream import apply_file

__all__ = ["ENGINES", "Applier", "ApplyResult", "Chunk", "ChunkRunner", "LFFailures",
           "apply_file", "default_workers", "iter_frames", "resolve_engine"]
