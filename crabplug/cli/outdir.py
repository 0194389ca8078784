"""A folder written whole or not at all (``crabplug export`` and ``merge`` OUT).

The new copy is written into a hidden sibling and renamed into place once complete, so a kill leaves either
the previous good copy or the new one, never a half-written folder that looks finished; ``--force`` removes
the old copy only after the new one is in place. An OUT that is, contains or lies inside an input is refused
whatever the flags: replacing it would delete what it is made from.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

from crabplug.dirlock import hold, sibling_lock
from crabplug.errors import CrabError


def remove(path: Path) -> None:
    """Delete a file, a link or a folder with its contents (a link is removed, never followed)."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()


def check_out(out: Path, inputs: list[Path], force: bool) -> None:
    """Refuse an ``out`` that overlaps an input, and an existing non-empty ``out`` unless ``force``."""
    target = out.resolve()
    for item in inputs:
        source = item.resolve()
        if target == source or source.is_relative_to(target):
            raise CrabError(f"{str(out)!r} is or contains the input {str(item)!r}: choose an output folder apart "
                            "from the inputs (replacing it would delete them)")
        if target.is_relative_to(source):
            raise CrabError(f"{str(out)!r} is inside the input {str(item)!r}: choose an output folder outside it")
    if out.exists() and (not out.is_dir() or any(out.iterdir())) and not force:
        raise CrabError(f"{str(out)!r} already exists: choose another folder or add --force to replace it")


def _recover(out: Path) -> None:
    """Undo what a killed writer left: its unfinished copy goes; an old copy moved aside returns if OUT is gone."""
    for stale in out.parent.glob(f".{out.name}.new-*"):
        remove(stale)
    for old in sorted(out.parent.glob(f".{out.name}.old-*")):
        if out.exists() or out.is_symlink():
            remove(old)
        else:
            old.rename(out)


@contextlib.contextmanager
def written_whole(out: Path, inputs: list[Path], *, force: bool, command: str) -> Iterator[Path]:
    """Yield an empty folder to write OUT's new content into; on success it replaces ``out`` by renames.

    Holds ``out``'s lock (one writer); on an error the new copy is deleted and ``out`` is as it was.
    """
    check_out(out, inputs, force)
    with hold(out, command, lock_file=sibling_lock(out)):
        _recover(out)
        check_out(out, inputs, force)  # again under the lock: another writer may have made it meanwhile
        new = out.parent / f".{out.name}.new-{os.getpid()}"
        new.mkdir()
        try:
            yield new
        except BaseException:
            remove(new)
            raise
        old = out.parent / f".{out.name}.old-{os.getpid()}"
        if out.exists() or out.is_symlink():
            out.rename(old)  # a kill from here to the next rename is undone by _recover on the next write
        new.rename(out)
        remove(old)
