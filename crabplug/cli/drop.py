"""``crabplug drop RUN``: remove samples by id or constraints by rule, then rebuild every output from the checkpoints.

The rules are kept in ``RUN/review.json`` (each call adds to them), so the rebuild is a pure function of the
checkpoints and the rules: constraints a rule matches are taken out of the verified records before the
combiner runs (so no instruction mentions them), samples named by id are left out after it, and the outputs
and the dataset card are written again exactly as ``crabplug run`` writes them. The card gets a *Review*
section listing the rules and what they removed.
"""

from __future__ import annotations

import fnmatch
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import click

from crabplug.errors import CrabError
from crabplug.pipeline.review import REVIEW_FILE, Rules, load_rules, save_rules


def _last_checkpoint(run_dir: Path) -> Path:
    found = sorted((run_dir / "stages").glob("*.jsonl"), key=lambda p: int(p.name.split("-", 1)[0]))
    if not found or not (run_dir / "config.yaml").is_file():
        raise CrabError(f"{str(run_dir)!r} has no checkpoints: review a run directory crabplug run made")
    return found[-1]


def unmatched(run_dir: Path, rules: Rules) -> list[str]:
    """The options of ``rules`` that match nothing in the run (a typo drops nothing and must say so), as
    ``--type 'x:*'`` strings; one pass over the last checkpoint and samples.jsonl."""
    from crabplug.pipeline.checkpoint import Checkpoint

    types: set[str] = set()
    origins: set[str] = set()
    for row in Checkpoint(_last_checkpoint(run_dir)).read():
        for c in row.record.constraints if row.record is not None else ():
            types.add(c.type)
            origins.add(c.origin)
    ids: set[str] = set()
    if rules.samples and (run_dir / "samples.jsonl").is_file():
        with (run_dir / "samples.jsonl").open(encoding="utf-8") as f:
            ids = {json.loads(line)["id"] for line in f if line.strip()}
    missing = [f"--type {t!r}" for t in rules.types if not any(fnmatch.fnmatchcase(x, t) for x in types)]
    missing += [f"--origin {o!r}" for o in rules.origins
                if o not in origins and not (o == "llm" and origins - {"rule"})]
    missing += [f"--sample {i!r}" for i in rules.samples if i not in ids]
    return missing


def rebuild(run_dir: Path, registry: Any, rules: Rules) -> dict[str, int]:
    """Combine the checkpoint's verified records without what ``rules`` remove and rewrite every output."""
    from crabplug import config as config_mod
    from crabplug.pipeline.assemble import build_stages, open_context
    from crabplug.pipeline.checkpoint import Checkpoint
    from crabplug.pipeline.rebuild import rebuild_outputs
    from crabplug.records import Sample

    config, _ = config_mod.load(run_dir / "config.yaml")
    combiners = build_stages(config, registry)["combiners"]
    if not combiners:
        raise CrabError(f"the config of {str(run_dir)!r} has no combiner: there are no samples to review")
    ctx = open_context(config, registry, run_dir)
    counts = {"constraints": 0, "samples": 0}

    def records() -> Iterator[Any]:
        for row in Checkpoint(_last_checkpoint(run_dir)).read():
            if row.status != "ok" or row.record is None:
                continue
            record = row.record
            keep = tuple(c for c in record.constraints if not rules.matches(c, record.example.response, registry))
            counts["constraints"] += sum(c.verified is True for c in record.constraints) - sum(
                c.verified is True for c in keep)
            yield attrs.evolve(record, constraints=keep)

    def samples() -> Iterator[Sample]:
        for item in combiners[0].combine(records(), ctx):
            if not isinstance(item, Sample):
                continue
            if item.id in rules.samples:
                counts["samples"] += 1
                continue
            yield item

    stats_path = run_dir / "stats.json"
    stats = json.loads(stats_path.read_text(encoding="utf-8")) if stats_path.is_file() else {}
    rebuild_outputs(run_dir, registry, samples(), stats)
    review = {**attrs.asdict(rules), "dropped_constraints": counts["constraints"], "dropped_samples": counts["samples"]}
    stats = json.loads((run_dir / "stats.json").read_text(encoding="utf-8"))
    stats["review"] = review
    from crabplug.pipeline.checkpoint import write_atomic

    write_atomic(run_dir / "stats.json", json.dumps(stats, indent=2, sort_keys=True, default=str) + "\n")
    _card_section(run_dir, review)
    return counts


def _card_section(run_dir: Path, review: dict[str, Any]) -> None:
    """Append the review to the dataset card, when the run has one."""
    card = run_dir / "README.md"
    if not card.is_file():
        return
    rules = [f"samples {', '.join(review['samples'])}" if review["samples"] else "",
             f"constraint types {', '.join(review['types'])}" if review["types"] else "",
             f"constraints from {', '.join(review['origins'])}" if review["origins"] else "",
             "constraints whose code check fails" if review["failing"] else ""]
    text = card.read_text(encoding="utf-8").rstrip("\n")
    text += ("\n\n## Review\n\nAfter the run, `crabplug drop` removed " + "; ".join(r for r in rules if r)
             + f": {review['dropped_constraints']} verified constraints and {review['dropped_samples']} samples. "
             "The outputs above were rebuilt from the checkpoints without them (rules in review.json).\n")
    card.write_text(text, encoding="utf-8")


@click.command("drop")
@click.argument("run_dir", metavar="RUN", type=click.Path(path_type=Path))
@click.option("--sample", "samples", multiple=True, metavar="ID", help="Leave out this sample (repeatable).")
@click.option("--type", "types", multiple=True, metavar="GLOB", help="Take out constraints of these types (FAMILY:*).")
@click.option("--origin", "origins", multiple=True, metavar="ORIGIN",
              help="Take out constraints from this origin: rule, llm (any model) or a model string.")
@click.option("--failing", is_flag=True, help="Take out constraints whose code check fails on the response now.")
@click.pass_context
def drop_command(ctx: click.Context, run_dir: Path, samples: tuple[str, ...], types: tuple[str, ...],
                 origins: tuple[str, ...], failing: bool) -> None:
    """Remove samples or constraints from RUN, then rebuild its outputs and card deterministically from checkpoints."""
    from crabplug.cli.common import registry_from

    _last_checkpoint(run_dir)
    asked = Rules(samples, types, origins, failing)
    rules = load_rules(run_dir).merged(asked)
    if rules == Rules():
        raise CrabError("name what to drop: --sample ID, --type GLOB, --origin ORIGIN or --failing")
    from crabplug.dirlock import hold

    with hold(run_dir, "drop"):
        if missing := unmatched(run_dir, asked):
            raise CrabError(f"nothing dropped: {', '.join(missing)} matches nothing in {str(run_dir)!r} "
                            "(crabplug show lists its samples and constraint types); the outputs are unchanged")
        save_rules(run_dir, rules)
        counts = rebuild(run_dir, registry_from(ctx), rules)
    click.echo(f"dropped {counts['constraints']} verified constraints and {counts['samples']} samples; "
               f"outputs rebuilt in {run_dir} (rules in {run_dir / REVIEW_FILE})")
