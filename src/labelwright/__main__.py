"""``python -m labelwright`` runs the CLI."""

from labelwright.cli import main

main()
