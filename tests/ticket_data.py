"""Small ticket datasets and a glossary shared by tests in several folders."""

TICKETS = [
    {"id": "t1", "text": "Please refund my order, I was charged twice", "plan": "pro",
     "gold": "billing"},
    {"id": "t2", "text": "The app crashes when I log in", "plan": "free", "gold": "technical"},
    {"id": "t3", "text": "Refunded yet? I still see the charge", "plan": "pro", "gold": "billing"},
    {"id": "t4", "text": "Error 500 on the login page", "plan": "free", "gold": "technical"},
    {"id": "t5", "text": "Thanks, all good now", "plan": "pro", "gold": ""},
    {"id": "t6", "text": "The invoice is wrong and the app crashes", "plan": "free",
     "gold": "billing"},
]

# The same, but t6 has a negated glossary term ("no charge"), for exclusion tests.
TICKETS_WITH_NEGATION = [
    *TICKETS[:5],
    {"id": "t6", "text": "The invoice is wrong and there is no charge", "plan": "free",
     "gold": "billing"},
]

BILLING_GLOSSARY = """\
label: billing
mode: lemma
exclusions: ["no", "not"]
terms:
  - term: invoice
    note: "Invoices are billing questions."
  - term: charge
    synonyms: [overcharge]
"""


OPTIONAL_KEY_LFS = '''
from labelwright import ABSTAIN, labeling_function


@labeling_function()
def has_note(item):
    return "billing" if item.note else ABSTAIN


@labeling_function()
def first_priority(item):
    return "technical" if str(item.priority) == "1" else ABSTAIN
'''


def optional_key_rows():
    """12 JSONL rows: ``note`` only in the last four (a chunk of 4 never sees it before),
    ``priority`` an int missing from some rows of a chunk."""
    rows = []
    for i in range(12):
        row = {"id": f"r{i}", "text": f"ticket number {i}"}
        if i % 3:
            row["priority"] = 1 if i % 2 else 2
        if i >= 8 and i != 9:
            row["note"] = "call back"
        rows.append(row)
    return rows


def many_tickets(n: int = 60, prefixes: tuple[str, str] = ("b", "t")) -> list[dict[str, str]]:
    """``n`` tickets, billing and technical by turns, with their true label as ``gold``;
    ids start with ``prefixes`` (billing, technical)."""
    rows = []
    for i in range(n):
        if i % 2 == 0:
            text = ["Please refund order %d", "Refund me for order %d, the error was yours",
                    "Where is my refund for %d?"][i % 3] % i
            rows.append({"id": f"{prefixes[0]}{i}", "text": text, "gold": "billing"})
        else:
            text = ["The app crashes on screen %d", "Error %d when I open settings",
                    "Refund button crashes the app (%d)"][i % 3] % i
            rows.append({"id": f"{prefixes[1]}{i}", "text": text, "gold": "technical"})
    return rows

# The LFs of the TICKETS projects (tests/conftest.py's make_project writes them).
TICKET_LFS = '''
from labelwright import ABSTAIN, labeling_function


@labeling_function()
def mentions_refund(item):
    return "billing" if "refund" in item.text.lower() else ABSTAIN


@labeling_function()
def crashes(item):
    return "technical" if "crash" in item.text.lower() or "error" in item.text.lower() else ABSTAIN
'''


#: LFs comparing columns with numbers: ``stars`` with 5, ``seats`` with "40" as text (what a
#: read says of a column holding text that an LF compares so)
STARS_LFS = '''
from labelwright import ABSTAIN, labeling_function


@labeling_function()
def five_stars(x):
    return "billing" if x.stars == 5 else ABSTAIN


@labeling_function()
def many_seats(x):
    return "technical" if x.seats > "40" else ABSTAIN
'''
