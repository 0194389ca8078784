"""Natural phrasings of every type: IFEval's own wording first, then others; ``rng`` picks one.

``PHRASINGS[type_id]`` is a tuple of ``str.format`` templates over the type's kwargs (lists are
joined by :func:`_fmt`). A phrasing may only say what ``check`` verifies.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping
from typing import Any

LANGUAGES = {
    "en": "English",
    "es": "Spanish",
    "pt": "Portuguese",
    "ar": "Arabic",
    "hi": "Hindi",
    "fr": "French",
    "ru": "Russian",
    "de": "German",
    "ja": "Japanese",
    "it": "Italian",
    "bn": "Bengali",
    "uk": "Ukrainian",
    "th": "Thai",
    "ur": "Urdu",
    "ta": "Tamil",
    "te": "Telugu",
    "bg": "Bulgarian",
    "ko": "Korean",
    "pl": "Polish",
    "he": "Hebrew",
    "fa": "Persian",
    "vi": "Vietnamese",
    "ne": "Nepali",
    "sw": "Swahili",
    "kn": "Kannada",
    "mr": "Marathi",
    "gu": "Gujarati",
    "pa": "Punjabi",
    "ml": "Malayalam",
    "fi": "Finnish",
}  # IFEval's language table: langdetect code -> name shown in the instruction

PHRASINGS: dict[str, tuple[str, ...]] = {
    "keywords:existence": (
        "Include keywords {keywords} in the response.",
        "Make sure your answer mentions {keywords}.",
        "Your response must contain the words {keywords}.",
    ),
    "keywords:frequency": (
        "In your response, the word {keyword} should appear {relation} {frequency} times.",
        'Use the word "{keyword}" {relation} {frequency} times.',
        "The word {keyword} must occur {relation} {frequency} times in your answer.",
    ),
    "keywords:forbidden_words": (
        "Do not include keywords {forbidden_words} in the response.",
        "Avoid the words {forbidden_words} entirely.",
        "Your answer must not use any of these words: {forbidden_words}.",
    ),
    "keywords:letter_frequency": (
        "In your response, the letter {letter} should appear {let_relation} {let_frequency} times.",
        "Use the character '{letter}' {let_relation} {let_frequency} times.",
        "Make sure '{letter}' shows up {let_relation} {let_frequency} times in your answer.",
    ),
    "language:response_language": (
        "Your ENTIRE response should be in {language_name} language, no other language is allowed.",
        "Answer only in {language_name}.",
        "Write your whole response in {language_name}, without switching to another language.",
    ),
    "length_constraints:number_sentences": (
        "Your response should contain {relation} {num_sentences} sentences.",
        "Write {relation} {num_sentences} sentences.",
        "Use {relation} {num_sentences} sentences in your answer.",
    ),
    "length_constraints:number_paragraphs": (
        "There should be {num_paragraphs} paragraphs. Paragraphs are separated with the markdown divider: ***",
        "Write exactly {num_paragraphs} paragraphs, separated from each other by the markdown divider ***.",
        "Your answer must have {num_paragraphs} paragraphs, with *** on its own between consecutive ones.",
    ),
    "length_constraints:number_words": (
        "Answer with {relation} {num_words} words.",
        "Your response should be {relation} {num_words} words long.",
        "Use {relation} {num_words} words.",
    ),
    "length_constraints:nth_paragraph_first_word": (
        "There should be {num_paragraphs} paragraphs. Paragraphs and only paragraphs are separated with each "
        "other by two new lines as if it was '\\n\\n' in python. Paragraph {nth_paragraph} must start with "
        "word {first_word}.",
        "Write {num_paragraphs} paragraphs separated by blank lines; paragraph {nth_paragraph} has to begin "
        'with the word "{first_word}".',
        "Split your answer into {num_paragraphs} paragraphs (one empty line between them), and start "
        'paragraph number {nth_paragraph} with "{first_word}".',
    ),
    "detectable_content:number_placeholders": (
        "The response must contain at least {num_placeholders} placeholders represented by square brackets, "
        "such as [address].",
        "Include at least {num_placeholders} placeholders in square brackets, like [name].",
        "Leave at least {num_placeholders} fill-in placeholders written in square brackets, e.g. [date].",
    ),
    "detectable_content:postscript": (
        "At the end of your response, please explicitly add a postscript starting with {postscript_marker}",
        "End with a postscript that begins with {postscript_marker}",
        "Add a postscript starting with {postscript_marker} at the end.",
    ),
    "detectable_format:number_bullet_lists": (
        "Your answer must contain exactly {num_bullets} bullet points. Use the markdown bullet points such "
        "as:\n* This is point 1. \n* This is point 2",
        "Use exactly {num_bullets} markdown bullet points (lines starting with * or -).",
        "Give exactly {num_bullets} bullet points in markdown, for example:\n* First point",
    ),
    "detectable_format:constrained_response": (
        "Answer with one of the following options: ('My answer is yes.', 'My answer is no.', 'My answer is maybe.')",
        'Your answer must include one of these exact phrases: "My answer is yes.", "My answer is no." '
        'or "My answer is maybe."',
        "Reply using one of: My answer is yes. / My answer is no. / My answer is maybe.",
    ),
    "detectable_format:number_highlighted_sections": (
        "Highlight at least {num_highlights} sections in your answer with markdown, i.e. *highlighted section*.",
        "Use markdown to highlight at least {num_highlights} parts of your answer, like *this*.",
        "Mark at least {num_highlights} sections as *highlighted* with markdown asterisks.",
    ),
    "detectable_format:multiple_sections": (
        "Your response must have {num_sections} sections. Mark the beginning of each section with "
        "{section_spliter} X, such as:\n{section_spliter} 1\n[content of section 1]\n{section_spliter} 2\n"
        "[content of section 2]",
        'Organize your answer in {num_sections} sections, each starting with "{section_spliter} N" '
        "where N is its number.",
        "Split the response into {num_sections} sections labelled {section_spliter} 1, {section_spliter} 2, and so on.",
    ),
    "detectable_format:json_format": (
        "Entire output should be wrapped in JSON format. You can use markdown ticks such as ```.",
        "Format your whole answer as valid JSON (a ```json code fence is fine).",
        "Return nothing but JSON; you may wrap it in markdown ticks.",
    ),
    "detectable_format:title": (
        "Your answer must contain a title, wrapped in double angular brackets, such as <<poem of joy>>.",
        "Give your answer a title in double angular brackets, like <<my title>>.",
        "Include a title written as <<title>>.",
    ),
    "combination:two_responses": (
        "Give two different responses. Responses and only responses should be separated by 6 asterisk symbols: ******.",
        "Write two different answers, separated by a line of six asterisks (******).",
        "Provide two distinct responses with ****** between them and nowhere else.",
    ),
    "combination:repeat_prompt": (
        "First repeat the request word for word without change, then give your answer (1. do not say any "
        "words or characters before repeating the request; 2. the request you need to repeat does not "
        "include this sentence)",
        "Begin by restating the request exactly, word for word, and only then answer it.",
        "Start your reply with the request copied verbatim (nothing before it), then respond.",
    ),
    "startend:end_checker": (
        'Finish your response with this exact phrase: "{end_phrase}". No other words should follow this phrase.',
        'End your answer with the exact phrase "{end_phrase}", with nothing after it.',
        'The last words of your response must be: "{end_phrase}".',
    ),
    "change_case:capital_word_frequency": (
        "In your response, words with all capital letters should appear {capital_relation} {capital_frequency} times.",
        "Use {capital_relation} {capital_frequency} words written in ALL CAPS.",
        "Words in all capital letters should occur {capital_relation} {capital_frequency} times.",
    ),
    "change_case:english_capital": (
        "Your entire response should be in English, and in all capital letters.",
        "Answer in English, using capital letters only.",
        "WRITE YOUR WHOLE ANSWER IN ENGLISH AND IN UPPERCASE.",
    ),
    "change_case:english_lowercase": (
        "Your entire response should be in English, and in all lowercase letters. No capital letters are allowed.",
        "Answer in English using only lowercase letters.",
        "write your entire response in english, in lowercase, with no capital letters at all.",
    ),
    "punctuation:no_comma": (
        "In your entire response, refrain from the use of any commas.",
        "Do not use any commas in your answer.",
        "Write your response without a single comma.",
    ),
    "startend:quotation": (
        "Wrap your entire response with double quotation marks.",
        "Put your whole answer inside double quotes.",
        "Enclose the entire response in a pair of double quotation marks.",
    ),
}


def _fmt(value: Any) -> Any:
    """A list as a person writes one: each item quoted, the last joined by "and" ("a", "b" and "c")."""
    if isinstance(value, list | tuple):
        items = [f'"{v}"' for v in value]
        return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
    return value


#: a list phrasing said of one item: "Include keywords "tea"" -> "Include the keyword "tea""
_SINGULAR = (
    (re.compile(r"\bany of these words: "), "the word "),
    (re.compile(r"\b(?<!the )keywords\b"), "the keyword"),
    (re.compile(r"\bthe words\b"), "the word"),
)


def _one_item(text: str) -> str:
    for pattern, repl in _SINGULAR:
        text = pattern.sub(repl, text)
    return text


#: phrasings for "less than 1" (none at all): "less than 1 times" is not English
NONE_PHRASINGS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "change_case:capital_word_frequency": (
        "capital_relation",
        "capital_frequency",
        (
            "Do not write any word in ALL CAPS.",
            "Your response should not contain any words in all capital letters.",
            "Avoid words written entirely in capital letters.",
        ),
    ),
    "keywords:letter_frequency": (
        "let_relation",
        "let_frequency",
        ("Do not use the letter {letter} at all.", "Your response must not contain the letter '{letter}'."),
    ),
    "keywords:frequency": (
        "relation",
        "frequency",
        ("Do not use the word {keyword}.", 'Your answer must not contain the word "{keyword}".'),
    ),
}
_ONE = re.compile(
    r"\b1 ((?:markdown |fill-in )?)(words|sentences|paragraphs|sections|placeholders|bullet points|parts|highlights)\b"
)
_ONE_TIMES = re.compile(r"\b1 times\b")


def agree(text: str) -> str:
    """Grammar for a count of one: "1 words" -> "1 word", "at least 1 times" -> "at least once"."""
    text = _ONE.sub(lambda m: "1 " + m.group(1) + m.group(2)[:-1], text)
    return _ONE_TIMES.sub("once", text)


def describe(type_id: str, kwargs: Mapping[str, Any], rng: random.Random) -> str:
    """One phrasing of ``type_id`` with ``kwargs`` filled in, chosen by ``rng``, grammatical for every value."""
    values = {k: _fmt(v) for k, v in kwargs.items() if v is not None}
    if "language" in values:
        values["language_name"] = LANGUAGES.get(values["language"], values["language"])
    none = NONE_PHRASINGS.get(type_id)
    if none and values.get(none[0]) == "less than" and values.get(none[1]) == 1:
        return rng.choice(none[2]).format(**values)
    text = agree(rng.choice(PHRASINGS[type_id]).format(**values))
    lists = [v for v in kwargs.values() if isinstance(v, list | tuple)]
    return _one_item(text) if len(lists) == 1 and len(lists[0]) == 1 else text
