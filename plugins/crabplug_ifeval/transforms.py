"""Transformations: deterministic, meaning-keeping edits that make an IFEval type true of a copy of a response.

Back-translation finds only what a response already does, and an essay always has commas, capitals and no
``<<title>>``. These edits make the missing types (44% of IFEval's instructions) true without changing what
the answer says. Each one raises :class:`crabplug.TransformSkipped` with a short reason when it cannot apply
(code would break, already true, not a yes/no answer...).

Default shares aim at IFEval's type mix in expectation: a type is tried on ``IFEval share / applicability`` of
the records (capped at 1), where the IFEval share is how many of its 541 prompts use the type
(``input_data.jsonl``: no_comma 66, highlights 48, repeat_prompt 41, quotation 41, lowercase 39, title 37,
number_paragraphs 27, postscript 26, end_checker 26, capital 25, two_responses 24, json 17,
multiple_sections 14, constrained_response 10) and the applicability is the share of real answers the edit
applies to (:data:`APPLIES`, measured on arena-hard v2's 750 o3-mini answers).
"""

from __future__ import annotations

import itertools
import json
import random
import re

from crabplug import Example, Transform, TransformSkipped

#: code, fenced or not: a fence, a tab-indented line, a shebang, a definition or import, a lone brace, a tag
_CODE = re.compile(
    r"```|^\t\S|^\s*(?:#!|#include\b|def \w|class \w|import \w|from [\w.]+ import |[{}]\s*$"
    r"|</?[a-zA-Z][\w-]*[^>\n]*>\s*$|(?:SELECT|FROM|WHERE|GROUP BY|LEFT JOIN)\b"
    r"|[A-Za-z_][\w.]*\s*=\s*[\w.]+\(|[a-z_]\w*(?:\.\w+)+\(.*\)\s*$)|[;{]\s*$",
    re.M,
)
#: a comma inside prose (not a digit group): removing it joins list items ("your eyes nose or mouth")
_PROSE_COMMA = re.compile(r",\s")
_PARAGRAPH = re.compile(r"\n\s*\n")
_NUMBERED = re.compile(r"^([ \t]*)\d{1,2}[.)][ \t]+", re.M)
#: bullets IFEval does not count ("•", "‣", "◦", "▪", "–")
_OTHER_BULLETS = re.compile(r"^[ \t]*[•‣◦▪–][ \t]+\S", re.M)
_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$")
_YES_NO = re.compile(r"^\W*(yes|no)\b", re.I)
_QUESTION_START = re.compile(
    r"^\W*(is|are|was|were|can|could|does|do|did|should|would|will|has|have|had|may|might)\b", re.I
)
#: IFEval's own end phrases (instructions.py ``_ENDING_OPTIONS``)
END_PHRASES = ("Any other questions?", "Is there anything else I can help with?")
IFEVAL_PROMPTS = 541


#: share of real answers each edit applies to and passes its check on (750 o3-mini arena-hard v2 answers;
#: tests/benchmarks/bench_quality.py re-measures the resulting mix)
APPLIES = {
    "length_constraints:number_paragraphs": 0.129,
    "detectable_content:postscript": 0.788,
    "detectable_format:constrained_response": 0.001,
    "detectable_format:number_highlighted_sections": 0.656,
    "detectable_format:multiple_sections": 0.947,
    "detectable_format:number_bullet_lists": 0.236,
    "detectable_format:json_format": 0.996,
    "detectable_format:title": 0.859,
    "combination:two_responses": 0.721,
    "combination:repeat_prompt": 0.679,
    "startend:end_checker": 1.0,
    "change_case:english_capital": 0.635,
    "change_case:english_lowercase": 0.676,
    "punctuation:no_comma": 0.919,
    "startend:quotation": 1.0,
}


def _share(type_id: str, count: int) -> float:
    """IFEval's share of prompts using the type, divided by how often the edit applies (at most 1)."""
    return round(min(1.0, count / IFEVAL_PROMPTS / APPLIES[type_id]), 3)


def _prose_only(response: str) -> None:
    if _CODE.search(response):
        raise TransformSkipped("has code")


def _paragraphs(response: str) -> list[str]:
    return [p.strip() for p in _PARAGRAPH.split(response.strip()) if p.strip()]


def lowercase(example: Example, rng: random.Random) -> tuple[str, dict]:
    _prose_only(example.response)
    if example.response == example.response.lower():
        raise TransformSkipped("already lowercase")
    return example.response.lower(), {}


def capital(example: Example, rng: random.Random) -> tuple[str, dict]:
    _prose_only(example.response)
    if example.response == example.response.upper():
        raise TransformSkipped("already capitals")
    return example.response.upper(), {}


def no_comma(example: Example, rng: random.Random) -> tuple[str, dict]:
    """Digit groups lose their comma (1,000 -> 1000); an answer with a comma in prose is left alone (cut out, it
    leaves broken lists and run-on clauses a reader sees at once), and so is one with full-width commas."""
    _prose_only(example.response)
    if "," not in example.response:
        raise TransformSkipped("already no comma")
    if _PROSE_COMMA.search(example.response):
        raise TransformSkipped("commas in prose would leave broken sentences")
    if "，" in example.response or "、" in example.response:
        raise TransformSkipped("full-width commas a reader counts too")
    text = re.sub(r"(?<=\d),(?=\d{3}\b)", "", example.response)
    return text.replace(",", " "), {}


def json_wrap(example: Example, rng: random.Random) -> tuple[str, dict]:
    """Never edits: an answer that is JSON already passes, and prose wrapped as JSON is not a JSON answer."""
    value = example.response.strip()
    try:
        json.loads(value.removeprefix("```json").removeprefix("```").removesuffix("```"))
    except ValueError:
        pass
    else:
        raise TransformSkipped("already json")
    # a prose answer wrapped as {"response": ...} reads as damage, not as JSON (issue 30): only JSON answers
    raise TransformSkipped("prose would be wrapped in JSON")


def title(example: Example, rng: random.Random) -> tuple[str, dict]:
    """A leading markdown heading becomes the <<title>>; an answer without one gets none (a title made of keywords
    names nothing a reader recognises)."""
    if re.search(r"<<[^\n]+>>", example.response):
        raise TransformSkipped("already has a title")
    lines = example.response.lstrip().split("\n")
    heading = _HEADING.match(lines[0])
    if heading:
        name = heading.group(1).strip("*_ ")
        return f"<<{name}>>\n" + "\n".join(lines[1:]), {}
    # two keywords joined by "and" name nothing ("<<Gift and Last-Minute>>"): only a heading the answer has
    raise TransformSkipped("no heading that names the topic")


def postscript(example: Example, rng: random.Random) -> tuple[str, dict]:
    """The last paragraph, when it is a short closing remark, becomes the P.S."""
    paragraphs = _paragraphs(example.response)
    if len(paragraphs) < 3:
        raise TransformSkipped("fewer than 3 paragraphs")
    last = paragraphs[-1]
    if len(last.split()) > 60 or _CODE.search(last) or not last[:1].isalpha() or re.match(r"[^\W\d_]+\s*:", last):
        raise TransformSkipped("last paragraph is not a closing remark")  # "Answer: 462" is the answer itself
    if "\n" in last.strip():  # a stanza or a signature block: "P.S." before it reads as damage
        raise TransformSkipped("last paragraph is a stanza or a block of lines")
    if re.search(r"^\s*p\.\s?s\.", example.response, flags=re.I | re.M):
        raise TransformSkipped("already has a postscript")
    body = example.response.strip()[: -len(last)].rstrip()
    return f"{body}\n\nP.S. {last}", {"postscript_marker": "P.S."}


def quotation(example: Example, rng: random.Random) -> tuple[str, dict]:
    _prose_only(example.response)  # quotes around code (or HTML) make it unusable
    value = example.response.strip()
    if value.startswith('"') and value.endswith('"'):
        raise TransformSkipped("already quoted")
    return f'"{value}"', {}


def repeat_prompt(example: Example, rng: random.Random) -> tuple[str, dict]:
    prompt = example.instruction.strip()
    if not prompt or len(prompt) > 600:
        raise TransformSkipped("request empty or longer than 600 characters")
    if example.response.strip().lower().startswith(prompt.lower()):
        raise TransformSkipped("already repeats the request")
    return f"{prompt}\n\n{example.response.strip()}", {"prompt_to_repeat": prompt}


def two_responses(example: Example, rng: random.Random) -> tuple[str, dict]:
    """A short answer (the first paragraph) and the full one, separated by ******."""
    _prose_only(example.response)
    if "******" in example.response:
        raise TransformSkipped("already has ******")
    paragraphs = _paragraphs(example.response)
    if len(paragraphs) < 2 or len(paragraphs[0].split()) < 10 or paragraphs[0].endswith(":"):
        raise TransformSkipped("no first paragraph that answers on its own")  # "We are given:" does not
    return f"{paragraphs[0]}\n\n******\n\n{example.response.strip()}", {}


def _heads(paragraph: str) -> bool:
    """A paragraph that introduces the next one: it ends with a colon, or it is one short line without a sentence
    mark (a heading)."""
    last = paragraph.rstrip()
    one_line = "\n" not in last and len(last.split()) <= 8 and last[-1:] not in ".!?"
    return last.endswith(":") or one_line


def sections(example: Example, rng: random.Random) -> tuple[str, dict]:
    """Consecutive paragraphs grouped into 2-5 sections, each headed ``SECTION i`` (or ``Section i``)."""
    _prose_only(example.response)
    paragraphs = _paragraphs(example.response)
    if len(paragraphs) < 2:
        raise TransformSkipped("fewer than 2 paragraphs")
    if re.search(r"\b(section|SECTION)\s?\d", example.response, flags=re.I):
        raise TransformSkipped("already mentions sections")
    n = min(len(paragraphs), rng.randint(2, 5))
    spliter = rng.choice(("SECTION", "Section"))
    size = -(-len(paragraphs) // n)
    groups = [paragraphs[i : i + size] for i in range(0, len(paragraphs), size)]
    if any(_heads(g[-1]) for g in groups[:-1]):
        # "Scenario 1: No spin" | SECTION 2 | its bullets: a section would cut a heading from its text (held-out R39)
        raise TransformSkipped("a section would cut a heading from its text")
    text = "\n\n".join(f"{spliter} {i}\n" + "\n\n".join(g) for i, g in enumerate(groups, 1))
    return text, {"section_spliter": spliter, "num_sections": len(groups)}


def paragraph_dividers(example: Example, rng: random.Random) -> tuple[str, dict]:
    """Blank-line paragraphs (2 to 5) separated by the markdown divider ***."""
    _prose_only(example.response)
    if "***" in example.response:
        raise TransformSkipped("already has ***")
    paragraphs = _paragraphs(example.response)
    if not 2 <= len(paragraphs) <= 5:
        raise TransformSkipped("not 2 to 5 paragraphs")
    if any(p.endswith(":") for p in paragraphs[:-1]):  # "as follows:" *** formula cuts what it introduces away
        raise TransformSkipped("a divider would follow a colon")
    if any(p[-1:].isalnum() or p.endswith(",") for p in paragraphs[:-1]):  # "we have" *** dD/dt = 0
        raise TransformSkipped("a divider would cut a sentence")
    return "\n\n***\n\n".join(paragraphs), {"num_paragraphs": len(paragraphs)}


def end_phrase(example: Example, rng: random.Random) -> tuple[str, dict]:
    phrase = rng.choice(END_PHRASES)
    if example.response.rstrip().endswith("```"):
        raise TransformSkipped("ends with code")
    return f"{example.response.rstrip()}\n\n{phrase}", {"end_phrase": phrase}


def highlights(example: Example, rng: random.Random) -> tuple[str, dict]:
    """Never edits: stressing keywords the writer did not stress reads as noise; answers with emphasis of their
    own get the type from the ``rules`` back-translator instead."""
    _prose_only(example.response)
    if "*" in example.response:
        raise TransformSkipped("already uses asterisks")
    # a keyword stressed where the writer did not ("I am *designed*") reads as noise (issue 30)
    raise TransformSkipped("a highlight would fall on a word the answer does not stress")


def _heads_sections(response: str) -> bool:
    """Between two numbered lines stands a paragraph of its own (after a blank line, not indented): the numbers
    head sections of working, not items of a list."""
    lines = response.splitlines()
    at = [i for i, line in enumerate(lines) if _NUMBERED.match(line)]
    for a, b in itertools.pairwise(at):
        for prev, line in itertools.pairwise(lines[a + 1 : b]):
            if not prev.strip() and line.strip() and not line[0].isspace():
                return True
    return False


def bullets(example: Example, rng: random.Random) -> tuple[str, dict]:
    """A numbered list of 1 to 5 items becomes markdown bullets (the order words stay in place)."""
    from crabplug_ifeval.checks_format import count_bullets

    _prose_only(example.response)
    numbered = _NUMBERED.findall(example.response)
    if not numbered:
        raise TransformSkipped("no numbered list")
    if _heads_sections(example.response):
        # "1. Mass ... 4. Final Answer" over paragraphs of working are steps: as bullets they lose their order
        raise TransformSkipped("numbered steps that head sections keep their numbers")
    if _OTHER_BULLETS.search(example.response):
        raise TransformSkipped("the answer has bullets of another mark, which a reader would count too")
    edited = _NUMBERED.sub(lambda m: f"{m.group(1)}* ", example.response)
    count = count_bullets(edited)
    if not 1 <= count <= 5:
        raise TransformSkipped("not 1 to 5 list items")
    return edited, {"num_bullets": count}


def constrained(example: Example, rng: random.Random) -> tuple[str, dict]:
    """A yes/no question answered with a leading Yes or No gets IFEval's "My answer is yes./no." first."""
    asked = example.instruction.strip()
    answer = _YES_NO.match(example.response)
    if not answer or "?" not in asked or not _QUESTION_START.search(asked.split("?")[0].split("\n")[-1]):
        raise TransformSkipped("not a yes/no question answered yes or no")
    return f"My answer is {answer.group(1).lower()}. {example.response.strip()}", {}


#: type id -> (edit, prompts of IFEval's 541 using the type, order, keeps LLM-judged constraints); order:
#: content edits 10-30, case 40, punctuation 45, wrapping the whole response 90+
_SPECS = {
    "detectable_format:number_highlighted_sections": (highlights, 48, 10, True),
    "detectable_content:postscript": (postscript, 26, 12, True),
    "length_constraints:number_paragraphs": (paragraph_dividers, 27, 14, True),
    "detectable_format:multiple_sections": (sections, 14, 16, True),
    "detectable_format:number_bullet_lists": (bullets, 31, 18, True),
    "detectable_format:title": (title, 37, 20, True),
    "startend:end_checker": (end_phrase, 26, 22, True),
    "detectable_format:constrained_response": (constrained, 10, 24, True),
    "combination:two_responses": (two_responses, 24, 26, False),
    "combination:repeat_prompt": (repeat_prompt, 41, 30, True),
    "change_case:english_lowercase": (lowercase, 39, 40, True),
    "change_case:english_capital": (capital, 25, 40, True),
    "punctuation:no_comma": (no_comma, 66, 45, True),
    "startend:quotation": (quotation, 41, 90, True),
    "detectable_format:json_format": (json_wrap, 17, 95, False),
}
TRANSFORMS: dict[str, Transform] = {
    tid: Transform(edit, share=_share(tid, count), order=order, keeps_unverifiable=keeps)
    for tid, (edit, count, order, keeps) in _SPECS.items()
}
