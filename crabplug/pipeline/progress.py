"""Per-stage progress on stderr (records/s, ETA, failures, LLM cost); bars on a TTY, silent with -q.

When stderr is not a TTY (``make run > log 2>&1``, a batch job) a plain line per stage is written now and then
instead (every ``CRABPLUG_PROGRESS_SECONDS``, default 30), so a long run is never silent for half an hour.

The rate is this session's records over this session's time, measured here: rich's own speed forgets samples
older than 30 s, so with chunks of slow LLM calls it read 0.0 throughout. The total is ``--limit`` when given,
else the seed count when counting is cheap (``total_hint``), else unknown (``?``) with the rate still shown.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from typing import Any

#: stages whose count is samples, not seed records: the seed total does not apply to them
_NOT_PER_RECORD = {"combine"}


def eta_text(seconds: float | None) -> str:
    """``ETA 1:02:03`` (``ETA ?`` when unknown)."""
    if seconds is None:
        return "ETA ?"
    s = int(round(seconds))
    return f"ETA {s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}"


class Rate:
    """Records per second since the first count of this session, and the time left to a total."""

    def __init__(self, done: int, clock: Callable[[], float]) -> None:
        self.clock = clock
        self.start_done, self.done = done, done
        self.start_time = clock()

    def add(self, n: int) -> None:
        self.done += n

    def per_second(self) -> float:
        elapsed = self.clock() - self.start_time
        return (self.done - self.start_done) / elapsed if elapsed > 0 else 0.0

    def eta(self, total: int | None) -> float | None:
        rate = self.per_second()
        if total is None or rate <= 0:
            return None
        return max(total - self.done, 0) / rate


class Progress:
    """A thin wrapper over rich's progress bars, created only when shown (rich is not imported otherwise)."""

    def __init__(self, *, quiet: bool = False, cost: Callable[[], float] | None = None,
                 total_hint: Callable[[], int | None] | None = None, console: Any = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.enabled = console is not None or (not quiet and sys.stderr.isatty())
        self.plain = not quiet and not self.enabled  # lines instead of bars: stderr is a file or a pipe
        self.every = float(os.environ.get("CRABPLUG_PROGRESS_SECONDS", "30") or 30)
        self._last_line: dict[str, float] = {}
        self._failed: dict[str, int] = {}
        self.cost = cost or (lambda: 0.0)
        self.total_hint = total_hint
        self.console = console
        self.clock = clock
        self.default_total: int | None = None
        self._bar: Any = None
        self._tasks: dict[str, Any] = {}
        self._rates: dict[str, Rate] = {}
        self._totals: dict[str, int | None] = {}
        self.counts: dict[str, int] = {}

    def __enter__(self) -> Progress:
        if self.plain and self.total_hint is not None:
            self.default_total = self.total_hint()
        if self.enabled:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, TextColumn
            from rich.progress import Progress as Bar

            if self.total_hint is not None:
                self.default_total = self.total_hint()
            self._bar = Bar(
                TextColumn("{task.description:<15}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[rate]}  {task.fields[eta]}"),
                TextColumn("failed {task.fields[failed]}  ${task.fields[cost]:.4f}"),
                console=self.console or Console(stderr=True),
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
        if name not in self._rates:
            self._rates[name] = Rate(self.counts[name], self.clock)
            self._totals[name] = total if total is not None or name in _NOT_PER_RECORD else self.default_total
        if self._bar is not None and name not in self._tasks:
            self._tasks[name] = self._bar.add_task(name, total=self._totals[name], completed=done, failed=0,
                                                   cost=0.0, rate="   ... rec/s", eta=eta_text(None))

    def advance(self, name: str, n: int, *, failed: int = 0) -> None:
        """Count ``n`` more records through stage ``name``, ``failed`` of them failed."""
        self.start(name)
        self.counts[name] = self.counts.get(name, 0) + n
        rate = self._rates[name]
        rate.add(n)
        self._failed[name] = self._failed.get(name, 0) + failed
        if self.plain:
            self._line(name, rate)
        if self._bar is None:
            return
        task = self._tasks[name]
        t = self._bar.tasks[[x.id for x in self._bar.tasks].index(task)]
        self._bar.update(task, advance=n, failed=t.fields["failed"] + failed, cost=self.cost(),
                         rate=f"{rate.per_second():6.1f} rec/s", eta=eta_text(rate.eta(self._totals[name])))

    def _line(self, name: str, rate: Rate) -> None:
        now = self.clock()
        if now - self._last_line.setdefault(name, rate.start_time) < self.every:
            return
        self._last_line[name] = now
        total = self._totals.get(name)
        print(f"{name}: {self.counts[name]}/{total if total is not None else '?'} records, "
              f"{rate.per_second():.1f} rec/s, {eta_text(rate.eta(total))}, failed {self._failed[name]}, "
              f"${self.cost():.4f}", file=sys.stderr, flush=True)

    def rate(self, name: str) -> float:
        """Records per second through stage ``name`` in this session."""
        return self._rates[name].per_second() if name in self._rates else 0.0

    def eta(self, name: str) -> float | None:
        """Seconds left for stage ``name`` (None when the total or the rate is unknown)."""
        return self._rates[name].eta(self._totals.get(name)) if name in self._rates else None
