"""What a reader takes as the text of an answer: prose without its code, links and identifiers; which scripts it
is written in; the full-width forms of a punctuation mark. The reader checks (``reader.py``) build on these."""

from __future__ import annotations

import re

from crabplug import shared_reading

_KEYWORD_ARGS = ("keyword", "keyword1", "keyword2", "keywords", "letter", "forbidden_words")

_RELATIONS = {"at least", "less than"}
_FENCE = re.compile(r"```.*?(?:```|$)", re.S)
_INLINE = re.compile(r"`[^`\n]+`")
_URL = re.compile(r"https?://\S+|www\.\S+")
#: identifiers a splitter breaks at dots or reads as words: io.ktor.client, snake_case, camelCase, f(x)
_IDENT = re.compile(
    r"\b[a-z_]\w+(?:\.[A-Za-z_]\w*)+(?:\(\))?|\b\w+_\w+\b|\b[a-z]+[A-Z]\w*\b|\b[A-Za-z_]\w*\([^()\s]*\)"
)
#: a line of code outside fences: a shebang, a definition or import, a lone brace, a statement ending in ";", a tag
_CODE_LINE = re.compile(
    r"^\s*(?:#!|#include\b|def \w|class \w|import \w|from [\w.]+ import |return\b|[{}]\s*$"
    r"|</?[a-zA-Z][\w-]*[^>\n]*>\s*$|(?:SELECT|FROM|WHERE|GROUP BY|ORDER BY|LEFT JOIN)\b"
    r"|[A-Za-z_][\w.]*\s*=\s*[\w.]+\(|[a-z_]\w*(?:\.\w+)+\(.*\)\s*$)"
    r"|[;{]\s*$",
    re.M,
)
#: a block between two ruled lines (------), the way some models set off code without a fence
_RULED = re.compile(r"^[ \t]*[-─=_]{10,}[ \t]*\n(.*?)\n[ \t]*[-─=_]{10,}[ \t]*$", re.S | re.M)
#: a line break inside a sentence (verse, a wrapped line): no sentence mark before it, no blank line or item after.
#: ``(?<![ \t][ \t])`` changes no match (the leftmost one starts where its run of blanks starts, or one blank in,
#: after a sentence mark) but stops the scan from retrying inside a run: a 100,000-space flood took 14 s.
_SOFT_BREAK = re.compile(r"(?<![.!?:;。！？])(?<![ \t][ \t])[ \t]*\n(?![ \t]*\n)(?![ \t]*(?:[-*•]|\d+[.)]|#))")
#: the end of a paragraph without a sentence mark: a reader ends a sentence there all the same
_UNENDED = re.compile(r"(?<=[\w)\]²³%°])(?=[ \t]*\n[ \t]*\n)")
#: a placeholder a reader fills in: in a sentence, not a section tag on its own line ([Chorus], [Verse 1])
_PLACEHOLDER = re.compile(r"(?<![\]\w])\[([A-Za-z][A-Za-z _/-]{0,40})\](?![(\[:])")
#: a line of code: a comment, a statement end, an assignment, an instruction with a memory operand
_CODE_MARKS = re.compile(r"//|;\s*$|\w\[|\]\s*=|=\s*\[|^\s*[a-z]{2,5} \[|\],\s*\w+\s*$")
#: a line of a drawn diagram: its [boxes] are not placeholders
_DIAGRAM = re.compile(r"[│▼▲►◄─→←↓↑┌┐└┘├┤]|-{2,}>|\|")
#: types about Latin letters or English words: trivially true on an answer mostly in another script
LATIN_TYPES = frozenset(
    {
        "keywords:letter_frequency",
        "letters:letter_counting2",
        "keywords:no_adjacent_consecutive",
        "keywords:forbidden_words",
        "keywords:exclude_word_harder",
        "crab:chars_per_word",
        "count:lowercase_counting",
        "change_case:capital_word_frequency",
    }
)
_SCRIPTS = {
    "latin": re.compile(r"[A-Za-z\u00c0-\u024f]{2,}"),
    "cjk": re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]"),
    "cyrillic": re.compile(r"[\u0400-\u04ff]{2,}"),
    "arabic": re.compile(r"[\u0600-\u06ff]{2,}"),
    "devanagari": re.compile(r"[\u0900-\u097f]{2,}"),
    "greek": re.compile(r"[\u0370-\u03ff]{2,}"),
    "thai": re.compile(r"[\u0e00-\u0e7f]{2,}"),
    "hebrew": re.compile(r"[\u0590-\u05ff]{2,}"),
    "bengali": re.compile(r"[\u0980-\u09ff]{2,}"),
    "gurmukhi": re.compile(r"[\u0a00-\u0a7f]{2,}"),
    "gujarati": re.compile(r"[\u0a80-\u0aff]{2,}"),
    "tamil": re.compile(r"[\u0b80-\u0bff]{2,}"),
    "telugu": re.compile(r"[\u0c00-\u0c7f]{2,}"),
    "kannada": re.compile(r"[\u0c80-\u0cff]{2,}"),
    "malayalam": re.compile(r"[\u0d00-\u0d7f]{2,}"),
}
_LANGUAGE_SCRIPT = {
    "bn": "bengali", "pa": "gurmukhi", "gu": "gujarati", "ta": "tamil", "te": "telugu", "kn": "kannada",
    "ml": "malayalam",
    "ru": "cyrillic", "uk": "cyrillic", "bg": "cyrillic", "zh": "cjk", "zh-cn": "cjk", "zh-tw": "cjk",
    "ja": "cjk", "ko": "cjk", "ar": "arabic", "fa": "arabic", "ur": "arabic", "hi": "devanagari",
    "mr": "devanagari", "ne": "devanagari", "el": "greek", "th": "thai", "he": "hebrew",
}  # fmt: skip
#: type -> the marks it forbids (their full-width forms count for a reader too)
_FORBIDS = {
    "punctuation:no_comma": ",",
    "punctuation:punctuation_exclamation": "!",
    "punctuation:punctuation_dot": ".",
}
#: types about the whole text as written (a copy of the request, quotes around it, JSON): code is part of it
_WHOLE_TEXT = ("combination:", "copy:", "startend:quotation", "detectable_format:json_format")
#: scripts written without spaces between words, and the counts their splitting falsifies
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\u0e00-\u0e7f]{4,}")
_SPLIT_COUNTS = frozenset({"words", "sentences", "letters", "capital words"})
#: other forms a reader takes for a mark: full-width, Arabic, curly; "-" in "no hyphens or dashes" covers every dash
_EXTRA_WIDE = {
    "-": "—–‐‑−",
    ",": "，、،",
    ".": "。．",
    "!": "！",
    "?": "？؟",
    ";": "；؛",
    ":": "：",
    '"': "“”„«»",
    "'": "‘’",
}


def full_width(mark: str) -> str:
    """The full-width forms a reader takes for ``mark`` (``!`` -> ``！``)."""
    wide = chr(ord(mark) + 0xFEE0) if len(mark) == 1 and 0x21 <= ord(mark) <= 0x7E else ""
    return wide + _EXTRA_WIDE.get(mark, "")


@shared_reading  # every reader check of every constraint asks for it: computed once per answer
def prose(response: str) -> str:
    """What a reader takes as text: code blocks, inline code, links and identifiers each become one plain word."""
    text = _FENCE.sub("\n\nsnippet\n\n", response)
    text = _RULED.sub(lambda m: "\n\nsnippet\n\n" if _CODE_LINE.search(m.group(1)) else m.group(), text)
    # a paragraph holding a line of code (an import, a statement ending in ";", SQL) is code, fenced or not
    text = "\n\n".join("snippet" if _CODE_LINE.search(p) else p for p in re.split(r"\n[ \t]*\n", text))
    text = _INLINE.sub("snippet", text)
    text = _URL.sub("link", text)
    return _IDENT.sub("name", text)


@shared_reading
def has_code(response: str) -> bool:
    return prose(response) != response


def other_script(response: str, language: str) -> bool:
    """True when a run of a script the language does not use appears (Latin runs of 2+ letters count)."""
    own = _LANGUAGE_SCRIPT.get(language.lower(), "latin")
    return any(pattern.search(response) for name, pattern in _SCRIPTS.items() if name != own)


_HANGUL = re.compile(r"[\uac00-\ud7af]")
_KANA = re.compile(r"[\u3040-\u30ff]")


def own_script(response: str, language: str) -> bool:
    """The marks a reader needs to see the language: Hangul for Korean, kana for Japanese, no Hangul or kana for
    Chinese (all three share the CJK block the scripts test looks at)."""
    language = language.lower()
    if language == "ko":
        return len(_HANGUL.findall(response)) >= 10
    if language == "ja":
        return len(_KANA.findall(response)) >= 10
    if language.startswith("zh"):
        return not _HANGUL.search(response) and len(_KANA.findall(response)) < 3
    return True


def placeholders(text: str) -> int:
    """Fill-in placeholders a reader sees: ``[name]`` in a line of text, not a tag alone on its line."""
    return sum(
        1
        for line in text.splitlines()
        if not _DIAGRAM.search(line)  # [Start] -> [End] boxes of a flowchart are not fill-ins
        and not _CODE_MARKS.search(line)  # "mov [AmmoValue], rdi", "a[i] = 0": brackets of code
        for m in _PLACEHOLDER.finditer(line)
        if line.strip() != m.group()
    )
