"""IFBench's ``format:`` types: brackets, quotes, bullets, lines, emoji, italics, templates, case.

Each check gives the verdict of IFBench's checker of the same id (this package's tests/test_ifbench_parity.py
compares them).
"""

from __future__ import annotations

import re
import string

from crabplug_ifbench.catalog import eval_type
from crabplug_ifbench.text import STRIP, sentences, without_punctuation, word_tokens

_PAIRS = {")": "(", "]": "[", "}": "{"}


def parentheses(response: str) -> bool:
    open_, deepest = [], 0
    for char in response:
        if char in "([{":
            open_.append(char)
            deepest = max(deepest, len(open_))
        elif char in ")]}":
            if open_ and open_[-1] == _PAIRS[char]:
                open_.pop()
                if deepest >= 5 and len(open_) < deepest:  # closed a group that was 5 deep
                    return True
            else:  # a mismatch starts the count again
                open_, deepest = [], 0
    return False


def quotes(response: str) -> bool:
    open_, deepest = [], 0
    for char in response:
        if open_ and char == open_[-1]:
            open_.pop()
            if deepest - len(open_) >= 3:
                return True
        elif char in "\"'":
            open_.append(char)
            deepest = max(deepest, len(open_))
    return False


def _options(options: str) -> tuple[bool, list[str]]:
    strict = re.match(r"\W*[aA]\W*[bB]\W*[cC]\W*", options) is not None  # a), b), c): exact answers only
    separator = "/" if "/" in options else "or" if "or" in options else ","
    return strict, [o.strip() for o in options.split(separator)]


def options(response: str, *, options: str) -> bool:
    strict, choices = _options(options)
    if strict:
        return response in choices
    answer = response.strip(STRIP).lower()
    return any(c.strip(STRIP).lower() == answer for c in choices)


def newline(response: str) -> bool:
    text = without_punctuation(response)
    lines = [line for line in text.strip().split("\n") if line != ""]
    return len(lines) == len(text.strip().split())


def _is_emoji(char: str) -> bool:
    import emoji

    return emoji.is_emoji(char)


def emoji_sentences(response: str) -> bool:
    sents = sentences(response)
    for i, sentence in enumerate(sents):
        bare = without_punctuation(sentence).strip()
        if not bare:
            return False
        if _is_emoji(bare[-1]) or _is_emoji(bare[-2] if len(bare) > 1 else bare[-1]):
            continue
        if i == len(sents) - 1:
            return False
        following = without_punctuation(sents[i + 1]).strip()  # the emoji may open the next "sentence"
        if not following or not _is_emoji(following[0]):
            return False
    return True


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def line_indent(response: str) -> bool:
    lines = response.split("\n")
    # IFBench removes blank lines while iterating over the same list, which skips the line after each one
    # removed; the verdicts depend on that, so it is done the same way.
    for line in lines:
        if not line.strip():
            lines.remove(line)
    return all(_indent(b) > _indent(a) for a, b in zip(lines, lines[1:], strict=False))


def quote_unquote(response: str) -> bool:
    text = "".join(response.replace("'\"'", "").split())
    if '""' in text:
        return False
    rest = text.strip(string.digits + string.punctuation.replace('"', ""))
    return not (rest and rest[-1] == '"')


def bullet_list(response: str, *, sep: str) -> bool:
    return response.count(sep) >= 2


def thesis(response: str) -> bool:
    start = response.find("<i>")
    if start == -1:
        start = response.find("<em>")
        if start == -1:
            return False
    text = response[start:]
    end = text.find("</i>")
    if end == -1:
        end = text.find("</em>")
        if end == -1:
            return False
    # offsets of 3 and 4 whatever the tag, as IFBench's checker has them
    return text[3:end].strip() != "" and text[end + 4 :].strip() != ""


def sub_bullets(response: str) -> bool:
    return all("-" in part for part in response.split("*")[1:])


def no_bullets_bullets(response: str) -> bool:
    in_sentences, n_sentences, n_bullets = True, 0, 0
    for line in response.split("\n"):
        if line.strip().startswith("*"):
            in_sentences = False
            if n_sentences < 2:
                return False
            n_bullets += 1
        elif in_sentences:
            found = sentences(line.strip())
            n_sentences += len(found)
            in_sentences = bool(found)  # IFBench reuses this flag for the line's sentences: a blank line ends them
        else:
            return False
    return n_bullets >= 2


def title_case(response: str) -> bool:
    for word in word_tokens(response):
        if not word or not word[0].isalpha():
            continue
        if len(word) == 1:
            if word[0].islower():
                return False
            continue
        if word[0].isupper() and word[1:].islower():
            continue
        if word[0].islower() and (word[1:].isupper() or word[1:].islower()):
            return False
    return True


def output_template(response: str) -> bool:
    return all(part in response for part in ("My Answer:", "My Conclusion:", "Future Outlook:"))


def no_whitespace(response: str) -> bool:
    return not any(char.isspace() for char in response)


TYPES = [
    eval_type(
        "format:parentheses", parentheses, "Nest parentheses (and [brackets {{and braces}}]) at least 5 levels deep."
    ),
    eval_type(
        "format:quotes",
        quotes,
        "Include quotes within quotes within quotes, at least 3 levels deep, alternating between double quotes "
        "and single quotes.",
    ),
    eval_type(
        "format:options",
        options,
        "Answer with one of the following options: {options}. Do not give any explanation.",
        example={"options": "yes/no/maybe"},
    ),
    eval_type("format:newline", newline, "Write each word on a new line."),
    eval_type("format:emoji", emoji_sentences, "Please use an emoji at the end of every sentence."),
    eval_type("format:line_indent", line_indent, "Create stairs by incrementally indenting each new line."),
    eval_type(
        "format:quote_unquote", quote_unquote, "Every quoted phrase must be followed by an unquoted explanation."
    ),
    eval_type(
        "format:list",
        bullet_list,
        "Answer with a list of items, instead of bullet points use {sep}.",
        example={"sep": "SEPARATOR"},
    ),
    eval_type(
        "format:thesis",
        thesis,
        "Each section must begin with a thesis statement in italics, use HTML to indicate the italics.",
    ),
    eval_type(
        "format:sub-bullets",
        sub_bullets,
        "Your response must include bullet points denoted by * and at least one sub-bullet point denoted by - for "
        "each bullet point.",
    ),
    eval_type(
        "format:no_bullets_bullets",
        no_bullets_bullets,
        "Your answer must contain at least two sentences ending in a period followed by at least two bullet "
        "points denoted by *.",
    ),
    eval_type(
        "format:title_case",
        title_case,
        "Write the entire response in title case (capitalize the first letter of every major word).",
    ),
    eval_type(
        "format:output_template",
        output_template,
        "Use this exact template for your response: My Answer: [answer] My Conclusion: [conclusion] "
        "Future Outlook: [outlook]",
    ),
    eval_type("format:no_whitespace", no_whitespace, "The output should not contain any whitespace."),
]
