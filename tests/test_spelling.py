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


def test_a_label_read_in_another_encoding_and_saved_again_is_named_so():
    """A German reviewer opened the review CSV in Excel, which read its UTF-8 as
    Windows-1252, and saved it: 'störung' came back as 'stÃ¶rung'. The plain guess was
    right but said nothing of why every non-ASCII label and text was wrong."""
    labels = ["störung", "konto", "façade"]
    said = did_you_mean("störung".encode().decode("cp1252"), labels)
    assert said.startswith("did you mean 'störung'? ('stÃ¶rung' is its UTF-8 bytes read as "
                           "Windows-1252")
    assert "Excel" in said and said.endswith(") ")
    # Latin-1 only: a byte Windows-1252 has no character for (\x81 of 'Á')
    assert "read as Latin-1" in did_you_mean("Á".encode().decode("latin-1"), ["Á"])
    # an ASCII name has no other reading; a plain misspelling gets the plain guess
    assert did_you_mean("kont", labels) == "did you mean 'konto'? "
    assert did_you_mean("storung", labels) == "did you mean 'störung'? "
