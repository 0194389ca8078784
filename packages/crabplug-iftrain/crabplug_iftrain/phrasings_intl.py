"""IFTrain types said in Spanish, French and Japanese, for seeds in those languages (each type's ``phrasings``;
crabplug's combiner writes them instead of the English ``describe``: docs/multilingual.md).

Only types whose check means the same in the language are listed. Most IFTrain checks are English's: ASCII
letters, IFEvalG's English sentence splitter, NLTK's English tokens, words told apart by spaces. What is left for
Spanish and French: keywords (said only when a content word of the language), the answer's first and last word,
two paragraphs, no dot at all; for Japanese only the two paragraph types (no spaces between its words, and its
sentences end with 。, not .).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from crabplug import LANGUAGE_RELATIONS, is_content_in, plural

Phrasing = Callable[[Mapping[str, Any]], str | None]


def _word(value: Any) -> str:
    return (value if isinstance(value, str) else value[0]).strip()


def _content(language: str, say: Callable[[Mapping[str, Any]], str], *names: str) -> Phrasing:
    """``say``, but only when the words named are content words of ``language`` (the extractor may be English's)."""

    def guarded(k: Mapping[str, Any]) -> str | None:
        return say(k) if is_content_in(language, [_word(k[n]) for n in names]) else None

    return guarded


def _times_es(k: Mapping[str, Any]) -> str:
    rel = LANGUAGE_RELATIONS["es"][k["relation"]]
    return plural(k["frequency"], f"{rel} {{n}} vez", f"{rel} {{n}} veces")


PHRASINGS: dict[str, dict[str, Phrasing]] = {
    "es": {
        "keywords:word_once": _content("es", lambda k: (
            f"Usa la palabra «{_word(k['keyword'])}» exactamente una vez en tu respuesta."), "keyword"),
        "keywords:word_count_different_numbers": _content("es", lambda k: (
            f"La palabra «{_word(k['keyword'])}» debe aparecer {_times_es(k)} en tu respuesta."), "keyword"),
        "keywords:exclude_word_harder": _content("es", lambda k: (
            f"No uses la palabra «{_word(k['keyword'])}» en tu respuesta."), "keyword"),
        "count:count_increment_word": _content("es", lambda k: (
            f"Usa «{_word(k['keyword1'])}» exactamente una vez y «{_word(k['keyword2'])}» exactamente dos veces."),
            "keyword1", "keyword2"),
        "first_word:first_word_answer": lambda k: f"Empieza tu respuesta con la palabra «{_word(k['first_word'])}».",
        "last_word:last_word_answer": lambda k: (
            f"Termina tu respuesta con la palabra «{_word(k['last_word'])}» (puede seguirle un signo de puntuación)."),
        "paragraphs:paragraphs": lambda k: (
            "Escribe exactamente dos párrafos, separados por el divisor de markdown ***."),
        "paragraphs:paragraphs2": lambda k: (
            "Escribe exactamente dos párrafos, separados por una sola línea en blanco y sin otras líneas en blanco."),
        "punctuation:punctuation_dot": lambda k: "No uses ningún punto (.) en toda tu respuesta.",
    },
    "fr": {
        "keywords:word_once": _content("fr", lambda k: (
            f"Employez le mot «{_word(k['keyword'])}» exactement une fois dans votre réponse."), "keyword"),
        "keywords:word_count_different_numbers": _content("fr", lambda k: (
            f"Le mot «{_word(k['keyword'])}» doit apparaître {LANGUAGE_RELATIONS['fr'][k['relation']]} "
            f"{k['frequency']} fois dans votre réponse."), "keyword"),
        "keywords:exclude_word_harder": _content("fr", lambda k: (
            f"N'employez pas le mot «{_word(k['keyword'])}» dans votre réponse."), "keyword"),
        "count:count_increment_word": _content("fr", lambda k: (
            f"Employez «{_word(k['keyword1'])}» exactement une fois et «{_word(k['keyword2'])}» exactement deux "
            "fois."), "keyword1", "keyword2"),
        "first_word:first_word_answer": lambda k: f"Commencez votre réponse par le mot «{_word(k['first_word'])}».",
        "last_word:last_word_answer": lambda k: (
            f"Terminez votre réponse par le mot «{_word(k['last_word'])}» (un signe de ponctuation final est "
            "permis)."),
        "paragraphs:paragraphs": lambda k: (
            "Écrivez exactement deux paragraphes, séparés par le séparateur Markdown ***."),
        "paragraphs:paragraphs2": lambda k: (
            "Écrivez exactement deux paragraphes, séparés par une seule ligne vide et sans autre ligne vide."),
        "punctuation:punctuation_dot": lambda k: "N'utilisez aucun point (.) dans toute votre réponse.",
    },
    "ja": {
        "paragraphs:paragraphs": lambda k: (
            "ちょうど2つの段落で答え、段落の間にマークダウンの区切り線 *** を入れてください。"),
        "paragraphs:paragraphs2": lambda k: (
            "ちょうど2つの段落で答え、段落の間に空行を1つだけ入れ、ほかに空行を入れないでください。"),
    },
}  # fmt: skip


def phrasings(type_id: str) -> dict[str, Phrasing]:
    """``ConstraintType.phrasings`` of an IFTrain type: its sentence per language that has one."""
    return {language: table[type_id] for language, table in PHRASINGS.items() if type_id in table}
