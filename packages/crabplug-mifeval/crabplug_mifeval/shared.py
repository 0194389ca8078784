"""Checks M-IFEval gives the same code in every language (IFEval's, mostly): paragraphs, placeholders, JSON,
two responses, the response's language, highlighted sections.

Each is M-IFEval's verdict for the type of the same name in es, fr and ja (the parity tests compare them).
"""

from __future__ import annotations

import json
import re

from crabplug_mifeval.text import detect


def response_language(response: str, *, language: str) -> bool:
    """The response is in ``language`` (langdetect); text langdetect cannot read passes, as in M-IFEval."""
    found = detect(response)
    return found is None or found == language


def number_placeholders(response: str, *, num_placeholders: int, relation: str = "") -> bool:
    """At least ``num_placeholders`` ``[...]`` placeholders (Spanish's ``relation`` is shown, never checked)."""
    return len(re.findall(r"\[.*?\]", response)) >= num_placeholders


def number_paragraphs(response: str, *, num_paragraphs: int) -> bool:
    """Exactly ``num_paragraphs`` paragraphs split by ``***``; an empty one inside fails."""
    parts = re.split(r"\s?\*\*\*\s?", response)
    count = len(parts)
    for i, part in enumerate(parts):
        if not part.strip():
            if i in (0, len(parts) - 1):
                count -= 1
            else:
                return False
    return count == num_paragraphs


def json_format(response: str) -> bool:
    """The whole response (a ``` fence around it allowed) parses as JSON."""
    value = (
        response.strip()
        .removeprefix("```json")
        .removeprefix("```Json")
        .removeprefix("```JSON")
        .removeprefix("```")
        .removesuffix("```")
        .strip()
    )
    try:
        json.loads(value)
    except ValueError:
        return False
    return True


def two_responses(response: str) -> bool:
    """Two different, non-empty answers separated by ``******``."""
    answers = []
    parts = response.split("******")
    for i, part in enumerate(parts):
        if not part.strip():
            if i not in (0, len(parts) - 1):
                return False
        else:
            answers.append(part)
    return len(answers) == 2 and answers[0].strip() != answers[1].strip()


def highlighted_sections(response: str, *, num_highlights: int, relation: str = "") -> bool:
    """At least ``num_highlights`` non-empty ``*...*`` or ``**...**`` spans (Spanish's relation is not checked)."""
    count = sum(1 for h in re.findall(r"\*[^\n\*]*\*", response) if h.strip("*").strip())
    count += sum(
        1 for h in re.findall(r"\*\*[^\n\*]*\*\*", response) if h.removeprefix("**").removesuffix("**").strip()
    )
    return count >= num_highlights


def constrained_response(options: tuple[str, ...]):
    """A check: the (stripped) response contains one of ``options``."""

    def check(response: str) -> bool:
        value = response.strip()
        return any(option in value for option in options)

    return check


def first_paragraph_split(response: str, nth_paragraph: int) -> tuple[int, str | None]:
    """(paragraphs split by a blank line, not counting empty ones; the stripped nth one or None)."""
    paragraphs = re.split(r"\n\n", response)
    count = len(paragraphs) - sum(1 for p in paragraphs if not p.strip())
    if nth_paragraph > count:
        return count, None
    paragraph = paragraphs[nth_paragraph - 1].strip()
    return count, paragraph or None


def sections(response: str, *, section_spliter: str, num_sections: int, relation: str = "") -> bool:
    """At least ``num_sections`` sections, each starting with ``section_spliter`` and a number (es and fr alike;
    Spanish's prompts also pass a ``relation``, which the reference ignores)."""
    return len(re.split(r"\s?" + section_spliter.strip() + r"\s?\d+\s?", response)) - 1 >= num_sections


def keywords(response: str, *, keywords: list[str]) -> bool:
    """Every keyword found, case-insensitive, as a pattern (the reference's ``re.search``)."""
    return all(re.search(k, response, flags=re.IGNORECASE) for k in keywords)


def forbidden(response: str, *, forbidden_words: list[str]) -> bool:
    """None of the words, as whole words (``\b``), case-insensitive."""
    return not any(re.search(r"\b" + w + r"\b", response, flags=re.IGNORECASE) for w in set(forbidden_words))
