"""Serve a view database with datasette on 127.0.0.1 only: facets, full-text search and paging are datasette's."""

from __future__ import annotations

import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

TEMPLATES = Path(__file__).parent / "templates"


def run_metadata(run_dir: Path) -> dict[str, Any]:
    """datasette metadata for a run's view database: facets, full-text search, the plugin's settings."""
    return {
        "title": f"crabplug view: {run_dir}",
        "plugins": {"crabplug-view": {"run_dir": str(run_dir)}},
        "databases": {"view": {"tables": {
            "samples": {
                "description": "One row per sample of samples.jsonl (request and response shortened): the id"
                               " opens the sample page with the complex instruction, the response and its constraints.",
                "facets": [{"set": "types"}, "n_constraints", {"set": "flags"}, "source"],
                "fts_table": "samples_fts", "fts_pk": "rowid",
                "size": 50,
            },
            "constraints": {
                "description": "Every constraint of every sample, with its origin and verdict.",
                "facets": ["type", "family", "origin", "verdict", "verified_by", "flags"],
                "size": 50,
            },
            "dpo": {"description": "The rejected answer of each DPO pair and the constraints it violates.",
                    "facets": ["strategy"]},
            "candidates": {"description": "Every constraint the back-translators proposed (the run's last checkpoint),"
                                          " with its verdict: the ones no sample uses too.",
                           "facets": ["type", "origin", "verdict", "verified_by"], "size": 50},
            "examples": {"description": "One row per seed example of the last checkpoint: its candidates and"
                                        " how many passed or failed verification.",
                         "facets": ["status"]},
            "sources": {"hidden": True},
            "texts": {"hidden": True},
        }}},
    }


def compare_metadata(dirs: list[Path]) -> dict[str, Any]:
    """datasette metadata for the comparison of eval directories."""
    return {
        "title": "crabplug view --compare: " + ", ".join(str(d) for d in dirs),
        "databases": {"view": {"tables": {
            "prompts": {"description": "One row per prompt; the key opens each model's answer side by side.",
                        "facets": ["moved", "passed_by"], "size": 50},
            "answers": {"facets": ["model", "all_strict", "all_loose"], "size": 50},
        }}},
    }


def free_socket(port: int | None) -> socket.socket:
    """A listening socket on 127.0.0.1 (``port`` or a free one), handed to uvicorn so no other process takes it."""
    from crabplug import CrabError

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(("127.0.0.1", port or 0))
    except OSError as err:
        sock.close()
        raise CrabError(f"port {port} on 127.0.0.1 is taken ({err.strerror}): pass another --port or none") from err
    sock.listen(128)
    return sock


def serve(db_path: Path, metadata: dict[str, Any], *, port: int | None, ready: Callable[[str], None]) -> None:
    """Serve ``db_path`` (named ``view``) until interrupted; ``ready`` gets the URL once the socket listens."""
    import uvicorn
    from datasette.app import Datasette
    from datasette.plugins import pm

    from crabplug_view import pages

    if not pm.is_registered(pages):
        pm.register(pages, name=pages.NAME)
    ds = Datasette([str(db_path)], metadata=metadata, template_dir=str(TEMPLATES),
                   # one local reader: a facet may take seconds on a 100k-sample run rather than be left out
                   settings={"default_page_size": 50, "facet_time_limit_ms": 5000, "sql_time_limit_ms": 5000,
                             "truncate_cells_html": 300, "suggest_facets": False},
                   # the database is rebuilt by this command only, so datasette may count rows and cache
                   cache_headers=False)
    sock = free_socket(port)
    url = f"http://127.0.0.1:{sock.getsockname()[1]}/"
    config = uvicorn.Config(ds.app(), log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    ready(url)
    server.run(sockets=[sock])
