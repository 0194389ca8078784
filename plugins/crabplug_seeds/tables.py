"""Table-shaped seed files: CSV/TSV (header row) and Parquet, streamed row by row."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import attrs

from crabplug import ConfigError, Failure
from crabplug_seeds.decoded import DecodedRow
from crabplug_seeds.files import FileSource, fail_at, open_binary


@attrs.frozen
class CsvSource(FileSource):
    """CSV (or TSV) with a header row; list-valued cells (conversations, messages) hold JSON."""

    name: ClassVar[str] = "csv"
    delimiter: str = ""
    """The cell separator; default: tab for ``.tsv`` files, else comma."""

    def rows(self, path: Path) -> Iterator[DecodedRow | Failure]:
        """One DecodedRow per CSV record (a record may span lines); ``line`` is where it starts."""
        # long responses exceed csv's default 128 KiB cell limit; raising it is process-wide but harmless
        csv.field_size_limit(max(csv.field_size_limit(), 1 << 26))
        tsv = ".tsv" in path.suffixes
        sep = self.delimiter or ("\t" if tsv else ",")
        with io.TextIOWrapper(open_binary(path), encoding="utf-8-sig", newline="") as f:
            reader = csv.DictReader(f, delimiter=sep)
            start = 2
            try:
                for record in reader:
                    where = f"{path}:{start}"
                    if None in record:
                        extra = len(record.pop(None))
                        yield fail_at(
                            path, start, f"the row has {extra} more cell(s) than the header", json.dumps(record)
                        )
                    else:
                        yield DecodedRow(data=record, where=where, meta={"file": path.name, "line": start})
                    start = reader.line_num + 1
            except (csv.Error, UnicodeDecodeError) as err:
                yield fail_at(
                    path, start, f"the CSV cannot be read past here ({err}); the rest of this file is skipped"
                )


@attrs.frozen
class ParquetSource(FileSource):
    """Parquet, read in record batches with pyarrow (list/struct columns arrive as lists/objects).

    pyarrow decodes a whole row group at a time: memory is bounded by the largest row group, not the file.
    """

    name: ClassVar[str] = "parquet"
    batch_size: int = 1024
    """Rows turned into Python objects at a time (pyarrow itself decodes a row group at a time)."""

    def rows(self, path: Path) -> Iterator[DecodedRow | Failure]:
        """One DecodedRow per table row, ``where`` = ``file:row N`` (1-based)."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        try:
            table = pq.ParquetFile(path)
        except (pa.ArrowException, OSError) as err:
            raise ConfigError(f"{path} is not a readable Parquet file: {err}") from None
        n = 0
        for batch in table.iter_batches(batch_size=self.batch_size):
            for record in batch.to_pylist():
                n += 1
                yield DecodedRow(data=record, where=f"{path}:row {n}", meta={"file": path.name, "row": n})
