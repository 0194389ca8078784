"""The ``hf`` seed source: local data files and save_to_disk folders offline; a clear sentence for the hub offline."""

from __future__ import annotations

import json
import subprocess

import pytest
from core_helpers import crabplug_cmd, env
from crabplug_seeds.hf import HfSource

from crabplug import ConfigError, Example, Failure

ROWS = [
    {"instruction": "Name a colour.", "input": "", "output": "Teal."},
    {"instruction": "Add the numbers.", "input": "2 and 3", "output": "5"},
    {"instruction": "Say nothing.", "input": "", "output": ""},
]


def test_a_builder_with_a_local_data_file_is_read_row_by_row(tmp_path):
    path = tmp_path / "alpaca.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in ROWS))
    records = list(HfSource(path="json", data_files=str(path), source="local").read(None))
    examples = [r for r in records if isinstance(r, Example)]
    assert [(e.instruction, e.response, e.source) for e in examples] == [
        ("Name a colour.", "Teal.", "local"),
        ("Add the numbers.\n\n2 and 3", "5", "local"),
    ]
    (failure,) = [r for r in records if isinstance(r, Failure)]
    assert failure.where == "json[train]:row 3" and failure.reason == "the response is empty"


def test_a_save_to_disk_folder_is_loaded_with_its_split(tmp_path):
    import datasets

    convo = [{"role": "user", "content": "Hi?"}, {"role": "assistant", "content": "Hello."}]
    datasets.DatasetDict({"test": datasets.Dataset.from_list([{"messages": convo}])}).save_to_disk(tmp_path / "dd")
    datasets.Dataset.from_list(ROWS[:1]).save_to_disk(tmp_path / "one")
    (chat,) = HfSource(path=str(tmp_path / "dd"), split="test").read(None)
    (plain,) = HfSource(path=str(tmp_path / "one")).read(None)
    assert (chat.instruction, chat.response, chat.source, chat.metadata["row"]) == ("Hi?", "Hello.", "dd", 1)
    assert plain.response == "Teal."


def test_a_missing_split_names_the_ones_there(tmp_path):
    import datasets

    datasets.DatasetDict({"test": datasets.Dataset.from_list(ROWS[:1])}).save_to_disk(tmp_path / "dd")
    with pytest.raises(ConfigError, match="has no split 'train'; set split: to one of test"):
        list(HfSource(path=str(tmp_path / "dd")).read(None))


def test_a_hub_name_offline_is_a_config_error_saying_the_hub_cannot_be_reached():
    with pytest.raises(ConfigError, match="cannot reach the Hugging Face hub for dataset 'someone/some-seeds'"):
        list(HfSource(path="someone/some-seeds").read(None))


def test_a_hub_name_offline_is_one_sentence_on_the_command_line(tmp_path):
    config = tmp_path / "hub.yaml"
    config.write_text(
        f"run_dir: {tmp_path / 'run'}\nseeds: [{{plugin: hf, path: someone/some-seeds}}]\n"
        "back_translators: [test-count]\ncombiner: test-join\noutputs: [test-out]\n"
    )
    out = subprocess.run(
        crabplug_cmd("run", "-q", str(config)),
        capture_output=True,
        text=True,
        env={**env(), "HF_DATASETS_OFFLINE": "1", "HF_HUB_OFFLINE": "1"},
    )
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1
    assert "cannot reach the Hugging Face hub for dataset 'someone/some-seeds'" in out.stderr
