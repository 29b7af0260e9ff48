"""A language's dictionary by word class, as the lemma-shift check reads it."""

from labelwright.glossaries.word_classes import WordClasses


def classes():
    """A made-up Spanish dictionary: two nouns, an adjective, a verb."""
    return WordClasses(
        entries={"noun": frozenset({"factura", "función"}), "adj": frozenset({"lento"}),
                 "verb": frozenset({"funcionar"})},
        rules={"noun": (("as", "a"), ("es", "")), "adj": (("as", "a"), ("a", "o"),
                                                           ("ona", "ón"))},
        lookup={"facturas": "facturar", "funcionas": "funcionar", "recargos": "recargo"})


def test_a_plural_reads_back_to_an_entry_of_its_own_class_only():
    """The feminine rule "-ona" as "-ón" made the verb form "funciona" the noun "función",
    and so a word of its own: it is an adjective's rule, and "función" no adjective."""
    known = classes()
    assert known.entry_of("factura") == "factura"
    assert known.entry_of("facturas") == "factura"
    assert known.entry_of("lenta") == "lento"
    assert known.entry_of("funciona") is None


def test_a_word_of_its_own_is_an_entry_other_than_its_lemma_or_a_noun_the_table_knows():
    known = classes()
    assert known.own_word("factura", "facturar")
    assert known.own_word("facturas", "facturar")
    assert not known.own_word("funciona", "funcionar")
    assert not known.own_word("lenta", "lento")  # its own masculine: an inflection
    assert known.own_word("recargo", "recargar")  # "recargos" reads as "recargo"
