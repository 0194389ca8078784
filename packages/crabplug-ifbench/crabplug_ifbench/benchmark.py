"""The IFBench benchmark: 300 prompts, each with one or more of the 58 types, scored strict and loose.

Scoring is IFBench's evaluator's: an empty response follows nothing; strict checks the response, loose any of
its variants (without the first line, the last line, both, or asterisks). An instruction that cannot be
checked (an unknown id, kwargs its check cannot use, NLTK data that is not installed) is left out and listed
under ``skipped`` with its problem; a prompt none of whose instructions could be checked is ``unscored``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from importlib.resources import files
from typing import Any, ClassVar

import attrs

from crabplug import check, loose_variants
from crabplug_ifbench.text import MissingData

UNKNOWN = "their instruction ids name no registered constraint type: check the spelling (`crabplug constraints`)"
MALFORMED = "their kwargs are missing, of the wrong type or out of range for the check: fix them in the input"
NEEDS_DATA = (
    "{what} and no PyPI package ships it: where the network allows, run "
    "`python -m nltk.downloader stopwords averaged_perceptron_tagger_eng`, then score the same responses again "
    "with --responses"
)
_BAD_KWARGS = (TypeError, ValueError, KeyError, AttributeError, IndexError, ZeroDivisionError, re.error)

#: Published IFBench scores, as fractions: Pyatkin et al., "Generalizing Verifiable Instruction Following"
#: (arXiv 2507.02833), Table 3 (Tulu 3 8B SFT, DPO and final RLVR model; IF-RLVR from Tulu DPO) and Table 6
#: (Qwen2.5-7B-Instruct before and after IF-RLVR). IFBench's README: "In the paper we generally report the
#: prompt-level loose accuracy of IFBench", so that is the one metric each row has.
PUBLISHED: dict[str, dict[str, float]] = {
    "Tulu-3-8B SFT (IFBench paper)": {"prompt_level_loose_acc": 0.207},
    "Tulu-3-8B DPO (IFBench paper)": {"prompt_level_loose_acc": 0.255},
    "Tulu-3-8B RLVR (IFBench paper)": {"prompt_level_loose_acc": 0.289},
    "Tulu-3-8B DPO + IF-RLVR (IFBench paper)": {"prompt_level_loose_acc": 0.446},
    "Qwen2.5-7B-Instruct (IFBench paper)": {"prompt_level_loose_acc": 0.313},
    "Qwen2.5-7B-Instruct + IF-RLVR (IFBench paper)": {"prompt_level_loose_acc": 0.459},
}


@attrs.frozen
class IFBench:
    """IFBench (Pyatkin et al., 2025): 300 prompts with 58 out-of-distribution constraint types."""

    name: ClassVar[str] = "ifbench"
    reference: ClassVar[dict[str, dict[str, float]]] = PUBLISHED

    def prompts(self) -> Iterator[dict[str, Any]]:
        """IFBench_test.jsonl (ODC-BY-1.0, see data/NOTICE.md), in the released order."""
        text = files("crabplug_ifbench").joinpath("data", "IFBench_test.jsonl").read_text(encoding="utf-8")
        for line in text.splitlines():
            if line.strip():
                yield json.loads(line)

    def score(self, registry: Any, row: dict[str, Any]) -> dict[str, Any]:
        """IFBench's strict and loose verdicts for one prompt's response; what cannot be checked is skipped."""
        return score_row(registry.constraint_types, row)


def _pairs(row: dict[str, Any]) -> list[tuple[Any, Any]]:
    ids, kwargs = row.get("instruction_id_list"), row.get("kwargs")
    ids = ids if isinstance(ids, list) else []
    kwargs = kwargs if isinstance(kwargs, list) else []
    return [(t, kwargs[i] if i < len(kwargs) else None) for i, t in enumerate(ids)]


def score_row(types: dict[str, Any], row: dict[str, Any]) -> dict[str, Any]:
    """Verdicts for one row (``response``, ``instruction_id_list``, ``kwargs``), in crabplug's verdict format."""
    response = row["response"]
    variants = loose_variants(response)
    ids, strict, loose, skipped = [], [], [], []
    for type_id, kwargs in _pairs(row):
        ctype = types.get(type_id) if isinstance(type_id, str) else None
        if ctype is None or ctype.check is None:
            skipped.append({"type": str(type_id), "problem": UNKNOWN})
            continue
        if not isinstance(kwargs, dict):
            skipped.append({"type": type_id, "problem": MALFORMED})
            continue
        kwargs = {k: v for k, v in kwargs.items() if v is not None}  # IFBench's unused kwargs are null
        try:
            ok = check(ctype, response, kwargs)
            ok_loose = ok or any(check(ctype, v, kwargs) for v in variants[1:])
        except MissingData as err:
            skipped.append({"type": type_id, "problem": NEEDS_DATA.format(what=err)})
            continue
        except _BAD_KWARGS:
            skipped.append({"type": type_id, "problem": MALFORMED})
            continue
        ids.append(type_id)
        strict.append(bool(ok))
        loose.append(bool(ok_loose))
    out: dict[str, Any] = {
        "instruction_id_list": ids,
        "follow_instruction_list": strict,
        "follow_instruction_list_loose": loose,
        "follow_all_instructions": bool(ids) and all(strict),
        "follow_all_instructions_loose": bool(ids) and all(loose),
    }
    if skipped:
        out["skipped"] = skipped
    if not ids:
        out["unscored"] = True
    return out
