"""A seed's language: what it is, how its text is counted, and how constraints are phrased in it.

crabplug's constraint types phrase themselves in English (``describe``). For a seed in another language this
module holds what back-translation needs instead:

- :func:`language_of`: the seed's language, from its metadata (``lang`` or ``language``, as the bundled set and
  most multilingual datasets carry it); English when it says nothing. :func:`guess_language` reads it from text.
- :data:`UNITS` (:func:`sentences`, :func:`count`): sentences end with . ! ? … in Spanish and French and with
  。！？ in Japanese; Japanese is counted in characters, since its words are not separated.
- :func:`stopwords` and :func:`keywords`: YAKE's stop-word lists per language; Japanese keywords are runs of
  kanji or katakana (content words), as no tokenizer is needed for those.
- :func:`describe`: a constraint's sentence in the seed's language: the type's own ``describe`` when the type
  writes that language (``ConstraintType.language``: English for most, ``ja`` for M-IFEval's ``ja:`` types),
  else its ``phrasings[language]`` (families keep those tables; :func:`plural` keeps them grammatical for 1 and
  for many). None when the type has none: such a constraint is not written for that seed.
- :data:`HEADERS`: the combiner's list headers and woven leads per language (one language per instruction).

English goes through none of the tables: its sentences, counts and phrasings are the types' own, unchanged.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from functools import cache
from typing import Any

ENGLISH = "en"
#: the languages with phrasing tables and units (English is the types' own)
LANGUAGES = ("en", "es", "fr", "ja")


def normalize(code: Any) -> str:
    """``es-MX`` -> ``es``, ``FR`` -> ``fr``, ``ja_JP`` -> ``ja``; anything unusable -> ``en``."""
    if not isinstance(code, str) or not code.strip():
        return ENGLISH
    return re.split(r"[-_]", code.strip().lower())[0] or ENGLISH


def language_of(metadata: Mapping[str, Any] | None) -> str:
    """The seed's language as its metadata names it (``lang`` or ``language``); English when it names none."""
    metadata = metadata or {}
    return normalize(metadata.get("lang") or metadata.get("language"))


def guess_language(text: str) -> str:
    """langdetect's reading of ``text`` (seed 0, so the same text gives the same answer); English if it cannot.
    The shared analysis's guess (``analyze(text).language``): the same answer, computed once and faster."""
    from crabplug.text.analysis import analyze

    found = analyze(text).language
    return ENGLISH if found is None else normalize(found)


# -- units ----------------------------------------------------------------------------------------------------

_END = {
    "es": re.compile(r"(?<=[.!?…])[\"'”»)\]]*\s+"),
    "fr": re.compile(r"(?<=[.!?…])[\"'”»)\]]*\s+"),
}
_JA_OPEN, _JA_CLOSE, _JA_END = "「『（(", "」』）)", "。！？!?"


def _japanese_sentences(line: str) -> list[str]:
    """Cut after 。！？ outside 「」『』（）: a question quoted inside a sentence does not end it."""
    out, start, depth = [], 0, 0
    for i, char in enumerate(line):
        if char in _JA_OPEN:
            depth += 1
        elif char in _JA_CLOSE:
            depth = max(0, depth - 1)
        elif char in _JA_END and depth == 0:
            out.append(line[start : i + 1])
            start = i + 1
    return [s.strip() for s in [*out, line[start:]] if s.strip()]
_WORD = re.compile(r"\w+")


def sentences(text: str, language: str) -> list[str]:
    """The sentences of ``text`` in ``language``: lines, cut after its sentence marks (English: Punkt)."""
    if language == "ja":
        return [s for line in text.split("\n") for s in _japanese_sentences(line)]
    if language not in _END:
        from crabplug.text.sentences import sent_tokenize

        return list(sent_tokenize(text))
    return [s.strip() for line in text.split("\n") for s in _END[language].split(line) if s.strip()]


#: what a length counts in each language: words, or characters where words are not separated
UNITS = {"en": "words", "es": "words", "fr": "words", "ja": "characters"}


def count(text: str, language: str) -> int:
    """The length of ``text`` in its language's unit: ``\\w+`` words, or non-space characters for Japanese."""
    if UNITS.get(language) == "characters":
        return sum(1 for c in text if not c.isspace())
    return len(_WORD.findall(text))


# -- keywords -------------------------------------------------------------------------------------------------


@cache
def stopwords(language: str) -> frozenset[str]:
    """YAKE's stop-word list for ``language`` (read from the installed yake package); empty if it has none."""
    from importlib.util import find_spec
    from pathlib import Path

    spec = find_spec("yake")
    if spec is None or not spec.submodule_search_locations:
        return frozenset()
    path = Path(next(iter(spec.submodule_search_locations))) / "core" / "StopwordsList" / f"stopwords_{language}.txt"
    if not path.exists():
        return frozenset()
    return frozenset(w.strip().lower() for w in path.read_text(encoding="utf-8", errors="ignore").split())


_JA_CONTENT = re.compile(r"[\u4e00-\u9fff々]{2,}|[\u30a1-\u30fa\u30fc]{3,}")  # kanji compounds, katakana words


def keywords(text: str, language: str, top: int = 5) -> list[str]:
    """The most frequent content words of ``text`` (not stop-words, 4+ letters; Japanese: kanji compounds and
    katakana words), most frequent first, ties in order of appearance."""
    if language == "ja":
        found = _JA_CONTENT.findall(text)
    else:
        stop = stopwords(language)
        found = [w for w in _WORD.findall(text.lower()) if len(w) >= 4 and not w.isdigit() and w not in stop]
    ranked = Counter(found)
    first = {w: i for i, w in reversed(list(enumerate(found)))}
    return sorted(ranked, key=lambda w: (-ranked[w], first[w]))[:top]


# -- phrasing -------------------------------------------------------------------------------------------------

#: relation words of IFEval-style kwargs ("at least", "less than") per language, for phrasing tables
RELATIONS = {
    "es": {"at least": "al menos", "less than": "menos de"},
    "fr": {"at least": "au moins", "less than": "moins de"},
    "ja": {"at least": "以上", "less than": "未満"},
}


def plural(n: Any, one: str, many: str) -> str:
    """``one`` for 1, ``many`` otherwise, with ``{n}`` filled: phrasing tables stay grammatical for 1 and many."""
    return (one if n == 1 else many).format(n=n)


def content_words(language: str, words: Any) -> bool:
    """Whether ``words`` (a word or a list) are all content words in ``language``: none is a stop-word there."""
    words = [words] if isinstance(words, str) else words
    stop = stopwords(language)
    return isinstance(words, list | tuple) and bool(words) and all(str(w).lower() not in stop for w in words)


def sayable(ctype: Any, kwargs: Mapping[str, Any], language: str) -> bool:
    """Whether a constraint of ``ctype`` can be written for a seed in ``language`` (:func:`describe` says it)."""
    return describe(ctype, kwargs, language, None) is not None if ctype.language != language else True


def describe(ctype: Any, kwargs: Mapping[str, Any], language: str, rng: Any) -> str | None:
    """A constraint's sentence for a seed in ``language``: the type's own ``describe`` when it writes that
    language (English for most), else its phrasing for that language; None when it has none that fits."""
    if ctype.language == language:
        return ctype.describe(kwargs, rng)
    phrase = ctype.phrasings.get(language)
    if phrase is None:
        return None
    try:
        return phrase(kwargs)
    except (KeyError, TypeError, IndexError, ValueError):  # kwargs it cannot say (an unknown relation or language)
        return None


#: the combiner's words per language: list headers and woven leads (English's are the combiner's own)
HEADERS: dict[str, dict[str, tuple[str, ...]]] = {
    "es": {
        "list": ("Tu respuesta debe cumplir estas condiciones:", "Requisitos de la respuesta:",
                 "Al responder, respeta estas reglas:"),
        "woven": ("", "Además, ", "Ten en cuenta: "),
    },
    "fr": {
        "list": ("Votre réponse doit respecter ces contraintes :", "Exigences pour la réponse :",
                 "En répondant, suivez ces règles :"),
        "woven": ("", "De plus, ", "À noter : "),
    },
    "ja": {
        "list": ("応答は次の条件を満たしてください：", "回答の条件：", "以下のルールを守って答えてください："),
        "woven": ("", "また、", "なお、"),
    },
}  # fmt: skip
