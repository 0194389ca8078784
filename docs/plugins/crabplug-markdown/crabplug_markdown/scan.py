"""A small CommonMark-flavoured scanner: fenced code blocks, tables, numbered lists and ATX headings.

Every check and derive in this package reads a response through these functions, so check and derive
can never disagree about what counts as a table or a heading. Lines inside fenced code blocks are
code, never markdown structure (a ``# comment`` in Python is not a heading).
"""

from __future__ import annotations

import re

import attrs

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})\s*([^`\s]*)[^`]*$")
_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+\S")
_ITEM = re.compile(r"^ {0,3}(\d{1,9})[.)][ \t]+\S")
_DELIM_CELL = re.compile(r"^:?-+:?$")


@attrs.frozen
class CodeBlock:
    """A fenced code block: its info string's first word (lowercased) and its content."""

    language: str
    code: str


def split_fences(text: str) -> tuple[list[str], list[CodeBlock]]:
    """The lines outside fenced code blocks and the closed blocks; an unclosed fence is not a block."""
    outside: list[str] = []
    blocks: list[CodeBlock] = []
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        m = _FENCE.match(lines[i])
        if not m:
            outside.append(lines[i])
            i += 1
            continue
        fence = m.group(1)
        close = re.compile(rf"^ {{0,3}}{re.escape(fence[0])}{{{len(fence)},}}\s*$")
        end = next((j for j in range(i + 1, len(lines)) if close.match(lines[j])), None)
        if end is None:  # CommonMark would run to the end; we only count blocks the writer closed
            outside.append(lines[i])
            i += 1
            continue
        blocks.append(CodeBlock(language=m.group(2).lower(), code="\n".join(lines[i + 1 : end])))
        outside.append("")  # a block separates what comes before and after it
        i = end + 1
    return outside, blocks


def _cells(line: str) -> list[str] | None:
    """The cells of a table row (pipes at the ends optional); None when the line has no pipe."""
    s = line.strip()
    if "|" not in s:
        return None
    if s.startswith("|"):
        s = s[1:]
    if s.endswith("|") and not s.endswith("\\|"):
        s = s[:-1]
    return [c.strip() for c in re.split(r"(?<!\\)\|", s)]


@attrs.frozen
class Table:
    """A pipe table: the header's column count and the number of body rows."""

    columns: int
    rows: int


def tables(text: str) -> list[Table]:
    """Every GFM pipe table: a header row, a delimiter row with as many cells, then body rows with pipes."""
    lines, _ = split_fences(text)
    found: list[Table] = []
    i = 0
    while i + 1 < len(lines):
        header, delim = _cells(lines[i]), _cells(lines[i + 1])
        if header and delim and len(header) == len(delim) and all(_DELIM_CELL.match(c) for c in delim):
            j = i + 2
            while j < len(lines) and lines[j].strip() and _cells(lines[j]) is not None:
                j += 1
            found.append(Table(columns=len(header), rows=j - i - 2))
            i = j
        else:
            i += 1
    return found


def numbered_lists(text: str) -> list[int]:
    """The length of every numbered list: items ``1.``, ``2.``, ... (or ``1)``) in order, from 1.

    A list ends at an unindented line that is not an item, or at an item whose number is not the next
    one; blank and indented lines between items belong to the items (continuations, nested lists).
    """
    lines, _ = split_fences(text)
    lists: list[int] = []
    current = indent = 0
    for line in lines:
        m = _ITEM.match(line)
        depth = len(line) - len(line.lstrip(" "))
        if m and current and depth > indent:
            continue  # a nested item belongs to the current step
        if m:
            n = int(m.group(1))
            if current and n == current + 1:
                current = n
                continue
            if current:
                lists.append(current)
            current, indent = (1, depth) if n == 1 else (0, 0)
        elif current and line.strip() and not line.startswith((" ", "\t")):
            lists.append(current)
            current = 0
    if current:
        lists.append(current)
    return lists


def heading_levels(text: str) -> list[int]:
    """The level (1-6) of every ATX heading outside code blocks, in order."""
    lines, _ = split_fences(text)
    return [len(m.group(1)) for line in lines if (m := _HEADING.match(line))]
