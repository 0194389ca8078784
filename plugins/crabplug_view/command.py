"""``crabplug view``: read a run (or compare evaluations) in the browser, on datasette, on 127.0.0.1 only.

Only click is imported here; datasette loads when the command runs, so ``crabplug --help`` stays instant.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import click


@click.command("view")
@click.argument("dirs", nargs=-1, metavar="RUN | EVAL_DIR...", type=click.Path(file_okay=False, path_type=Path))
@click.option("--compare", is_flag=True, help="Compare eval directories: each model's answer per prompt.")
@click.option("--port", type=click.IntRange(1, 65535), help="Port on 127.0.0.1 (default: a free one).")
@click.option("--db", "db_path", type=click.Path(dir_okay=False, path_type=Path),
              help="SQLite file to build (default: RUN/view.sqlite; with --compare a temporary file).")
@click.option("--build-only", is_flag=True, help="Build or update the SQLite file, print its counts, serve nothing.")
@click.pass_context
def view_command(ctx: click.Context, dirs: tuple[Path, ...], compare: bool, port: int | None,
                 db_path: Path | None, build_only: bool) -> None:
    """Serve RUN's samples, constraints and verdicts as a local web page (datasette): facets, search, drops.

    The page's drop buttons write RUN/review.json, the file `crabplug drop` writes; `crabplug drop RUN`
    applies them. With --compare, EVAL_DIR... are `crabplug eval` directories shown side by side per prompt.
    """
    from crabplug import CrabError, registry_from
    from crabplug_view.server import compare_metadata, run_metadata, serve

    if not dirs:
        raise CrabError("name a run directory (crabplug view RUN) or eval directories (crabplug view --compare A B)")
    missing = [str(d) for d in dirs if not d.is_dir()]
    if missing:
        raise CrabError(f"{missing[0]!r} is not a directory: pass a run directory or eval directories")
    with tempfile.TemporaryDirectory(prefix="crabplug-view-") as tmp:
        start = time.perf_counter()
        if compare:
            from crabplug_view.compare import build_compare

            db_path = db_path or Path(tmp) / "view.sqlite"
            counts = build_compare(list(dirs), db_path)
            metadata, first = compare_metadata(list(dirs)), "view/prompts"
        else:
            from crabplug_view.build import DB_NAME, build

            run_dir = dirs[0]
            if len(dirs) > 1:
                raise CrabError("view one run at a time, or pass --compare with eval directories")
            if not (run_dir / "samples.jsonl").is_file():
                raise CrabError(f"{str(run_dir)!r} has no samples.jsonl: pass a run directory crabplug run made")
            db_path = db_path or run_dir / DB_NAME
            counts = build(run_dir, registry_from(ctx).constraint_types, db_path)
            metadata, first = run_metadata(run_dir), "view/samples"
        took = time.perf_counter() - start
        click.echo(f"{db_path}: " + ", ".join(f"{v} {k}" for k, v in counts.items()) + f" ({took:.1f} s)")
        if build_only:
            return
        serve(db_path, metadata, port=port,
              ready=lambda url: click.echo(f"serving {url}{first} on 127.0.0.1 only (Ctrl+C stops)"))
