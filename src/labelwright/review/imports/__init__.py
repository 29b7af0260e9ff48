"""``labelwright review import``: a file of decisions read, checked against the project and
added to the ledger."""
