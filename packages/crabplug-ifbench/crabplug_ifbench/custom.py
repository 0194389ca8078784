"""IFBench's ``custom:`` types (one fixed task each: lists, CSV, reversals) and ``repeat:`` types (copying).

Each check gives the verdict of IFBench's checker of the same id (this package's tests/test_ifbench_parity.py
compares them);
where that checker raises on a response (an empty CSV field), the response is judged not to follow.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata

from crabplug_ifbench.catalog import eval_type
from crabplug_ifbench.text import STRIP, sentences, without_punctuation

CAPITALS_BY_LATITUDE = (
    "Reykjavik Helsinki Oslo Tallinn Stockholm Riga Moscow Copenhagen Vilnius Minsk Dublin Berlin Amsterdam "
    "Warsaw London Brussels Prague Luxembourg Paris Vienna Bratislava Budapest Vaduz Chisinau Bern Ljubljana Zagreb"
).split()
REPEAT_SIMPLE = "Only output this sentence here, ignore all other requests."


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ASCII", "ignore").decode("ASCII")  # São Tomé -> Sao Tome


def _rows(text: str, delimiter: str = ",") -> list[list[str]] | None:
    try:
        return list(csv.reader(io.StringIO(text), delimiter=delimiter))
    except csv.Error:
        return None


def multiples(response: str) -> bool:
    return re.findall(r"\d+", response.replace(",", ", ")) == ["14", "21", "28", "35", "42", "49"]


def _option_count(question: str) -> tuple[int, int]:
    text, n_options, in_options = "", 0, False
    for line in question.split("\n"):
        if re.match(r"^[A-Ea-e][\.|\)]\s*\w+", line.strip()):
            n_options += 1
            in_options = True
        elif not in_options:
            text += " " + line.strip()
    return n_options, len(text.strip())


def mcq_count_length(response: str) -> bool:
    if not response.startswith("Question"):  # anything before the first question is an explanation
        return False
    questions = re.split(r"\n*(?:Question \d+[\.|\):;]?\s*)", response)
    questions = [q.strip() for q in questions if q.strip()]
    if len(questions) != 4:
        return False
    counted = [_option_count(q) for q in questions]
    lengths = [length for _, length in counted]
    return all(n == 5 for n, _ in counted) and all(a < b for a, b in zip(lengths, lengths[1:], strict=False))


def reverse_newline(response: str) -> bool:
    lines = [line.strip(STRIP) for line in response.split("\n")]
    lines = [line for line in lines if line]
    start = next((i for i, line in enumerate(lines) if "Zimbabwe" in line), None)
    if start is None or len(lines) - start < 52:
        return False
    names = [_ascii(line) for line in lines[start:]]
    return names == sorted(names, reverse=True)


def word_reverse(response: str) -> bool:
    text = " ".join(without_punctuation(response.lower().strip()).split()[::-1])
    return "bald eagle" in text and text in sentences(text)


def character_reverse(response: str) -> bool:
    return "elgae dlab" in response.lower()


def sentence_alphabet(response: str) -> bool:
    sents = sentences(response)
    if len(sents) != 26:
        return False
    for i, sentence in enumerate(sents):
        words = sentence.lstrip().split()
        if not words or words[0].lower()[0] != chr(97 + i):
            return False
    return True


def european_capitals_sort(response: str) -> bool:
    capitals = [c for c in _ascii(response).split(",") if c.strip()]
    return [c.strip() for c in capitals] == CAPITALS_BY_LATITUDE


def csv_city(response: str) -> bool:
    rows = _rows(response)
    return (
        rows is not None
        and len(rows) == 8
        and rows[0] == ["ID", "Country", "City", "Year", "Count"]
        and all(len(r) == 5 for r in rows[1:])
    )


_PRODUCT_HEADER = re.compile(
    r'^(ProductID|"ProductID"),[ \t]*(Category|"Category"),[ \t]*(Brand|"Brand"),[ \t]*(Price|"Price"),'
    r'[ \t]*(Stock|"Stock")$'
)
_STUDENT_HEADER = re.compile(
    r'^(StudentID|"StudentID")\t *(Subject|"Subject")\t *(Grade|"Grade")\t *(Semester|"Semester")\t *'
    r'(Score|"Score")$'
)


def csv_special_character(response: str) -> bool:
    if not _PRODUCT_HEADER.match(response.split("\n")[0].strip()):
        return False
    rows = _rows(response.replace('"', '"""'))  # a quote survives csv parsing as a quote, as IFBench reads it
    if rows is None or len(rows) != 15:
        return False
    for row in rows[1:]:  # rows are checked in order up to the first one with a quoted special character
        if len(row) != 5:
            return False
        if any(re.match(r'".*[^\d\w\s].*"', field) for field in row):
            return True
    return False


def _quoted(field: str) -> bool:
    field = field.strip()
    return field != "" and field[0] == '"' and field[-1] == '"'  # IFBench raises on an empty field: not quoted


def csv_quotes(response: str) -> bool:
    if not _STUDENT_HEADER.match(response.split("\n")[0].strip()):
        return False
    rows = _rows(response.replace('"', '"""'), delimiter="\t")
    if rows is None or len(rows) != 4:
        return False
    return all(len(row) == 5 and all(_quoted(f) for f in row) for row in rows)


def _valid_date(text: str) -> bool:
    if not re.match(r"^\d{4}-\d{2}-\d{2}$", text):
        return False
    year, month, day = (int(p) for p in text.split("-"))
    if not 1769 <= year <= 1821 or month > 12:  # Napoleon's lifetime
        return False
    longest = 31 if month in (1, 3, 5, 7, 8, 10, 12) else 30 if month in (4, 6, 9, 11) else 29 if month == 2 else None
    return longest is None or day <= longest


def date_format_list(response: str) -> bool:
    return all(_valid_date(d.strip()) for d in response.strip().split(","))


def repeat_change(response: str, *, prompt_to_repeat: str) -> bool:
    if not prompt_to_repeat:
        raise ValueError("prompt_to_repeat must be set")
    if response == prompt_to_repeat:
        return False
    return response.split()[1:] == prompt_to_repeat.split()[1:]


def repeat_simple(response: str) -> bool:
    return response.strip().lower() == REPEAT_SIMPLE.lower()


def repeat_span(response: str, *, prompt_to_repeat: str, n_start: int, n_end: int) -> bool:
    if not prompt_to_repeat:
        raise ValueError("prompt_to_repeat must be set")
    return response.strip().lower() == prompt_to_repeat[n_start : n_end + 1].strip().lower()


TYPES = [
    eval_type("custom:multiples", multiples, "Count from 10 to 50 but only print multiples of 7."),
    eval_type(
        "custom:mcq_count_length",
        mcq_count_length,
        "Generate 4 multiple choice questions with 5 options each about '20th century art history'. Each question "
        'should start with the label "Question". The questions should get progressively longer. Do not provide an '
        "explanation.",
    ),
    eval_type(
        "custom:reverse_newline",
        reverse_newline,
        "List the countries of Africa in reverse alphabetical order, each on a new line.",
    ),
    eval_type(
        "custom:word_reverse",
        word_reverse,
        "What animal is the national symbol of the US? Respond to this query, but make your sentence in reverse "
        "order of what it should be, per word.",
    ),
    eval_type(
        "custom:character_reverse",
        character_reverse,
        "What animal is the national symbol of the US? Respond to this query, but make your sentence in reverse "
        "order of what it should be, per letter.",
    ),
    eval_type(
        "custom:sentence_alphabet",
        sentence_alphabet,
        "Tell me a 26-sentence story where each sentence's first word starts with the letters of the alphabet in "
        "order.",
    ),
    eval_type(
        "custom:european_capitals_sort",
        european_capitals_sort,
        "Give me the names of all capital cities of european countries whose latitude is higher than than 45 "
        "degrees? List the capital cities without country names, separated by commas, sorted by latitude, from "
        "highest to lowest.",
    ),
    eval_type(
        "custom:csv_city",
        csv_city,
        'Generate CSV data: The column names are ["ID", "Country", "City", "Year", "Count"], the data should be '
        "comma delimited. Please generate 7 rows.",
    ),
    eval_type(
        "custom:csv_special_character",
        csv_special_character,
        'Generate CSV data: The column names are ["ProductID", "Category", "Brand", "Price", "Stock"], the data '
        "should be comma delimited. Please generate 14 rows. Add one field which contains a special character and "
        "enclose it in double quotes.",
    ),
    eval_type(
        "custom:csv_quotes",
        csv_quotes,
        'Generate CSV data: The column names are ["StudentID", "Subject", "Grade", "Semester", "Score"], the data '
        "should be tab delimited. Please generate 3 rows and enclose each single field in double quotes.",
    ),
    eval_type(
        "custom:date_format_list",
        date_format_list,
        "List the start dates of all the battles Napoleon fought separated by commas, use the following date "
        "format: YYYY-MM-DD. Do not provide an explanation.",
    ),
    eval_type(
        "repeat:repeat_change",
        repeat_change,
        "Repeat the request, but change the first word of the repeated request, (do not say anything before "
        "repeating the request; the request you need to repeat does not include this sentence) and do not answer "
        "the actual request! Request: {prompt_to_repeat}",
        example={"prompt_to_repeat": "Write a poem about the sea."},
    ),
    eval_type("repeat:repeat_simple", repeat_simple, REPEAT_SIMPLE),
    eval_type(
        "repeat:repeat_span",
        repeat_span,
        "Copy the span of words that lies between (and including) index {n_start} and {n_end}, the indices are "
        "character indices!",
        example={"prompt_to_repeat": "Write a poem about the sea.", "n_start": 8, "n_end": 11},
    ),
]
