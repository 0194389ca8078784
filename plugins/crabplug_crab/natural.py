"""Which constraints a person would ask for: the combiner's choice of lines (issue 30).

Every constraint the combiner gets is true by its checker and seen true by a reader (``reader.py``); that does
not make it a line a person writes. Readings of real samples found true but arbitrary lines ("the 7th word of
the 7th sentence must be study", "every word at most 15 letters", "use 'equal' less than 3 times", a keyword
nobody would name) and too many lines on short answers. So each type has a **natural** level, 0-5: how likely a
person asks for it (``ConstraintType.natural`` where a family declares it, else :data:`NATURAL`); a few
constraints are judged on their values too (a keyword that is not the answer's topic, a ceiling on a keyword,
an end phrase that is not a sentence). The combiner leaves out what falls below its ``min_natural`` and draws
the rest with weights that grow with the level; :data:`ASPECTS` keeps two lines about one aspect (two lengths,
two cases, two endings) out of one sample.
"""

from __future__ import annotations

import re

import attrs

from crabplug import Constraint, check, shared_reading
from crabplug_crab import fits
from crabplug_crab.lengths import asked_range
from crabplug_crab.prose import prose
from crabplug_crab.terms import cut_short, function_words, keywords

#: the level of each built-in type with a code check. 5: what people ask all the time (a length, bullets, a
#: title); 4: common (no commas, a P.S., Step sections, a keyword the request names: ``fits.CONDITIONS``); 3:
#: plausible beside those (all lowercase, *** between paragraphs, an end phrase, no "!", sentence lengths); 2:
#: arbitrary, read as a test's trick (repeat the request first, quotes around the answer, ALL CAPS, "My answer is
#: yes.", the first word, a word cap); 1: trivia no person asks for (positions, letter counts, word lengths, every
#: word in brackets); 0: never. (Levels 2 and 3 of IFEval's form edits come from reading 120 samples: docs/reading.md.)
NATURAL: dict[str, int] = {
    "crab:length_around": 5,
    "crab:length_at_most": 5,
    "crab:length_range": 5,
    "crab:length_at_least": 5,
    "length_constraints:number_words": 5,
    "detectable_format:number_bullet_lists": 5,
    "detectable_format:title": 5,
    "detectable_format:json_format": 4,
    "detectable_format:multiple_sections": 4,
    "detectable_format:number_highlighted_sections": 3,
    "length_constraints:number_paragraphs": 3,
    "change_case:english_lowercase": 3,
    "punctuation:no_comma": 4,
    "detectable_content:postscript": 4,
    "crab:keywords": 4,
    "keywords:existence": 4,
    "keywords:frequency": 3,
    "keywords:word_count_different_numbers": 3,
    "keywords:word_once": 2,
    "keywords:forbidden_words": 2,
    "paragraphs:paragraphs": 3,
    "paragraphs:paragraphs2": 3,
    "startend:end_checker": 3,
    "startend:quotation": 2,
    "detectable_format:constrained_response": 2,
    "detectable_content:number_placeholders": 3,
    "combination:repeat_prompt": 2,
    "combination:two_responses": 2,
    "change_case:english_capital": 2,
    "length_constraints:number_sentences": 2,
    "crab:words_per_sentence": 3,
    "language:response_language": 3,
    "punctuation:punctuation_exclamation": 3,
    "crab:no_punctuation": 2,
    "crab:sentences_per_paragraph": 2,
    "first_word:first_word_answer": 2,
    "last_word:last_word_answer": 2,
    "count:count_increment_word": 2,
    "change_case:capital_word_frequency": 2,
    "length_constraints:nth_paragraph_first_word": 2,
    "copy:copy": 2,
    "copy:copying_simple": 2,
    "letters:letter_counting": 1,
    "keywords:exclude_word_harder": 1,
    "keywords:keyword_specific_position": 1,
    "keywords:letter_frequency": 1,
    "letters:letter_counting2": 1,
    "crab:chars_per_word": 1,
    "keywords:palindrome": 1,
    "count:lowercase_counting": 1,
    "detectable_format:bigram_wrapping": 1,
    "detectable_format:square_brackets": 1,
    "detectable_format:sentence_hyphens": 1,
    "first_word:first_word_sent": 1,
    "last_word:last_word_sent": 1,
    "punctuation:punctuation_dot": 1,
    "keywords:start_end": 1,
    "copy:copying_multiple": 1,
    "copy:repeat_phrase": 1,
    "copy:copy_span_idx": 1,
    "new:copy_span_idx": 1,
    "count:counting_composition": 1,
    "keywords:no_adjacent_consecutive": 0,
    "count:count_unique": 0,
}
#: types about the whole answer as written (copy the request first, quotes around it): they fit a bare listing too
_WHOLE = ("combination:", "copy:", "startend:quotation", "detectable_format:json_format", "language:")
#: a type with no declaration and no entry: plausible, so a third-party family is not shut out by default
DEFAULT_LEVEL = 3
#: marks a person plausibly forbids (em dashes); others ("no &", "no #", "no semicolons") are arbitrary
_PLAIN_MARKS = frozenset({"—", "–"})

#: the aspect each type is about: one line an aspect in a sample ("about 300 words" and "less than 1100 letters"
#: read as one request said twice; "lowercase" and "no ALL CAPS words" likewise); keywords may take two lines
ASPECTS: dict[str, str] = {
    **dict.fromkeys(
        (
            "crab:length_around",
            "crab:length_at_most",
            "crab:length_range",
            "crab:length_at_least",
            "length_constraints:number_words",
            "length_constraints:number_sentences",
            "letters:letter_counting",
        ),
        "length",
    ),
    **dict.fromkeys(
        (
            "length_constraints:number_paragraphs",
            "length_constraints:nth_paragraph_first_word",
            "paragraphs:paragraphs",
            "paragraphs:paragraphs2",
            "detectable_format:multiple_sections",
            "combination:two_responses",
            "count:counting_composition",
        ),
        "layout",
    ),
    **dict.fromkeys(("crab:words_per_sentence", "crab:sentences_per_paragraph"), "sentence length"),
    **dict.fromkeys(
        (
            "change_case:english_lowercase",
            "change_case:english_capital",
            "change_case:capital_word_frequency",
            "count:lowercase_counting",
        ),
        "case",
    ),
    **dict.fromkeys(
        (
            "punctuation:no_comma",
            "punctuation:punctuation_exclamation",
            "punctuation:punctuation_dot",
            "crab:no_punctuation",
        ),
        "punctuation",
    ),
    **dict.fromkeys(
        (
            "first_word:first_word_answer",
            "combination:repeat_prompt",
            "copy:copy",
            "copy:copying_simple",
            "copy:copying_multiple",
        ),
        "start",
    ),
    **dict.fromkeys(("startend:end_checker", "last_word:last_word_answer", "detectable_content:postscript"), "end"),
    **dict.fromkeys(("startend:quotation", "detectable_format:json_format"), "wrapping"),
    **dict.fromkeys(
        (
            "crab:keywords",
            "keywords:existence",
            "keywords:frequency",
            "keywords:word_count_different_numbers",
            "keywords:word_once",
            "count:count_increment_word",
        ),
        "keywords",
    ),
}
#: how many lines an aspect may take in one sample (others: one). Keywords took two until held-out L: two lines of
#: the request's names ("Plinkos" and "Glarbites 3+ times", "Waldemir" and "Larissa") read as a checklist
ASPECT_LIMITS: dict[str, int] = {}
#: aspects whose lines never anchor a sample: "mention 'track'" next to "no em dashes" reads as picked, with no
#: length or format a person asked for (a held-out reading of 60 samples, docs/reading-60.md)
ANCHORLESS = frozenset({"keywords"})

_KEYWORD_TYPES = frozenset(k for k, v in ASPECTS.items() if v == "keywords")
_WORD = re.compile(r"[^\W\d_][\w'-]*")
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\u0e00-\u0e7f]")


def aspect(ctype, type_id: str) -> str:
    """What a type is about (:data:`ASPECTS`, else what it counts, else the type itself)."""
    return ASPECTS.get(type_id) or (getattr(ctype, "counts", "") if ctype is not None else "") or type_id


def key(c: Constraint) -> tuple:
    """A constraint's type and values, for looking its level up after the edits evolve it."""
    return c.type, repr(sorted(c.kwargs.items()))


def declared(ctype, type_id: str) -> int:
    """The type's level: its own ``natural`` when the family declares one, else :data:`NATURAL`."""
    own = getattr(ctype, "natural", None) if ctype is not None else None
    if own is not None and not callable(own):
        return int(own)
    return NATURAL.get(type_id, DEFAULT_LEVEL)


def known(ctype, type_id: str) -> bool:
    """Whether the type's level is known (declared by its family, or in :data:`NATURAL`), not the default."""
    return (getattr(ctype, "natural", None) if ctype is not None else None) is not None or type_id in NATURAL


def _stem(word: str) -> str:
    return word.lower()[:5] if len(word) > 5 else word.lower()


def topic(word: str, instruction: str, text: str, *, times: int | None = None) -> bool:
    """A word a person would name for this answer: no function word of any language, one of the request's words
    (or sharing its stem) that the answer uses at least twice, and not a term cut short ("egress-only internet"
    where the answer always says "egress-only internet gateway"). A word the request never names is not one
    ("include 'light'" in a song that says it six times read as picked from the answer, not asked: set G of
    docs/reading-60.md), unless ``times`` is given and the answer uses it that often. An empty ``text`` asks only
    whether the request names it."""
    if all(part.lower() in function_words() for part in word.split()):
        return False
    stem = _stem(word)
    found = list(re.finditer(r"(?<!\w)" + re.escape(word) + r"(?!\w)", text, flags=re.I))
    if text and cut_short(word, text, found):
        return False
    if " " in word.strip():  # a phrase: the request's own ("barcode detection" for "decode an EAN13 barcode": no)
        asked = re.search(r"(?<!\w)" + re.escape(word.strip()) + r"(?!\w)", instruction, flags=re.I) is not None
        return asked and (len(found) >= 2 or not text)
    if any(_stem(w) == stem for w in _WORD.findall(instruction)):
        return len(found) >= 2 or not text
    return times is not None and len(found) >= times


def level(c: Constraint, ctype, response: str, instruction: str) -> int:
    """How natural this one constraint is for this answer (its type's level, lowered for arbitrary values)."""
    kwargs = c.kwargs
    own = getattr(ctype, "natural", None) if ctype is not None else None
    english = c.type == "language:response_language" and str(kwargs.get("language", "")).lower().startswith("en")
    if callable(own):  # a family's own condition: its level on this answer for this request
        value = int(own(response, instruction, kwargs))
    elif english:  # "answer in English" goes unsaid (below) wherever it fits: no language guess of a paragraph
        value = declared(ctype, c.type)
    else:
        value = fits.fitted(c.type, declared(ctype, c.type), response, instruction, kwargs)
    about_code = getattr(ctype, "counts", "") == "code"  # "put the code in one fenced block": the code is the point
    if not c.type.startswith(_WHOLE) and not about_code and text_words(response) < 10:
        return min(value, 1)  # "no exclamation marks" on a bare listing says nothing a person would ask
    if c.type in _KEYWORD_TYPES:
        if kwargs.get("relation") == "less than":
            return min(value, 1)  # "use 'equal' less than 3 times": nobody caps a word they did not mention
        text = prose(response)
        once = c.type in ("keywords:word_once", "count:count_increment_word")
        words = keywords(kwargs)
        if not all(topic(w, instruction, "" if once else text) for w in words):
            return min(value, 1)  # "mention 'morning' once": a word the request never names, said once
        if any(a != b and a.lower() in b.lower() for a in words for b in words):
            return min(value, 1)  # "include 'face selection' and 'face'": one keyword said twice
        if len(words) > 2:
            return min(value, 2)  # "mention 'happy', 'chorus', 'friends'": a list of words reads as picked
        counted = isinstance(kwargs.get("frequency"), int) and kwargs["frequency"] > 1
        if counted and not all(topic(w, instruction, "", times=99) for w in words):
            return min(value, 2)  # "use 'contact' at least 3 times": a count of a word the request never named
    dash = c.type == "crab:no_punctuation" and kwargs.get("mark") in _PLAIN_MARKS
    if dash and fits.clean_dash_ban(response, "", kwargs):
        value = max(value, 3)  # "no em dashes" reads as a person's rule, unless other dashes stay in sight
    if c.type == "language:response_language":  # "answer in Russian" to a Russian request; English goes unsaid
        value = 2 if english else value if value <= fits.MISFIT else max(value, 4)
    if c.type == "crab:words_per_sentence" and int(kwargs.get("max_words", 0)) >= 45:
        value = min(value, 2)  # "no sentence over 60 words": a ceiling nobody writes
    if c.type == "crab:length_range":
        band = (int(kwargs.get("min_words", 0)), int(kwargs.get("max_words", 0)))
        if band[1] - band[0] < 30 and asked_range(instruction) != band:
            value = min(value, 2)  # "between 210 and 220", "150-170 words": a window nobody asks for (AB2, AB32, AB44)
    if c.type == "startend:end_checker" and not _sentence(str(kwargs.get("end_phrase", "")), response):
        value = min(value, 2)  # "end with 'values during conversion.'": a fragment, not a closing sentence
    return value


def _sentence(phrase: str, response: str) -> bool:
    """The phrase is a whole closing sentence of the response (it starts where a sentence starts)."""
    phrase = phrase.strip()
    at = response.rstrip().rfind(phrase)
    if not phrase or at < 0 or not phrase[:1].isupper():
        return False
    before = response[:at].rstrip(" \t")
    return not before or before.endswith(("\n", ".", "!", "?", ":", '"', "*"))


def cased(c: Constraint, ctype, response: str) -> Constraint:
    """``c`` with a keyword capitalised only because it opened a sentence ("Arriving") in lowercase, when its
    check still holds on ``response``; a proper noun (capitalised inside a sentence) keeps its case."""
    if c.type not in _KEYWORD_TYPES or ctype is None or ctype.check is None:
        return c
    changed = {}
    for name in ("keyword", "keyword1", "keyword2", "keywords"):
        value = c.kwargs.get(name)
        words = [value] if isinstance(value, str) else list(value or [])
        fixed = [str(w).lower() if _capitalised(str(w), response) else _named(str(w), response) or w for w in words]
        if fixed != words:
            changed[name] = fixed[0] if isinstance(value, str) else fixed
    if not changed:
        return c
    kwargs = {**c.kwargs, **changed}
    return attrs.evolve(c, kwargs=kwargs) if check(ctype, response, kwargs) else c


def _capitalised(word: str, response: str) -> bool:
    """A capitalised word that the answer never capitalises inside a sentence (so not a name)."""
    if len(word) < 2 or not word[0].isupper() or not word[1:].islower():
        return False
    inside = re.search(r"[a-z,;] +" + re.escape(word) + r"(?!\w)", response)
    return inside is None


def _named(word: str, response: str) -> str:
    """The answer's own form of a lowercase keyword it only ever writes capitalised, inside sentences too (a name:
    "Danika", "Hiyoko Saionji"); "" for any other."""
    if not word.replace(" ", "").isalpha() or not word.islower():
        return ""
    found = set(re.findall(r"(?<!\w)" + re.escape(word) + r"(?!\w)", response, flags=re.I))
    if len(found) != 1:
        return ""
    form = next(iter(found))
    if form != " ".join(p.capitalize() for p in word.split()) or (" " not in word and _capitalised(form, response)):
        return ""
    return form


def case_clash(a: Constraint, b: Constraint) -> bool:
    """A keyword written with capitals next to "all lowercase", or with lowercase next to "all capitals"; or one
    keyword inside another's ("use 'suffix' 3 times" next to "include 'suffix rules'")."""
    ka = keywords(a.kwargs) if a.type in _KEYWORD_TYPES else []
    kb = keywords(b.kwargs) if b.type in _KEYWORD_TYPES else []
    if any(x.lower() in y.lower() or y.lower() in x.lower() for x in ka for y in kb):
        return True
    for one, other in ((a, b), (b, a)):
        words = keywords(one.kwargs) if one.type in _KEYWORD_TYPES else []
        if other.type == "change_case:english_lowercase" and any(w != w.lower() for w in words):
            return True
        if other.type == "change_case:english_capital" and any(w != w.upper() for w in words):
            return True
    return False


def length_cap(response: str, words_per_constraint: int) -> int:
    """The most lines a person puts on an answer this long: one, plus one per ``words_per_constraint`` words of
    its text (a 40-word riddle gets one or two, a 300-word essay eight at 40 words a line); 0 means no cap."""
    if words_per_constraint <= 0:
        return 10**6
    return 1 + text_words(response) // words_per_constraint


@shared_reading  # every line of every sample of the answer asks: once per answer
def text_words(response: str) -> int:
    """Words of the answer's text (code aside); Chinese and Japanese count two signs a word."""
    text = prose(response)
    return len(_WORD.findall(text)) + len(_UNSPACED.findall(text)) // 2
