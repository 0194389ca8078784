"""How an IFBench check becomes a crabplug constraint type: family ``ifbench``, evaluation only."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from crabplug import ConstraintType

FAMILY = "ifbench"


def _plain(value: Any) -> Any:
    # IFBench's data stores counts as floats (3.0): say "3"
    return int(value) if isinstance(value, float) and value.is_integer() else value


def eval_type(
    type_id: str,
    check: Callable[..., bool],
    template: str,
    *,
    example: Mapping[str, Any] | None = None,
) -> ConstraintType:
    """An IFBench type: ``check`` is the verdict, ``template`` IFBench's own wording with ``{kwarg}`` slots.

    ``training=False``: IFBench measures generalisation to constraints a model never trained on, so no
    back-translator derives these types and no combiner puts them into training data.
    """
    names = tuple(dict.fromkeys(re.findall(r"{(\w+)}", template)))

    def describe(kwargs: Mapping[str, Any], rng: Any) -> str:
        return template.format(**{k: _plain(v) for k, v in kwargs.items()})

    extra = tuple(k for k in (example or {}) if k not in names)  # kwargs the check uses but the text does not show
    return ConstraintType(
        id=type_id,
        family=FAMILY,
        describe=describe,
        check=check,
        kwargs=names + extra,
        summary=re.sub(r"{(\w+)}", r"\1", template).replace("{{", "{").replace("}}", "}").split(". ")[0].rstrip("."),
        example=dict(example or {}),
        training=False,
    )
