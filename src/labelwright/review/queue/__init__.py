"""``labelwright review export``: the review queue out to reviewers, as a CSV sheet, JSONL or a
tool's format."""
