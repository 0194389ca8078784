"""Reader checks on the answer itself: an edit that damaged it, or a seed that was broken to begin with (issue 30).

``reader.flags`` counts both among its classes (``damaged_by_transform``, ``broken_seed``); ``transform`` skips an
edit :func:`damaged` names, and the ``crab`` combiner drops a record whose answer :func:`broken_seed` names.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from crabplug import analyze, shared_reading
from crabplug_crab.prose import _CODE_LINE

_PROSE_COMMA = re.compile(r"[A-Za-z\)\"'],\s+[A-Za-z]")


def damaged(provenance: Mapping[str, Any], response: str) -> list[str]:
    """Edits by ``transform`` a reader sees as damage, judged from the answer before the edit."""
    before = provenance.get("untransformed_response")
    edits = provenance.get("transforms") or []
    if before is None or not edits:
        return []
    found = []
    if "punctuation:no_comma" in edits and _PROSE_COMMA.search(before):
        found.append("commas cut from prose")
    if "detectable_format:json_format" in edits:
        found.append("answer wrapped in JSON")
    if "detectable_format:title" in edits and not re.match(r"\s*#{1,6}\s", before):
        found.append("title made from keywords")
    if "detectable_format:number_highlighted_sections" in edits:
        found.append("keywords highlighted at random")
    wrapped = {"detectable_format:bigram_wrapping", "detectable_format:square_brackets"} & set(edits)
    if wrapped and re.search(r"[<\[]\*\*\*|\*\*\*[>\]]|[=|^]", response):
        found.append("dividers or formulas wrapped with the words")
    if "detectable_content:postscript" in edits and re.search(r"^P\.S\. [^\n]*\n[^\n]", response, re.M):
        found.append("a stanza or block of lines made a postscript")
    cased = {"change_case:english_lowercase", "change_case:english_capital"} & set(edits)
    if cased and _CASE_MEANS.search(before) and _CASE_MEANS_LOWER.search(before):
        found.append("a case change on symbols whose case carries meaning (V and v, IV and iv)")
    if "change_case:english_lowercase" in edits and _CASED_SYMBOL.search(before):
        found.append("units, formulas or symbols lowercased (°C, 5 V, X²⁺, H2O)")
    postscript = "detectable_content:postscript" in edits
    if postscript and (_CONCLUSION.search(response) or not _AFTERTHOUGHT.search(response)):
        found.append("the answer's conclusion made a postscript")
    if "count:lowercase_counting" in edits:
        found.append("text Title-Cased")
    if "punctuation:punctuation_dot" in edits and re.search(r"(?<=[A-Za-z)\"'”])\.[ \t]+\S", before):
        found.append("periods cut between sentences")
    if re.search(r"[:：][ \t]*\n\s*\*\*\*", response) and not re.search(r"[:：][ \t]*\n\s*\*\*\*", before):
        found.append("a divider cuts what a colon introduces")
    if re.search(r"[\w,][ \t]*\n\s*\*\*\*\s*\n", response) and not re.search(r"[\w,][ \t]*\n\s*\*\*\*", before):
        found.append("a divider cuts a sentence")
    code = "```" in before or bool(_CODE_LINE.search(before)) or bool(_CALL_LINE.search(before))
    for edit in _CODE_BREAKING:
        if edit in edits and code:
            found.append(f"{edit} on an answer with code")
    return found


#: a P.S. that opens with "Thus"/"In summary"/"Таким образом": the answer's conclusion, not an afterthought
_CONCLUSION = re.compile(
    r"^P\.S\.\s*(?:thus|so|therefore|hence|in (?:summary|short|conclusion)|overall|to (?:sum up|summari[sz]e)"
    r"|finally|the (?:final )?answer|answer|таким образом|итак|итог|ответ|в итоге|en (?:resumen|conclusión)|"
    r"por (?:lo )?tanto|así|donc|en résumé|ainsi|also|zusammenfassend)\b|^P\.S\.\s*(?:因此|所以|总之|综上|答案|结论)",
    re.M | re.I,
)
#: what a P.S. says when it is one: an afterthought or a closing remark ("Hope this helps", "Let me know"), not the
#: last paragraph of the answer itself (a story's ending, a derivation's result)
_AFTERTHOUGHT = re.compile(
    r"^P\.S\.\s*(?:(?:I )?hope|let me know|feel free|if you|note|remember|good luck|enjoy|by the way|also|happy|"
    r"don't hesitate|do not hesitate|best|cheers|thanks|thank you|espero|no dudes|si (?:tienes|necesitas)|suerte|"
    r"j'espère|n'hésitez|надеюсь|если (?:у вас|нужно|хотите)|удачи|спасибо|"
    r"ich hoffe|viel (?:spaß|erfolg)|希望|祝|如果|有任何|欢迎)",
    re.M | re.I,
)
#: roman numerals or unit-like symbols in both cases (chords V and v, IV and iv): a case edit changes what they say
_CASE_MEANS = re.compile(r"(?<![\w'’])(?:V|IV|VI|VII|II|III)(?:[°⁰-⁹7]|/|(?![\w'’]))")
_CASE_MEANS_LOWER = re.compile(r"(?<![\w'’])(?:v|iv|vi|vii|ii|iii)(?:[°⁰-⁹7]|/|(?![\w'’]))")
#: symbols a lowercase edit changes the meaning of: temperatures, units after a number, formulas and ions
_CASED_SYMBOL = re.compile(
    r"°[CFK]\b|\b\d+(?:[.,]\d+)?\s?(?:[kMGT]?(?:V|W|Hz|Pa|J|N|B)|mA|kA|K)\b|\b[A-Z][a-z]?[₀-₉²³⁰-⁹⁺⁻]|\b[A-Z][a-z]?\d\b"
)
#: a line that is a bare call or an instruction with a memory operand (scripts outside fences)
_CALL_LINE = re.compile(r"^\s*(?:\w+\([^()\n]*\)\s*(?://.*)?|[a-z]{2,5} \[\w[^\]\n]*\],.*)\s*$", re.M)
#: edits that break code they touch (quotes around it, dividers in it, its case or its sentences changed)
_CODE_BREAKING = (
    "detectable_format:multiple_sections",
    "startend:quotation",
    "length_constraints:number_paragraphs",
    "paragraphs:paragraphs",
    "change_case:english_capital",
    "change_case:english_lowercase",
    "detectable_format:sentence_hyphens",
)


#: one to four words with what follows them, said 16 times in a row
#: one letter 200 times or more in a row: a runaway word ("buzzzz…" of 13,000 letters, held-out K38), which the
#: word and phrase checks do not see because it is one word
_LETTER_RUN = re.compile(r"([^\W\d_])\1{199,}")
_PHRASE_REPEATED = re.compile(r"(\b\w+(?:\W+\w+){0,3}\W+)\1{15,}")


def _periodic_words(words: tuple[str, ...]) -> bool:
    """Whether 16 repeats of a 1-4 word phrase can be in the text these ``\\w+`` runs come from: such a repeat
    makes 16k consecutive runs with period k. Without one, :data:`_PHRASE_REPEATED` cannot match, and this
    test (a comparison per word and period) is ten times cheaper than the pattern's search (1.2 ms an answer)."""
    for k in range(1, 5):
        same = "".join("1" if a == b else "0" for a, b in zip(words, words[k:], strict=False))
        if "1" * (15 * k) in same:
            return True
    return False


@shared_reading  # the combiner and the quality report both ask, of the same seed
def broken_seed(response: str) -> str | None:
    """Why an answer is broken, or None: whitespace flood, runaway repetition, JSON or code cut off."""
    if re.search(r"[ \t]{200,}|\n{30,}", response) or (
        response and sum(map(str.isspace, response)) > 0.5 * len(response)
    ):
        return "whitespace flood"
    lines = [line.strip() for line in response.splitlines() if len(line.strip()) > 3]
    if len(lines) >= 10 and max(lines.count(line) for line in set(lines)) >= max(10, len(lines) // 3):
        return "runaway repetition (a line repeated)"
    if _periodic_words(analyze(response).words) and _PHRASE_REPEATED.search(response):
        return "runaway repetition (a phrase repeated)"
    if _LETTER_RUN.search(response):
        return "runaway repetition (a letter repeated)"
    if response.count("```") % 2:
        return "code cut off (an unclosed fence)"
    body = response.strip()
    fenced = re.fullmatch(r"```(?:json)?\s*(.*?)\s*```", body, re.S)
    data = fenced.group(1) if fenced else body
    if data[:1] in "{[" and data:
        try:
            json.loads(data)
        except ValueError:
            if data.count(data[0]) > data.count("}" if data[0] == "{" else "]"):
                return "JSON cut off"
    return None
