"""How the ``crab`` combiner joins constraint lines to a request: the list headers and styles, the leads of a woven
template, the headers of in-context demonstrations, and the punctuation a request and each line end with."""

from __future__ import annotations

import re

#: headers of the list templates; ``{items}`` is the formatted list
LIST_HEADERS = (
    "Your response must follow these constraints:",
    "Please satisfy all of the following requirements:",
    "Constraints:",
    "Make sure your answer meets every requirement below.",
    "Requirements for your answer:",
    "When you answer, keep to these rules:",
)
#: list styles: name -> item formatter (index from 1, phrase)
LIST_STYLES = {
    "numbered": lambda i, t: f"{i}. {t}",
    "dash": lambda i, t: f"- {t}",
    "star": lambda i, t: f"* {t}",
    "paren": lambda i, t: f"({i}) {t}",
    "bracket": lambda i, t: f"[{i}] {t}",
}
#: woven templates: the constraints run on as prose after the instruction
WOVEN_LEADS = ("", "Also, ", "In your answer, ", "Please note: ", "Keep in mind: ")
DEMO_HEADERS = (
    "Here are examples of instructions with constraints and responses that follow them.",
    "The following examples show how to follow an instruction with constraints.",
    "Examples of complex instructions and good answers:",
)


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


#: what closes a request as it is: sentence marks, closing quotes and brackets
_CLOSED = tuple(".?!:;)\"'»”。？！：）」』")
#: what ends a request in code or markup: woven constraints start a new paragraph after it, not a sentence
MARKUP = tuple("}`]>*|")


def ended(text: str) -> str:
    """``text`` with its closing punctuation: a period after a final letter, digit, ``$`` (inline math) or the
    like, a trailing comma made a period; nothing after a sentence mark, a closing quote or bracket, or code."""
    text = text.rstrip()
    if not text or text.endswith(_CLOSED + MARKUP):
        return text
    return text.rstrip(",") + "."


def as_sentence(phrase: str) -> str:
    """A woven constraint as a sentence: its closing punctuation, also after a closing bracket ("...sentence).")."""
    phrase = ended(phrase)
    return phrase + "." if phrase.endswith(")") and not phrase.endswith((".)", "!)", "?)")) else phrase


def tidy(phrase: str) -> str:
    """One constraint line: a single period where two meet (``required..``), an ellipsis kept."""
    phrase = phrase.strip()
    return _DOUBLE_PERIOD.sub(".", phrase)


_DOUBLE_PERIOD = re.compile(r"(?<!\.)\.\s*\.(?!\.)")
