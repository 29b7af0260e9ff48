"""A small project whose items tie (one vote each way), for tests of flips between near
ties (``runs diff``, ``explain --against``): ``TIED`` items, ``b`` items only billing
votes on, ``c`` items only technical."""

TIED = [{"id": f"x{k}", "text": f"bill and crash {k}", "gold": "billing"} for k in range(10)]
ROWS = [
    *TIED,
    *({"id": f"b{k}", "text": f"bill only {k}", "gold": "billing"} for k in range(3)),
    *({"id": f"c{k}", "text": f"crash only {k}", "gold": "technical"} for k in range(3)),
]
LFS = '''
from labelwright import ABSTAIN, labeling_function


@labeling_function()
def says_bill(item):
    return "billing" if "bill" in item.text else ABSTAIN


@labeling_function()
def says_crash(item):
    return "technical" if "crash" in item.text else ABSTAIN
'''


def break_ties_at_random(root) -> None:
    """The project's ``tie_break`` from ``first`` (the label order) to ``random``."""
    config = root / "labelwright.toml"
    config.write_text(config.read_text().replace('tie_break = "first"', 'tie_break = "random"'))
