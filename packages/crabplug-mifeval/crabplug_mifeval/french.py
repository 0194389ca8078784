"""M-IFEval's 30 French types (``fr:``): IFEval's set in French plus no ç/œ, no accents, accents restored,
informal address (tutoiement) and numbers written in words. Wordings are M-IFEval's
(instructions/fr_instructions.py).
"""

from __future__ import annotations

import collections
import re
import unicodedata

import crabplug
from crabplug_mifeval import shared
from crabplug_mifeval.catalog import compare, mtype
from crabplug_mifeval.shared import forbidden, keywords, sections
from crabplug_mifeval.text import detect, french_sentences, regexp_word_count

L = "fr"


def number_sentences(response: str, *, num_sentences: int, relation: str) -> bool:
    return compare(L, len(french_sentences(response)), relation, num_sentences)


def number_words(response: str, *, num_words: int, relation: str) -> bool:
    return compare(L, regexp_word_count(response), relation, num_words)


def bullets(response: str, *, num_bullets: int) -> bool:
    stars = re.findall(r"^\s*\*[^\*].*$", response, flags=re.MULTILINE)
    dashes = re.findall(r"^\s*-.*$", response, flags=re.MULTILINE)
    return len(stars) + len(dashes) == num_bullets



def postscript(response: str, *, postscript_marker: str) -> bool:
    marker = postscript_marker.strip()
    pattern = {"P.P.S": r"\s*p\.\s?p\.\s?s.*$", "P.S.": r"\s*p\.\s?s\..*$"}.get(marker, r"\s*" + marker.lower() + ".*$")
    return bool(re.findall(pattern, response.lower(), flags=re.MULTILINE))



def frequency(response: str, *, keyword: str, frequency: int, relation: str) -> bool:
    return compare(L, len(re.findall(keyword.strip(), response, flags=re.IGNORECASE)), relation, frequency)



def first_word(response: str, *, num_paragraphs: int, nth_paragraph: int, first_word: str) -> bool:
    count, paragraph = shared.first_paragraph_split(response, nth_paragraph)
    if paragraph is None:
        return False
    word = paragraph.split()[0].strip().lstrip("'").lstrip('"')
    found = ""
    for char in word:
        if char in ".,?!'\"":
            break
        found += char.lower()
    return count == num_paragraphs and found == first_word.lower()


def repeat_prompt(response: str, *, prompt_to_repeat: str) -> bool:
    return response.strip().lower().startswith(prompt_to_repeat.strip().lower())


def end_checker(response: str, *, end_phrase: str) -> bool:
    return response.strip().strip('"').lower().endswith(end_phrase.strip().lower())


def title(response: str) -> bool:
    return any(t.lstrip("#").rstrip("#").strip() for t in re.findall(r"##[^\n]+##", response))


def letter_frequency(response: str, *, letter: str, let_frequency: int, let_relation: str) -> bool:
    if len(letter) != 1 or not "a" <= letter.lower() <= "z":
        raise ValueError(f"letter must be one ASCII letter, got {letter!r}")  # M-IFEval draws a random one
    return compare(L, collections.Counter(response.lower())[letter.lower()], let_relation, let_frequency)


def capital(response: str) -> bool:
    return response.isupper() and detect(response.lower()) in ("fr", None)


def lowercase(response: str) -> bool:
    return response.islower() and detect(response) in ("fr", None)


def no_comma(response: str) -> bool:
    return "," not in response


def capital_words(response: str, *, capital_frequency: int, capital_relation: str) -> bool:
    # M-IFEval calls nltk.word_tokenize with its default, English, sentence model
    count = sum(w.isupper() for w in crabplug.word_tokenize(response))
    return compare(L, count, capital_relation, capital_frequency)


def quotation(response: str) -> bool:
    value = response.strip()
    return len(value) > 1 and any(value.startswith(a) and value.endswith(b) for a, b in ('""', "''", "«»"))


def forbidden_char(response: str, *, forbidden_char: str) -> bool:
    return re.search(re.escape(forbidden_char), response, flags=re.IGNORECASE) is None


_TU = re.compile(r"\btu\b|\bte\b|\bt'\b|\btoi\b|\bton\b|\bta\b|\btes\b", flags=re.IGNORECASE)


def informal_address(response: str) -> bool:
    return _TU.search(response) is not None


def no_accents(response: str) -> bool:
    return re.search(r"[àáâãäåçèéêëìíîïñòóôõöùúûüýÿÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖÙÚÛÜÝ]", response) is None


def _unaccented(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


def accents(response: str, *, word_to_accentuate: dict[str, str]) -> bool:
    """Every word of ``word_to_accentuate`` (unaccented -> accented) the response uses is written accented."""
    for word in re.findall(r"\b\w+\b", response.lower()):
        correct = word_to_accentuate.get(_unaccented(word))
        if correct is not None and word != correct:
            return False
    return True


def no_digits(response: str) -> bool:
    return re.search(r"\d", response) is None


_REL = {"relation": "au moins"}
TYPES = [
    mtype(L, "keywords:existence", keywords, "Incluez les mots {keywords} dans la réponse.",
          example={"keywords": ["château", "étoile"]}),
    mtype(L, "keywords:frequency", frequency, "Votre réponse doit contenir le mot {keyword} {relation} "
          "{frequency} fois.", example={"keyword": "château", "frequency": 2, **_REL}),
    mtype(L, "keywords:forbidden_words", forbidden, "N'incluez pas les mots {forbidden_words} dans votre réponse.",
          example={"forbidden_words": ["château"]}),
    mtype(L, "keywords:letter_frequency", letter_frequency, "Dans votre réponse, la lettre {letter} doit "
          "apparaître {let_relation} {let_frequency} fois.",
          example={"letter": "j", "let_frequency": 5, "let_relation": "au moins"}),
    mtype(L, "language:response_language", shared.response_language, "L'INTEGRALITE de votre réponse doit être "
          "en {language}, aucune autre langue n'est autorisée.", example={"language": "en"}),
    mtype(L, "length_constraints:number_sentences", number_sentences, "Votre réponse doit contenir {relation} "
          "{num_sentences} phrases.", example={"num_sentences": 5, **_REL}),
    mtype(L, "length_constraints:number_paragraphs", shared.number_paragraphs, "Votre réponse doit contenir "
          "{num_paragraphs} paragraphes. Les paragraphes doit être separés par le séparateur Markdown\xa0: ***",
          example={"num_paragraphs": 3}),
    mtype(L, "length_constraints:number_words", number_words, "Répond avec {relation} {num_words} mots.",
          example={"num_words": 100, **_REL}),
    mtype(L, "length_constraints:nth_paragraph_first_word", first_word, "Votre réponse doit contenir "
          "{num_paragraphs} paragraphes. Les paragraphes, et uniquement les paragraphes, doivent être séparés les "
          "uns des autres par deux sauts de ligne comme s'il s'agissait de '\\n\\n' en Python. Le paragraphe "
          "{nth_paragraph} doit commencer par le mot {first_word}.",
          example={"num_paragraphs": 2, "nth_paragraph": 1, "first_word": "alors"}),
    mtype(L, "detectable_content:number_placeholders", shared.number_placeholders, "La réponse doit contenir au "
          "moins {num_placeholders} espaces réservés, représentés par des crochets, comme [nom].",
          example={"num_placeholders": 2}),
    mtype(L, "detectable_content:postscript", postscript, "À la fin de votre réponse, veuillez ajouter "
          "explicitement un post-scriptum commençant par {postscript_marker}", example={"postscript_marker": "P.S."}),
    mtype(L, "detectable_format:number_bullet_lists", bullets, "Votre réponse doit contenir exactement "
          "{num_bullets} puces.Utilisez les puces Markdown telles que\xa0:\n* Ceci est le point 1. \n"
          "* Ceci est le point 2", example={"num_bullets": 3}),
    mtype(L, "detectable_format:constrained_response", shared.constrained_response(("Oui.", "Non.", "Peut-être.")),
          "Répondez avec une des options suivantes: ('Oui.', 'Non.', 'Peut-être.')"),
    mtype(L, "detectable_format:number_highlighted_sections", shared.highlighted_sections, "Mettez en "
          "surbrillance au moins {num_highlights} sections de votre réponse avec markdown, c'est-à-dire entre "
          "astérisque: *section en surbrillance*.", example={"num_highlights": 2}),
    mtype(L, "detectable_format:multiple_sections", sections, "Votre réponse doit comporter {num_sections} "
          "sections. Marquez le début de chaque section avec {section_spliter} X, par exemple\xa0:\n"
          "{section_spliter} 1\n[contenu de la section 1]\n{section_spliter} 2\n[contenu de la section 2]",
          example={"section_spliter": "Section", "num_sections": 2}),
    mtype(L, "detectable_format:json_format", shared.json_format, "L'intégralité de la réponse doit être sous "
          "format JSON. Vous pouvez utiliser des graduations de type «\xa0markdown\xa0» telles que ```."),
    mtype(L, "detectable_format:title", title, "Votre réponse doit contenir un titre, encadré par des doubles "
          "dièses, comme ##hymne à la joie##."),
    mtype(L, "combination:two_responses", shared.two_responses, "Donnez deux réponses différentes. Les réponses et "
          "uniquement les réponses doivent être séparées par 6 astérisques : ******"),
    mtype(L, "combination:repeat_prompt", repeat_prompt, "Répétez d'abord la demande mot pour mot sans aucun "
          "changement, puis donnez votre réponse (1. n'incluez aucun mot ou caractère avant de répéter la demande; "
          "; 2. la demande que vous devez répéter n'inclut pas cette phrase).",
          example={"prompt_to_repeat": "Décrivez votre ville."}),
    mtype(L, "startend:end_checker", end_checker, "Terminez votre réponse avec cette phrase mot pour mot: "
          "{end_phrase}. Aucune autre phrase ne doit suivre celle-ci.", example={"end_phrase": "D'autres questions ?"}),
    mtype(L, "change_case:capital_word_frequency", capital_words, "Dans votre réponse, des mots entièrement en "
          "lettres majuscules doivent apparaître {capital_relation} {capital_frequency} fois.",
          example={"capital_frequency": 2, "capital_relation": "moins de"}),
    mtype(L, "change_case:french_capital", capital, "Votre réponse doit être entièrement en français et en "
          "majuscules. Les minuscules ne sont pas autorisées."),
    mtype(L, "change_case:french_lowercase", lowercase, "Votre réponse doit être entièrement rédigée en français "
          "et en minuscules. Les majuscules ne sont pas autorisées."),
    mtype(L, "punctuation:no_comma", no_comma, "N'utilisez aucune virgule dans votre réponse."),
    mtype(L, "startend:quotation", quotation, "Mettez l’ensemble de votre réponse entre guillemets."),
    mtype(L, "special_character:ethel_or_cedilla", forbidden_char, "N'incluez pas le caractère {forbidden_char} "
          "dans votre réponse.", example={"forbidden_char": "ç"}),
    mtype(L, "detectable_content:informal_address", informal_address, "Parlez directement à votre interlocuteur "
          "dans votre réponse et utilisez le tutoiement."),
    mtype(L, "special_character:no_accents", no_accents, "Ne faites pas usage d'accents dans votre réponse."),
    mtype(L, "special_character:accents", accents, "Réécris ce texte en ajoutant les accents.",
          example={"word_to_accentuate": {"lecon": "leçon"}}),
    mtype(L, "detectable_content:no_digits", no_digits, "N'utilisez pas de chiffres arabes dans votre réponse."),
]  # fmt: skip
