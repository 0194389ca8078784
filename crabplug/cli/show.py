"""``crabplug show RUN``: a few samples, nicely, with each constraint's verdict re-checked now."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import click

from crabplug.constraints import check
from crabplug.errors import ConfigError, CrabError
from crabplug.records import Sample


def verdict(registry, sample: Sample, constraint) -> str:
    """``pass``/``FAIL`` from the type's code check today, else the recorded verdict and who gave it."""
    ctype = registry.constraint_types.get(constraint.type)
    if ctype is not None and ctype.check is not None:
        try:
            return "pass (code)" if check(ctype, sample.response, constraint.kwargs) else "FAIL (code)"
        except TypeError:
            return "FAIL (bad kwargs)"
    recorded = {True: "pass", False: "FAIL", None: "unverified"}[constraint.verified]
    return f"{recorded} ({constraint.verified_by or constraint.origin})"


def print_quality(run_dir: Path, console) -> None:
    """The ``quality`` section of stats.json (written by the dataset card output): summary, then one row per type."""
    from rich.table import Table

    path = run_dir / "stats.json"
    report = json.loads(path.read_text(encoding="utf-8")).get("quality") if path.is_file() else None
    if not report:
        raise ConfigError(f"{str(run_dir)!r} has no quality report in stats.json: list the 'card' output and re-run")
    rows = report.get("types", {})
    for key, value in report.items():
        if key != "types":
            console.print(f"[bold]{key}[/]: {value}")
    order = ["samples", "share", "target", "from_transform", "in_range", "phrasings"]
    columns = [c for c in order if any(c in row for row in rows.values())]
    table = Table("type", *columns)
    for tid, row in rows.items():
        table.add_row(tid, *(str(row.get(c, "")) for c in columns))
    console.print(table)


def _keep(constraint, verdict_text: str, origin: str | None, type_glob: str | None, verdict_name: str | None) -> bool:
    """Whether a constraint passes the --origin, --type and --verdict filters."""
    import fnmatch

    if origin and not (constraint.origin == origin or (origin == "llm" and constraint.origin != "rule")):
        return False
    if type_glob and not fnmatch.fnmatchcase(constraint.type, type_glob):
        return False
    return not verdict_name or verdict_text.lower().startswith(verdict_name)


def print_failures(run_dir: Path, console, *, reason: str | None, count: int, skip: int) -> None:
    """Rows of failures.jsonl (stage, reason, where, record), those containing ``reason`` when given."""
    from rich.table import Table

    path = run_dir / "failures.jsonl"
    if not path.is_file():
        raise ConfigError(f"{str(run_dir)!r} has no failures.jsonl: is it a crabplug run directory?")
    needle = (reason or "").lower()
    matched, shown = 0, []  # streamed: only the rows printed are kept
    with path.open(encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            if needle in f"{row.get('stage', '')}: {row.get('reason', '')}".lower():
                if skip <= matched < skip + count:
                    shown.append(row)
                matched += 1
    if not matched:
        which = f" whose stage or reason contains {reason!r}" if reason else ""
        raise CrabError(f"{str(run_dir)!r} has no failures{which}")
    table = Table("stage", "reason", "where", "record", title=f"{matched} failures")
    for row in shown:
        where, record = str(row.get("where", "")), row.get("record_id") or ""
        table.add_row(row.get("stage", ""), row.get("reason", ""), where, record)
    console.print(table)


def _samples(run_dir: Path):
    path = run_dir / "samples.jsonl"
    if not path.is_file():
        raise ConfigError(f"{str(run_dir)!r} has no samples.jsonl: is it a finished crabplug run directory?")
    with path.open(encoding="utf-8") as f:
        for line in f:
            yield Sample.from_dict(json.loads(line))


@click.command("show")
@click.argument("run_dir", metavar="RUN", type=click.Path(path_type=Path))
@click.option("-n", "count", default=3, show_default=True, help="How many samples.")
@click.option("--skip", default=0, help="Start after this many samples.")
@click.option("--width", default=400, show_default=True, help="Truncate texts to this many characters (0: never).")
@click.option("--quality", is_flag=True, help="Print the run's quality report (stats.json) instead of samples.")
@click.option("--origin", help="Only constraints from this origin: rule, llm (any model) or a model string.")
@click.option("--type", "type_glob", metavar="GLOB", help="Only constraints of these types (e.g. 'FAMILY:*').")
@click.option("--verdict", "verdict_name", type=click.Choice(["pass", "fail", "unverified"]),
              help="Only constraints with this verdict (re-checked by code where it can).")
@click.option("--failures", is_flag=True, help="Print failures.jsonl rows instead of samples.")
@click.option("--reason", metavar="TEXT", help="With --failures: only failures whose stage or reason contains TEXT.")
@click.pass_context
def show_command(ctx: click.Context, run_dir: Path, count: int, skip: int, width: int, quality: bool,
                 origin: str | None, type_glob: str | None, verdict_name: str | None, failures: bool,
                 reason: str | None) -> None:
    """Print a few samples of a run directory with each constraint's verdict, or its failures; filters narrow both."""
    from rich.console import Console
    from rich.panel import Panel
    from rich.table import Table

    if quality:
        print_quality(run_dir, Console())
        return

    if failures:
        print_failures(run_dir, Console(), reason=reason, count=count, skip=skip)
        return

    from crabplug.cli.common import registry_from

    registry = registry_from(ctx)
    console = Console()
    filtering = bool(origin or type_glob or verdict_name)

    def wanted(sample: Sample) -> list:
        return [c for c in sample.constraints
                if _keep(c, verdict(registry, sample, c), origin, type_glob, verdict_name)]

    selected = ((s, wanted(s)) for s in _samples(run_dir))
    if filtering:
        selected = ((s, cs) for s, cs in selected if cs)

    def cut(text: str) -> str:
        return text if not width or len(text) <= width else text[:width] + f" … [{len(text) - width} more chars]"

    shown = 0
    for sample, constraints in itertools.islice(selected, skip, skip + count):
        shown += 1
        more = f" ({len(constraints)} of {len(sample.constraints)} constraints match)" if filtering else ""
        table = Table("type", "phrasing", "origin", "verdict", show_lines=False, title=more.strip(" ()") or None)
        for c in constraints:
            v = verdict(registry, sample, c)
            table.add_row(c.type, c.text, c.origin, f"[green]{v}[/]" if v.startswith("pass") else f"[red]{v}[/]")
        console.print(Panel(cut(sample.instruction), title=f"instruction · {sample.id}", border_style="cyan"))
        console.print(Panel(cut(sample.response), title="response", border_style="green"))
        console.print(table)
    if not shown:
        total = sum(1 for _ in _samples(run_dir))
        if filtering and total:
            raise CrabError(f"no sample of {str(run_dir)!r} matches the filters (past --skip {skip}; {total} samples)")
        if not total:
            raise CrabError(
                f"{str(run_dir)!r} has no samples: the run produced none (see {run_dir / 'failures.jsonl'} for why)"
            )
        raise CrabError(f"{str(run_dir)!r} has {total} samples: --skip {skip} is past its end")
