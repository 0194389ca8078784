"""Seed files are streamed: the first record arrives while the rest of the file is not even written yet."""

from __future__ import annotations

import json
import os
import threading

import pytest
from crabplug_seeds.files import JsonlSource, JsonSource
from crabplug_seeds.jsonarray import elements
from crabplug_seeds.tables import CsvSource

from crabplug import Example

FIRST = {"instruction": "First?", "output": "Yes."}
REST = {"instruction": "Later?", "output": "Then."}

LAYOUTS = {
    JsonlSource: (json.dumps(FIRST) + "\n", json.dumps(REST) + "\n", json.dumps(REST) + "\n"),
    JsonSource: ("[" + json.dumps(FIRST) + ",\n", json.dumps(REST) + ",\n", json.dumps(REST) + "]\n"),
    CsvSource: ("instruction,output\nFirst?,Yes.\n", "Later?,Then.\n", "Later?,Then.\n"),
}


@pytest.mark.parametrize("cls", list(LAYOUTS))
def test_the_first_record_is_yielded_before_the_file_is_fully_written(tmp_path, cls):
    head, body, tail = LAYOUTS[cls]
    pipe = tmp_path / "seeds.pipe"
    os.mkfifo(pipe)
    got_first = threading.Event()
    outcome = {}

    def writer() -> None:
        with open(pipe, "w") as f:
            f.write(head)
            f.flush()
            # a reader that loads the whole file would still be waiting here: nothing more comes until it yields
            outcome["streamed"] = got_first.wait(timeout=5)
            f.write(body * 3 + tail)

    thread = threading.Thread(target=writer)
    thread.start()
    records = cls(path=str(pipe), source="pipe").read(None)
    first = next(records)
    got_first.set()
    rest = list(records)
    thread.join()
    assert outcome["streamed"] and isinstance(first, Example) and first.instruction == "First?"
    assert [r.instruction for r in rest] == ["Later?"] * 4


def test_json_array_elements_split_across_tiny_chunks_are_reassembled():
    text = json.dumps([{"a": 'x\\"]}', "b": [1, {"c": 2}]}, {"a": "ü\n"}, 3], indent=2)
    pos = 0

    def read(n: int) -> str:
        nonlocal pos
        pos += 1
        return text[pos - 1 : pos]  # one character at a time: every boundary case of the buffer

    assert [json.loads(t) for _, t in elements(read)] == json.loads(text)


def test_json_array_reports_the_line_where_each_element_starts():
    text = '[\n  {"a": 1},\n\n  {"b":\n 2}\n]'
    chunks = iter([text, ""])
    assert [line for line, _ in elements(lambda n: next(chunks))] == [2, 4]
