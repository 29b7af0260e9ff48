from labelwright.counts import counted


def test_counted_puts_the_noun_in_agreement():
    assert [counted(n, "item") for n in (0, 1, 2)] == ["0 items", "1 item", "2 items"]
    assert counted(1, "glossary", "glossaries") == "1 glossary"
    assert counted(3, "glossary", "glossaries") == "3 glossaries"
    assert counted("?", "decision") == "? decisions"  # an old manifest's unknown count
