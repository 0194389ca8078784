"""The contract a worker's seed reading rests on (crabplug/pipeline/seed_parts.py): a source's
pieces, each read on its own
with ``read_piece``, yield exactly what ``read`` yields — records, failures and their ``file:line`` — and a source
whose records depend on each other is not split. No Ray here: the same calls a worker makes."""

from __future__ import annotations

import gzip
import itertools
import json
from pathlib import Path

import pytest
from crabplug_seeds.bundled import BundledSource, bundled_file
from crabplug_seeds.files import JsonlSource, JsonSource

REAL = bundled_file().read_text(encoding="utf-8").splitlines()  # 66 real instruction-response pairs


def by_pieces(source, size: int) -> list:
    pieces = list(source.pieces(None, size))
    return [record for piece in pieces for record in source.read_piece(None, piece)]


def write_awkward(path: Path) -> Path:
    """A BOM, blank lines, a line that is not JSON, a line that is not UTF-8, records of every size."""
    lines = [line.encode() for line in REAL[:20]]
    lines[7:7] = [b"", b"{not json", b"\xff\xfe broken", b"   "]
    path.write_bytes(b"\xef\xbb\xbf" + b"\n".join(lines) + b"\n")
    return path


@pytest.mark.parametrize("size", [1, 3, 7, 64])
def test_shards_of_a_jsonl_file_read_on_their_own_are_the_whole_file(tmp_path, size):
    source = JsonlSource(path=str(write_awkward(tmp_path / "seeds.jsonl")))
    whole = list(source.read())
    assert sum(not hasattr(r, "response") for r in whole) == 2  # the two bad lines, as Failures naming their line
    assert by_pieces(source, size) == whole
    assert len(list(source.pieces(None, size))) == -(-24 // size)  # 24 lines, blank ones included


def test_a_glob_of_files_and_a_compressed_one(tmp_path):
    (tmp_path / "d").mkdir()
    write_awkward(tmp_path / "d" / "a.jsonl")
    with gzip.open(tmp_path / "d" / "b.jsonl.gz", "wt", encoding="utf-8") as f:
        f.write("\n".join(REAL[20:40]) + "\n")
    source = JsonlSource(path=str(tmp_path / "d" / "*.jsonl*"))
    pieces = list(source.pieces(None, 5))
    assert [s.lines for s in pieces if s.path.endswith(".gz")] == [None]  # a compressed file is one part
    assert by_pieces(source, 5) == list(source.read())


def test_the_bundled_set_in_shards_and_with_a_genre_filter():
    for source in (BundledSource(), BundledSource(genres=("email", "recipe"))):
        assert by_pieces(source, 4) == list(source.read())


def test_sources_whose_records_span_lines_are_not_split(tmp_path):
    rows = [
        {"message_id": "q", "parent_id": None, "role": "prompter", "text": "Say hello.", "message_tree_id": "t"},
        {"message_id": "a", "parent_id": "q", "role": "assistant", "text": "Hello!", "message_tree_id": "t"},
    ]
    path = tmp_path / "oasst.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    assert JsonlSource(path=str(path), format="oasst").pieces(None, 1) is None  # read on the driver
    auto = JsonlSource(path=str(path))
    assert [(s.start, s.lines) for s in auto.pieces(None, 1)] == [(0, None)]  # the whole file, one part
    assert by_pieces(auto, 1) == list(auto.read())
    assert not hasattr(JsonSource, "pieces")  # a JSON array: read on the driver


def test_a_part_started_mid_way_skips_what_the_checkpoint_has(tmp_path):
    from crabplug import Context
    from crabplug.config import RunConfig
    from crabplug.pipeline.seed_parts import SeedPart, read_part

    source = BundledSource()
    piece = next(itertools.islice(source.pieces(None, 10), 2, None))  # lines 21-30
    ctx = Context(run_dir=tmp_path, config=RunConfig())
    keys, records = read_part([source], ctx, SeedPart(source=0, piece=piece, skip=4))
    assert records == list(source.read())[24:30]
    assert [(k.id, k.source, k.short) for k in keys] == [(r.id, "bundled", False) for r in records]


def test_a_source_with_the_names_before_0_2_is_still_read_in_pieces_with_a_warning(tmp_path):
    from crabplug import Context
    from crabplug.config import RunConfig
    from crabplug.pipeline.seed_parts import parts, read_part

    class OldSource:  # a third party's source written for shards/read_shard
        name = "old"

        def __init__(self):
            self.inner = BundledSource()

        def read(self, ctx):
            return self.inner.read(ctx)

        def shards(self, ctx, size):
            return self.inner.pieces(ctx, size)

        def read_shard(self, ctx, shard):
            return self.inner.read_piece(ctx, shard)

    ctx = Context(run_dir=tmp_path, config=RunConfig())
    with pytest.warns(DeprecationWarning, match="now pieces/read_piece"):
        found = list(parts([OldSource()], ctx, 10))
    assert all(p.piece is not None for p in found)
    records = [r for p in found for r in read_part([OldSource()], ctx, p)[1]]
    assert records == list(BundledSource().read())
