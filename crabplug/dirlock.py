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
def hold(directory: Path, command: str, *, lock_file: Path | None = None) -> Iterator[None]:
    """Hold the write lock of ``directory`` (``directory/.lock`` unless ``lock_file``) while the block runs.

    A second holder is refused with a :class:`ConfigError` naming the first one's command and pid.
    """
    import fcntl

    path = lock_file or directory / LOCK_NAME
    for above in (path.parent, *path.parent.parents):
        if above.exists() and not above.is_dir():
            raise ConfigError(f"{str(above)!r} is a file, not a directory: choose another directory")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = path.open("a+", encoding="utf-8")
    except OSError as err:
        raise ConfigError(f"cannot write {str(path.parent)!r} ({err.strerror}): choose another directory") from None
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another crabplug command"
            raise ConfigError(
                f"{holder} is writing {str(directory)!r}: wait for it to finish, or choose another directory"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"crabplug {command} (pid {os.getpid()})\n")
        handle.flush()
        yield
