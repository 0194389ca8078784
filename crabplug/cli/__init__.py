"""The ``crabplug`` command line: one module per core command; plugins add theirs with ``register_commands``."""

from __future__ import annotations

from crabplug.cli.main import cli, main

__all__ = ["cli", "main"]
