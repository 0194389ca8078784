"""IFEval's constraints said in Spanish, French and Japanese, for seeds in those languages (each type's
``phrasings``; crabplug's combiner writes them instead of the English ``describe``: docs/multilingual.md).

Only types whose check means the same in the language are listed: a word or sentence count in Japanese (no
spaces, 。 ends a sentence), the English-only case checks, IFEval's English answer options and its forbidden
words (English words an answer lacks) have no entry, so those constraints are never written for such seeds.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from crabplug import LANGUAGE_RELATIONS, guess_language, is_content_in, plural

_LANGUAGE_NAMES = {
    "es": {"en": "inglés", "es": "español", "fr": "francés", "de": "alemán", "it": "italiano", "pt": "portugués",
           "ja": "japonés"},
    "fr": {"en": "anglais", "es": "espagnol", "fr": "français", "de": "allemand", "it": "italien",
           "pt": "portugais", "ja": "japonais"},
    "ja": {"en": "英語", "es": "スペイン語", "fr": "フランス語", "de": "ドイツ語", "it": "イタリア語",
           "pt": "ポルトガル語", "ja": "日本語"},
}  # fmt: skip


def _rel(language: str, relation: Any) -> str:
    return LANGUAGE_RELATIONS[language][relation]  # KeyError: no phrasing for an unknown relation


def _quoted(words: Any, language: str) -> str:
    items = [f"«{w}»" if language != "ja" else f"「{w}」" for w in words]
    joiner = {"es": " y ", "fr": " et ", "ja": "と"}[language]
    return ", ".join(items[:-1]) + joiner + items[-1] if len(items) > 1 else items[0]


Phrasing = Callable[[Mapping[str, Any]], str]

#: type id -> sentence, per language. Only types whose check means the same in the language are listed: a
#: word count in Japanese, or English-only case checks, have no entry, so they are never written for such seeds.
PHRASINGS: dict[str, dict[str, Phrasing]] = {
    "es": {
        "length_constraints:number_words": lambda k: plural(
            k["num_words"], f"Responde con {_rel('es', k['relation'])} {{n}} palabra.",
            f"Responde con {_rel('es', k['relation'])} {{n}} palabras."),
        "length_constraints:number_sentences": lambda k: plural(
            k["num_sentences"], f"Tu respuesta debe tener {_rel('es', k['relation'])} {{n}} frase.",
            f"Tu respuesta debe tener {_rel('es', k['relation'])} {{n}} frases."),
        "length_constraints:number_paragraphs": lambda k: plural(
            k["num_paragraphs"], "Escribe un solo párrafo, sin el separador ***.",
            "Escribe exactamente {n} párrafos, separados por el divisor de markdown ***."),
        "detectable_format:number_bullet_lists": lambda k: plural(
            k["num_bullets"], "Incluye exactamente un punto de lista en markdown (* punto).",
            "Incluye exactamente {n} puntos de lista en markdown, como:\n* Punto 1\n* Punto 2"),
        "detectable_format:number_highlighted_sections": lambda k: plural(
            k["num_highlights"], "Resalta al menos una sección con markdown, como *sección resaltada*.",
            "Resalta al menos {n} secciones con markdown, como *sección resaltada*."),
        "detectable_format:title": lambda k: "Pon un título entre dobles corchetes angulares, como <<título>>.",
        "detectable_format:json_format": lambda k: "Escribe toda la respuesta en formato JSON.",
        "detectable_format:multiple_sections": lambda k: plural(
            k["num_sections"], f"Marca el principio de la sección con «{k['section_spliter']} 1».",
            f"Divide la respuesta en {{n}} secciones y marca el principio de cada una con «{k['section_spliter']} X»."),
        "detectable_content:number_placeholders": lambda k: plural(
            k["num_placeholders"], "Incluye al menos un marcador de posición entre corchetes, como [dirección].",
            "Incluye al menos {n} marcadores de posición entre corchetes, como [dirección]."),
        "detectable_content:postscript": lambda k: (
            f"Al final de la respuesta, añade una posdata que empiece por {k['postscript_marker']}"),
        "punctuation:no_comma": lambda k: "No uses ninguna coma en toda la respuesta.",
        "startend:quotation": lambda k: "Envuelve toda la respuesta entre comillas dobles.",
        "startend:end_checker": lambda k: (
            f"Termina la respuesta exactamente con la frase «{k['end_phrase']}», sin nada después."),
        "combination:two_responses": lambda k: (
            "Da dos respuestas distintas, separadas solo por seis asteriscos: ******."),
        "keywords:existence": lambda k: plural(
            len(k["keywords"]), f"Incluye la palabra clave {_quoted(k['keywords'], 'es')}.",
            f"Incluye las palabras clave {_quoted(k['keywords'], 'es')}."),
        "keywords:frequency": lambda k: plural(
            k["frequency"], f"Usa la palabra «{k['keyword']}» {_rel('es', k['relation'])} una vez.",
            f"Usa la palabra «{k['keyword']}» {_rel('es', k['relation'])} {{n}} veces."),
        "language:response_language": lambda k: (
            f"Responde únicamente en {_LANGUAGE_NAMES['es'][k['language']]}."),
    },
    "fr": {
        "length_constraints:number_words": lambda k: plural(
            k["num_words"], f"Répondez en {_rel('fr', k['relation'])} {{n}} mot.",
            f"Répondez en {_rel('fr', k['relation'])} {{n}} mots."),
        "length_constraints:number_sentences": lambda k: plural(
            k["num_sentences"], f"Votre réponse doit compter {_rel('fr', k['relation'])} {{n}} phrase.",
            f"Votre réponse doit compter {_rel('fr', k['relation'])} {{n}} phrases."),
        "length_constraints:number_paragraphs": lambda k: plural(
            k["num_paragraphs"], "Écrivez un seul paragraphe, sans le séparateur ***.",
            "Écrivez exactement {n} paragraphes, séparés par le séparateur Markdown ***."),
        "detectable_format:number_bullet_lists": lambda k: plural(
            k["num_bullets"], "Incluez exactement une puce Markdown (* point).",
            "Incluez exactement {n} puces Markdown, par exemple :\n* Point 1\n* Point 2"),
        "detectable_format:number_highlighted_sections": lambda k: plural(
            k["num_highlights"], "Mettez en valeur au moins une section avec Markdown, comme *section*.",
            "Mettez en valeur au moins {n} sections avec Markdown, comme *section*."),
        "detectable_format:title": lambda k: "Donnez un titre entre doubles chevrons, comme <<titre>>.",
        "detectable_format:json_format": lambda k: "Rédigez toute la réponse au format JSON.",
        "detectable_format:multiple_sections": lambda k: plural(
            k["num_sections"], f"Marquez le début de la section par « {k['section_spliter']} 1 ».",
            f"Divisez la réponse en {{n}} sections et marquez le début de chacune par « {k['section_spliter']} X »."),
        "detectable_content:number_placeholders": lambda k: plural(
            k["num_placeholders"], "Incluez au moins un espace réservé entre crochets, comme [adresse].",
            "Incluez au moins {n} espaces réservés entre crochets, comme [adresse]."),
        "detectable_content:postscript": lambda k: (
            f"À la fin de votre réponse, ajoutez un post-scriptum commençant par {k['postscript_marker']}"),
        "punctuation:no_comma": lambda k: "N'utilisez aucune virgule dans votre réponse.",
        "startend:quotation": lambda k: "Mettez toute votre réponse entre guillemets droits doubles.",
        "startend:end_checker": lambda k: (
            f"Terminez votre réponse exactement par la phrase « {k['end_phrase']} », sans rien après."),
        "combination:two_responses": lambda k: (
            "Donnez deux réponses différentes, séparées uniquement par six astérisques : ******."),
        "keywords:existence": lambda k: plural(
            len(k["keywords"]), f"Employez le mot-clé {_quoted(k['keywords'], 'fr')}.",
            f"Employez les mots-clés {_quoted(k['keywords'], 'fr')}."),
        "keywords:frequency": lambda k: plural(
            k["frequency"], f"Employez le mot « {k['keyword']} » {_rel('fr', k['relation'])} une fois.",
            f"Employez le mot « {k['keyword']} » {_rel('fr', k['relation'])} {{n}} fois."),
        "language:response_language": lambda k: (
            f"Répondez uniquement en {_LANGUAGE_NAMES['fr'][k['language']]}."),
    },
    "ja": {
        "length_constraints:number_paragraphs": lambda k: plural(
            k["num_paragraphs"], "段落は一つだけにし、区切り記号***は使わないでください。",
            "ちょうど{n}個の段落で書き、段落はマークダウンの区切り記号***で区切ってください。"),
        "detectable_format:number_bullet_lists": lambda k: (
            "マークダウンの箇条書き（* 項目）をちょうど{n}個含めてください。".format(n=k["num_bullets"])),
        "detectable_format:number_highlighted_sections": lambda k: (
            "*強調*のように、マークダウンで少なくとも{n}か所を強調してください。".format(n=k["num_highlights"])),
        "detectable_format:title": lambda k: "<<タイトル>>のように、二重山括弧で囲んだタイトルをつけてください。",
        "detectable_format:json_format": lambda k: "応答全体をJSON形式で書いてください。",
        "detectable_format:multiple_sections": lambda k: (
            f"応答を{k['num_sections']}個のセクションに分け、各セクションの始まりに「{k['section_spliter']} X」と書いて"
            "ください。"),
        "detectable_content:number_placeholders": lambda k: (
            "[住所]のような角括弧のプレースホルダーを少なくとも{n}個含めてください。".format(n=k["num_placeholders"])),
        "detectable_content:postscript": lambda k: (
            f"応答の最後に、{k['postscript_marker']}で始まる追伸を加えてください。"),
        "startend:quotation": lambda k: '応答全体を二重引用符（"）で囲んでください。',
        "startend:end_checker": lambda k: (
            f"応答の最後は「{k['end_phrase']}」というフレーズで終え、その後には何も書かないでください。"),
        "combination:two_responses": lambda k: (
            "異なる答えを二つ書き、アスタリスク6個（******）だけで区切ってください。"),
        "language:response_language": lambda k: f"{_LANGUAGE_NAMES['ja'][k['language']]}だけで答えてください。",
    },
}  # fmt: skip

#: keyword types: their words must be content words of the seed's language (the extractor may be English's)
_KEYWORD_KWARGS = {"keywords:existence": "keywords", "keywords:frequency": "keyword"}
#: kwargs that are text the answer must contain: said only when that text is in the seed's language (an English
#: end phrase or "SECTION" marker a transformation added to a Spanish answer is not)
_TEXT_KWARGS = {"startend:end_checker": "end_phrase", "detectable_format:multiple_sections": "section_spliter"}


def phrasings(type_id: str) -> dict[str, Phrasing]:
    """``ConstraintType.phrasings`` of an IFEval type: its sentence per language, keyword types guarded so that a
    keyword the (English) extractor picked is said only when it is a content word of the seed's language."""
    out = {}
    for language, table in PHRASINGS.items():
        if type_id not in table:
            continue
        phrase = table[type_id]
        if type_id in _KEYWORD_KWARGS:
            phrase = _guarded(phrase, language, _KEYWORD_KWARGS[type_id])
        if type_id in _TEXT_KWARGS:
            phrase = _in_language(phrase, language, _TEXT_KWARGS[type_id])
        out[language] = phrase
    return out


def _guarded(phrase: Phrasing, language: str, name: str) -> Callable[[Mapping[str, Any]], str | None]:
    def say(kwargs: Mapping[str, Any]) -> str | None:
        return phrase(kwargs) if is_content_in(language, kwargs.get(name)) else None

    return say


def _in_language(phrase: Phrasing, language: str, name: str) -> Callable[[Mapping[str, Any]], str | None]:
    def say(kwargs: Mapping[str, Any]) -> str | None:
        text = str(kwargs.get(name, ""))
        if text.isascii() and text.lower() in _ENGLISH_MARKERS:
            return None
        if len(text.split()) >= 3 and guess_language(text) != language:  # a phrase long enough to tell
            return None
        return phrase(kwargs)

    return say


_ENGLISH_MARKERS = {"section", "chapter", "part"}
