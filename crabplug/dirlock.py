"""One writer per output directory: a kernel lock (flock) that names its holder and dies with it.

Two commands writing one directory interleave their files (every example twice, a checkpoint read while
another process renames it). The lock is the kernel's, so a killed holder releases it and a resume needs
no clean-up; the holder's pid is written into the lock file so that the refusal can name it.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from crabplug.errors import ConfigError

#: the lock file inside a directory that a command changes in place (run, train, drop, eval)
LOCK_NAME = ".lock"


def sibling_lock(target: Path) -> Path:
    """The lock file of a directory that is replaced whole by a rename (export and merge OUT): beside it,
    since a lock file inside would be swapped out with the old copy."""
    return target.parent / f".{target.name}.lock"


@contextlib.contextmanager
def hold(directory: Path, command: str, *, lock_file: Path | None = None,
         way_out: str = "choose another directory") -> Iterator[None]:
    """Hold the write lock of ``directory`` (``directory/.lock`` unless ``lock_file``) while the block runs.

    A second holder is refused with a :class:`ConfigError` naming the first one's command and pid, and
    ``way_out`` (how the user picks another directory: ``choose another -o directory``).
    """
    import fcntl

    path = lock_file or directory / LOCK_NAME
    for above in (path.parent, *path.parent.parents):
        if above.exists() and not above.is_dir():
            raise ConfigError(f"{str(above)!r} is a file, not a directory: choose another directory")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as err:
        raise ConfigError(f"cannot write {str(path.parent)!r} ({err.strerror}): choose another directory") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ConfigError(
                f"{_holder(fd)} is writing {str(directory)!r}: wait for it to finish, or {way_out}"
            ) from None
        text = f"crabplug {command} (pid {os.getpid()})\n".encode()
        os.pwrite(fd, text, 0)  # written over the last holder's line, then cut: never empty for a reader
        os.ftruncate(fd, len(text))
        yield
    finally:
        os.close(fd)  # releases the lock


def _holder(fd: int) -> str:
    """The holder's line; a holder that has just taken a new lock file may not have written it yet."""
    import time

    for _ in range(20):
        line = os.pread(fd, 200, 0).decode(errors="replace").partition("\n")[0]  # the first: the new holder's
        if line.startswith("crabplug ") and line.endswith(")"):
            return line
        time.sleep(0.01)
    return "another crabplug command"
