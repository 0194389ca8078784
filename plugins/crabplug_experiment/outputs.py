"""Output ``plain``: each sample's seed instruction -> its seed response, no constraints (the plain-SFT arm).

The experiment's question is what crabplug's constraints add over the answers themselves. The control trains on
the same answers with their own instructions; taking them from the run's samples (not the seed file) makes the
two arms see exactly the same responses: a seed the combiner dropped is in neither.
"""

from __future__ import annotations

from typing import Any, ClassVar

import attrs

from crabplug import AtomicJsonl, Context, Sample


@attrs.define
class PlainOutput:
    """``plain.jsonl``: ``messages`` rows of the seed's instruction and response, as the seed had them.

    The instruction is the one before any constraint was added (``base_instruction``) and the response the one
    before any verified edit (``untransformed_response``), so a row is the seed itself.
    """

    name: ClassVar[str] = "plain"
    path: str = "plain.jsonl"
    """File name in the run directory."""
    _file: Any = attrs.field(init=False, default=None)
    _rows: int = attrs.field(init=False, default=0)

    def open(self, ctx: Context) -> None:
        self._file = AtomicJsonl(ctx.run_dir / self.path)
        self._rows = 0

    def write(self, samples: list[Sample], ctx: Context) -> list:
        for s in samples:
            instruction = s.provenance.get("base_instruction", s.instruction)
            response = s.provenance.get("untransformed_response", s.response)
            context = [{"role": m["role"], "content": m["content"]} for m in s.provenance.get("context", [])]
            messages = [*context, {"role": "user", "content": instruction}, {"role": "assistant", "content": response}]
            self._file.write({"id": s.id, "example_id": s.example_id, "messages": messages})
            self._rows += 1
        return []

    def close(self, ctx: Context) -> dict[str, Any]:
        self._file.close()
        return {"file": self.path, "rows": self._rows}
