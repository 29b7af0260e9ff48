"""The review ledger: every decision imported, who made it and on which text, and those
withdrawn (``review retire``)."""
