from labelwright.counts import counted, some_of


def test_counted_puts_the_noun_in_agreement():
    assert [counted(n, "item") for n in (0, 1, 2)] == ["0 items", "1 item", "2 items"]
    assert counted(1, "glossary", "glossaries") == "1 glossary"
    assert counted(3, "glossary", "glossaries") == "3 glossaries"
    assert counted("?", "decision") == "? decisions"  # an old manifest's unknown count


def test_counted_separates_thousands_as_the_lines_beside_it_do():
    """"199800 items" stood beside "66,593" in check, run, export and runs list."""
    import numpy as np

    assert counted(199_800, "item") == "199,800 items"
    assert counted(np.int64(1_234_567), "row") == "1,234,567 rows"  # a numpy count too
    assert counted(999, "row") == "999 rows"
    assert some_of(list(range(3)), total=12_003) == "0, 1, 2 and 12,000 more"
    assert some_of([1000, 2000]) == "1000, 2000"  # the names as given (ids, row numbers)


def test_some_of_names_the_first_and_counts_the_rest():
    assert some_of(["a", "b"]) == "a, b"
    assert some_of([f"r{i}" for i in range(8)]) == "r0, r1, r2, r3, r4 and 3 more"
    assert some_of(list(range(12)), 10) == "0, 1, 2, 3, 4, 5, 6, 7, 8, 9 and 2 more"
    # given only the first of them, and how many there are
    assert some_of(["r0", "r1", "r2"], total=9) == "r0, r1, r2 and 6 more"
    assert some_of(["r0", "r1"], total=2) == "r0, r1"
    assert some_of([]) == ""


def test_some_of_separates_clauses_by_semicolons():
    """A clause holds commas itself: the rest are counted after a semicolon, not run into
    the last clause."""
    rows = ["line 3, row 2: 4 fields", "line 5, row 4: a quote left open", "line 9, row 8: x"]
    assert some_of(rows, 2, clauses=True) == (
        "line 3, row 2: 4 fields; line 5, row 4: a quote left open; and 1 more")
    assert some_of(rows[:1], total=1, clauses=True) == "line 3, row 2: 4 fields"
