"""crabplug_markdown: a community constraint family for crabplug, installed like any third-party plugin.

It adds four code-checkable types of family ``markdown``: ``markdown:table``, ``markdown:code_block``,
``markdown:numbered_steps`` and ``markdown:heading_levels``. crabplug finds this module through the entry
point in pyproject.toml (group ``crabplug``); it imports only crabplug's public API.
"""

from __future__ import annotations

from crabplug import hookimpl

from crabplug_markdown.code_block import CODE_BLOCK
from crabplug_markdown.heading_levels import HEADING_LEVELS
from crabplug_markdown.numbered_steps import NUMBERED_STEPS
from crabplug_markdown.table import TABLE

__version__ = "0.1.0"

TYPES = (TABLE, CODE_BLOCK, NUMBERED_STEPS, HEADING_LEVELS)


@hookimpl
def register_constraint_types(register):
    """The four markdown constraint types."""
    for ctype in TYPES:
        register(ctype)
