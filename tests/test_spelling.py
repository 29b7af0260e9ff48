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
    # a byte Windows-1252 has no character for (\x81 of 'Á', \x9d of '”'): Windows reads
    # it as the C1 control of its number, as Latin-1 does ('â€\x9d' was named by no page)
    assert "read as Windows-1252" in did_you_mean("Á".encode().decode("latin-1"), ["Á"])
    excel = "".join(bytes([b]).decode("cp1252", "ignore") or chr(b)
                    for b in "“sub-clause”".encode())
    assert excel == "â€œsub-clauseâ€\x9d"
    assert "read as Windows-1252" in did_you_mean(excel, ["“sub-clause”"])
    # an ASCII name has no other reading; a plain misspelling gets the plain guess
    assert did_you_mean("kont", labels) == "did you mean 'konto'? "
    assert did_you_mean("storung", labels) == "did you mean 'störung'? "


def test_a_label_read_in_an_east_asian_code_page_is_named_so():
    """Chinese labels through Excel on Chinese Windows: '退款' came back as its UTF-8
    read as GBK, with holes where bytes made no character."""
    labels = ["退款", "物流", "发票"]
    garbled = "退款".encode().decode("gbk", "replace")
    said = did_you_mean(garbled, labels)
    assert said.startswith(f"did you mean '退款'? ({garbled!r} is its UTF-8 bytes read as "
                           "GBK/GB18030 (Simplified Chinese)")
    # Windows puts '?' where Python puts U+FFFD
    assert "did you mean '物流'?" in did_you_mean(
        "物流".encode().decode("gbk", "replace").replace("\ufffd", "?"), labels)
    assert did_you_mean("退货", labels) == ""  # a label not in the list is no misreading


INTENTS = ["claim_new", "claim_status", "claim_dispute", "policy_cancel", "billing_refund",
           "billing_invoice_copy", "fraud_report", "login_problem", "other"]


def test_a_word_a_few_labels_start_with_or_hold_is_guessed():
    """A glossary's ``label: fraud`` and a review file's ``fraud`` got no guess (difflib
    finds 'fraud_report' too far), while 'Claim Status' got claim_status."""
    assert did_you_mean("fraud", INTENTS) == "did you mean 'fraud_report'? "
    assert did_you_mean("Refund", INTENTS) == "did you mean 'billing_refund'? "
    assert did_you_mean("login", INTENTS) == "did you mean 'login_problem'? "
    assert did_you_mean("account", ["account_locked_out", "account_closure_request", "spam"]
                        ) == "did you mean 'account_closure_request' or 'account_locked_out'? "
    assert did_you_mean("copy", INTENTS) == "did you mean 'billing_invoice_copy'? "
    # a part is a whole word of the name, and a word in more than three names says too little
    assert did_you_mean("fund", INTENTS) == ""
    assert did_you_mean("x", ["x_ray", "xylophone"]) == ""
    many = ["account_locked_out", "account_closure_request", "account_password_reset",
            "account_email_change"]
    assert did_you_mean("account", many) == ""


def test_a_glossary_label_a_project_label_starts_with_is_guessed(tmp_path):
    from labelwright.errors import GlossaryError
    from labelwright.glossaries.reading import load_glossary

    path = tmp_path / "fraud.yaml"
    path.write_text("label: fraud\nterms: [stolen card]\n", encoding="utf-8")
    try:
        load_glossary(path, INTENTS)
    except GlossaryError as exc:
        said = str(exc)
    else:
        raise AssertionError("label 'fraud' was read as a project label")
    assert (f"{path}:1: label 'fraud' is not a project label; did you mean 'fraud_report'? "
            "valid labels: ") in said
