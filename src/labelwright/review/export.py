"""The earlier import path of :mod:`labelwright.review.queue.export`, kept so that scripts
written against it keep working."""

from labelwright.review.queue.export import *  # noqa: F403
