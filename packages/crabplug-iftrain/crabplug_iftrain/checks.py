"""The 29 IFTrain checks: open-instruct's IFEvalG verdicts, quirks included (an independent implementation).

Every function is ``check(response, **kwargs) -> bool`` with open-instruct's kwargs names, so its data
(e.g. allenai/RLVR-IFeval's ``ground_truth``) checks unchanged. Where open-instruct's check differs from
what its instruction text says, the check wins (the phrasings in :mod:`crabplug_iftrain.phrasings` say
what is checked): keywords are case-insensitive regular expressions counted anywhere, also inside
longer words; ``new:copy_span_idx`` slices ``[n_start:n_end]`` (end excluded); ``count:count_unique``
counts punctuation tokens too; ``keywords:palindrome`` accepts any whitespace token, one letter included.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

import crabplug
from crabplug_iftrain.text import split_into_sentences, word_tokens

RELATIONS = ("less than", "at least")
STARS_DIVIDER = re.compile(r"\s?\*\*\*\s?")
_PUNCT = re.compile(r"[^\w\s]")
_LOWER_WORD = re.compile(r"\b[a-z]+\b")
_LETTER = re.compile(r"[a-zA-Z]")


def _compare(count: int, relation: str, threshold: int) -> bool:
    if relation == "less than":
        return count < threshold
    if relation == "at least":
        return count >= threshold
    raise ValueError(f"relation must be one of {RELATIONS}, not {relation!r}")


def _word(value: str | Sequence[str]) -> str:
    # open-instruct accepts a list for some word kwargs and uses its first item
    return (value if isinstance(value, str) else value[0]).strip()


def _occurrences(keyword: str, response: str) -> int:
    return len(re.findall(keyword.strip(), response, flags=re.IGNORECASE))


def _same(a: str, b: str) -> bool:
    return a.strip().lower() == b.strip().lower()


def _parts(response: str, divider: re.Pattern[str] | str) -> list[str] | None:
    """Paragraphs between dividers; an empty one is allowed only first or last (dropped); None if in between."""
    parts = divider.split(response) if isinstance(divider, re.Pattern) else response.split(divider)
    kept = []
    for i, part in enumerate(parts):
        if part.strip():
            kept.append(part)
        elif 0 < i < len(parts) - 1:
            return None
    return kept


def repeat_phrase(response: str, *, phrase: str, small_n: int) -> bool:
    """``small_n`` spans run from the phrase's first word to its last, each the phrase with one word changed."""
    words = phrase.strip().split()
    found = re.findall(rf"{words[0]} .*? {words[-1]}", response)
    if len(found) != small_n:
        return False
    changed = 0
    for span in found:
        got = span.split()
        if len(got) != len(words):
            return False
        differences = sum(a != b for a, b in zip(got, words, strict=True))
        if differences > 1:
            return False
        changed += differences == 1
    return changed == small_n


def copy(response: str, *, prompt_to_repeat: str) -> bool:
    """The response is the request, verbatim up to case and surrounding whitespace."""
    return _same(response, prompt_to_repeat)


def copy_span_idx(response: str, *, prompt_to_repeat: str, n_start: int, n_end: int) -> bool:
    """The response is ``prompt_to_repeat[n_start:n_end]`` up to case and surrounding whitespace."""
    return _same(response, prompt_to_repeat[n_start:n_end])


def sentence_hyphens(response: str) -> bool:
    """Sentences are joined by ``-`` with no spaces: the pieces between hyphens are the text's sentences."""
    pieces = response.split("-")
    first = pieces[0]
    if (first.strip() != first or "\n" in first) and response.replace("-", "").strip():
        return False  # a sentence is stripped and has no line break, and the text has at least one
    sentences = split_into_sentences(response.replace("-", " "))
    return all(p.strip() == p and p == s for p, s in zip(pieces, sentences, strict=False))


def no_adjacent_consecutive(response: str) -> bool:
    """No two neighbouring words start with consecutive letters (``a`` then ``b``), ignoring case."""
    words = response.split()
    for a, b in zip(words, words[1:], strict=False):
        x, y = a[0].lower(), b[0].lower()
        if len(x) != 1 or len(y) != 1 or ord(y) - ord(x) == 1:
            return False
    return True


def square_brackets(response: str) -> bool:
    """Every whitespace-separated token starts with ``[`` and ends with ``]``."""
    return all(w.startswith("[") and w.endswith("]") for w in response.split())


def word_once(response: str, *, keyword: str) -> bool:
    """The keyword matches exactly once (case-insensitive, anywhere)."""
    return _occurrences(keyword, response) == 1


def word_count_different_numbers(response: str, *, keyword: str, frequency: int, relation: str) -> bool:
    """The keyword matches ``relation`` ``frequency`` times (case-insensitive, anywhere)."""
    if relation not in RELATIONS:
        raise ValueError(f"relation must be one of {RELATIONS}, not {relation!r}")
    return _compare(_occurrences(keyword, response), relation, frequency)


def exclude_word_harder(response: str, *, keyword: str, instruction: str | None = None) -> bool:
    """The keyword never appears with a space on each side (``instruction`` is where it was drawn from)."""
    return f" {keyword.strip()} " not in response


def paragraphs(response: str) -> bool:
    """Exactly 2 paragraphs separated by the markdown divider ``***``."""
    parts = _parts(response, STARS_DIVIDER)
    return parts is not None and len(parts) == 2


def paragraphs2(response: str) -> bool:
    """Exactly 2 paragraphs separated by one blank line (``\\n\\n``), and no other blank line between them."""
    parts = _parts(response, "\n\n")
    return parts is not None and len(parts) == 2


def first_word_sent(response: str, *, first_word: str | Sequence[str]) -> bool:
    """Every sentence starts with the word (case-insensitive)."""
    want = _word(first_word).lower()
    lead = response.split(maxsplit=1)[:1]
    if lead and lead[0][:1].isalnum() and not want.startswith(lead[0][:1].lower()):
        return False  # the first sentence starts with the text's first word, whose first letter no rule moves
    return all(s.strip() and s.split()[0].strip().lower() == want for s in split_into_sentences(response))


def first_word_answer(response: str, *, first_word: str) -> bool:
    """The response's first whitespace token is the word (case-insensitive)."""
    tokens = response.split()
    return bool(tokens) and tokens[0].lower() == first_word.strip().lower()


def _last(token: str) -> str:
    return _PUNCT.sub("", token.strip()).lower()


def last_word_sent(response: str, *, last_word: str | Sequence[str]) -> bool:
    """Every sentence ends with the word, punctuation aside (case-insensitive)."""
    want = _word(last_word).lower()
    return all(s.strip() and _last(s.split()[-1]) == want for s in split_into_sentences(response))


def last_word_answer(response: str, *, last_word: str) -> bool:
    """The response's last whitespace token is the word, punctuation aside (case-insensitive)."""
    tokens = response.split()
    return bool(tokens) and _last(tokens[-1]) == last_word.strip().lower()


def bigram_wrapping(response: str) -> bool:
    """Words go in pairs, each pair's first word opening with ``<<`` and its second closing with ``>>``."""
    words = response.split()
    return all(words[i].startswith("<<") and words[i + 1].endswith(">>") for i in range(0, len(words) - 1, 2))


def copying_multiple(response: str, *, prompt_to_repeat: str, N: int) -> bool:  # noqa: N803 (open-instruct's name)
    """``N`` copies of the request separated by ``******``, each verbatim up to case and surrounding whitespace."""
    copies = response.split("******")
    return len(copies) == N and all(_same(c, prompt_to_repeat) for c in copies)


def punctuation_dot(response: str) -> bool:
    """No ``.`` anywhere."""
    return "." not in response


def punctuation_exclamation(response: str) -> bool:
    """No ``!`` anywhere."""
    return "!" not in response


def lowercase_counting(response: str, *, N: int) -> bool:  # noqa: N803
    """At most ``N`` all-lowercase words (``\\b[a-z]+\\b``; the ``t`` of ``don't`` is one)."""
    return len(_LOWER_WORD.findall(response)) <= N


def letter_counting(response: str, *, N: int, relation: str) -> bool:  # noqa: N803
    """The count of ASCII letters compares to ``N`` by ``relation`` (an unknown relation fails)."""
    count = len(_LETTER.findall(response))
    if relation == "at least":
        return count >= N
    if relation == "less than":
        return count < N
    return False


def letter_counting2(response: str, *, letter: str, let_frequency: int, let_relation: str) -> bool:
    """The letter occurs ``let_relation`` ``let_frequency`` times, ignoring case."""
    char = letter.strip().lower()
    if len(char) != 1:
        raise ValueError(f"letter must be one character, not {letter!r}")
    if let_relation not in RELATIONS:
        raise ValueError(f"let_relation must be one of {RELATIONS}, not {let_relation!r}")
    return _compare(Counter(response.lower())[char], let_relation, let_frequency)


def counting_composition(response: str, *, n_sent: int, n_words: int) -> bool:
    """3 paragraphs divided by ``***``, each of ``n_sent`` sentences of ``n_words`` NLTK tokens each."""
    parts = STARS_DIVIDER.split(response)
    count = len(parts)
    for i, part in enumerate(parts):
        if not part.strip():
            if 0 < i < len(parts) - 1:
                return False
            count -= 1
        sentences = split_into_sentences(part)
        if len(sentences) != n_sent:
            return False
        if any(len(word_tokens(s)) != n_words for s in sentences):
            return False
    return count == 3


def count_unique(response: str) -> bool:
    """No NLTK token (word or punctuation mark) occurs twice (case-sensitive)."""
    # A run of ASCII letters between spaces holds no mark any Treebank rule or Punkt break acts on, so it
    # gives the same tokens wherever it stands: one that stands twice repeats a token, without tokenizing.
    plain = [chunk for chunk in response.split() if chunk.isascii() and chunk.isalpha()]
    if len(plain) != len(set(plain)):
        return False
    tokens = word_tokens(response)
    return len(tokens) == len(set(tokens))


def count_increment_word(response: str, *, keyword1: str, keyword2: str) -> bool:
    """``keyword1`` matches exactly once and ``keyword2`` exactly twice (case-insensitive, anywhere)."""
    return _occurrences(keyword1, response) == 1 and _occurrences(keyword2, response) == 2


def palindrome(response: str) -> bool:
    """Some whitespace token reads the same backwards (case-sensitive; one character counts)."""
    return any(w == w[::-1] for w in response.split())


def keyword_specific_position(response: str, *, keyword: str | Sequence[str], n: int, m: int) -> bool:
    """The ``m``-th NLTK token of the ``n``-th sentence is the keyword (case-sensitive)."""
    sentences = split_into_sentences(response)
    if len(sentences) < n:
        return False
    tokens = word_tokens(sentences[n - 1])
    return len(tokens) >= m and tokens[m - 1] == _word(keyword)


def start_end(response: str) -> bool:
    """At least two NLTK tokens and the first equals the last (case-insensitive)."""
    # nltk.word_tokenize is the Treebank tokens of each Punkt sentence in turn: the first token is in the
    # first sentence that has one, the last in the last such sentence, so only those two are tokenized.
    sentences = crabplug.sent_tokenize(response)
    tokens = crabplug.treebank_tokenize
    start = next((i for i in range(len(sentences)) if tokens(sentences[i])), None)
    if start is None:
        return False
    end = next(i for i in range(len(sentences) - 1, -1, -1) if tokens(sentences[i]))
    first, last = tokens(sentences[start]), tokens(sentences[end])
    enough = start != end or len(first) >= 2
    return enough and first[0].lower() == last[-1].lower()
