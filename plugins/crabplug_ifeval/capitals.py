"""Capital-word counting without tokenizing: which sentences cannot hold an all-capitals NLTK token.

NLTK's word tokens themselves come from crabplug (``crabplug.treebank_tokenize``), which runs NLTK's patterns
by Python's ``re`` where that gives ``regex``'s answers.
"""

from __future__ import annotations

import re

_RUN = re.compile(r"\w+")
# The only places NLTK's word tokenizer cuts between two word characters: its contractions
_INNER_CUTS = ("cannot", "gimme", "gonna", "gotta", "lemme", "wanna", "n't", "'t")


def no_capital_token(sentence: str) -> bool:
    """True when no word token of ``sentence`` can be all capitals, without tokenizing it.

    The tokenizer cuts only at punctuation, spaces and its contractions, never inside a run of word
    characters otherwise, so a token holding an uppercase letter holds that letter's whole run; when every
    such run also holds a lowercase (or titlecase) letter, no token is all capitals.
    """
    lowered = sentence.lower()
    if any(cut in lowered for cut in _INNER_CUTS):
        return False
    if not sentence.isascii() and any(map(str.isupper, _RUN.sub("", sentence))):
        return False  # a capital outside word characters (a circled letter) may be a token alone
    return not any(map(str.isupper, _RUN.findall(sentence)))
