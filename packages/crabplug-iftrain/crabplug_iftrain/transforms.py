"""Transformations: deterministic edits of a response that make an IFTrain constraint true.

``apply(example, rng) -> (new_response, kwargs)``, registered as each type's :class:`crabplug.Transform` and
used by crabplug's ``transform`` back-translator. Each edit keeps the response's words (up to what it says
it changes: brackets, case, punctuation, layout) and is checked by the type's own check before it is
returned; one that cannot apply raises :class:`crabplug.TransformSkipped` with a short reason. The four copy
types are the exception IFTrain itself makes: their answer *is* the request written out again, so they
replace the response; their default share is 0 (a run turns them on with ``shares:``).
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from typing import Any

from crabplug import Example, Transform, TransformSkipped
from crabplug_iftrain import checks
from crabplug_iftrain.text import split_into_sentences

_TOKEN = re.compile(r"(\S+)(\s*)")
#: code, fenced or not (a fence, a tab-indented line, an import, a definition, a lone brace, a statement ending in
#: ";" or "{", an SQL clause): brackets, hyphens or case would break it
_CODE = re.compile(
    r"```|^\t\S|^\s*(?:#!|#include\b|def \w|class \w|import \w|from [\w.]+ import |[{}]\s*$"
    r"|(?:SELECT|FROM|WHERE|GROUP BY|LEFT JOIN)\b"
    r"|[A-Za-z_][\w.]*\s*=\s*[\w.]+\(|[a-z_]\w*(?:\.\w+)+\(.*\)\s*$)|[;{]\s*$",
    re.M,
)
_MAX_COPY = 1000  # a request longer than this is not one a person asks to have copied


def _verified(check: Callable[..., bool], response: str, kwargs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    if not (response.strip() and check(response, **kwargs)):
        raise TransformSkipped("the edit does not satisfy the check")
    return response, kwargs


def _prose(example: Example) -> None:
    if _CODE.search(example.response):
        raise TransformSkipped("has code")


def _words_only(example: Example) -> None:
    """Wrapping every word would wrap a *** divider or a formula too ("<<***\n\ndD/dt>>"): prose only."""
    _prose(example)
    if re.search(r"^\s*(?:\*{3,}|-{3,}|_{3,})\s*$", example.response, re.M) or re.search(r"[=<>|^]", example.response):
        raise TransformSkipped("has dividers or formulas a wrapping would break")


def square_brackets(example: Example, rng: random.Random) -> tuple[str, dict[str, Any]]:
    """Every word in ``[...]``."""
    _words_only(example)
    return _verified(checks.square_brackets, re.sub(r"\S+", r"[\g<0>]", example.response), {})


def bigram_wrapping(example: Example, rng: random.Random) -> tuple[str, dict[str, Any]]:
    """Words paired as ``<<first second>>``, each pair keeping the whitespace between its words."""
    _words_only(example)
    tokens = _TOKEN.findall(example.response.strip())
    out = []
    for i in range(0, len(tokens), 2):
        (w1, s1), pair = tokens[i], tokens[i + 1 : i + 2]
        out.append(f"<<{w1}{s1}{pair[0][0]}>>{pair[0][1]}" if pair else f"<<{w1}>>{s1}")
    if len(tokens) < 2:
        raise TransformSkipped("fewer than two words")
    return _verified(checks.bigram_wrapping, "".join(out), {})


def sentence_hyphens(example: Example, rng: random.Random) -> tuple[str, dict[str, Any]]:
    """Sentences joined by ``-`` (only for a response without hyphens of its own, so no word changes)."""
    _prose(example)
    if "-" in example.response:
        raise TransformSkipped("has hyphens")
    sentences = split_into_sentences(example.response)
    if len(sentences) < 2:
        raise TransformSkipped("one sentence")
    return _verified(checks.sentence_hyphens, "-".join(sentences), {})


def paragraphs(example: Example, rng: random.Random) -> tuple[str, dict[str, Any]]:
    """The paragraphs split into two halves with a ``***`` divider between them."""
    _prose(example)
    if "***" in example.response:
        raise TransformSkipped("already uses ***")
    blocks = [b.strip() for b in re.split(r"\n\s*\n", example.response) if b.strip()]
    if len(blocks) < 2:
        raise TransformSkipped("one paragraph")
    half = len(blocks) // 2
    if blocks[half - 1].endswith(":"):  # a divider after "as follows:" cuts what it introduces away from it
        raise TransformSkipped("the divider would follow a colon")
    if blocks[half - 1][-1:].isalnum() or blocks[half - 1].endswith(","):  # "we have" *** dD/dt = 0
        raise TransformSkipped("the divider would cut a sentence")
    joined = "\n\n".join(blocks[:half]) + "\n\n***\n\n" + "\n\n".join(blocks[half:])
    return _verified(checks.paragraphs, joined, {})


def punctuation_dot(example: Example, rng: random.Random) -> tuple[str, dict[str, Any]]:
    """Periods at line ends dropped (verse, list lines); skipped when a dot has another role (decimals,
    addresses, code) or ends a sentence inside a line, where dropping it runs two sentences together."""
    _prose(example)
    if re.search(r"(?<=[A-Za-z)\"'”])\.[ \t]+\S", example.response):
        raise TransformSkipped("sentences would run together")
    edited = re.sub(r"(?<=[A-Za-z)\"'”])\.(?=\s|$)", "", example.response)
    return _verified(checks.punctuation_dot, edited, {})


def punctuation_exclamation(example: Example, rng: random.Random) -> tuple[str, dict[str, Any]]:
    """Sentence-ending ``!`` become ``.``; skipped when a ``!`` has another role (``!=``, code)."""
    if "!" not in example.response:
        raise TransformSkipped("no exclamation mark")
    _prose(example)
    edited = re.sub(r"!+(?=\s|$)", ".", example.response)
    return _verified(checks.punctuation_exclamation, edited, {})


def _request(example: Example) -> str:
    request = example.instruction.strip()
    if not request or len(request) > _MAX_COPY or "******" in request:
        raise TransformSkipped("request empty, too long or holding ******")
    return request


def copy(example: Example, rng: random.Random) -> tuple[str, dict[str, Any]]:
    """The request itself (copy:copy and copy:copying_simple)."""
    request = _request(example)
    return _verified(checks.copy, request, {"prompt_to_repeat": request})


def copying_multiple(example: Example, rng: random.Random) -> tuple[str, dict[str, Any]]:
    """The request written 2 or 3 times, separated by ``******``."""
    request = _request(example)
    n = rng.choice((2, 3))
    return _verified(checks.copying_multiple, "\n******\n".join([request] * n), {"prompt_to_repeat": request, "N": n})


def copy_span_idx(example: Example, rng: random.Random) -> tuple[str, dict[str, Any]]:
    """A span of 3 to 12 whole words of the request (never from index 0: open-instruct draws 0 at random)."""
    request = _request(example)
    words = [m for m in re.finditer(r"\S+", request) if m.start() > 0]
    if len(words) < 3:
        raise TransformSkipped("request under four words")
    size = rng.randint(3, min(12, len(words)))
    first = rng.randrange(len(words) - size + 1)
    start, end = words[first].start(), words[first + size - 1].end()
    kwargs = {"prompt_to_repeat": request, "n_start": start, "n_end": end}
    return _verified(checks.copy_span_idx, request[start:end], kwargs)


#: type id -> its transformation (none for count:lowercase_counting: capitalizing every word, "Couldn'T", reads
#: as a damaged answer; answers with few lowercase words get it from the rules). Order (crabplug applies lower
#: first): a divider 14, punctuation 45, joining sentences 60, wrapping every word 80, replacing the answer by the
#: request 99. Shares are small: IFTrain's types add to IFEval's mix rather than replace it.
TRANSFORMS: dict[str, Transform] = {
    "paragraphs:paragraphs": Transform(paragraphs, share=0.02, order=14),
    "punctuation:punctuation_exclamation": Transform(punctuation_exclamation, share=0.02, order=45),
    "punctuation:punctuation_dot": Transform(punctuation_dot, share=0.02, order=45),
    "detectable_format:sentence_hyphens": Transform(sentence_hyphens, share=0.01, order=60),
    "detectable_format:square_brackets": Transform(square_brackets, share=0.01, order=80),
    "detectable_format:bigram_wrapping": Transform(bigram_wrapping, share=0.01, order=80),
    "copy:copy": Transform(copy, share=0.0, keeps_unverifiable=False, order=99),
    "copy:copying_simple": Transform(copy, share=0.0, keeps_unverifiable=False, order=99),
    "copy:copying_multiple": Transform(copying_multiple, share=0.0, keeps_unverifiable=False, order=99),
    "new:copy_span_idx": Transform(copy_span_idx, share=0.0, keeps_unverifiable=False, order=99),
}
