"""Hugging Face datasets as a seed source: hub names, builders with local data_files, save_to_disk folders.

Hub datasets are streamed (``streaming=True``) so nothing is downloaded in full; a ``save_to_disk`` folder is
memory-mapped Arrow, read row by row. When the hub cannot be reached the error says so in one sentence.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import attrs

from crabplug import ConfigError, Context, CrabError, Example, Failure
from crabplug_seeds.decoded import DecodedRow, fields_validator
from crabplug_seeds.files import Format
from crabplug_seeds.formats import Shaper

_SAVED = ("dataset_info.json", "state.json", "dataset_dict.json")


@attrs.frozen
class HfSource:
    """A dataset read with ``datasets.load_dataset`` (or ``load_from_disk`` for a saved folder)."""

    name: ClassVar[str] = "hf"
    path: str = ""
    """A hub name (``OpenAssistant/oasst2``), a builder (``json``, ``csv``, ``parquet``) or a local folder."""
    subset: str | None = None
    """The dataset's configuration: load_dataset's ``name=`` argument."""
    split: str = "train"
    """The split to read."""
    data_files: str | list[str] | dict[str, Any] | None = None
    """Files for a builder such as ``json`` (load_dataset's ``data_files=``)."""
    revision: str | None = None
    """A hub revision (branch, tag or commit) to pin."""
    streaming: bool = True
    """Stream rows instead of downloading and converting the whole dataset first."""
    format: Format = "auto"
    """alpaca, sharegpt, messages, oasst, or auto (guessed per record)."""
    source: str = ""
    """The source label; default: the dataset's name (its last path part)."""
    fields: dict[str, str] = attrs.field(factory=dict, validator=fields_validator)
    """Renamed columns, canonical name -> yours."""
    keep: tuple[str, ...] = attrs.field(default=(), converter=tuple)
    """Extra columns copied into Example.metadata."""

    def read(self, ctx: Context | None = None) -> Iterator[Example | Failure]:
        """Every row of the split, shaped by ``format``."""
        label = self.source or Path(self.path.rstrip("/")).name or "hf"
        shaper = Shaper(fmt=self.format, source=label, fields=self.fields, keep=self.keep)
        yield from shaper.convert(self.rows())

    def rows(self) -> Iterator[DecodedRow]:
        """The split's rows; a dataset that breaks mid-way raises CrabError naming the row."""
        dataset = self.open()
        where = f"{self.path}[{self.split}]"
        n = 0
        it = iter(dataset)
        while True:
            try:
                record = next(it)
            except StopIteration:
                return
            except Exception as err:  # datasets raises many types mid-stream; the user needs one sentence
                raise CrabError(f"reading {where} failed after row {n}: {_first_line(err)}") from None
            n += 1
            yield DecodedRow(data=record, where=f"{where}:row {n}", meta={"dataset": self.path, "row": n})

    def open(self) -> Any:
        """The split as an iterable dataset; ConfigError with one sentence when it cannot be loaded."""
        if not self.path:
            raise ConfigError("seed source 'hf' needs a path: a hub name, a builder such as json, or a local folder")
        import datasets

        folder = Path(self.path).expanduser()
        if folder.is_dir() and any((folder / f).is_file() for f in _SAVED) and not self.data_files:
            try:
                saved = datasets.load_from_disk(str(folder))
            except Exception as err:
                raise ConfigError(f"cannot load the saved dataset {self.path}: {_first_line(err)}") from None
            if isinstance(saved, datasets.DatasetDict):
                if self.split not in saved:
                    splits = ", ".join(saved) or "none"
                    raise ConfigError(f"{self.path} has no split {self.split!r}; set split: to one of {splits}")
                saved = saved[self.split]
            return saved
        kwargs = {"name": self.subset, "split": self.split, "data_files": self.data_files,
                  "revision": self.revision, "streaming": self.streaming}  # fmt: skip
        try:
            return datasets.load_dataset(self.path, **kwargs)
        except Exception as err:  # one sentence for every way loading fails, never a traceback
            raise ConfigError(self._why(err)) from None

    def _why(self, err: Exception) -> str:
        msg = _first_line(err)
        if isinstance(err, ConnectionError) or "Couldn't reach" in msg or "Offline" in msg:
            return (
                f"cannot reach the Hugging Face hub for dataset {self.path!r} ({msg}); where the network allows, "
                "save it with datasets' save_to_disk and set path: to that folder, or use local data_files"
            )
        if isinstance(err, FileNotFoundError):
            return (
                f"Hugging Face dataset {self.path!r} not found ({msg}); "
                "give a hub name, a local folder, or json/csv/parquet with data_files"
            )
        return f"cannot load Hugging Face dataset {self.path!r}: {msg}"


def _first_line(err: Exception) -> str:
    text = str(err).strip().splitlines()
    return (text[0] if text else type(err).__name__)[:300]
