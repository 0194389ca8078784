"""Checks about layout and markers: paragraphs, bullets, highlights, sections, JSON, start and end."""

from __future__ import annotations

import json
import re

_PARAGRAPH_DIVIDER = re.compile(r"\s?\*\*\*\s?")
_PLACEHOLDER = re.compile(r"\[.*?\]")
_STAR_BULLET = re.compile(r"^\s*\*[^\*].*$", flags=re.MULTILINE)
_DASH_BULLET = re.compile(r"^\s*-.*$", flags=re.MULTILINE)
_HIGHLIGHT = re.compile(r"\*[^\n\*]*\*")
_DOUBLE_HIGHLIGHT = re.compile(r"\*\*[^\n\*]*\*\*")
_TITLE = re.compile(r"<<[^\n]+>>")
_PLAIN = re.compile(r"[A-Za-z0-9 ]+")  # letters, digits and spaces: a regex of them is the literal text
CONSTRAINED_OPTIONS = ("My answer is yes.", "My answer is no.", "My answer is maybe.")


def number_paragraphs(response: str, *, num_paragraphs: int) -> bool:
    """Exactly ``num_paragraphs`` parts between ``***`` dividers; an empty part inside fails."""
    parts = _PARAGRAPH_DIVIDER.split(response) if "***" in response else [response]  # no divider: no scan
    count = len(parts)
    for i, part in enumerate(parts):
        if not part.strip():
            if i in (0, len(parts) - 1):
                count -= 1
            else:
                return False
    return count == num_paragraphs


def nth_paragraph_first_word(response: str, *, num_paragraphs: int, nth_paragraph: int, first_word: str) -> bool:
    """``num_paragraphs`` blank-line paragraphs and paragraph ``nth_paragraph`` starts with ``first_word``.

    As in IFEval, empty paragraphs are not counted but still occupy a position when indexing.
    """
    parts = response.split("\n\n")
    count = sum(1 for p in parts if p.strip())
    if nth_paragraph > count:
        return False
    paragraph = parts[nth_paragraph - 1].strip()
    if not paragraph:
        return False
    return count == num_paragraphs and first_word_of(paragraph) == first_word.lower()


def first_word_of(paragraph: str) -> str:
    """IFEval's first word of a (stripped, non-empty) paragraph: lowercased, cut at punctuation."""
    word = paragraph.split()[0].strip().lstrip("'").lstrip('"')
    first = []
    for char in word:
        if char in ".,?!'\"":
            break
        first.append(char.lower())
    return "".join(first)


def number_placeholders(response: str, *, num_placeholders: int) -> bool:
    """At least ``num_placeholders`` ``[...]`` placeholders."""
    return count_placeholders(response) >= num_placeholders


def count_placeholders(response: str) -> int:
    """Non-overlapping ``[...]`` spans."""
    return len(_PLACEHOLDER.findall(response))


def postscript(response: str, *, postscript_marker: str) -> bool:
    """A line holds the marker (``P.S.`` and ``P.P.S`` also match spaced or lowercase forms)."""
    # IFEval's patterns start with r"\s*", which may match nothing: a search finds a match with it exactly
    # when it finds one without it. Dropping it keeps every verdict and avoids quadratic time on long
    # whitespace runs (a real answer with 86,739 spaces in a row took IFEval's pattern over three minutes).
    marker = postscript_marker.strip()
    if marker == "P.P.S":
        pattern = r"p\.\s?p\.\s?s.*$"
    elif marker == "P.S.":
        pattern = r"p\.\s?s\..*$"
    else:
        pattern = marker.lower() + r".*$"
        if pattern[0] in "*+?{":  # the marker would quantify IFEval's \s (lazy, possessive): keep it
            pattern = r"\s*" + pattern
    return re.search(pattern, response.lower(), flags=re.MULTILINE) is not None


def number_bullet_lists(response: str, *, num_bullets: int) -> bool:
    """Exactly ``num_bullets`` lines starting with ``*`` (not ``**``) or ``-``."""
    return count_bullets(response) == num_bullets


def count_bullets(response: str) -> int:
    """Lines starting with ``*`` (not ``**``) or ``-``, after optional whitespace."""
    return len(_STAR_BULLET.findall(response)) + len(_DASH_BULLET.findall(response))


def constrained_response(response: str) -> bool:
    """Contains one of ``My answer is yes.`` / ``no.`` / ``maybe.``."""
    return any(option in response for option in CONSTRAINED_OPTIONS)


def number_highlighted_sections(response: str, *, num_highlights: int) -> bool:
    """At least ``num_highlights`` non-empty ``*...*`` spans (``**...**`` ones count again)."""
    return count_highlights(response) >= num_highlights


def count_highlights(response: str) -> int:
    """Non-empty ``*...*`` spans on one line, plus non-empty ``**...**`` spans counted again."""
    found = sum(1 for h in _HIGHLIGHT.findall(response) if h.strip("*").strip())
    return found + sum(1 for h in _DOUBLE_HIGHLIGHT.findall(response) if h[2:-2].strip())


def multiple_sections(response: str, *, section_spliter: str, num_sections: int) -> bool:
    """At least ``num_sections`` markers ``<section_spliter> <number>``."""
    spliter = section_spliter.strip()
    if _PLAIN.fullmatch(spliter) and spliter not in response:  # a literal the regex needs, absent
        return 0 >= num_sections
    pattern = r"\s?" + spliter + r"\s?\d+\s?"
    return len(re.split(pattern, response)) - 1 >= num_sections


def json_format(response: str) -> bool:
    """The whole response is JSON, optionally inside a ```json fence."""
    value = response.strip()
    for fence in ("```json", "```Json", "```JSON", "```"):
        value = value.removeprefix(fence)
    value = value.removesuffix("```").strip()
    try:
        json.loads(value)
    except ValueError:
        return False
    return True


def title(response: str) -> bool:
    """A non-blank ``<<title>>`` on one line."""
    return any(t.lstrip("<").rstrip(">").strip() for t in _TITLE.findall(response))


def two_responses(response: str) -> bool:
    """Two different non-empty responses separated by ``******`` (empty parts only at the ends)."""
    parts = response.split("******")
    kept = []
    for i, part in enumerate(parts):
        if part.strip():
            kept.append(part)
        elif i not in (0, len(parts) - 1):
            return False
    return len(kept) == 2 and kept[0].strip() != kept[1].strip()


def repeat_prompt(response: str, *, prompt_to_repeat: str) -> bool:
    """Starts with the prompt, ignoring case and surrounding whitespace."""
    return response.strip().lower().startswith(prompt_to_repeat.strip().lower())


def end_checker(response: str, *, end_phrase: str) -> bool:
    """Ends with ``end_phrase`` (ignoring case, surrounding whitespace and double quotes)."""
    return response.strip().strip('"').lower().endswith(end_phrase.strip().lower())


def quotation(response: str) -> bool:
    """Wrapped in double quotes."""
    value = response.strip()
    return len(value) > 1 and value[0] == '"' and value[-1] == '"'
