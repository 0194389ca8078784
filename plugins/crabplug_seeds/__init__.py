"""crabplug_seeds: seed sources (JSONL, JSON, CSV, Parquet files, Hugging Face datasets, the bundled set).

Formats (alpaca, sharegpt, messages, oasst trees) are shared by every source; see docs/seeds.md. Nothing is
imported until the sources are registered (``crabplug --help`` loads this module for its commands alone);
pyarrow and datasets load when a source reads.
"""

from __future__ import annotations

from crabplug import hookimpl


@hookimpl
def register_seed_sources(register):
    """The file, Hugging Face and bundled seed sources."""
    from crabplug_seeds.bundled import BundledSource
    from crabplug_seeds.files import JsonlSource, JsonSource
    from crabplug_seeds.hf import HfSource
    from crabplug_seeds.tables import CsvSource, ParquetSource

    for cls in (JsonlSource, JsonSource, CsvSource, ParquetSource, HfSource, BundledSource):
        register(cls)
