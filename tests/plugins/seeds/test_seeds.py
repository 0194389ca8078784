"""Seed file sources and formats: each format from a small fixture, bad records reported with file:line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from crabplug_seeds.bundled import BundledSource
from crabplug_seeds.files import JsonlSource, JsonSource
from crabplug_seeds.tables import CsvSource, ParquetSource

from crabplug import ConfigError, Example, Failure

FIXTURES = Path(__file__).parents[2] / "fixtures" / "seeds"


def read(source) -> tuple[list[Example], list[Failure]]:
    records = list(source.read(None))
    return [r for r in records if isinstance(r, Example)], [r for r in records if isinstance(r, Failure)]


def test_alpaca_appends_input_to_instruction_after_a_blank_line():
    examples, _ = read(JsonlSource(path=str(FIXTURES / "alpaca.jsonl"), format="alpaca"))
    assert examples[1].instruction == "Translate to French.\n\nGood morning, friends."
    assert examples[1].response == "Bonjour, les amis."


def test_bad_lines_are_failures_with_file_and_line_and_the_rest_is_read():
    examples, failures = read(JsonlSource(path=str(FIXTURES / "alpaca.jsonl")))
    assert [e.metadata["id"] for e in examples] == ["a1", "a2", "a8"]
    where = {f.where.rsplit("/", 1)[-1]: f.reason for f in failures}
    assert list(where) == ["alpaca.jsonl:3", "alpaca.jsonl:4", "alpaca.jsonl:6", "alpaca.jsonl:7"]
    assert "not valid JSON" in where["alpaca.jsonl:3"]
    assert where["alpaca.jsonl:4"] == "the field 'output' is missing"
    assert where["alpaca.jsonl:6"] == "the field 'output' must be a string, got int"
    assert where["alpaca.jsonl:7"] == "the response is empty"
    assert all(f.stage == "seeds" and f.raw for f in failures)


def test_metadata_keeps_file_line_original_id_and_score_and_source_is_the_file_stem():
    first = read(JsonlSource(path=str(FIXTURES / "alpaca.jsonl")))[0][0]
    assert first.source == "alpaca"
    assert first.metadata == {"file": "alpaca.jsonl", "line": 1, "id": "a1", "score": 4.5}


def test_source_label_and_renamed_fields_are_options(tmp_path):
    path = tmp_path / "qa.jsonl"
    path.write_text(json.dumps({"prompt": "Why?", "completion": "Because.", "topic": "x"}) + "\n")
    src = JsonlSource(
        path=str(path), source="mine", fields={"instruction": "prompt", "output": "completion"}, keep=["topic"]
    )
    (ex,), _ = read(src)
    assert (ex.instruction, ex.response, ex.source, ex.metadata["topic"]) == ("Why?", "Because.", "mine", "x")


def test_an_unknown_field_rename_is_rejected():
    with pytest.raises(ValueError, match="unknown name"):
        JsonlSource(path="x.jsonl", fields={"question": "q"})


def test_sharegpt_takes_the_last_human_turn_and_keeps_earlier_turns_and_system_as_context():
    examples, _ = read(JsonSource(path=str(FIXTURES / "sharegpt.json"), format="sharegpt"))
    first = examples[0]
    assert (first.instruction, first.response) == ("Is 9 prime?", "No: 9 = 3 x 3, so it has the divisor 3.")
    assert [(m.role, m.content[:12]) for m in first.context] == [
        ("system", "You are a pa"),
        ("user", "What is a pr"),
        ("assistant", "A whole numb"),
    ]


def test_json_array_elements_are_read_one_by_one_with_their_line_and_bad_ones_reported():
    examples, failures = read(JsonSource(path=str(FIXTURES / "sharegpt.json")))
    assert [e.metadata["id"] for e in examples] == ["s1", "s3", "s6"]
    assert examples[1].instruction.startswith("A bracket ] and a brace }")  # brackets in strings do not end it
    assert [f.where.rsplit("/", 1)[-1] for f in failures] == [
        "sharegpt.json:12",
        "sharegpt.json:15",
        "sharegpt.json:16",
    ]
    assert "speaker 'robot'" in failures[0].reason and "no user turn followed" in failures[2].reason


def test_messages_keep_system_and_earlier_turns_and_join_text_parts():
    examples, failures = read(JsonlSource(path=str(FIXTURES / "messages.jsonl"), format="messages"))
    assert (examples[0].instruction, examples[0].response) == ("And of Portugal?", "Lisbon.")
    assert [m.role for m in examples[0].context] == ["system", "user", "assistant"]
    assert examples[1].instruction == "Describe the sea." and examples[1].context == ()  # trailing user turn dropped
    assert failures[0].where.endswith("messages.jsonl:3") and "empty" in failures[0].reason


def test_context_changes_the_example_id():
    a, b = read(JsonlSource(path=str(FIXTURES / "messages.jsonl")))[0][:2]
    assert a.id != b.id and len({a.id, b.id}) == 2


def test_oasst_tree_walk_pairs_each_prompt_with_its_best_ranked_reply_along_the_best_path():
    examples, failures = read(JsonlSource(path=str(FIXTURES / "oasst_trees.jsonl"), format="oasst"))
    assert [(e.instruction, e.response) for e in examples] == [
        ("How do I boil an egg?", "Lower it into boiling water for 7 minutes, then cool it in cold water."),
        ("And for a runny yolk?", "Six minutes."),  # the deleted follow-up and the unranked branch are skipped
    ]
    assert [m.role for m in examples[1].context] == ["user", "assistant"]
    assert examples[1].metadata["id"] == "p2" and examples[1].metadata["tree"] == "t1"
    assert ["prompter" in failures[0].reason, "no prompt with a usable" in failures[1].reason] == [True, True]


def test_oasst_flat_message_table_is_assembled_tree_by_tree():
    examples, failures = read(JsonlSource(path=str(FIXTURES / "oasst_flat.jsonl")))
    assert [(e.instruction, e.response, len(e.context)) for e in examples] == [
        ("Name a planet.", "Mars.", 0),
        ("Is it red?", "Yes, from iron oxide.", 2),
        ("Say hi.", "Hallo!", 0),
    ]
    assert [f.where.rsplit(":", 1)[-1] for f in failures] == ["6", "9"]
    assert "not together" in failures[1].reason


def test_auto_format_needs_recognisable_keys(tmp_path):
    path = tmp_path / "odd.jsonl"
    path.write_text('{"q": "a", "a": "b"}\n[1, 2]\n')
    _, failures = read(JsonlSource(path=str(path)))
    assert "cannot tell the record's format" in failures[0].reason and "set format:" in failures[0].reason
    assert failures[1].reason == "expected an object with the record's fields, got a list"


def test_csv_reads_multiline_cells_and_reports_a_malformed_row_by_its_line():
    examples, failures = read(CsvSource(path=str(FIXTURES / "alpaca.csv")))
    assert examples[0].response.count("\n") == 2
    assert examples[1].instruction.endswith("\n\nCats sleep a lot, often sixteen hours a day.")
    assert [e.metadata["line"] for e in examples] == [2, 5, 7]
    assert failures[0].where.endswith("alpaca.csv:6") and "more cell" in failures[0].reason


def test_parquet_rows_with_nested_conversations(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    convo = [{"from": "human", "value": f"Q{i}"} for i in range(1)] + [{"from": "gpt", "value": "A"}]
    rows = [{"id": i, "conversations": convo if i != 3 else []} for i in range(5)]
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "chat.parquet")
    examples, failures = read(ParquetSource(path=str(tmp_path / "chat.parquet"), batch_size=2))
    assert [e.metadata["row"] for e in examples] == [1, 2, 3, 5]
    assert failures[0].where.endswith("chat.parquet:row 4")


def test_a_glob_reads_every_match_in_order_and_gz_files_decompressed(tmp_path):
    import gzip

    for i, opener in enumerate((open, gzip.open)):
        name = tmp_path / "part" / (f"{i}.jsonl" + (".gz" if i else ""))
        name.parent.mkdir(exist_ok=True)
        with opener(name, "wt") as f:
            f.write(json.dumps({"instruction": f"I{i}", "output": f"O{i}"}) + "\n")
    examples, _ = read(JsonlSource(path=str(tmp_path / "part" / "*.jsonl*")))
    assert [e.response for e in examples] == ["O0", "O1"] and examples[0].source == "part"


@pytest.mark.parametrize("cls", [JsonlSource, JsonSource, CsvSource, ParquetSource])
def test_a_missing_file_is_a_config_error_naming_the_path(cls):
    with pytest.raises(ConfigError, match="seed file not found: nowhere/x.data"):
        list(cls(path="nowhere/x.data").read(None))


def test_a_glob_matching_nothing_is_a_config_error():
    with pytest.raises(ConfigError, match="no seed file matches 'nowhere/\\*.jsonl'"):
        list(JsonlSource(path="nowhere/*.jsonl").read(None))


def test_a_run_with_these_sources_writes_bad_lines_to_failures_and_processes_the_rest(tmp_path):
    from crabplug import config as cfg
    from crabplug.pipeline.run import execute
    from crabplug.plugins import load

    config = tmp_path / "run.yaml"
    config.write_text(
        f"run_dir: {tmp_path / 'run'}\n"
        f"seeds: [{{plugin: jsonl, path: {FIXTURES / 'alpaca.jsonl'}, format: alpaca}}, {{plugin: bundled}}]\n"
        "back_translators: [test-count]\ncombiner: test-join\noutputs: [test-out]\n"
    )
    loaded, data = cfg.load(config, ())
    result = execute(loaded, data, load(["crabplug_testplugin"]), run_dir=tmp_path / "run", quiet=True)
    failures = [json.loads(x) for x in (tmp_path / "run" / "failures.jsonl").read_text().splitlines()]
    assert [f["where"].rsplit("/", 1)[-1] for f in failures] == [f"alpaca.jsonl:{n}" for n in (3, 4, 6, 7)]
    bundled = sum(1 for _ in BundledSource().read(None))
    assert result.stats["seeds"]["ok"] == 3 + bundled
