"""``python -m clearance`` is the ``clearance`` command."""

from clearance.cli import main

main()
