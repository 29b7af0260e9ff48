import pytest

from labelwright import toml_lines
from labelwright.toml_lines import key_lines

DOCUMENT = '''\
# a comment = not a key
top = 1
review.budget = 5

[project]
labels = [
  "a",  # [fake] header in a comment
  "b = c",
]
"quoted key" = 1
"caf\\u00e9" = 2
'dotted.literal' = 3
name = """first line
[not_a_table]
x = 1"""
raw = \'\'\'one
two = 2\'\'\'
when = 1979-05-27 07:32:00Z
after_when = true
deep . "inner" . key = 4

[label_model]
params = {epochs = 3, nested = {lr = 0.1}}
'''


def line_of(text: str, needle: str) -> int:
    return text.splitlines().index(needle) + 1


@pytest.mark.parametrize(("path", "written"), [
    (("top",), "top = 1"),
    (("review",), "review.budget = 5"),  # a table made by a dotted key
    (("review", "budget"), "review.budget = 5"),
    (("project",), "[project]"),
    (("project", "labels"), "labels = ["),
    (("project", "quoted key"), '"quoted key" = 1'),
    (("project", "café"), '"caf\\u00e9" = 2'),  # the key as tomllib reads its escape
    (("project", "dotted.literal"), "'dotted.literal' = 3"),
    (("project", "name"), 'name = """first line'),
    (("project", "raw"), "raw = '''one"),
    (("project", "when"), "when = 1979-05-27 07:32:00Z"),
    (("project", "after_when"), "after_when = true"),
    (("project", "deep", "inner", "key"), 'deep . "inner" . key = 4'),
    (("label_model", "params"), "params = {epochs = 3, nested = {lr = 0.1}}"),
    (("label_model", "params", "epochs"), "params = {epochs = 3, nested = {lr = 0.1}}"),
    (("label_model", "params", "nested", "lr"), "params = {epochs = 3, nested = {lr = 0.1}}"),
])
def test_each_key_is_placed_on_the_line_it_is_written_on(path, written):
    assert key_lines(DOCUMENT)[path] == line_of(DOCUMENT, written)


def test_what_strings_arrays_and_comments_hold_is_no_key():
    assert not {("not_a_table",), ("project", "not_a_table"), ("project", "x"),
                ("project", "two"), ("fake",)} & set(key_lines(DOCUMENT))


def test_a_sub_table_places_its_parents_until_their_own_header():
    text = "[a.b]\nc = 1\n\n[x.y]\n[a]\nd = 2\n"
    assert key_lines(text) == {("a",): 5, ("a", "b"): 1, ("a", "b", "c"): 2, ("a", "d"): 6,
                               ("x",): 4, ("x", "y"): 4}


def test_an_array_of_tables_is_placed_at_its_first_header_and_its_elements_not_at_all():
    """An element's key has no path of its own (it is one of several): no line, not the
    line of another element's key."""
    text = 'name = "x"\n[[review]]\npolicy = "a"\n[review.sub]\nk = 1\n[[review]]\npolicy = "b"\n'
    assert key_lines(text) == {("name",): 1, ("review",): 2}


def test_windows_line_ends_count_as_one_line():
    assert key_lines("[a]\r\nb = 1\r\n\r\nc = 2\r\n") == {("a",): 1, ("a", "b"): 2,
                                                          ("a", "c"): 4}


def test_no_toml_gives_no_lines():
    assert key_lines("[a\nb = ") == {}


def test_a_reading_that_disagrees_with_tomllib_gives_no_lines(monkeypatch):
    """The guard against a wrong line: paths this reading found that tomllib did not (or
    the other way round) discard every line."""
    monkeypatch.setattr(toml_lines._Reader, "read", lambda self: {("a",): 1, ("b",): 2})
    assert key_lines("a = 1\n") == {}
    monkeypatch.setattr(toml_lines._Reader, "read", lambda self: {("a",): 1})
    assert key_lines("a = 1\n") == {("a",): 1}


@pytest.mark.parametrize(("text", "line", "expected"), [
    ("[a]\nx = 1\nx = 2\n", 3, (("a", "x"), 2)),
    ('[a]\n"x" = 1\n\nx = """two\nlines"""\n', 4, (("a", "x"), 2)),  # quoted the first time
    ("[a]\nx = 1\n[b]\ny = 1\n[a]\n", 5, (("a",), 1)),  # a table declared twice
    ("[a]\nx = 1\nx.y = 2\n", 3, (("a", "x"), 2)),  # a value made a table
    ("a.x = 1\n[a]\n", 2, (("a",), 1)),  # a dotted key declared [a] first
    ("top = 1\ntop = 2\n[a\n", 2, (("top",), 1)),  # a later line it cannot read
])
def test_a_key_set_again_is_found_with_its_first_line(text, line, expected):
    assert toml_lines.set_before(text, line) == expected


def test_a_line_it_cannot_read_has_no_first_line():
    assert toml_lines.set_before("[a]\nx = 1\n[a\n", 3) is None
