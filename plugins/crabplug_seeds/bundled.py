"""The bundled seed set: instruction–response pairs written for this project, for the quickstart and tests."""

from __future__ import annotations

from collections.abc import Iterator
from importlib.resources import as_file, files
from pathlib import Path
from typing import Any, ClassVar

import attrs

from crabplug import Context, Example, Failure
from crabplug_seeds.files import FilePiece, JsonlSource, file_pieces
from crabplug_seeds.formats import Shaper


def bundled_file():
    """The package resource holding the set (alpaca fields plus id, genre and lang; one record a line)."""
    return files("crabplug_seeds") / "data" / "bundled.jsonl"


@attrs.frozen
class BundledSource:
    """About 60 varied pairs with long responses (essays, emails, code, stories, recipes, poems...)."""

    name: ClassVar[str] = "bundled"
    source: str = "bundled"
    """The source label."""
    genres: tuple[str, ...] = attrs.field(default=(), converter=tuple)
    """Only these genres (e.g. ``[email, recipe]``); empty: all."""

    def read(self, ctx: Context | None = None) -> Iterator[Example | Failure]:
        """The set, in file order; metadata keeps each record's id, genre and lang."""
        with as_file(bundled_file()) as path:
            yield from self._records(JsonlSource().rows(path))

    def pieces(self, ctx: Context | None, size: int) -> list[FilePiece]:
        """Parts of ``size`` lines of the set (see JsonlSource.pieces)."""
        with as_file(bundled_file()) as path:
            return list(file_pieces([path], size, whole=lambda _: False))

    def read_piece(self, ctx: Context | None, piece: FilePiece) -> Iterator[Example | Failure]:
        """One part's records, read from this machine's copy of the set."""
        with as_file(bundled_file()) as path:
            yield from self._records(JsonlSource().rows(Path(piece.path), attrs.evolve(piece, real=str(path))))

    def _records(self, rows: Iterator[Any]) -> Iterator[Example | Failure]:
        shaper = Shaper(fmt="alpaca", source=self.source, keep=("genre", "lang"))
        for record in shaper.convert(rows):
            if self.genres and isinstance(record, Example) and record.metadata.get("genre") not in self.genres:
                continue
            yield record
