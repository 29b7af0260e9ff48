"""What an LF's code reads is remembered per function, not past the function's life."""

import gc
import weakref

from labelwright.lfs.code_reads import attributes_read, methods_called

SOURCE = '''\
def _helper(doc):
    return [t.lemma_ for t in doc]


def reads(item):
    if item.doc.has_annotation("DEP"):
        return _helper(item.doc)
    return [t.pos_ for t in item.doc]
'''


def _module_function(tmp_path, name):
    """A function of a module written to disk and executed, as an LF file is loaded."""
    path = tmp_path / f"{name}.py"
    path.write_text(SOURCE, encoding="utf-8")
    namespace = {"__name__": name}
    exec(compile(SOURCE, str(path), "exec"), namespace)
    return namespace["reads"]


def test_code_reads_finds_attributes_and_methods_of_the_lf_and_its_helpers(tmp_path):
    func = _module_function(tmp_path, "reads_mod")
    assert attributes_read(func, {"lemma_", "pos_", "dep_"}) == {"lemma_", "pos_"}
    assert methods_called(func, {"has_annotation", "similarity"}) == {"has_annotation"}
    # asked again (the memo), the same answer
    assert attributes_read(func, {"lemma_"}) == {"lemma_"}


def test_a_reloaded_lf_function_is_not_kept_alive_by_the_code_reads_memo(tmp_path):
    func = _module_function(tmp_path, "reloaded_mod")
    assert attributes_read(func, {"pos_"}) == {"pos_"}
    gone = weakref.ref(func)
    del func
    gc.collect()
    assert gone() is None


def test_a_callable_that_cannot_be_weakly_referenced_is_still_read(tmp_path):
    class NoWeakref:
        __slots__ = ()

        def __call__(self, item):
            return item.doc.ents

    assert attributes_read(NoWeakref(), {"ents"}) == {"ents"}
