"""The human review loop: export the items to review, in formats review tools read."""

from labelwright.review.export import EXPORT_FORMATS, review_records, write_review

__all__ = ["EXPORT_FORMATS", "review_records", "write_review"]
