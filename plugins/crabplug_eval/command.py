"""``crabplug eval``: evaluate a model on a registered benchmark, or compare finished evaluations.

Only click is imported here; the rest loads when the command runs, so ``crabplug --help`` stays instant.
"""

from __future__ import annotations

import re
from pathlib import Path

import click


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text.strip("/")).strip("-")[-60:] or "model"


@click.command("eval")
@click.argument("dirs", nargs=-1, type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "-m", "--model", help="litellm model string (API, vLLM, Ollama, local/...) or a Hugging Face checkpoint directory."
)
@click.option("-b", "--benchmark", default="ifeval", show_default=True, help="Registered benchmark to run.")
@click.option(
    "-o",
    "--output",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Directory for responses, verdicts and summary (default: eval/BENCHMARK-MODEL; with --compare: eval).",
)
@click.option("--limit", type=click.IntRange(min=1), help="Only the first N prompts.")
@click.option(
    "--responses",
    "responses_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Score this IFEval response file (JSONL prompt + response) instead of generating.",
)
@click.option(
    "--max-tokens", type=click.IntRange(min=1), default=1280, show_default=True, help="New tokens per response."
)
@click.option(
    "--concurrency",
    type=click.IntRange(min=1),
    default=8,
    show_default=True,
    help="Requests in flight (litellm models).",
)
@click.option(
    "--batch-size", type=click.IntRange(min=1), default=8, show_default=True, help="Prompts per batch (checkpoints)."
)
@click.option("--api-base", help="Server URL for the litellm model (vLLM, Ollama, a proxy).")
@click.option(
    "--timeout", type=click.FloatRange(min=1), default=600, show_default=True, help="Seconds one request may take."
)
@click.option("--api-key-env", metavar="VAR", help="Environment variable holding the API key.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the bootstrap intervals.")
@click.option("--compare", is_flag=True, help="Compare the summaries in DIRS: a table and DIR/compare.png.")
@click.option("--reference", is_flag=True, help="With --compare: add the paper's published numbers as rows.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
@click.pass_context
def eval_command(
    ctx: click.Context,
    dirs: tuple[Path, ...],
    model: str | None,
    benchmark: str,
    out_dir: Path | None,
    limit: int | None,
    responses_file: Path | None,
    max_tokens: int,
    concurrency: int,
    batch_size: int,
    api_base: str | None,
    api_key_env: str | None,
    timeout: float,
    seed: int,
    compare: bool,
    reference: bool,
    quiet: bool,
) -> None:
    """Evaluate MODEL on a benchmark (IFEval by default), or with --compare, compare eval directories DIRS.

    Re-running the same command resumes: prompts already answered in responses.jsonl are not asked again.
    """
    from rich.console import Console

    from crabplug import ConfigError

    console = Console()
    if compare:
        if not dirs:
            raise ConfigError("--compare needs one or more eval directories")
        modules = (ctx.obj or {}).get("plugin_modules", [])
        _compare(list(dirs), out_dir or Path("eval"), reference, modules, console)
        return
    if dirs:
        raise ConfigError(f"unexpected argument {str(dirs[0])!r}: directories are for --compare")
    if not model and not responses_file:
        raise ConfigError("give --model MODEL to evaluate, --responses FILE to score, or --compare DIRS")
    from crabplug import Progress, load_plugins
    from crabplug_eval.choose import generator_for
    from crabplug_eval.compare import print_summary
    from crabplug_eval.generate import Settings, is_checkpoint
    from crabplug_eval.runner import evaluate

    registry = load_plugins((ctx.obj or {}).get("plugin_modules", []))
    bench = registry.get("benchmarks", benchmark)()
    out_dir = out_dir or Path("eval") / f"{benchmark}-{_slug(model or responses_file.stem)}"
    door = {"api_base": api_base, "api_key_env": api_key_env, "concurrency": concurrency, "timeout": timeout}
    settings = Settings(max_tokens=max_tokens, batch_size=batch_size, door=door)
    generator = None
    if responses_file is None:
        if is_checkpoint(model):  # one name per checkpoint, however the path was typed
            model = str(Path(model).expanduser().resolve())
        generator = generator_for(model, settings, registry=registry, cache_path=out_dir / "llm-cache.sqlite")
    with Progress(quiet=quiet) as bars:

        def progress(n: int, total: int | None) -> None:  # the runner calls (answered already, total), then (1, None)
            if total is not None:
                bars.start("responses", done=n, total=total)
            else:
                bars.advance("responses", n)

        data = evaluate(
            benchmark=bench,
            registry=registry,
            out_dir=out_dir,
            model=model,
            generator=generator,
            responses_file=responses_file,
            limit=limit,
            seed=seed,
            settings=_settings_dict(settings, generator) if generator else None,
            progress=progress,
        )
    print_summary(data, console)
    for sentence in data.get("problems", ()):
        console.print(f"[yellow]{sentence}[/yellow]")
    console.print(f"written to {out_dir}/ (responses.jsonl, verdicts.jsonl, summary.json) in {data['seconds']:.1f} s")


def _settings_dict(settings, generator) -> dict:
    import attrs

    data = attrs.asdict(settings)
    door = data.pop("door")
    data.update({k: v for k, v in door.items() if k != "api_key_env"})  # a key's name stays out of the files
    if getattr(generator, "attention", None):  # a local checkpoint's attention can change a greedy answer
        data["attention"] = generator.attention
    return data


def _compare(dirs: list[Path], out_dir: Path, reference: bool, modules: list[str], console) -> None:
    import json

    from crabplug import load_plugins, write_atomic
    from crabplug_eval.compare import (
        by_benchmark,
        differences,
        load_runs,
        plot_comparison,
        print_comparison,
        print_differences,
        print_side_by_side,
    )

    groups = by_benchmark(load_runs(dirs))
    references = {}
    if reference:
        benchmarks = load_plugins(modules).items["benchmarks"]
        references = {name: dict(getattr(benchmarks.get(name), "reference", None) or {}) for name in groups}
    paired: dict[str, dict] = {}
    if len(groups) > 1:  # IFEval and IFBench (say): one table, a chart per benchmark
        print_side_by_side({k: v for g in groups.values() for k, v in g.items()}, references, console)
    for name, runs in groups.items():
        if len(groups) == 1:
            print_comparison(runs, references.get(name, {}), console)
        paired[name] = differences(runs)
        print_differences(paired[name], console)
        png = out_dir / ("compare.png" if len(groups) == 1 else f"compare-{name}.png")
        plot_comparison(runs, references.get(name, {}), png)
        console.print(f"chart written to {png}")
    out_dir.mkdir(parents=True, exist_ok=True)
    write_atomic(out_dir / "compare.json", json.dumps(paired, indent=1) + "\n")
    console.print(f"differences written to {out_dir / 'compare.json'}")
