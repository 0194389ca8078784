"""File seed sources: what they share, and the JSONL and JSON readers (CSV and Parquet: tables.py).

Paths are files or globs, relative to the current directory; ``.gz``, ``.bz2`` and ``.xz`` text files are
read compressed. A missing file is a ConfigError naming the path; a bad record is a Failure naming
``file:line`` and reading goes on.
"""

from __future__ import annotations

import bz2
import codecs
import glob
import gzip
import itertools
import json
import lzma
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, ClassVar, Literal

import attrs

from crabplug import ConfigError, Context, Example, Failure
from crabplug_seeds.decoded import DecodedRow, fields_validator
from crabplug_seeds.formats import Shaper
from crabplug_seeds.jsonarray import JsonArrayError, elements

Format = Literal["auto", "alpaca", "sharegpt", "messages", "oasst"]
_COMPRESSED = {".gz": gzip.open, ".bz2": bz2.open, ".xz": lzma.open}


@attrs.frozen
class FileSource:
    """What every file source shares: its options and the path/format plumbing."""

    name: ClassVar[str] = ""
    path: str = attrs.field(default="")
    """A file or a glob (``data/*.jsonl``), relative to the current directory."""
    format: Format = "auto"
    """alpaca, sharegpt, messages, oasst, or auto (guessed per record from its keys)."""
    source: str = ""
    """The source label (Example.source, the per-source cap's key); default: the file's stem, a glob's folder."""
    fields: dict[str, str] = attrs.field(factory=dict, validator=fields_validator)
    """Renamed columns, canonical name -> yours, e.g. ``{instruction: prompt, output: completion}``."""
    keep: tuple[str, ...] = attrs.field(default=(), converter=tuple)
    """Extra columns copied into Example.metadata (``id`` and ``score`` always are)."""

    def read(self, ctx: Context | None = None) -> Iterator[Example | Failure]:
        """Every record of every matching file, in path order."""
        shaper = Shaper(fmt=self.format, source=self.label(), fields=self.fields, keep=self.keep)
        for path in self.files():
            yield from shaper.convert(self.rows(path))

    def rows(self, path: Path) -> Iterator[DecodedRow | Failure]:
        """The decoded records of one file (each reader defines it)."""
        raise NotImplementedError

    def files(self) -> list[Path]:
        """The files ``path`` names; ConfigError when there are none."""
        if not self.path:
            raise ConfigError(f"seed source {self.name!r} needs a path: option, e.g. path: data/seeds.jsonl")
        here = Path.cwd()
        if glob.has_magic(self.path):
            found = sorted(glob.glob(str(Path(self.path).expanduser()), recursive=True))
            if not found:
                raise ConfigError(f"no seed file matches {self.path!r} (relative to {here})")
            return [Path(p) for p in found]
        path = Path(self.path).expanduser()
        if not path.exists() or path.is_dir():  # not is_file(): a named pipe streams too
            raise ConfigError(f"seed file not found: {self.path} (relative to {here})")
        return [path]

    def label(self) -> str:
        """The source label: ``source`` if set, else the file's name without extensions, or a glob's folder."""
        if self.source:
            return self.source
        path = Path(self.path)
        if glob.has_magic(path.name):
            return path.parent.name or "seeds"
        return re.sub(r"(\.(jsonl|json|csv|tsv|parquet|gz|bz2|xz))+$", "", path.name) or path.name


def open_binary(path: Path) -> IO[bytes]:
    """The file's bytes, decompressed when its suffix says so."""
    opener = _COMPRESSED.get(path.suffix.lower(), open)
    return opener(path, "rb")


def _text_reader(f: IO[bytes]):
    """``read(n)`` -> up to ``n`` characters as soon as any are available ('' at the end).

    Unlike TextIOWrapper.read(n), which waits for all ``n``, so a pipe or a slow stream yields records early.
    """
    decoder = codecs.getincrementaldecoder("utf-8-sig")()

    def read(n: int) -> str:
        while True:
            data = f.read1(n)
            text = decoder.decode(data, final=not data)
            if text or not data:
                return text

    return read


def fail_at(path: Path, line: int | str, reason: str, raw: str = "") -> Failure:
    """A seeds Failure pointing at ``path:line``."""
    return Failure(stage="seeds", reason=reason, where=f"{path}:{line}", raw=raw[:500])


@attrs.frozen
class FilePiece:
    """Consecutive lines of one file, read on their own (an executor's worker reads one; docs/scaling.md)."""

    path: str
    """The file as the source names it (what a Failure's ``where`` shows)."""
    real: str
    """The same file, absolute: a worker may run in another directory."""
    start: int = 0
    """Byte offset of the first line."""
    line: int = 1
    """Its line number."""
    lines: int | None = None
    """How many lines; None: to the end of the file."""


@attrs.frozen
class JsonlSource(FileSource):
    """JSON Lines: one record per line, read line by line."""

    name: ClassVar[str] = "jsonl"

    def pieces(self, ctx: Context | None, size: int) -> Iterator[FilePiece] | None:
        """Parts of ``size`` lines (a compressed file, or one of oasst message rows, is one part); None for
        ``format: oasst``, whose trees span lines. One pass over the bytes, no parsing."""
        if self.format == "oasst":
            return None
        return file_pieces(self.files(), size, whole=lambda p: self.format == "auto" and self._oasst_rows(p))

    def read_piece(self, ctx: Context | None, piece: FilePiece) -> Iterator[Example | Failure]:
        """The records of one part, exactly as ``read`` yields them."""
        shaper = Shaper(fmt=self.format, source=self.label(), fields=self.fields, keep=self.keep)
        yield from shaper.convert(self.rows(Path(piece.path), piece))

    def _oasst_rows(self, path: Path) -> bool:
        shaper = Shaper(fmt=self.format, source=self.label(), fields=self.fields, keep=self.keep)
        first = next((r for r in self.rows(path) if not isinstance(r, Failure)), None)
        return first is not None and isinstance(first.data, dict) and shaper.detect(first.data) == "oasst"

    def rows(self, path: Path, piece: FilePiece | None = None) -> Iterator[DecodedRow | Failure]:
        """One DecodedRow per non-blank line (of ``piece`` only, when given); undecodable or non-JSON lines become
        Failures."""
        with open_binary(Path(piece.real) if piece else path) as f:
            if piece and piece.start:
                f.seek(piece.start)
            lines = f if piece is None or piece.lines is None else itertools.islice(f, piece.lines)
            for n, raw in enumerate(lines, piece.line if piece else 1):
                try:
                    line = raw.decode("utf-8-sig" if n == 1 else "utf-8")
                except UnicodeDecodeError:
                    yield fail_at(path, n, "the line is not valid UTF-8; save the file as UTF-8", repr(raw[:200]))
                    continue
                if not line.strip():
                    continue
                try:
                    data = json.loads(line)
                except ValueError as err:
                    msg = getattr(err, "msg", str(err))
                    yield fail_at(
                        path, n, f"the line is not valid JSON ({msg}, column {getattr(err, 'colno', '?')})", line
                    )
                    continue
                yield DecodedRow(data=data, where=f"{path}:{n}", meta={"file": path.name, "line": n}, text=line)


@attrs.frozen
class JsonSource(FileSource):
    """A JSON array of records (or one record), streamed element by element (see jsonarray.py)."""

    name: ClassVar[str] = "json"

    def rows(self, path: Path) -> Iterator[DecodedRow | Failure]:
        """One DecodedRow per array element; an element that is not valid JSON becomes a Failure."""
        with open_binary(path) as f:
            try:
                for line, text in elements(_text_reader(f)):
                    try:
                        data = json.loads(text)
                    except ValueError as err:
                        yield fail_at(path, line, f"the record is not valid JSON ({getattr(err, 'msg', err)})", text)
                        continue
                    meta = {"file": path.name, "line": line}
                    yield DecodedRow(data=data, where=f"{path}:{line}", meta=meta, text=text)
            except JsonArrayError as err:
                yield fail_at(path, err.line, f"{err}; the rest of this file is skipped")
            except UnicodeDecodeError:
                yield fail_at(path, "?", "the file is not valid UTF-8; save it as UTF-8")


def file_pieces(paths: list[Path], size: int, whole: Callable[[Path], bool]) -> Iterator[FilePiece]:
    """``size`` lines a part, by byte offset; a compressed file, a pipe or one ``whole`` says so is one part."""
    for path in paths:
        real = str(path.resolve())
        if path.suffix.lower() in _COMPRESSED or not path.is_file() or whole(path):
            yield FilePiece(path=str(path), real=real)
            continue
        with path.open("rb") as f:
            start = offset = n = 0
            line = 1
            for raw in f:
                offset += len(raw)
                n += 1
                if n == size:
                    yield FilePiece(path=str(path), real=real, start=start, line=line, lines=n)
                    start, line, n = offset, line + n, 0
            if n:
                yield FilePiece(path=str(path), real=real, start=start, line=line, lines=n)
