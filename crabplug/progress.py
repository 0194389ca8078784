"""Per-stage progress on stderr (records/s, ETA, failures, LLM cost); silent when not a TTY or with -q."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any


class Progress:
    """A thin wrapper over rich's progress bars, created only when shown (rich is not imported otherwise)."""

    def __init__(self, *, quiet: bool = False, cost: Callable[[], float] | None = None) -> None:
        self.enabled = not quiet and sys.stderr.isatty()
        self.cost = cost or (lambda: 0.0)
        self._bar: Any = None
        self._tasks: dict[str, Any] = {}
        self.counts: dict[str, int] = {}

    def __enter__(self) -> Progress:
        if self.enabled:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress as Bar, TextColumn, TimeRemainingColumn

            self._bar = Bar(
                TextColumn("{task.description:<15}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[rate]}"),
                TimeRemainingColumn(),
                TextColumn("failed {task.fields[failed]}  ${task.fields[cost]:.4f}"),
                console=Console(stderr=True),
                transient=False,
            )
            self._bar.__enter__()
        return self

    def __exit__(self, *exc: Any) -> None:
        if self._bar is not None:
            self._bar.__exit__(*exc)

    def start(self, name: str, *, done: int = 0, total: int | None = None) -> None:
        """Show a bar for stage ``name`` (resumed at ``done``)."""
        self.counts.setdefault(name, done)
        if self._bar is not None and name not in self._tasks:
            self._tasks[name] = self._bar.add_task(name, total=total, completed=done, failed=0, cost=0.0, rate="")

    def advance(self, name: str, n: int, *, failed: int = 0) -> None:
        """Count ``n`` more records through stage ``name``, ``failed`` of them failed."""
        self.counts[name] = self.counts.get(name, 0) + n
        if self._bar is None:
            return
        self.start(name)
        task = self._tasks[name]
        t = self._bar.tasks[[x.id for x in self._bar.tasks].index(task)]
        speed = t.speed or 0.0
        self._bar.update(task, advance=n, failed=t.fields["failed"] + failed, cost=self.cost(),
                         rate=f"{speed:6.1f} rec/s")
