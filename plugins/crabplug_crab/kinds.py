"""What kind of answer a reader sees: mostly code, a worked problem, verse (issue 30).

Lines that read as a person's request on a story read as picked on a listing, a derivation or a poem ("no !" and a
sentence cap beside the length of a matrix inverse, a sentence length on lyrics: held-out readings L to P,
docs/reading-60.md). ``fits`` and the ``crab`` combiner ask these; each reading is kept per answer
(``shared_reading``).
"""

from __future__ import annotations

import re

from crabplug import shared_reading
from crabplug_crab.prose import has_code, prose

_WORD = re.compile(r"[^\W\d_][\w'-]*")
#: a request for a worked problem: its answer is a derivation even where few lines are equations (held-out N14, N49),
#: or one answer to find (R17's "найди флаг", R42's "how much more volume", R56's perceptron "by hand", R7's choices)
_ASKS_MATHS = re.compile(
    r"\b(?:solve|calculate|compute|probabilit\w*|chances?|prove|equations?|integral|derivative|puzzle|riddle|"
    r"remainder|variance|expected value|maximi[sz]e|minimi[sz]e|how many|how much|simplify|evaluate|determine|derive|"
    r"by hand|find the (?:value|number|sum|area|volume|charge|mass|probability|flag)|"
    r"calcul\w*|résou\w*|resuelv\w*|risolv\w*|berechne\w*|вычисл\w*|посчита\w*|найди\w*|реши\w*|tính|giải)\b"
    # a multiple choice: three or more option lines "a. 41.29%", "(b) 10%", "C) 5%" (held-out R7)
    r"|(?:^[ \t]*\(?[a-e][.)][^\n]*\n(?:[^\n]*\n){0,2}){3}",
    re.I | re.M,
)


@shared_reading
def mostly_code(response: str) -> bool:
    """Under half of the answer's words are text: code (fenced, ruled off or bare lines) is most of it."""
    words = len(response.split())
    return words > 0 and len(prose(response).split()) * 2 < words


#: a line a reader takes for maths: an equation, LaTeX
_MATHS_LINE = re.compile(
    r"^[^\n]*(?:\\\(|\\\[|\$\$|\\frac|\\sqrt|\\cdot|[^=!<>\n]=[^=>\n]|\d\s*[+×*/÷−^]\s*\(?\d)[^\n]*$", re.M
)


@shared_reading
def maths(response: str) -> bool:
    """Three or more lines of equations or LaTeX in the text: a derivation, a worked problem."""
    return len(_MATHS_LINE.findall(prose(response))) >= 3


def worked_problem(response: str, instruction: str) -> bool:
    """A derivation (:func:`maths`) or the answer to a request for one (solve, probability, a puzzle)."""
    return maths(response) or _ASKS_MATHS.search(instruction) is not None


def technical_for(response: str, instruction: str) -> bool:
    """:func:`technical`, code anywhere in the answer, or a request for a worked problem (held-out N14's marble
    puzzle, N49's probability exercise, P25's C header with 40% text: still code or maths to a reader)."""
    return technical(response) or has_code(response) or worked_problem(response, instruction)


@shared_reading
def technical(response: str) -> bool:
    """An answer that is mostly code or a derivation (three or more lines of equations or LaTeX): one weak line
    beside its length is the most a person would add ("no em dashes" and "no !" on a matrix inverse read as picked:
    held-out L11, L25, L46, L49). The combiner's ``technical_weak_lines`` caps those."""
    return mostly_code(response) or maths(response)


@shared_reading
def verse(response: str) -> bool:
    """Lines of verse: six or more lines of text, most of them short and ending without a sentence mark."""
    lines = [x.strip() for x in prose(response).splitlines() if _WORD.search(x)]
    open_lines = sum(1 for x in lines if len(x.split()) <= 12 and x[-1] not in ".!?:;。！？")
    return len(lines) >= 6 and open_lines * 3 >= len(lines) * 2


#: words that make a short request ask for something (a question word, a verb of asking, please)
_ASKING = re.compile(
    r"\b(?:what|why|how|when|where|which|who|whom|whose|can|could|would|should|is|are|do|does|did|will|please|"
    r"write|explain|tell|give|list|make|create|describe|help|show|suggest|summari[sz]e|translate|correct|fix|"
    r"rewrite|compare|calculate|find|recommend|advise|draft|plan|need|want)\b",
    re.I,
)


def asks_nothing(instruction: str) -> bool:
    """A short statement that asks for nothing ("29 year female.", "She has a colitis flare for 2 days."): its
    answer is a clarifying question, and any line added to it reads as picked (held-out X13, X27). Under 12 words,
    no question mark, opening as a statement does (a pronoun or a number: a request opens with a verb, or is a noun
    phrase such as "A script of Kirby in a boxing match", left as it is), and no word of asking (English only: a
    short request in another language is left as it is)."""
    words = instruction.split()
    if not words or len(words) >= 12 or "?" in instruction or "？" in instruction or not instruction.isascii():
        return False
    opens = words[0].lower().strip("\"'(")
    return (opens in _STATEMENT_OPENERS or opens[:1].isdigit()) and _ASKING.search(instruction) is None


#: a markdown bullet line ("* ", "- ", "• ")
BULLET = re.compile(r"^[ \t]*(?:[*\-•])[ \t]+\S.*$", re.M)


def lone_bullet(text: str) -> bool:
    """A bullet alone between lines of prose: a run of bullet lines (blank lines and indented lines under a bullet
    go with it) holding one bullet, where there are bullets elsewhere too."""
    runs, run, bullets = [], 0, 0
    for line in text.splitlines():
        if BULLET.match(line):
            run, bullets = run + 1, bullets + 1
        elif line.strip() and not (run and line[:1] in " \t"):
            runs.append(run)
            run = 0
    runs.append(run)
    return bullets > 1 and 1 in runs


def edits_given_text(instruction: str) -> bool:
    """A request to correct, proofread or translate a text it gives (20 words or more after a colon, a quote or a
    line break): the text sets the answer's length, so a word total on it reads picked ("check grammar" + a nurse's
    note: about 50 words, Z26; "correct it in my language:" + a paragraph: 80+ words, X7)."""
    found = _EDITS.search(instruction)
    return found is not None and len(instruction[found.end() :].split()) >= 20


_EDITS = re.compile(
    r"\b(?:correct(?:ed|ing)?|proof-?read(?:ing)?|fix (?:the )?(?:grammar|spelling|typos|mistakes)|check (?:the |my )?"
    r"(?:grammar|spelling)|grammar check|spell ?check|translat(?:e|ed|ing)|corrige\w*|korrigier\w*|исправ\w*|"
    r"переведи\w*)\b"
    r"(?=[^\n:\"“«]{0,40}[:\"“«\n])",  # the text follows: after a colon, in quotes or on the next line
    re.I,
)


def urgent(instruction: str) -> bool:
    """A request made in a hurry or in an emergency ("emergent", "right now", "help, she fainted"): its answer is as
    long as the urgency allows, so a word floor on it reads picked (held-out Y40, Y49, Y59)."""
    return _URGENT.search(instruction) is not None


_URGENT = re.compile(
    r"\b(?:emergen(?:cy|t)|urgent(?:ly)?|right now|asap|immediately|panick(?:ed|ing)|fainted|passed out|"
    r"unconscious|not breathing|can'?t breathe|cannot breathe|overdos(?:e|ed)|chest pain|chest (?:feels|is) tight|"
    r"call 911|help me|please help|help!)",
    re.I,
)


#: first words of a statement, not of a request (a request opens with a verb: "Estimate my bill.")
_STATEMENT_OPENERS = frozenset("i i'm im my me she he we they it its her his our their".split())
