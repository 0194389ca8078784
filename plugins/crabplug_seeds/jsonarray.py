"""Stream the elements of a top-level JSON array without loading the file.

A small scanner finds where each element ends (tracking strings, escapes and bracket depth, jumping
between interesting characters with a regex), then ``json.loads`` parses just that element. So memory
is bounded by the largest element, and one malformed element is reported alone while the rest are read
(unbalanced brackets inside an element are the exception: they hide where the element ends, so the
file's reading stops there with one error).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

_OUTSIDE = re.compile(r'["\[\]{},]')
_INSIDE = re.compile(r'["\\]')
_SPACE = re.compile(r"\s*")


class JsonArrayError(ValueError):
    """The file is not a JSON array (or ends inside one); ``line`` says where."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


def elements(read: Callable[[int], str], chunk: int = 1 << 16) -> Iterator[tuple[int, str]]:
    """``(line, text)`` of each top-level element of the array read by ``read(n)`` ('' at the end).

    A top-level object is one element (a file holding a single record).
    """
    s = _Scanner(read, chunk)
    s.skip_space()
    if s.pos >= len(s.buf):
        raise JsonArrayError("the file is empty; expected a JSON array of records", s.line)
    if s.buf[s.pos] == "{":  # a file holding one record
        while s.more():
            pass
        yield s.line, s.buf[s.pos :]
        return
    if s.buf[s.pos] != "[":
        raise JsonArrayError(f"expected a JSON array of records, found {s.buf[s.pos]!r}", s.line)
    s.pos += 1
    while True:
        s.skip_space()
        if s.pos >= len(s.buf):
            raise JsonArrayError("the file ends before the array is closed with ']'", s.line)
        if s.buf[s.pos] == "]":
            return
        start = s.line
        text, closer = s.element()
        if text.strip():  # an empty slot: a stray comma
            yield start, text
        if closer == "]":
            return
        s.pos += 1


class _Scanner:
    """A sliding text buffer over ``f``: ``buf[pos:]`` is what is not consumed yet."""

    def __init__(self, read: Callable[[int], str], chunk: int) -> None:
        self.read, self.chunk = read, chunk
        self.buf, self.pos, self.line, self.eof = "", 0, 1, False

    def more(self) -> bool:
        """Append a chunk, dropping the consumed text; False at the end of the file."""
        if self.eof:
            return False
        data = self.read(self.chunk)
        if not data:
            self.eof = True
            return False
        self.buf, self.pos = self.buf[self.pos :] + data, 0
        return True

    def skip_space(self) -> None:
        """Move past whitespace, counting lines."""
        while True:
            end = _SPACE.match(self.buf, self.pos).end()
            self.line += self.buf.count("\n", self.pos, end)
            self.pos = end
            if self.pos < len(self.buf) or not self.more():
                return

    def _refill(self, i: int) -> int:
        """More text, keeping the element being scanned; returns ``i`` in the new buffer."""
        shift = self.pos
        if not self.more():
            raise JsonArrayError("the file ends inside a record", self.line)
        return i - shift

    def element(self) -> tuple[str, str]:
        """The text of the element starting at ``pos`` and the ``,`` or ``]`` after it (left at ``pos``)."""
        i, depth, inside = self.pos, 0, False
        while True:
            m = (_INSIDE if inside else _OUTSIDE).search(self.buf, i)
            if m is None:
                i = self._refill(len(self.buf))
                continue
            i = m.start()
            c = self.buf[i]
            if inside:
                if c == "\\":
                    if i + 1 >= len(self.buf):
                        i = self._refill(i)
                        continue
                    i += 2
                    continue
                inside = False
            elif c == '"':
                inside = True
            elif c in "[{":
                depth += 1
            elif c in "]}" and depth:
                depth -= 1
            elif c == "}" or (c in ",]" and not depth):
                if c == "}":
                    raise JsonArrayError("a '}' closes nothing; the array is malformed here", self.line)
                text = self.buf[self.pos : i]
                self.line += text.count("\n")
                self.pos = i
                return text, c
            i += 1
