"""The bundled seed set: instruction–response pairs written for this project, for the quickstart and tests."""

from __future__ import annotations

from collections.abc import Iterator
from importlib.resources import as_file, files
from typing import ClassVar

import attrs

from crabplug import Context, Example, Failure
from crabplug_seeds.files import JsonlSource
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
        shaper = Shaper(fmt="alpaca", source=self.source, keep=("genre", "lang"))
        with as_file(bundled_file()) as path:
            for record in shaper.convert(JsonlSource().rows(path)):
                if self.genres and isinstance(record, Example) and record.metadata.get("genre") not in self.genres:
                    continue
                yield record
