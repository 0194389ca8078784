"""The ``crab:*`` constraints said in Spanish, French and Japanese, for seeds in those languages (each type's
``phrasings``; the combiner writes them instead of the English ``describe``: docs/multilingual.md).

Only what the check means in the language is listed. The crab measures count words as runs of letters and cut
sentences after . ! ? and at line breaks, which holds for Spanish and French; Japanese has no spaces between
words and ends sentences with 。, so its only entry is ``no_punctuation`` (the half-width mark is named, since
the check looks for it, not for the full-width ！ or ？). A keyword is said only when it is a content word of the
seed's language.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from crabplug import is_content_in, plural

Phrasing = Callable[[Mapping[str, Any]], str | None]

#: the marks of crab:no_punctuation, named in each language (the char itself too where a name could mean more)
_MARK_NAMES = {
    "es": {
        ";": "punto y coma (;)", "!": "signos de exclamación de cierre (!)",
        "?": "signos de interrogación de cierre (?)", ":": "dos puntos (:)", "(": "paréntesis",
        '"': 'comillas dobles (")', "—": "rayas (—)", "-": "guiones (-)", "&": "el signo &", "…": "el carácter …",
        "/": "barras (/)", "*": "asteriscos (*)", "#": "almohadillas (#)", "%": "el signo de porcentaje (%)",
    },
    "fr": {
        ";": "points-virgules (;)", "!": "points d'exclamation (!)", "?": "points d'interrogation (?)",
        ":": "deux-points (:)", "(": "parenthèses", '"': 'guillemets droits (")', "—": "tirets cadratins (—)",
        "-": "traits d'union ni de tirets (-)", "&": "esperluettes (&)", "…": "caractère de points de suspension (…)",
        "/": "barres obliques (/)", "*": "astérisques (*)", "#": "croisillons (#)", "%": "signes de pourcentage (%)",
    },
}  # fmt: skip


def _quoted(words: Any, joiner: str) -> str:
    items = [f"«{w}»" for w in words]
    return ", ".join(items[:-1]) + joiner + items[-1] if len(items) > 1 else items[0]


def _keywords(language: str, one: str, many: str, joiner: str) -> Phrasing:
    def say(k: Mapping[str, Any]) -> str | None:
        words = list(k["keywords"])
        if not is_content_in(language, words):  # an English keyword the extractor picked is not said
            return None
        return (one if len(words) == 1 else many).format(q=_quoted(words, joiner))

    return say


def _de(name: str) -> str:
    """French's partitive: "de", elided before a vowel (d'astérisques)."""
    return f"d'{name}" if name[0] in "aeéiouy" else f"de {name}"


def _mark_ja(k: Mapping[str, Any]) -> str:
    mark = k["mark"]
    width = "半角の" if mark.isascii() else ""
    return f"回答に{width}「{mark}」を使わないでください。"


#: type id -> sentence, per language
PHRASINGS: dict[str, dict[str, Phrasing]] = {
    "es": {
        "crab:length_range": lambda k: f"Responde con entre {k['min_words']} y {k['max_words']} palabras.",
        "crab:length_at_least": lambda k: plural(
            k["min_words"], "Responde con al menos {n} palabra.", "Responde con al menos {n} palabras."),
        "crab:length_at_most": lambda k: plural(
            k["max_words"], "Responde con {n} palabra como máximo.", "Responde con {n} palabras como máximo."),
        "crab:length_around": lambda k: f"Responde con unas {k['num_words']} palabras, aproximadamente.",
        "crab:words_per_sentence": lambda k: plural(
            k["max_words"], "Ninguna frase debe tener más de una palabra.",
            "Ninguna frase debe tener más de {n} palabras."),
        "crab:chars_per_word": lambda k: plural(
            k["max_chars"], "No uses palabras de más de una letra.", "No uses palabras de más de {n} letras."),
        "crab:sentences_per_paragraph": lambda k: plural(
            k["max_sentences"], "Cada párrafo debe tener una sola frase.",
            "Ningún párrafo debe tener más de {n} frases."),
        "crab:keywords": _keywords("es", "Incluye la palabra clave {q} en tu respuesta.",
                                   "Incluye las palabras clave {q} en tu respuesta.", " y "),
        "crab:no_punctuation": lambda k: f"No uses {_MARK_NAMES['es'][k['mark']]} en tu respuesta.",
    },
    "fr": {
        "crab:length_range": lambda k: f"Répondez en {k['min_words']} à {k['max_words']} mots.",
        "crab:length_at_least": lambda k: plural(
            k["min_words"], "Répondez en au moins {n} mot.", "Répondez en au moins {n} mots."),
        "crab:length_at_most": lambda k: plural(
            k["max_words"], "Répondez en {n} mot au plus.", "Répondez en {n} mots au plus."),
        "crab:length_around": lambda k: f"Répondez en environ {k['num_words']} mots.",
        "crab:words_per_sentence": lambda k: plural(
            k["max_words"], "Aucune phrase ne doit dépasser un mot.", "Aucune phrase ne doit dépasser {n} mots."),
        "crab:chars_per_word": lambda k: plural(
            k["max_chars"], "N'employez aucun mot de plus d'une lettre.",
            "N'employez aucun mot de plus de {n} lettres."),
        "crab:sentences_per_paragraph": lambda k: plural(
            k["max_sentences"], "Chaque paragraphe doit tenir en une seule phrase.",
            "Aucun paragraphe ne doit compter plus de {n} phrases."),
        "crab:keywords": _keywords("fr", "Employez le mot-clé {q} dans votre réponse.",
                                   "Employez les mots-clés {q} dans votre réponse.", " et "),
        "crab:no_punctuation": lambda k: f"N'utilisez pas {_de(_MARK_NAMES['fr'][k['mark']])} dans votre réponse.",
    },
    "ja": {
        "crab:no_punctuation": _mark_ja,
    },
}  # fmt: skip


def phrasings(type_id: str) -> dict[str, Phrasing]:
    """``ConstraintType.phrasings`` of a crab type: its sentence per language that has one."""
    return {language: table[type_id] for language, table in PHRASINGS.items() if type_id in table}
