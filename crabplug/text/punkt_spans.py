"""NLTK's ``PunktSentenceTokenizer.tokenize`` (3.9+) in one pass, for sentence counts on long answers.

NLTK finds a sentence's end in three chained generators (``_match_potential_end_contexts``,
``_slices_from_text``, ``_realign_boundaries``), slicing the text between candidate periods and scanning it
back character by character for the last space. This is the same walk, in the same order, with the same
decisions (the tokenizer's own ``text_contains_sentbreak`` and patterns), over indices into the text:
``str.rfind`` within bounds instead of slices, and the realignment pattern tried only where it can match
(its first character is a closing quote or bracket: a one-character text matches it exactly then).
"""

from __future__ import annotations

from typing import Any

_WHITESPACE = " \n\t\r\x0b\x0c"  # string.whitespace, which NLTK scans for
_CLOSES: dict[tuple[int, str], bool] = {}  # (id of a realignment pattern, char) -> can start a match


def sentences(tokenizer: Any, text: str) -> list[str]:
    """``tokenizer.tokenize(text)`` for an NLTK ``PunktSentenceTokenizer`` (realigned boundaries)."""
    contains_break = tokenizer.text_contains_sentbreak
    slices: list[tuple[int, int]] = []
    last_break = 0

    def decide(match: Any, start: int, stop: int) -> None:
        nonlocal last_break
        if contains_break(text[start:stop] + match.group() + match.group("after_tok")):
            slices.append((last_break, match.end()))
            last_break = match.start("next_tok") if match.group("next_tok") else match.end()

    previous, prev_start, prev_stop = None, 0, 0
    rare = [char for char in _WHITESPACE[2:] if char in text]  # tabs, returns... (usually none)
    for match in tokenizer._lang_vars.period_context_re().finditer(text):
        begin = match.start()
        # the word before the candidate: after the last whitespace between the previous candidate and this
        # one; NLTK's index 0 (a space right at the previous candidate) counts as none found
        space = max(text.rfind(" ", prev_stop, begin), text.rfind("\n", prev_stop, begin))
        for char in rare:
            space = max(space, text.rfind(char, max(space, prev_stop), begin))
        start = space + 1 if space > prev_stop else prev_start
        if previous is not None and prev_stop <= start:
            decide(previous, prev_start, prev_stop)
        previous, prev_start, prev_stop = match, start, begin
    if previous is not None:
        decide(previous, prev_start, prev_stop)
    slices.append((last_break, len(text.rstrip())))

    realign_re = tokenizer._lang_vars.re_boundary_realignment
    spans, realign = [], 0
    for i, (start, stop) in enumerate(slices):
        start += realign
        if i + 1 == len(slices):
            if start < stop:
                spans.append((start, stop))
            break
        next_start, next_stop = slices[i + 1]
        found = None
        if next_start < next_stop and _closes(realign_re, text[next_start]):
            found = realign_re.match(text[next_start:next_stop])
        if found:
            spans.append((start, next_start + len(found.group(0).rstrip())))
            realign = found.end()
        else:
            realign = 0
            if start < stop:
                spans.append((start, stop))
    return [text[start:stop] for start, stop in spans]


def _closes(pattern: Any, char: str) -> bool:
    key = (id(pattern), char)  # the patterns live as long as their (cached) tokenizers
    found = _CLOSES.get(key)
    if found is None:
        found = _CLOSES[key] = pattern.match(char) is not None
    return found
