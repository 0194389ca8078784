"""The core's own verifier: ``code`` runs the constraint type's ``check`` (strict IFEval semantics)."""

from __future__ import annotations

from typing import ClassVar

import attrs

from crabplug.constraints import check
from crabplug.hookspecs import hookimpl
from crabplug.records import Constraint, Example, Verdict
from crabplug.stages import Context, StageForecast


@attrs.frozen
class CodeVerifier:
    """Decides every constraint whose type has a code ``check``; passes the rest on (``ok=None``)."""

    name: ClassVar[str] = "code"

    def forecast(self, example: Example, ctx: Context, pending: tuple[str, ...]) -> StageForecast:
        """No LLM calls; the candidates only an LLM can judge stay pending for the next verifier."""
        return StageForecast()

    def verify(self, example: Example, constraint: Constraint, ctx: Context) -> Verdict:
        ctype = ctx.registry.constraint_types.get(constraint.type)
        if ctype is None or ctype.check is None:
            return Verdict(ok=None, reason="no code check for this type", by=self.name)
        try:
            ok = check(ctype, example.response, constraint.kwargs)
        except TypeError as err:
            return Verdict(ok=False, reason=f"bad kwargs for {constraint.type}: {err}", by=self.name)
        return Verdict(ok=ok, reason="check passed" if ok else "check failed", by=self.name)


@hookimpl
def register_verifiers(register):
    register(CodeVerifier)
