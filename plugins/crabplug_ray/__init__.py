"""crabplug's ``ray`` executor: the per-record stages on a Ray cluster (``crabplug run --executor ray``).

Registration is cheap: Ray is imported only when a run uses the executor. See docs/scaling.md.
"""

from __future__ import annotations

from crabplug import hookimpl


@hookimpl
def register_executors(register):
    """``ray``: back-translate and verify on Ray workers, results streamed back in seed order."""
    from crabplug_ray.executor import RayExecutor

    register(RayExecutor)
