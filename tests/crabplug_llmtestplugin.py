"""A plugin for the LLM door's end-to-end test: a back-translator that asks ``ctx.llm`` for a word count.

Loaded next to tests/crabplug_testplugin.py (seeds, combiner, output) with ``--plugin crabplug_llmtestplugin``.
"""

from __future__ import annotations

from typing import ClassVar

import attrs

from crabplug import Constraint, hookimpl


@attrs.frozen
class AskWords:
    """Asks the configured LLM for ``{"at_least": N}`` about each response and keeps it as test:min_words."""

    name: ClassVar[str] = "test-llm-ask"
    model: str | None = None
    """Model string (None: the config's ``llm.model``)."""

    async def translate(self, example, ctx):
        llm = ctx.llm(self.model)
        reply = await llm.complete_json(
            f"How many words are in this response? Answer as JSON.\n\n{example.response}", stage="test-llm-ask"
        )
        return [
            Constraint(type="test:min_words", kwargs={"at_least": int(reply["at_least"])}, origin=llm.settings.model)
        ]


@hookimpl
def register_back_translators(register):
    register(AskWords)
