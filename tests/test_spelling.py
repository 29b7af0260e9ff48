"""The guesses offered for a name spelt close to a valid one."""

from labelwright.spelling import closest, did_you_mean


def test_case_and_accents_are_the_same_name():
    """Reviewers of a Spanish project typed ``Envío`` and ``devolucion`` for the labels
    ``envio`` and ``devolución``; neither is close enough for difflib as written."""
    labels = ["envio", "devolución", "factura"]
    assert closest("Envío", labels) == "envio"
    assert closest("devolucion", labels) == "devolución"
    assert closest("DEVOLUCIÓN", labels) == "devolución"


def test_a_close_spelling_is_guessed_and_a_far_one_is_not():
    assert did_you_mean("treshold", {"threshold", "budget"}) == "did you mean 'threshold'? "
    assert did_you_mean("facturas", ["envio", "factura"]) == "did you mean 'factura'? "
    assert did_you_mean("refunds", ["billing", "technical"]) == ""
    assert did_you_mean("billing", ["billing"]) == ""  # nothing to correct
