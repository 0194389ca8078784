"""Progress shows a real rate and an ETA, with the seed count as total when no --limit; listings survive pipes."""

from __future__ import annotations

import io
import subprocess

from core_helpers import crabplug_cmd, env
from rich.console import Console

from crabplug.pipeline.progress import Progress, eta_text


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def test_the_rate_is_records_over_this_sessions_time_even_when_chunks_are_slow():
    clock = Clock()
    with Progress(console=Console(file=io.StringIO(), force_terminal=True), clock=clock,
                  total_hint=lambda: 100) as progress:
        progress.start("back_translate", done=20)  # resumed at 20 of 100
        for _ in range(3):
            clock.now += 40.0  # a chunk of slow LLM calls: longer than rich's 30 s speed window
            progress.advance("back_translate", 10)
        assert progress.rate("back_translate") == 30 / 120  # 0.25 rec/s, not 0.0
        assert progress.eta("back_translate") == 50 / 0.25  # 50 left
        task = progress._bar.tasks[0]
        assert task.total == 100
        assert task.fields["rate"].strip() == "0.2 rec/s" and task.fields["eta"] == "ETA 0:03:20"


def test_the_combine_stage_counts_samples_so_the_seed_total_does_not_apply():
    with Progress(console=Console(file=io.StringIO(), force_terminal=True), total_hint=lambda: 100) as progress:
        progress.start("combine")
        assert progress._bar.tasks[0].total is None and progress.eta("combine") is None


def test_eta_text():
    assert (eta_text(None), eta_text(3723.4)) == ("ETA ?", "ETA 1:02:03")


def test_constraints_through_a_pipe_prints_whole_ids():
    out = subprocess.run(crabplug_cmd("constraints"), env={**env(), "COLUMNS": "80"}, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    ids = [line.split("\t")[0] for line in lines[1:] if line.count("\t") == 4]
    assert lines[0] == "id\tfamily\tkwargs\tcode\texample phrasing"
    assert "change_case:capital_word_frequency" in ids and "test:min_words" in ids
    assert not any("…" in i for i in ids)
    assert f"{len(ids)} constraint types" in lines


