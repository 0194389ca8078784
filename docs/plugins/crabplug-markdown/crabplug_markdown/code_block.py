"""``markdown:code_block``: a fenced code block in a given language whose code is valid.

Validity is checked for the languages Python can check offline (python: ``ast.parse``; json:
``json.loads``); for any other language the block must simply be non-empty.
"""

from __future__ import annotations

import ast
import json
import random
import warnings
from collections.abc import Mapping
from typing import Any

from crabplug import ConstraintType, Example

from crabplug_markdown.scan import split_fences

#: info-string spellings that mean the same language
ALIASES = {"py": "python", "python3": "python", "py3": "python", "jsonc": "json"}
#: languages derive may ask for (others appear in checks but are too rare to be worth asking)
DERIVABLE = ("python", "json", "javascript", "typescript", "bash", "sql", "html", "css", "java", "c", "cpp",
             "rust", "go", "yaml")
#: language -> name shown in the instruction
NAMES = {"python": "Python", "json": "JSON", "javascript": "JavaScript", "typescript": "TypeScript",
         "bash": "Bash", "sql": "SQL", "html": "HTML", "css": "CSS", "cpp": "C++", "yaml": "YAML"}

PHRASINGS = (
    "Include a fenced code block (```{language}) containing valid {name} code.",
    "Your answer must contain {name} code in a markdown code block marked ```{language}; it must be valid {name}.",
    "Put a {name} snippet in a triple-backtick block tagged {language}, and make sure it is syntactically valid.",
)


def _normal(language: str) -> str:
    language = language.strip().lower()
    return ALIASES.get(language, language)


def valid(language: str, code: str) -> bool:
    """Whether ``code`` is valid ``language``: parsed for python and json, non-empty for the rest."""
    if not code.strip():
        return False
    if language == "python":
        try:
            with warnings.catch_warnings():  # invalid escape sequences in a snippet are not our business
                warnings.simplefilter("ignore")
                ast.parse(code)
        except (SyntaxError, ValueError):  # ValueError: null bytes in the source
            return False
    elif language == "json":
        try:
            json.loads(code)
        except ValueError:
            return False
    return True


def check(response: str, *, language: str) -> bool:
    """True when a closed fenced block tagged ``language`` (aliases allowed) holds valid code."""
    want = _normal(language)
    _, blocks = split_fences(response)
    return any(_normal(b.language) == want and valid(want, b.code) for b in blocks)


def describe(kwargs: Mapping[str, Any], rng: random.Random) -> str:
    """One phrasing, picked by ``rng``."""
    language = _normal(kwargs["language"])
    return rng.choice(PHRASINGS).format(language=language, name=NAMES.get(language, language.capitalize()))


def derive(example: Example, rng: random.Random) -> dict[str, Any] | None:
    """The language of one of the response's valid, tagged code blocks; None when it has none."""
    _, blocks = split_fences(example.response)
    languages = sorted({_normal(b.language) for b in blocks
                        if _normal(b.language) in DERIVABLE and valid(_normal(b.language), b.code)})
    return {"language": rng.choice(languages)} if languages else None


CODE_BLOCK = ConstraintType(
    id="markdown:code_block",
    family="markdown",
    check=check,
    describe=describe,
    derive=derive,
    kwargs=("language",),
    conflicts={"detectable_format:json_format", "startend:quotation"},
    summary="a fenced code block in a given language that parses (python, json) or is non-empty",
    example={"language": "python"},
    counts="code",  # met by the code itself: the reader checks do not set the code aside for this one
)
