"""The bundled seed sets: instruction–response pairs written for this project, for the quickstarts and tests.

``bundled`` is the English-first set (66 pairs); ``multilingual`` holds 60 pairs written in Spanish, French and
Japanese (20 each, ``lang`` es/fr/ja), none of them an M-IFEval prompt or an answer to one.
"""

from __future__ import annotations

from collections.abc import Iterator
from importlib.resources import as_file, files
from pathlib import Path
from typing import Any, ClassVar

import attrs

from crabplug import ConfigError, Context, Example, Failure
from crabplug_seeds.files import FilePiece, JsonlSource, file_pieces
from crabplug_seeds.formats import Shaper

COLLECTIONS = ("bundled", "multilingual")


def bundled_file(collection: str = "bundled"):
    """The package resource holding a set (alpaca fields plus id, genre and lang; one record a line)."""
    return files("crabplug_seeds") / "data" / f"{collection}.jsonl"


@attrs.frozen
class BundledSource:
    """About 60 varied pairs with long responses (essays, emails, code, stories, recipes, poems...)."""

    name: ClassVar[str] = "bundled"
    source: str = "bundled"
    """The source label."""
    genres: tuple[str, ...] = attrs.field(default=(), converter=tuple)
    """Only these genres (e.g. ``[email, recipe]``); empty: all."""
    collection: str = "bundled"
    """Which set: ``bundled`` (66 pairs, English but for three) or ``multilingual`` (20 each in es, fr, ja)."""

    def __attrs_post_init__(self) -> None:
        if self.collection not in COLLECTIONS:
            raise ConfigError(f"seed source bundled: collection must be one of {', '.join(COLLECTIONS)}")

    def read(self, ctx: Context | None = None) -> Iterator[Example | Failure]:
        """The set, in file order; metadata keeps each record's id, genre and lang."""
        with as_file(bundled_file(self.collection)) as path:
            yield from self._records(JsonlSource().rows(path))

    def pieces(self, ctx: Context | None, size: int) -> list[FilePiece]:
        """Parts of ``size`` lines of the set (see JsonlSource.pieces)."""
        with as_file(bundled_file(self.collection)) as path:
            return list(file_pieces([path], size, whole=lambda _: False))

    def read_piece(self, ctx: Context | None, piece: FilePiece) -> Iterator[Example | Failure]:
        """One part's records, read from this machine's copy of the set."""
        with as_file(bundled_file(self.collection)) as path:
            yield from self._records(JsonlSource().rows(Path(piece.path), attrs.evolve(piece, real=str(path))))

    def _records(self, rows: Iterator[Any]) -> Iterator[Example | Failure]:
        shaper = Shaper(fmt="alpaca", source=self.source, keep=("genre", "lang"))
        for record in shaper.convert(rows):
            if self.genres and isinstance(record, Example) and record.metadata.get("genre") not in self.genres:
                continue
            yield record
