"""The exception of a value with no digest: raised by
:class:`~labelwright.lfs.value_digest.Digester` and by the digests of functions and classes
it reads (:mod:`~labelwright.lfs.code_digests`), caught where a value of the LF folder's
module stands in (:meth:`~labelwright.lfs.code_digests.CodeDigests.made_by`)."""


class Undigestable(Exception):
    """A value with no digest that is the same in every process (its type's name in
    ``args[0]``)."""
