"""``labelwright review stats``: what the reviews measure (agreement, accuracy, anchoring)."""
