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
