"""Reader checks: is a sample true for a person who reads it, not only for the checker? (issue 30)

Each check looks at one finished sample (its constraints, response and instruction) and names what a reader
would object to, in one of :data:`CLASSES`. The checks use only the types' own ``check`` functions and the
text, so they apply to any family; the quality report counts them (``stats.json`` ``quality.reader``, the card,
``crabplug show --quality``) and ``tests/benchmarks/bench_reader.py`` prints them for a run on real answers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from crabplug import check, shared_reading, whole_word_count
from crabplug_crab.damage import broken_seed, damaged
from crabplug_crab.prose import (
    _FORBIDS,
    _KEYWORD_ARGS,
    _RELATIONS,
    _SOFT_BREAK,
    _SPLIT_COUNTS,
    _UNENDED,
    _UNSPACED,
    _WHOLE_TEXT,
    LATIN_TYPES,
    full_width,
    has_code,
    other_script,
    own_script,
    placeholders,
    prose,
)

#: the classes, in the order a report lists them, with the line that explains each
CLASSES = {
    "loose_bound": "a bound far from the answer's own value (an 'at least' half of it or less, a ceiling twice)",
    "code_artefact": "true only through code, links, identifiers, another script or full-width punctuation",
    "trivial": "met trivially (a palindrome under 5 letters, capital words that are I, single letters or code)",
    "duplicate_or_contradictory": "the same line twice, or two lines counting the same thing",
    "damaged_by_transform": "an edit that leaves a worse answer (prose commas cut, prose in JSON, made-up title...)",
    "bad_join": "a join a reader stumbles on (no punctuation before the constraints, doubled punctuation)",
    "broken_seed": "the answer itself is broken (runaway repetition, cut-off JSON or code, whitespace flood)",
}

#: what each type counts: two constraints of different types that count the same thing in one sample read as
#: redundant or contradictory (their splitters differ). ``keyword`` types count their keyword's occurrences.
COUNTS: dict[str, str] = {
    "length_constraints:number_sentences": "sentences",
    "keywords:keyword_specific_position": "sentences",
    "crab:sentences_per_paragraph": "sentences",
    "crab:words_per_sentence": "sentences",
    "length_constraints:number_words": "words",
    "crab:length_around": "words",
    "crab:length_at_least": "words",
    "crab:length_at_most": "words",
    "crab:length_range": "words",
    "count:lowercase_counting": "words",
    "letters:letter_counting": "letters",
    "length_constraints:number_paragraphs": "paragraphs",
    "length_constraints:nth_paragraph_first_word": "paragraphs",
    "paragraphs:paragraphs": "paragraphs",
    "paragraphs:paragraphs2": "paragraphs",
    "keywords:letter_frequency": "letter",
    "letters:letter_counting2": "letter",
    "change_case:capital_word_frequency": "capital words",
    "change_case:english_capital": "capital words",
    "change_case:english_lowercase": "capital words",
}


#: kwargs that name the keyword a type counts (so "X once" and "X less than 2 times" pair up)
def _counts(ctype) -> str:
    """What a type counts: its own declaration (``ConstraintType.counts``), else the built-in table."""
    return getattr(ctype, "counts", "") or COUNTS.get(ctype.id, "")


def _numeric(kwargs: Mapping[str, Any]) -> tuple[str, str] | None:
    """(name of the bounded number, 'at least'/'less than') when a constraint is one bound on one count."""
    numbers = [k for k, v in kwargs.items() if isinstance(v, int) and not isinstance(v, bool)]
    relations = [v for v in kwargs.values() if isinstance(v, str) and v in _RELATIONS]
    if len(numbers) == 1 and len(relations) == 1:
        return numbers[0], relations[0]
    if len(numbers) == 1 and not relations and numbers[0].startswith(("min_", "max_")):
        return numbers[0], "at least" if numbers[0].startswith("min_") else "less than"
    return None


def loose(ctype, kwargs: Mapping[str, Any], response: str) -> bool:
    """An 'at least N' still true at max(2N, N+3), or a ceiling N still true at min(N // 2, N - 3)."""
    found = _numeric(kwargs)
    if found is None or ctype.check is None:
        return False
    name, relation = found
    value = kwargs[name]
    probe = max(2 * value, value + 3) if relation == "at least" else min(value // 2, value - 3)
    if probe < 1:
        return False
    return check(ctype, response, {**kwargs, name: probe})


def _occurrences(word: str, text: str) -> int:
    return whole_word_count(text, word)


def _reader_counts(type_id: str, kwargs: Mapping[str, Any], text: str) -> bool | None:
    """A keyword count as a reader makes it (whole words, outside code): False when it breaks the constraint
    (IFEval's checker also counts "counts" and "COUNT(" for "count"), None for other types."""
    keyword = kwargs.get("keyword")
    if isinstance(keyword, str) and isinstance(kwargs.get("frequency"), int) and kwargs.get("relation") in _RELATIONS:
        n, value = _occurrences(keyword, text), kwargs["frequency"]
        return n >= value if kwargs["relation"] == "at least" else n < value
    if type_id == "keywords:word_once" and isinstance(keyword, str):
        return _occurrences(keyword, text) == 1
    if type_id == "count:count_increment_word":
        one, two = str(kwargs.get("keyword1", "")), str(kwargs.get("keyword2", ""))
        return _occurrences(one, text) == 1 and _occurrences(two, text) == 2
    return None


#: a pair of asterisks around code (a regex's ".*?", a pointer, a formula), not around words a reader sees highlighted
_CODE_STARS = re.compile(r"\*(?=[^\n*]*[{}()=;<>|\\?])[^\n*]*\*|\*[.?][^\n*]*\*|\*[^\n*]*\.\*")
#: "a**2", "2 * 3": stars a reader reads as operators
_OPERATORS = re.compile(r"(?<=\w)\*\*(?=\w)|(?<=\s)\*(?=\s)")
_RULE_LINE = re.compile(r"^[ \t]*[-*_=─]{3,}[ \t]*$", re.M)
#: a list line a reader counts as a bullet and IFEval's check does not ("•", "‣", "◦", "▪", "–")
_OTHER_BULLET = re.compile(r"^[ \t]*[•‣◦▪▸–][ \t]", re.M)


_WORD_CHAR = re.compile(r"\w")


@shared_reading  # every word-count constraint of the answer asks: once per answer, not once per type
def _spaced_words(text: str) -> str:
    """The words a reader counts, one per run between spaces that holds a letter or digit ("9.8" is one word)."""
    return " ".join("w" for token in text.split() if _WORD_CHAR.search(token))


def code_artefact(ctype, kwargs: Mapping[str, Any], response: str) -> bool:
    """True by the checker, but not on the prose, or in another script, or with a full-width forbidden mark, or a
    count of words, sentences or letters on text written without spaces (Chinese, Japanese, Thai), which the
    checkers' splitters do not split the way a reader does."""
    if ctype.id == "language:response_language":  # a language is said of text: not of a listing or a formula
        language = str(kwargs.get("language", ""))
        if not own_script(response, language):  # "in Korean" on Chinese text: both are CJK to the splitter
            return True
        return other_script(response, language) or _prose_words(response) < 20
    if _counts(ctype) == "code":  # the type is about the code itself (a fenced block in a language)
        return False
    counted = _reader_counts(ctype.id, kwargs, prose(response))
    if counted is False:
        return True
    if _counts(ctype) in _SPLIT_COUNTS and _UNSPACED.search(response):
        return True
    mark = _FORBIDS.get(ctype.id) or (kwargs.get("mark") if ctype.id == "crab:no_punctuation" else None)
    if mark and any(w in response for w in full_width(mark)):
        return True
    # a type without kwargs is about the text's form (no commas, a fence around it): code is part of that form
    if ctype.check is None or not kwargs or ctype.id.startswith(_WHOLE_TEXT):
        return False
    if ctype.id == "detectable_format:multiple_sections" and check(
        ctype, response, {**kwargs, "num_sections": int(kwargs.get("num_sections", 0)) + 1}
    ):
        return True  # "5 sections labelled Step N" on an answer with Step 1 to Step 7 (the check is "at least")
    if ctype.id == "detectable_format:number_highlighted_sections" and not check(
        ctype, _CODE_STARS.sub(lambda m: m.group()[1:-1], _OPERATORS.sub(" ^ ", response)), kwargs
    ):
        return True  # "*?field.toString.*" in a regex is not a highlight
    if ctype.id == "detectable_format:number_bullet_lists" and not check(ctype, _RULE_LINE.sub("", response), kwargs):
        return True  # "exactly 5 bullets" counting the two ------ lines around a listing as bullets
    if ctype.id == "detectable_format:number_bullet_lists" and _OTHER_BULLET.search(response):
        return True  # "exactly 4 bullet points" beside six "•" bullets the checker does not count: a reader sees 10
    spaced = _counts(ctype) == "words" and ctype.id != "count:lowercase_counting"
    if spaced and not check(ctype, _spaced_words(response), kwargs):
        return True  # "300-340 words" true only because "9.8" and "m/s²" count twice: a reader counts 279
    if _counts(ctype) == "sentences":
        if not check(ctype, _lines_joined(response), kwargs):
            return True  # true only because a splitter ends a sentence at each line of verse
        if not check(ctype, _paragraphs_ended(response), kwargs):
            return True  # true only because a paragraph ending without a period ("... in²") runs into the next
    return has_code(response) and not check(ctype, prose(response), kwargs)


@shared_reading
def _lines_joined(response: str) -> str:
    """The answer with its soft line breaks (verse, wrapped lines) read as spaces."""
    return _SOFT_BREAK.sub(" ", response)


@shared_reading
def _paragraphs_ended(response: str) -> str:
    """The answer with a period where a paragraph ends without a sentence mark."""
    return _UNENDED.sub(".", response)


@shared_reading
def _prose_words(response: str) -> int:
    """Words of two letters or more in the prose."""
    return len(re.findall(r"[^\W\d_]{2,}", prose(response)))


@shared_reading
def _mostly_other_script(response: str) -> bool:
    """Fewer than half of the letters are ASCII (an answer in another script)."""
    if response.isascii():
        return False
    letters = len(re.findall(r"[^\W\d_]", response))
    return bool(letters) and len(re.findall(r"[A-Za-z]", response)) < 0.5 * letters  # ASCII letters: A-Z, a-z


def trivial(ctype, kwargs: Mapping[str, Any], response: str) -> bool:
    """Met by something no reader counts: a short palindrome, capital words that are I, single letters or code,
    section tags taken for placeholders, a rule about Latin letters on an answer in another script."""
    declared = getattr(ctype, "trivial", None)
    if declared is not None and declared(response, kwargs):
        return True
    counted = _counts(ctype)
    about_text = counted not in ("", "code") or ctype.id in LATIN_TYPES or any(k in kwargs for k in _KEYWORD_ARGS)
    textless = about_text and not ctype.id.startswith(_WHOLE_TEXT)
    if textless and _prose_words(response) < 10:
        return True  # a listing or a formula with hardly a word of text: "no letter k", "no ALL CAPS" say nothing
    if ctype.id in LATIN_TYPES:
        if _mostly_other_script(response):
            return True
    found = _numeric(kwargs)
    if found and found[1] == "at least" and kwargs[found[0]] <= 1 and _counts(ctype) in _SPLIT_COUNTS:
        return True  # "use at least 1 sentence": every answer does
    if ctype.id == "detectable_content:number_placeholders":
        return placeholders(prose(response)) < int(kwargs.get("num_placeholders", 0))
    if ctype.id == "keywords:palindrome":
        words = re.findall(r"[^\W\d_]+", prose(response))
        return not any(len(w) >= 5 and w.lower() == w.lower()[::-1] for w in words)
    if ctype.id == "change_case:capital_word_frequency" and kwargs.get("capital_relation") == "at least":
        words = re.findall(r"\b[A-Z][A-Z]+\b", prose(response))
        return len(words) < int(kwargs.get("capital_frequency", 0))
    return False


def objection(ctype, kwargs: Mapping[str, Any], response: str) -> str | None:
    """The first reader class one constraint falls in on ``response`` (loose, artefact, trivial), or None."""
    if ctype is None or ctype.check is None:
        return None
    for name, test in (("loose_bound", loose), ("code_artefact", code_artefact), ("trivial", trivial)):
        if test(ctype, kwargs, response):
            return name
    return None


def _what(c, types) -> set[str]:
    counted = set()
    ctype = types.get(c.type)
    declared = _counts(ctype) if ctype is not None else COUNTS.get(c.type, "")
    if declared:
        counted.add(declared)
    for name in _KEYWORD_ARGS:
        value = c.kwargs.get(name)
        for word in [value] if isinstance(value, str) else value or []:
            if declared == "letter" or name == "letter":
                counted.add(f"letter {str(word).lower()}")
            else:
                counted.add(f"word {str(word).lower()}")
    if declared == "letter":
        counted.discard("letter")
    if c.type in _FIRST_WORD or (
        c.type == "length_constraints:nth_paragraph_first_word" and c.kwargs.get("nth_paragraph") == 1
    ):
        counted.add("first word")
    if c.type in _LAST_WORD:
        counted.add("last word")
    return counted


_FIRST_WORD = frozenset({"first_word:first_word_answer", "keywords:start_end"})
_LAST_WORD = frozenset({"last_word:last_word_answer", "startend:end_checker", "keywords:start_end"})

#: totals: two lines about one of these are redundant even when one family counts both the same way
TOTALS = frozenset({"words", "letters", "paragraphs", "capital words", "first word", "last word"})


def clash(a, b, types) -> str | None:
    """What two constraints of different types both count in a way a reader sees as redundant or contradicting.

    A keyword or letter counted twice always clashes; a total (words, letters...) always; sentences only across
    families, whose splitters differ ("the 9th sentence" by one, "less than 9 sentences" by another).
    """
    if a.type == b.type:
        return None
    shared = _what(a, types) & _what(b, types)
    ta, tb = types.get(a.type), types.get(b.type)
    same_family = ta is not None and tb is not None and ta.family == tb.family
    shared = {s for s in shared if s.startswith(("word ", "letter ")) or s in TOTALS or not same_family}
    return min(shared) if shared else None


def duplicates(constraints: Iterable, types) -> list[str]:
    found, seen = [], set()
    items = list(constraints)
    for c in items:
        key = re.sub(r"\W+", " ", (c.text or "").lower()).strip()
        if key and key in seen:
            found.append(f"twice: {c.text}")
        seen.add(key)
    for i, a in enumerate(items):
        for b in items[i + 1 :]:
            shared = clash(a, b, types)
            if shared:
                found.append(f"{a.type} + {b.type} both count {shared}")
    return found


_END = tuple(".?!:;)\"'»”。？！：）」』")


def bad_joins(sample) -> list[str]:
    """Stumbles in the instruction: constraints run on from an unpunctuated request, doubled punctuation."""
    base = str(sample.provenance.get("base_instruction", "")).rstrip()
    found = []
    at = sample.instruction.rfind(base) if base else -1
    after = sample.instruction[at + len(base) : at + len(base) + 1] if at >= 0 else ""
    runs_on = after not in _END and after != "\n"  # a new paragraph after code or markup is a clean join
    if sample.provenance.get("template") == "woven" and base and not base.endswith(_END) and runs_on:
        found.append("request runs on into the constraints")
    for c in sample.constraints:
        text = c.text or ""
        if re.search(r"(?<!\.)\.\.(?!\.)|[!?]\.|\.\s*\.(?!\.)", text.replace("...", "")):
            found.append(f"doubled punctuation: {text}")
    return found


def flags(sample, types) -> dict[str, list[str]]:
    """Every reader objection to one sample, by class (empty lists left out)."""
    out: dict[str, list[str]] = {name: [] for name in CLASSES}
    for c in sample.constraints:
        ctype = types.get(c.type)
        if ctype is None or ctype.check is None:
            continue
        if loose(ctype, c.kwargs, sample.response):
            out["loose_bound"].append(c.type)
        if code_artefact(ctype, c.kwargs, sample.response):
            out["code_artefact"].append(c.type)
        if trivial(ctype, c.kwargs, sample.response):
            out["trivial"].append(c.type)
    out["duplicate_or_contradictory"] = duplicates(sample.constraints, types)
    out["damaged_by_transform"] = damaged(sample.provenance, sample.response)
    out["bad_join"] = bad_joins(sample)
    seed = sample.provenance.get("untransformed_response", sample.response)
    reason = broken_seed(seed)
    out["broken_seed"] = [reason] if reason else []
    return {k: v for k, v in out.items() if v}


def _key(name: str, item: str) -> str:
    if name == "duplicate_or_contradictory":
        return "counted twice: " + item.split(" both count ")[1] if " both count " in item else "same line twice"
    if name == "bad_join":
        return item.split(": ")[0]
    return item


def summary(samples: Iterable, types) -> dict[str, Any]:
    """Share of samples in each class, any class at all, and constraints per sample (mean, max)."""
    counts = dict.fromkeys(CLASSES, 0)
    per_type: dict[str, dict[str, int]] = {name: {} for name in CLASSES}
    n = any_class = total = most = 0
    for s in samples:
        n += 1
        total += len(s.constraints)
        most = max(most, len(s.constraints))
        found = flags(s, types)
        any_class += bool(found)
        for name, items in found.items():
            counts[name] += 1
            for item in items:
                key = _key(name, item)
                per_type[name][key] = per_type[name].get(key, 0) + 1
    share = {name: round(counts[name] / n, 4) if n else 0.0 for name in CLASSES}
    return {
        "samples": n,
        "share": share,
        "any": round(any_class / n, 4) if n else 0.0,
        "constraints_mean": round(total / n, 2) if n else 0.0,
        "constraints_max": most,
        "by_type": {k: dict(sorted(v.items(), key=lambda kv: -kv[1])) for k, v in per_type.items() if v},
    }
