"""``python -m obligations``: the same as the ``obligations`` command."""

from obligations.cli import main

main()
