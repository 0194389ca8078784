"""The bundled seed set: enough varied, long, well-formed pairs for the quickstart, shipped as package data."""

from __future__ import annotations

import json
import statistics
from collections import Counter

from crabplug_seeds.bundled import BundledSource, bundled_file

from crabplug import Example, load_plugins


def bundled() -> list[Example]:
    records = list(BundledSource().read(None))
    assert all(isinstance(r, Example) for r in records), [r for r in records if not isinstance(r, Example)]
    return records


def test_the_set_has_at_least_55_records_with_unique_ids_and_content():
    records = bundled()
    assert len(records) >= 55
    assert len({r.metadata["id"] for r in records}) == len(records)
    assert len({r.id for r in records}) == len(records)  # no duplicate pair would be dropped by dedup


def test_responses_are_long_with_a_median_of_at_least_200_words():
    words = [len(r.response.split()) for r in bundled()]
    assert statistics.median(words) >= 200
    assert sum(w >= 200 for w in words) >= 0.7 * len(words)


def test_the_set_spans_many_genres_and_several_languages():
    records = bundled()
    genres = Counter(r.metadata["genre"] for r in records)
    assert len(genres) >= 12 and max(genres.values()) <= len(records) // 5
    assert {"essay", "email", "code", "story", "how-to", "recipe", "poem", "letter"} <= set(genres)
    assert {r.metadata["lang"] for r in records} >= {"en", "fr", "es", "de"}


def test_formats_vary_so_rule_back_translation_has_material():
    texts = [r.response for r in bundled()]
    assert sum("<<" in t and ">>" in t for t in texts) >= 3  # titles
    assert sum("P.S." in t or "P.D." in t for t in texts) >= 2  # postscripts
    assert sum("```" in t for t in texts) >= 5  # code blocks
    assert sum(t.startswith("#") for t in texts) >= 2  # markdown headings
    assert any(t == t.lower() for t in texts) and any(t == t.upper() for t in texts)
    assert any(t.startswith('"') and t.endswith('"') for t in texts)
    assert sum("\n\n" in t for t in texts) >= 0.8 * len(texts)  # paragraphs


def test_every_line_of_the_file_is_an_alpaca_record_with_the_documented_fields():
    with bundled_file().open(encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            assert set(row) == {"id", "genre", "lang", "instruction", "input", "output"}
            assert row["output"] == row["output"].strip() and row["instruction"].strip()


def test_inputs_are_appended_to_their_instruction():
    with_input = [r for r in bundled() if r.metadata["genre"] == "summary"]
    assert with_input and all("\n\n" in r.instruction for r in with_input)


def test_genres_option_keeps_only_those_genres():
    assert {r.metadata["genre"] for r in BundledSource(genres=["poem", "recipe"]).read(None)} == {"poem", "recipe"}


def test_the_plugin_registers_every_seed_source_by_entry_point():
    sources = load_plugins().items["seed_sources"]
    assert {"jsonl", "json", "csv", "parquet", "hf", "bundled"} <= set(sources)
    assert sources["bundled"] is BundledSource
