"""``python -m crabplug``: the same as the ``crabplug`` command (useful in an environment without its scripts)."""

from crabplug.cli import main

main()
