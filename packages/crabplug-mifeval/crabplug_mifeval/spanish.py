"""M-IFEval's 30 Spanish types (``es:``): IFEval's set in Spanish plus ¿? and ¡! questions and exclamations,
words with ñ, ü and written accents (tildes). Wordings are M-IFEval's (instructions/es_instructions.py).
"""

from __future__ import annotations

import collections
import re
import string
import unicodedata

from crabplug_mifeval import shared
from crabplug_mifeval.catalog import compare, mtype
from crabplug_mifeval.shared import forbidden, keywords, sections
from crabplug_mifeval.text import detect, spanish_sentences, spanish_words

L = "es"
_LIST_MARKER = re.compile(r"(^\s*[\d]+\.\s*)|(^\s*[-*]\s*)", flags=re.MULTILINE)


def sentence_count(response: str) -> int:
    """M-IFEval's Spanish sentence count: list markers removed first."""
    return len(spanish_sentences(_LIST_MARKER.sub("", response)))


def word_count(response: str) -> int:
    """M-IFEval's Spanish word count: list markers removed, lines joined."""
    return len(spanish_words(_LIST_MARKER.sub("", response).replace("\n", " ")))


def number_sentences(response: str, *, num_sentences: int, relation: str) -> bool:
    return compare(L, sentence_count(response), relation, num_sentences)


def number_words(response: str, *, num_words: int, relation: str) -> bool:
    return compare(L, word_count(response), relation, num_words)


def bullets(response: str, *, num_bullets: int) -> bool:
    return len(re.findall(r"^\s*\*[^\*].*$", response, flags=re.MULTILINE)) == num_bullets



def postscript(response: str, *, postscript_marker: str) -> bool:
    marker = postscript_marker.strip()
    pattern = {"P.D.": r"\s*p\.\s?d\..*$", "Nota": r"\s*nota.*$"}.get(marker, r"\s*" + marker.lower() + ".*$")
    return bool(re.findall(pattern, response.lower(), flags=re.MULTILINE))



def frequency(response: str, *, keyword: str, frequency: int, relation: str) -> bool:
    return compare(L, len(re.findall(keyword.strip(), response, flags=re.IGNORECASE)), relation, frequency)



def first_word(response: str, *, num_paragraphs: int, nth_paragraph: int, first_word: str) -> bool:
    count, paragraph = shared.first_paragraph_split(response, nth_paragraph)
    if paragraph is None:
        return False
    expected = first_word.lower().split()
    words = ["".join(c for c in w if c not in string.punctuation).lower() for w in paragraph.split()]
    return len(words) >= len(expected) and count == num_paragraphs and words[: len(expected)] == expected


def repeat_prompt(response: str, *, prompt_to_repeat: str) -> bool:
    return response.strip().lower().startswith(prompt_to_repeat.strip().lower())


def end_checker(response: str, *, end_phrase: str) -> bool:
    value = response.strip().strip('"').lower()
    if value and value[-1] == ".":
        value = value[:-1]
    return value.endswith(end_phrase.strip().lower())


def title(response: str) -> bool:
    return any(t.lstrip("<").rstrip(">").strip() for t in re.findall(r"<<[^\n]+>>", response))


def letter_frequency(response: str, *, letter: str, let_frequency: int, let_relation: str) -> bool:
    if len(letter) != 1 or not "a" <= letter.lower() <= "z":
        raise ValueError(f"letter must be one ASCII letter, got {letter!r}")  # M-IFEval draws a random one
    return compare(L, collections.Counter(response.lower())[letter.lower()], let_relation, let_frequency)


def capital(response: str) -> bool:
    text = unicodedata.normalize("NFKD", response)
    upper = all(c.isupper() or not c.isalpha() for c in text if not unicodedata.combining(c))
    return upper and detect(response.lower()) in ("es", None)


def lowercase(response: str) -> bool:
    return response.islower() and detect(response) in ("es", None)


def no_comma(response: str) -> bool:
    return "," not in response


def capital_words(response: str, *, capital_frequency: int, capital_relation: str) -> bool:
    return compare(L, sum(w.isupper() for w in spanish_words(response)), capital_relation, capital_frequency)


def quotation(response: str) -> bool:
    value = response.strip()
    return len(value) > 1 and value[0] == '"' and value[-1] == '"'


def question(response: str) -> bool:
    return any(q.lstrip("¿").rstrip("?").strip() for q in re.findall(r"¿[^?]*\?", response))


def exclamation(response: str) -> bool:
    return any(e.lstrip("¡").rstrip("!").strip() for e in re.findall(r"¡[^!]*\!", response))


def enie(response: str, *, let_frequency: int) -> bool:
    return sum("ñ" in w.lower() for w in spanish_words(response)) == let_frequency


def dieresis(response: str, *, let_frequency: int) -> bool:
    return sum("ü" in w.lower() for w in spanish_words(response)) == let_frequency


def tildes(response: str, *, num_words: int, relation: str) -> bool:
    count = sum(any(c in "áéíóúÁÉÍÓÚ" for c in w) for w in spanish_words(response))
    return compare(L, count, relation, num_words)


_REL = {"relation": "al menos"}
TYPES = [
    mtype(L, "keywords:existence", keywords, "Incluye las palabras clave {keywords} en tu respuesta.",
          example={"keywords": ["casa", "perro"]}),
    mtype(L, "keywords:frequency", frequency, "En tu respuesta, la palabra {keyword} debe aparecer {relation} "
          "{frequency} veces.", example={"keyword": "casa", "frequency": 2, **_REL}),
    mtype(L, "keywords:forbidden_words", forbidden, "No incluyas las palabras clave {forbidden_words} en tu "
          "respuesta.", example={"forbidden_words": ["casa"]}),
    mtype(L, "keywords:letter_frequency", letter_frequency, "En tu respuesta, la letra {letter} debería aparecer "
          "{let_relation} {let_frequency} veces.", example={"letter": "m", "let_frequency": 7,
                                                             "let_relation": "al menos"}),
    mtype(L, "language:response_language", shared.response_language, "Tu respuesta debe estar COMPLETAMENTE en "
          "{language}, ningún otro idioma está permitido.", example={"language": "en"}),
    mtype(L, "length_constraints:number_words", number_words, "Responde con {relation} {num_words} palabras.",
          example={"num_words": 50, **_REL}),
    mtype(L, "length_constraints:number_sentences", number_sentences, "Tu respuesta debe contener {relation} "
          "{num_sentences} frases.", example={"num_sentences": 5, **_REL}),
    mtype(L, "length_constraints:number_paragraphs", shared.number_paragraphs, "Debe haber {num_paragraphs} "
          "párrafos. Los párrafos están separados por el divisor de markdown: ***", example={"num_paragraphs": 3}),
    mtype(L, "length_constraints:nth_paragraph_first_word", first_word, "Debe haber {num_paragraphs} párrafos. "
          "Párrafos y sólo párrafos estarán separados entre sí por dos saltos de línea. El párrafo {nth_paragraph} "
          "debe comenzar con la palabra {first_word}.",
          example={"num_paragraphs": 2, "nth_paragraph": 1, "first_word": "casa"}),
    mtype(L, "detectable_content:number_placeholders", shared.number_placeholders, "La respuesta debe contener "
          "{relation} {num_placeholders} marcadores de posición representados por corchetes, como [dirección].",
          example={"num_placeholders": 2, **_REL}),
    mtype(L, "detectable_content:postscript", postscript, "Al final de la respuesta, por favor añade "
          "explícitamente una posdata que empiece por {postscript_marker}", example={"postscript_marker": "P.D."}),
    mtype(L, "detectable_format:number_bullet_lists", bullets, "Tu respuesta tiene que contener exactamente "
          "{num_bullets} puntos de lista. Usa los puntos de lista de Markdown como:\n* Este es el punto 1. \n"
          "* Este es el punto 2", example={"num_bullets": 3}),
    mtype(L, "detectable_format:constrained_response", shared.constrained_response(("Sí.", "No.", "Quizás.")),
          "Responde con alguna de las siguientes opciones: ('Sí.', 'No.', 'Quizás.')"),
    mtype(L, "detectable_format:number_highlighted_sections", shared.highlighted_sections, "Resalta {relation} "
          "{num_highlights} secciones en tu respuesta con markdown, p.e. *sección subrayada*.",
          example={"num_highlights": 2, **_REL}),
    mtype(L, "detectable_format:multiple_sections", sections, "Tu respuesta debe tener {relation} {num_sections} "
          "secciones. Marca el principio de cada sección con {section_spliter} X, tal como:\n{section_spliter} 1\n"
          "[contenido de sección 1]\n{section_spliter} 2\n[contenido de sección 2]",
          example={"section_spliter": "Sección", "num_sections": 2, **_REL}),
    mtype(L, "detectable_format:json_format", shared.json_format, "El output completo debe estar en formato JSON"),
    mtype(L, "detectable_format:title", title, "Tu respuesta debe contener un título, envuelto en dobles "
          "corchetes angulares, como <<poema de alegría>>."),
    mtype(L, "combination:two_responses", shared.two_responses, "Da dos respuestas diferentes. Respuestas y sólo "
          "respuestas deben estar separadas por 6 símbolos de asterisco: ******."),
    mtype(L, "combination:repeat_prompt", repeat_prompt, "Primero, repite la petición sin cambios, luego da tu "
          "respuesta (no digas nada antes de repetir la petición; la petición que necesitas repetir no incluye esta "
          "frase).", example={"prompt_to_repeat": "Describe tu ciudad."}),
    mtype(L, "punctuation:no_comma", no_comma, "En la totalidad de la respuesta, abstente de usar comas."),
    mtype(L, "punctuation:question_marks", question, "Tu respuesta debe incluir una pregunta."),
    mtype(L, "punctuation:exclamation_marks", exclamation, "Tu respuesta debe incluir una exclamación."),
    mtype(L, "startend:end_checker", end_checker, "Termina tu respuesta con esta frase exacta {end_phrase}. "
          "Ninguna otra palabra debe seguir esta frase.", example={"end_phrase": "Un saludo"}),
    mtype(L, "startend:quotation", quotation, "Envuelve la totalidad de tu respuesta en comillas dobles."),
    mtype(L, "change_case:capital_word_frequency", capital_words, "En tu respuesta, palabras escritas al completo "
          "con letras mayúsculas deberían aparecer {capital_relation} {capital_frequency} veces.",
          example={"capital_frequency": 2, "capital_relation": "como máximo"}),
    mtype(L, "change_case:spanish_capital", capital, "Tu respuesta debe estar en español al completo, sólo letras "
          "mayúsculas."),
    mtype(L, "change_case:spanish_lowercase", lowercase, "Tu respuesta debe estar en español al completo, sólo "
          "letras minúsculas. Las letras mayúsculas no están permitidas."),
    mtype(L, "special_character:enie", enie, "En tu respuesta, palabras con la letra ñ deben aparecer "
          "{let_frequency} veces.", example={"let_frequency": 2}),
    mtype(L, "special_character:dieresis", dieresis, "En tu respuesta, palabras con la letra ü deben aparecer "
          "{let_frequency} veces.", example={"let_frequency": 2}),
    mtype(L, "special_character:tildes", tildes, "Responde con {relation} {num_words} palabras con tilde.",
          example={"num_words": 5, **_REL}),
]  # fmt: skip
