"""Whether a type's line fits this answer and this request: the conditions beside the natural levels (issue 30).

A natural level (``natural.NATURAL``, ``ConstraintType.natural``) says how often people ask for a type; a line can
still read as picked for the answer at hand. Reading 60 samples (docs/reading-60.md, set G) found the lines that
kept samples at 3 of 5 were true but fitted the answer, not the request: "exactly 3 bullet points" resting on a
closing summary's three dashes, "2 paragraphs split by ***" cutting a final answer from its reasoning, English
"Section" labels on a Chinese diary, "all lowercase" on a maths answer, "no em dashes" on an answer whose other
dashes are minus signs. Each condition here returns the most the line is worth on this answer for this request
(its level when it fits, 2 when it does not: below the combiner's default ``min_natural``); ``CONDITIONS`` holds
the built-in types' ones, and a third-party family declares its own by making ``ConstraintType.natural`` a
function ``(response, instruction, kwargs) -> level``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from crabplug import analyze
from crabplug_crab.fits_length import LENGTH_TYPES, length_fits
from crabplug_crab.kinds import BULLET, lone_bullet, mostly_code, technical_for, verse
from crabplug_crab.prose import prose
from crabplug_crab.terms import keywords

#: a level for a line that does not fit: under the default ``min_natural`` (3), so it is left out
MISFIT = 2
#: a markdown bullet line ("* point", "- point", "• point")
_WORD = re.compile(r"[^\W\d_][\w'-]*")
_NUMBERED_LINE = re.compile(r"^[ \t]*\d{1,2}[.)][ \t]+\S", re.M)
_LATIN = re.compile(r"[A-Za-z]")
_LETTER = re.compile(r"[^\W\d_]")
#: a request that asks for a list
_ASKS_LIST = re.compile(r"\b(?:list|bullets?|bullet points?|points|tips|ideas|steps|reasons|ways|examples)\b", re.I)
#: a request whose answer people write in lowercase: a message, a post, lyrics (a maths answer, an essay: no)
_ASKS_CASUAL = re.compile(
    r"\b(?:lyrics|tweet|text message|sms|caption|instagram|tiktok|slogan|lowercase|lower case)\b"
    r"|\b(?:write|compose|make)\b[^.\n]{0,30}\b(?:song|rap)\b",
    re.I,
)
#: a request for a template or a form: placeholders are what it asks for
_ASKS_TEMPLATE = re.compile(r"\b(?:templates?|placeholders?|fill[- ]in|fillable|forms?|boilerplate)\b", re.I)
#: a request for emphasis: highlighted, bold or italic spans are what it asks for
_ASKS_EMPHASIS = re.compile(r"\b(?:highlight\w*|bold|emphasi[sz]\w*|italics?|markdown)\b", re.I)
#: a request that says how the answer should end
_ASKS_ENDING = re.compile(r"\b(?:end (?:with|your|the)|finish with|closing (?:line|sentence)|sign[- ]off)\b", re.I)
#: dash-like marks a reader takes for one another ("no em dashes" with en dashes or minus signs left reads broken)
_DASHES = "—–−"
#: the level of a line that fits but is only one a person might add ("no !", a sentence cap, a word of the
#: request): under the combiner's default ``anchor_natural`` (4), so ``max_weak_lines`` counts it
WEAK = 3
_QUOTES = "\"'“”‘’«»`「」『』"


def _words(text: str) -> int:
    return len(_WORD.findall(text))


def own_bullets(response: str, instruction: str, kwargs: Mapping[str, Any]) -> bool:
    """Bullets are the answer's own structure: the request asks for a list, or there are at least 3 and their
    lines hold at least half of the text's words (not a closing summary's three dashes, not two notes)."""
    text = prose(response)
    items = BULLET.findall(text)
    if len(_NUMBERED_LINE.findall(text)) >= 2:
        return False  # bullets beside numbered items ("1. * ..."): a reader counts another structure (P45)
    if lone_bullet(text):
        return False  # "exactly 3 bullets" on 2 + 1 split by prose, a list item without a dash among them (Y10, Y17)
    if _ASKS_LIST.search(instruction):
        return len(items) >= 2
    if mostly_code(response):
        return False  # "exactly 3 bullets" on the notes under a listing reads as picked (held-out L40)
    return len(items) >= 3 and _words("\n".join(items)) * 2 >= _words(text)


def own_parts(response: str, instruction: str, kwargs: Mapping[str, Any]) -> bool:
    """Parts (paragraphs split by *** or a blank line, "Section 1".."Section N") the answer already has: at least
    3 of them, so the split follows the answer's own stanzas or steps, not one cut between the final answer and
    its reasoning; labels in English only on an answer written in Latin letters."""
    n = next((int(kwargs[k]) for k in ("num_paragraphs", "num_sections") if isinstance(kwargs.get(k), int)), 0)
    text = prose(response)
    blocks = _blocks(text)
    if n < 3 or len(blocks) < 3:  # two: as two_parts (*** on a 100-word blurb or a one-fact answer: Y47, AB3, AB50)
        return n == 2 and _ASKS_PARAGRAPHS.search(instruction) is not None and _two(blocks)
    if kwargs.get("section_spliter") is not None:
        letters = _LETTER.findall(text)
        return bool(letters) and len(_LATIN.findall(text)) * 2 >= len(letters)
    # *** between three lines of a chat reply, a toast or a koan reads as picked (held-out L8, L20, L53); between
    # a poem's stanzas or real paragraphs it does not
    # and on prose only where the request asks for paragraphs: on a roast or a persona reply it read picked (V24, V40)
    if _ASKS_VERSE.search(instruction) is not None:
        return True
    return _ASKS_PARAGRAPHS.search(instruction) is not None and all(_size(b) >= _PARAGRAPH for b in blocks)


#: a request that asks for paragraphs
_ASKS_PARAGRAPHS = re.compile(
    r"\b(?:paragraphs?|párrafos?|paragraphes?|paragrafi|paragrafo|absatz|absätze|абзац\w*|đoạn)\b", re.I
)


def two_parts(response: str, instruction: str, kwargs: Mapping[str, Any]) -> bool:
    """Fits "exactly two paragraphs" where the answer has two paragraphs of its own, each a real one, and the request
    asks for paragraphs (R5's "2 long paragraphs" read 4; a *** between a breakfast tip's intro and its menu, W44,
    read picked)."""
    return _ASKS_PARAGRAPHS.search(instruction) is not None and _two(_blocks(prose(response)))


def asked_commas(response: str, instruction: str, kwargs: Mapping[str, Any]) -> bool:
    """ "No commas" fits a request that speaks of commas or punctuation: on a health answer that happens to have none
    it read picked (held-out W3, W8, W40)."""
    return _ASKS_COMMAS.search(instruction) is not None


def letter_like(response: str, instruction: str, kwargs: Mapping[str, Any]) -> bool:
    """A P.S. fits a letter, an email, a message or a card, or a request that asks for one: on a newborn-care guide
    it read picked (held-out W33); on a letter it read 4 (P46)."""
    return _ASKS_LETTER.search(instruction) is not None


_ASKS_COMMAS = re.compile(r"\b(?:commas?|punctuation|comas?|virgules?|virgol\w*|kommas?|запят\w*|dấu phẩy)\b", re.I)
_ASKS_LETTER = re.compile(
    r"\b(?:letters?|e-?mails?|messages?|notes?|cards?|memo|newsletter|invitations?|p\.\s?s\.?|postscript|carta|lettre|"
    r"brief|письм\w*|сообщени\w*|thư)(?!\w)",
    re.I,
)


#: the fewest words of a paragraph a reader sees as one of its own (a chat line or a toast's sentence is not)
_PARAGRAPH = 40
#: a request for verse: its stanzas are its parts, however short
_ASKS_VERSE = re.compile(r"\b(?:poem|poetry|song|lyrics|verses?|stanzas?|haiku|sonnet|rap|ballad)\b", re.I)
_WIDE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


def _size(block: str) -> int:
    """A block's words, two characters of Chinese, Japanese or Korean counting as one."""
    return max(_words(block), len(_WIDE.findall(block)) // 2)


def _blocks(text: str) -> list[str]:
    return [b for b in re.split(r"\n\s*\n", text) if _WORD.search(b)]


def _two(blocks: list[str]) -> bool:
    """Two paragraphs of at least 40 words each, the shorter at least a third of the longer (not a closing line)."""
    if len(blocks) != 2:
        return False
    a, b = sorted(_words(x) for x in blocks)
    return a >= 40 and a * 3 >= b


def casual(response: str, instruction: str, kwargs: Mapping[str, Any]) -> bool:
    """All lowercase fits a message, a tweet or lyrics, or a request that asks for it; not a maths answer, not a
    roleplay prompt or a business write-up (held-out N6, N41: "chat", "post" and "text" matched those)."""
    return _ASKS_CASUAL.search(instruction) is not None


def template(response: str, instruction: str, kwargs: Mapping[str, Any]) -> bool:
    """Placeholders fit a request for a template or a form that has no square brackets of its own: "at least 2
    placeholders" met by a letter's own sign-off fields, a prompt's [user]/[feature] slots or the request's [AU]
    reads as picked or trivial (held-out M32, N27, N41, N50)."""
    return _ASKS_TEMPLATE.search(instruction) is not None and "[" not in instruction


def asked_ending(response: str, instruction: str, kwargs: Mapping[str, Any]) -> bool:
    """An end phrase fits a request that says how to end; the answer's own last line ("See you next time.", "Good
    luck!") reads as picked (held-out L27, L32, N1), and so did a closing question (V15 a song's last line, V42 "What
    are your thoughts?"; kept until the fourteenth round)."""
    return _ASKS_ENDING.search(instruction) is not None


def clean_dash_ban(response: str, instruction: str, kwargs: Mapping[str, Any]) -> bool:
    """A ban on one dash fits only where no other dash-like mark is left for a reader to see (en dashes as minus
    signs next to "no em dashes" read as the rule broken), and not on an answer in Chinese, Japanese or Korean;
    other marks always fit."""
    mark = str(kwargs.get("mark", ""))
    if mark not in _DASHES:
        return True
    if len(_WIDE.findall(response)) * 2 > len(_LETTER.findall(response)):
        return False  # "no em dashes" on a Japanese or Chinese answer reads as picked (held-out U21, L1)
    return not any(d in response for d in _DASHES if d != mark)


def prose_sentences(response: str, instruction: str, kwargs: Mapping[str, Any]) -> bool:
    """A sentence length fits prose, not verse nor an outline: "sentences of at most 25 words" on lyrics (L2) or
    on a bullet outline with almost no sentences (P30) reads as picked."""
    if verse(response) or _ASKS_VERSE.search(instruction):
        return False  # R33: a Ramones song of two-word lines "Crush the grapes!" that verse() did not see as verse
    text = prose(response)
    items = BULLET.findall(text) + _NUMBERED_LINE.findall(text)
    return _words("\n".join(items)) * 2 < _words(text)


def title_line(response: str, instruction: str, kwargs: Mapping[str, Any]) -> bool:
    """A title in double angular brackets is a line of its own: ``<< 7`` ... ``mask >>`` inside a sentence on bit
    shifts passes the checker, and a reader sees no title (held-out R35); and the request asks for a title or for a
    piece that has one (:data:`_ASKS_TITLE`)."""
    return _TITLE_LINE.search(prose(response)) is not None and _ASKS_TITLE.search(instruction) is not None


#: a request for a title, or for a piece that is published under one (a poem, a song, an essay, an article): every
#: <<title>> read on other answers since M was picked (a lab protocol P42, a prompt rewrite Q36, a C question R35)
_ASKS_TITLE = re.compile(
    r"\b(?:titles?|titled|headlines?|poems?|poetry|songs?|lyrics|essays?|articles?|blog posts?|sonnets?|ballads?|"
    r"titre|título|titolo|titel|заголов\w*|назван\w*|стих\w*|песн\w*|poème|poema|canción|canzone)\b",
    re.I,
)


_TITLE_LINE = re.compile(r"^[ \t#*]*<<[^<>\n]*[^\W\d_][^<>\n]*>>[ \t*]*$", re.M)


def whole_language(response: str, instruction: str, kwargs: Mapping[str, Any]) -> bool:
    """ "Only Italian" fits where the answer's first paragraph is in that language too: an English preamble ("Okay,
    here's a long story in Italian...") before Italian text reads as the rule broken (P19)."""
    first = next((b for b in _blocks(prose(response)) if len(b.split()) >= 5), "")
    if not first:
        return True
    found = analyze(first).language
    return found is None or found == "unknown" or found == str(kwargs.get("language", "")).split("-")[0].lower()


def sections_asked(response: str, instruction: str, kwargs: Mapping[str, Any]) -> bool:
    """Sections fit where :func:`own_parts` holds, and, on a worked problem, only where the request asks for steps
    or sections: "4 sections 'Step X'" that copy a solution's own steps read as made to fit (L49, M14, M21, P9).
    "SECTION N" labels (the word no answer writes for its own parts) fit only a request for sections or parts: all
    three read since the ninth round were picked (held-out Q6, R27, R39), while an answer's own "Step N" on a how-to
    read 4 (M36, N11, N46), but one on a sub-list of a five-part answer read broken (U46): since the thirteenth
    round every section line needs a request for sections, parts or steps."""
    if not own_parts(response, instruction, kwargs):
        return False
    label = str(kwargs.get("section_spliter", ""))
    lines = re.findall(r"^[ \t#*]*" + re.escape(label) + r"\b", response, flags=re.M | re.I) if label else []
    if lines and len(lines) != kwargs.get("num_sections"):
        return False  # "3 sections Step X" beside "Step (a)", "Step (b)": a reader counts five (held-out V34)
    if label.lower() == "section":
        return _ASKS_SECTIONS.search(instruction) is not None  # "SECTION 1".."4" on a synopsis (Q6, R27, R39)
    # "Step N" where the request asks for steps or parts: "3 sections Step 1.." on a sub-list of a five-part answer
    # read broken (U46), a worked problem's own steps picked (L49, M14, M21, P9); a "step by step" request's fit (U18)
    return _ASKS_SECTIONS.search(instruction) is not None or _ASKS_STEPS.search(instruction) is not None


#: a request that asks for steps
_ASKS_STEPS = re.compile(r"\b(?:steps?|step-by-step|шаг\w*|pasos?|étapes?|passo|passi|schritt\w*|bước)\b", re.I)
#: a request that asks for sections or parts, in the languages of the real requests
_ASKS_SECTIONS = re.compile(
    r"\b(?:sections?|parts?|chapters?|segments?|partie|parties|parte|partes|secci\w+|abschnitt\w*|teil\w*|"
    r"раздел\w*|част\w*|phần)\b",
    re.I,
)


def named_in_request(response: str, instruction: str, kwargs: Mapping[str, Any]) -> bool:
    """Every keyword of the line is one the request marks as its subject: in quotes ("'Mug'"), or written as a
    name, with the line's own capitals, inside a sentence of the request ("with Pinia and Javascript", "Write a
    Kubernetes deployment", "Harry Potter", "QQQ"). A plain word of the request is not ("code" in a code review,
    "smallest" and "digits" of a maths problem, "query" of "optimise the queries": held-out readings H and J,
    docs/reading-60.md), nor a name the line writes in lowercase ("mikan tsumiki")."""
    words = keywords(kwargs)
    return bool(words) and all(_marked(w.strip(), instruction) for w in words)


def named_in_request_once(response: str, instruction: str, kwargs: Mapping[str, Any]) -> bool:
    """:func:`named_in_request`, and a count of it no higher than once: "'Geppetto' at least twice" in a roast read
    picked though the request names him (held-out V18); "mention 'Pinia' at least once" reads as a topic."""
    freq = kwargs.get("frequency")
    return named_in_request(response, instruction, kwargs) and not (isinstance(freq, int) and freq > 1)


def _marked(word: str, instruction: str) -> bool:
    if not word:
        return False
    for m in re.finditer(r"(?<!\w)" + re.escape(word) + r"(?!\w)", instruction, flags=re.I):
        before, after = instruction[: m.start()], instruction[m.end() : m.end() + 1]
        if before and after and before[-1] in _QUOTES and after in _QUOTES:
            return True  # the request quotes it
        form = m.group(0)
        if form != word or not word[0].isupper():
            continue  # a name keeps its capitals in the line too
        if sum(ch.isupper() for ch in word) >= 2 and not word.isupper() or re.fullmatch(r"[A-Z0-9]{2,}", word):
            return True  # "PySide2", "QQQ", "Harry Potter": a name wherever it stands
        if re.search(r"[\w,;)] +[A-Z][\w'’-]* +$", before):
            continue  # "River" of "the Raritan River": the tail of a longer name, not one of its own (L18)
        if re.search(r"[\w,;)] +$", before) and not _in_title(instruction, m.start(), m.end()):
            return True  # capitalised inside a sentence, not as its first word nor as a word of a title
    return False


#: a word written with a capital ("Week", "A"), and the small words a title keeps in lowercase
_CAPITAL_WORD = re.compile(r"[A-Z][\w'’-]*")
_TITLE_SMALL = frozenset("a an the of and or in on at to for with by from".split())


def _in_title(instruction: str, start: int, end: int) -> bool:
    """The word at ``start:end`` stands in a run of Title Case words (small words aside) that starts with a
    capitalised word right after a capitalised word or at three or more capitals in a row: a title or a heading
    ("Write an article titled A Week Camping in Maine": "Week" is a title's word, not a name, K43), where a name
    ("with Pinia and Javascript", "Harry Potter") runs at most two capitals long and follows a lowercase word."""
    words = list(re.finditer(r"[\w'’-]+", instruction))
    at = next((i for i, w in enumerate(words) if w.start() == start), None)
    if at is None:
        return False
    lo = hi = at
    while lo > 0 and (_CAPITAL_WORD.fullmatch(words[lo - 1].group()) or words[lo - 1].group().lower() in _TITLE_SMALL):
        lo -= 1
    while hi + 1 < len(words) and (
        _CAPITAL_WORD.fullmatch(words[hi + 1].group()) or words[hi + 1].group().lower() in _TITLE_SMALL
    ):
        hi += 1
    run = [w.group() for w in words[lo : hi + 1]]
    while run and run[0].lower() in _TITLE_SMALL and not run[0][0].isupper():
        run.pop(0)
    while run and run[-1].lower() in _TITLE_SMALL and not run[-1][0].isupper():
        run.pop()
    capitals = [w for w in run if w[0].isupper()]
    if len(capitals) >= 3:
        return True  # "A Week Camping Trip", "The Art Of War": a title
    # "A Week": a run that opens with a capitalised article is a title's start, not a name
    return len(capitals) >= 2 and capitals[0] in ("A", "An", "The") and run[0] == capitals[0]


def prose_highlights(response: str, instruction: str, kwargs: Mapping[str, Any]) -> bool:
    """The answer has as many highlighted spans of words (``*a phrase*``, ``**a phrase**``) as the line asks, outside
    code and not counting spans that are code or a formula: "highlight at least 1 section" met only by
    ``-*- coding: utf-8 -*-`` in a listing (K22) or by ``1*1 + 1*1`` in a sentence (K42) reads as untrue."""
    if _ASKS_EMPHASIS.search(instruction) is None or technical_for(response, instruction):
        # "highlight a part" where the request asks for no emphasis read as picked in every held-out set (L37, M42,
        # M47, P19, P27, P54), and a single italic word as trivial
        return False
    text = _HEADING_SPAN.sub("", prose(response))
    spans = [m.group(2) for m in _INLINE_SPAN.finditer(text)]
    words = sum(1 for span in spans if _PROSE_SPAN.fullmatch(span.strip()) and not re.search(r"\d", span))
    return words >= int(kwargs.get("num_highlights", 1) or 1)


#: an emphasised span inside a line of text: words before it on the line (not a list item's lead, not a label) and
#: no quote, slash or dot against it ("equery '*rtl8812au*'" is a glob: M26)
_INLINE_SPAN = re.compile(r"(?<=[\w,;] )(\*\*?)([^\n*]+)\1(?=[ ,.;:!?)]|$)", re.M)


#: a bold or italic span that is a heading: a line of its own, or a label that opens a line ("**Step 1:** ..."): a
#: reader sees a heading, not a highlight (held-out L37, "4+ highlights" met by bold headings)
_HEADING_SPAN = re.compile(
    r"^[ \t]*(?:#+[ \t]*)?(\*\*?)[^\n*]+\1[ \t]*:?[ \t]*$|^[ \t]*(\*\*?)[^\n*]+:\2|^[ \t]*(\*\*?)[^\n*]+\3:", re.M
)

#: a highlighted span a reader sees as words: starts with a letter, ends with a letter or a sentence mark, and holds
#: no code or formula character
_PROSE_SPAN = re.compile(r"[^\W\d_](?:[^+=<>{}()\[\]|\\/^~#$%&@*_`;]*[^\W\d_.!?:)])?[.!?:]?")


#: types whose line is weak (:data:`WEAK`) unless its condition holds: a keyword line anchors nothing
#: (``natural.ANCHORLESS``), and a plain word of the request beside the length reads as picked, so it takes a
#: weak line's place (``max_weak_lines``); a name or a quoted term of the request keeps the type's level
#: (after H and J); after K, a plain keyword is left out instead (:data:`CONDITIONS`), so none is weak by default
WEAK_UNLESS: dict[str, Callable[[str, str, Mapping[str, Any]], bool]] = {}

#: the built-in types' conditions: the line keeps its level only where its condition holds, else :data:`MISFIT`
CONDITIONS: dict[str, Callable[[str, str, Mapping[str, Any]], bool]] = {
    "detectable_format:number_bullet_lists": own_bullets,
    "length_constraints:number_paragraphs": own_parts,
    "punctuation:no_comma": asked_commas,
    "detectable_content:postscript": letter_like,
    "paragraphs:paragraphs": two_parts,
    "paragraphs:paragraphs2": two_parts,
    "detectable_format:multiple_sections": sections_asked,
    "language:response_language": whole_language,
    "detectable_format:title": title_line,
    "change_case:english_lowercase": casual,
    "crab:no_punctuation": clean_dash_ban,
    # a plain word of the request beside the length still reads as picked (12 of held-out K's 21 threes): a keyword
    # line is kept only for a keyword the request marks as its subject; the counts of a keyword too ("use 'code'
    # at least 3 times": held-out L's plain words came back through them)
    **dict.fromkeys(("keywords:existence", "crab:keywords"), named_in_request),
    **dict.fromkeys(("keywords:frequency", "keywords:word_count_different_numbers"), named_in_request_once),
    "detectable_format:number_highlighted_sections": prose_highlights,
    "crab:words_per_sentence": prose_sentences,
    "startend:end_checker": asked_ending,
    "detectable_content:number_placeholders": template,
    **dict.fromkeys(LENGTH_TYPES, length_fits),
}


def fitted(type_id: str, value: int, response: str, instruction: str, kwargs: Mapping[str, Any]) -> int:
    """``value`` where the type's condition (if any) holds on this answer and request, else at most :data:`MISFIT`
    (or :data:`WEAK`, for a type of :data:`WEAK_UNLESS`)."""
    condition = CONDITIONS.get(type_id)
    if condition is not None and not condition(response, instruction, kwargs):
        return min(value, MISFIT)
    weak = WEAK_UNLESS.get(type_id)
    if weak is not None and not weak(response, instruction, kwargs):
        return min(value, WEAK)
    return value
