"""One evaluation: the benchmark's prompts -> responses (generated, resumed, or read) -> verdicts -> summary."""

from __future__ import annotations

import contextlib
import json
import time
from itertools import islice
from pathlib import Path
from typing import Any

from crabplug import ConfigError, CrabError, PluginError, RecordError, hold_directory, score_row, summarize
from crabplug_eval.results import ResponseLog, read_responses, summary_data, write_atomic, write_jsonl

FIELDS = ("key", "prompt", "instruction_id_list", "kwargs")


def benchmark_prompts(benchmark: Any, limit: int | None) -> list[dict[str, Any]]:
    """The first ``limit`` prompts (all when None), each checked for the fields scoring needs."""
    rows = list(islice(benchmark.prompts(), limit))
    for row in rows:
        if not isinstance(row, dict) or any(f not in row for f in FIELDS) or not isinstance(row["prompt"], str):
            raise PluginError(
                f"benchmark {benchmark.name!r} yielded a prompt without {', '.join(FIELDS)}: {row!r:.120}"
            )
    return rows


#: generation settings that change an answer: a resume with other values would reuse answers made without them
ANSWER_SETTINGS = ("max_tokens", "temperature", "top_p", "seed", "system_prompt", "chat_template", "attention")


def answer_settings(settings: dict[str, Any] | None) -> dict[str, Any] | None:
    """The part of the generation settings the answers depend on (None when nothing is generated)."""
    if settings is None:
        return None
    return {k: settings[k] for k in ANSWER_SETTINGS if k in settings}


def _check_same_eval(out_dir: Path, meta: dict[str, Any]) -> None:
    """Refuse to mix two models' (or benchmarks', or generation settings') responses in one directory."""
    path = out_dir / "eval.json"
    if path.exists():
        old = json.loads(path.read_text(encoding="utf-8"))
        for key in ("benchmark", "model"):
            if old.get(key) != meta[key]:
                raise ConfigError(
                    f"{out_dir} holds {key} {old.get(key)!r}, not {meta[key]!r}: choose another -o directory"
                )
        before, now = old.get("generation"), meta.get("generation")
        if now is None:  # rescoring a responses file asks nothing: the answers keep the settings that made them
            meta = {**meta, "generation": before}
        elif before is not None and before != now and (out_dir / "responses.jsonl").is_file():
            changed = ", ".join(
                f"{k} {before.get(k)!r} -> {now.get(k)!r}"
                for k in sorted({*before, *now})
                if before.get(k) != now.get(k)
            )
            raise ConfigError(
                f"{out_dir} holds answers generated with other settings ({changed}): they would be reused as they "
                f"are; choose another -o directory, or delete {out_dir} to ask again"
            )
    write_atomic(path, json.dumps(meta, indent=2) + "\n")


def generate_missing(
    rows: list[dict[str, Any]], out_dir: Path, generator: Any, *, progress: Any = None
) -> dict[str, str]:
    """Ask the model for every prompt not yet in responses.jsonl; returns prompt -> response for all done.

    Each answer is appended and fsynced as it arrives, so a kill loses at most the answers in flight.
    """
    log = ResponseLog(out_dir / "responses.jsonl")
    try:
        todo = [r for r in rows if r["prompt"] not in log.done]
        if progress:
            progress(len(rows) - len(todo), len(rows))

        def on_response(row: dict[str, Any], text: str) -> None:
            log.append(row["prompt"], text)
            if progress:
                progress(1, None)

        failures = generator.generate(todo, on_response) if todo else []
    finally:
        log.close()
    if failures:
        with (out_dir / "failures.jsonl").open("a", encoding="utf-8") as f:
            for row, reason in failures:
                f.write(json.dumps({"key": row["key"], "reason": reason}, ensure_ascii=False) + "\n")
        raise CrabError(
            f"{len(failures)} of {len(rows)} prompts got no response (first: {failures[0][1]}); "
            f"see {out_dir / 'failures.jsonl'} and re-run the same command to retry them"
        )
    return log.done


def score(
    benchmark: Any, registry: Any, rows: list[dict[str, Any]], responses: dict[str, str], own: dict | None = None
) -> list[dict]:
    """One verdict row per prompt, in benchmark order, by the benchmark's scorer (IFEval's by default).

    ``own`` (see :func:`own_instructions`) replaces a prompt's instructions with those its response line names.
    """
    scorer = getattr(benchmark, "score", None) or (lambda reg, row: score_row(reg, row))
    verdicts = []
    for row in rows:
        try:
            mine = (own or {}).get(row["prompt"].strip(), {})
            verdict = scorer(registry, {**row, **mine, "response": responses[row["prompt"]]})
        except RecordError as err:
            raise CrabError(f"benchmark {benchmark.name!r}, prompt {row['key']}: {err}") from None
        verdicts.append({"key": row["key"], "prompt": row["prompt"], **verdict})
    return verdicts


def exclusive(out_dir: Path) -> contextlib.AbstractContextManager[None]:
    """Hold ``out_dir/.lock`` for one eval: a second eval writing the same answers file is refused, not interleaved.

    The lock is the kernel's (:func:`crabplug.hold_directory`), so a killed eval releases it and a resume needs no
    clean-up.
    """
    return hold_directory(out_dir, "eval", way_out="choose another -o directory")


def evaluate(
    *,
    benchmark: Any,
    registry: Any,
    out_dir: Path,
    model: str | None,
    generator: Any = None,
    responses_file: Path | None = None,
    limit: int | None = None,
    seed: int = 0,
    settings: dict[str, Any] | None = None,
    progress: Any = None,
) -> dict[str, Any]:
    """Run (or resume, or rescore) an evaluation in ``out_dir``; returns summary.json's content."""
    started = time.monotonic()
    rows = benchmark_prompts(benchmark, limit)
    if not rows:
        raise CrabError(f"benchmark {benchmark.name!r} has no prompts")
    out_dir.mkdir(parents=True, exist_ok=True)
    with exclusive(out_dir):  # held until the summary is written
        log = out_dir / "responses.jsonl"
        in_place = responses_file is not None and log.exists() and responses_file.resolve() == log.resolve()
        source = model if responses_file is None else str(responses_file)
        if in_place and (out_dir / "eval.json").exists():  # rescoring an eval directory keeps its model's name
            source = json.loads((out_dir / "eval.json").read_text(encoding="utf-8"))["model"]
        generation = answer_settings(settings) if responses_file is None else None
        _check_same_eval(out_dir, {"benchmark": benchmark.name, "model": source, "generation": generation})
        if responses_file is not None:
            responses = read_responses(responses_file)
            stripped = {p.strip(): t for p, t in responses.items()}  # as IFBench's evaluator: spaces around a prompt
            responses.update(
                {
                    r["prompt"]: stripped[r["prompt"].strip()]
                    for r in rows
                    if r["prompt"] not in responses and r["prompt"].strip() in stripped
                }
            )
            missing = [r for r in rows if r["prompt"] not in responses]
            if missing:
                raise CrabError(
                    f"{responses_file} has no response for {len(missing)} of the {len(rows)} prompts "
                    f"(first: key {missing[0]['key']}); pass --limit or a complete file"
                )
        else:
            responses = generate_missing(rows, out_dir, generator, progress=progress)
        if not in_place:  # in benchmark order; answers beyond --limit are kept for a later, larger run
            order = {r["prompt"]: i for i, r in enumerate(rows)}
            ordered = sorted(responses.items(), key=lambda kv: order.get(kv[0], len(order)))
            if responses_file is not None:
                ordered = [(p, t) for p, t in ordered if p in order]
            write_jsonl(log, ({"prompt": p, "response": t} for p, t in ordered))
        own = own_instructions(responses_file) if responses_file is not None and not in_place else None
        verdicts = score(benchmark, registry, rows, responses, own)
        write_jsonl(out_dir / "verdicts.jsonl", verdicts)
        scored = [v for v in verdicts if not v.get("unscored")]  # no instruction of it could be checked
        usage = getattr(generator, "usage", None)
        data = {
            "benchmark": benchmark.name,
            "model": source,
            "engine": getattr(generator, "engine", "litellm") if generator is not None else "responses file",
            "limit": limit,
            "generation": settings or {},
            **summary_data(summarize(scored), scored, seed=seed),
            "seconds": round(time.monotonic() - started, 2),
        }
        if problems(verdicts):
            data["problems"] = problems(verdicts)
        if usage is not None:
            data["usage"] = usage.snapshot()["total"]  # this invocation only: a resumed eval counts anew
        write_atomic(out_dir / "summary.json", json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        return data


def problems(verdicts: list[dict[str, Any]]) -> list[str]:
    """One sentence per kind of problem a benchmark's scorer reported (``skipped`` instructions of a verdict)."""
    kinds: dict[str, list[str]] = {}
    for v in verdicts:
        for skip in v.get("skipped", ()):
            kinds.setdefault(skip["problem"], []).append(skip["type"])
    unscored = sum(1 for v in verdicts if v.get("unscored"))
    out = []
    for problem, types in kinds.items():
        names = ", ".join(sorted(set(types))[:5]) + (", ..." if len(set(types)) > 5 else "")
        out.append(f"{len(types)} instruction(s) not scored ({names}): {problem}.")
    if unscored:
        out.append(f"{unscored} prompt(s) had no instruction left to check and are not counted in the scores.")
    return out


def own_instructions(path: Path) -> dict[str, dict[str, Any]]:
    """Prompt (stripped) -> the ``instruction_id_list`` + ``kwargs`` a response line carries, for lines that have
    both (IFEval-style rows with their own instructions); they are scored instead of the benchmark's."""
    own = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            row = json.loads(line)
        except ValueError:
            continue  # read_responses has already refused a malformed file
        if isinstance(row, dict) and "instruction_id_list" in row and "kwargs" in row:
            own[str(row.get("prompt", "")).strip()] = {k: row[k] for k in ("instruction_id_list", "kwargs")}
    return own
