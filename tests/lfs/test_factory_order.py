"""LFs one factory makes share their code's file:line; each is found, ordered and shown
where the call that made it is, as a Snorkel user's ``lfs`` list orders them."""

from __future__ import annotations

import textwrap

from labelwright.lfs.discovery import discover

SNORKEL_FACTORY = """
from snorkel.labeling import LabelingFunction
from snorkel.labeling import labeling_function

SPAM, HAM, ABSTAIN = 1, 0, -1


def keyword_lookup(x, keywords, label):
    return label if any(word in x.text.lower() for word in keywords) else ABSTAIN


def make_keyword_lf(keywords, label=SPAM):
    return LabelingFunction(name=f"keyword_{keywords[0]}", f=keyword_lookup,
                            resources=dict(keywords=keywords, label=label))


keyword_my = make_keyword_lf(keywords=["my"])
keyword_subscribe = make_keyword_lf(keywords=["subscribe"])
keyword_http = make_keyword_lf(keywords=["http"])


@labeling_function()
def short_comment(x):
    return HAM if len(x.text.split()) < 5 else ABSTAIN


more = [make_keyword_lf(keywords=["song"], label=HAM),
        make_keyword_lf(keywords=["check"])]
"""


def test_a_factorys_lfs_are_in_the_order_written_and_say_where_they_were_made(tmp_path):
    """W19: the five keyword LFs all said spam_lfs.py:14 (the factory's def) and were sorted
    by name there, keyword_http first: code reading columns by their place in the Snorkel
    `lfs` list read the wrong LF."""
    path = tmp_path / "spam_lfs.py"
    path.write_text(textwrap.dedent(SNORKEL_FACTORY))
    lfs = discover(tmp_path)
    assert [lf.name for lf in lfs] == ["keyword_my", "keyword_subscribe", "keyword_http",
                                       "short_comment", "keyword_song", "keyword_check"]
    by_name = {lf.name: lf for lf in lfs}
    assert {lf.line for lf in lfs if lf.name.startswith("keyword_")} == {8}  # the code
    assert by_name["keyword_my"].made_at == f"{path}:17"
    assert by_name["keyword_http"].made_at == f"{path}:19"
    assert by_name["keyword_song"].made_at == f"{path}:27"
    assert by_name["keyword_check"].made_at == f"{path}:28"
    assert by_name["short_comment"].made_at == ""  # its def is where it is made


def test_the_manifest_and_explain_say_where_a_factory_lf_was_made(make_project, cli):
    from labelwright.project import run_project
    from labelwright.runs.manifest import read_manifest

    made = ('from labelwright import ABSTAIN, labeling_function\n\n\n'
            'def keyword(word, label):\n'
            '    @labeling_function(name=f"kw_{word}")\n'
            '    def lf(item):\n'
            '        return label if word in item.text.lower() else ABSTAIN\n'
            '    return lf\n\n\n'
            'kw_refund = keyword("refund", "billing")\n'
            'kw_crash = keyword("crash", "technical")\n')
    root = make_project(lfs={"kw": made})
    run = run_project(root, report=False)
    records = {lf["name"]: lf for lf in read_manifest(run.run_dir)["labeling_functions"]}
    assert records["kw_refund"]["location"] == records["kw_crash"]["location"] \
        == "labeling_functions/kw.py:5"
    assert records["kw_refund"]["made_at"] == "labeling_functions/kw.py:11"
    assert records["kw_crash"]["made_at"] == "labeling_functions/kw.py:12"
    assert list(records) == ["kw_refund", "kw_crash"]  # as written, not by name
    code, out = cli("explain", "t1", "-p", str(root))
    assert code == 0, out
    assert "labeling_functions/kw.py:5 (made at labeling_functions/kw.py:11)" in out
