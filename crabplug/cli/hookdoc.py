"""The hook reference in docs/hooks.md, generated from crabplug/hookspecs.py.

``python -m crabplug.cli.hookdoc`` rewrites the part of docs/hooks.md between :data:`BEGIN` and :data:`END`:
one section per lifecycle group (the ``# -- ...`` comments of hookspecs.py), one heading per hook with its
signature, its docstring as the text. The rest of the page (the public API, how to register) is kept as is.
"""

from __future__ import annotations

import inspect
import re
import sys
from pathlib import Path

from crabplug import hookspecs

BEGIN = "<!-- hooks: generated from crabplug/hookspecs.py by `python -m crabplug.cli.hookdoc`; edit the docstrings -->"
END = "<!-- end of the generated hooks -->"
_GROUP = re.compile(r"^# -- (.+?) -+$")


def hooks() -> list[tuple[str, str, object]]:
    """``(group, name, function)`` for every hook, in the order hookspecs.py defines them."""
    out, group = [], ""
    names = {n: f for n, f in vars(hookspecs).items() if inspect.isfunction(f) and hasattr(f, "crabplug_spec")}
    for line in inspect.getsource(hookspecs).splitlines():
        if m := _GROUP.match(line):
            group = m.group(1)
        elif m := re.match(r"def (\w+)\(", line):
            if m.group(1) in names:
                out.append((group, m.group(1), names[m.group(1)]))
    return out


def signature(name: str, fn: object) -> str:
    """``name(arg, ...)``: the heading a hook has in the reference."""
    return f"{name}({', '.join(inspect.signature(fn).parameters)})"


def _markdown(text: str) -> str:
    return re.sub(r"``(.+?)``", r"`\1`", text, flags=re.S)


def render() -> str:
    """The generated part of docs/hooks.md, markers included."""
    lines, group = [BEGIN, ""], None
    for this_group, name, fn in hooks():
        if this_group != group:
            group = this_group
            lines += [f"## {group[0].upper()}{group[1:]}", ""]
        summary, _, body = inspect.cleandoc(fn.__doc__ or "").partition("\n\n")
        lines += [f"### {signature(name, fn)}", "", _markdown(summary.replace("\n", " "))]
        if fn.crabplug_spec["firstresult"]:
            lines += ["", "*One answer: the first plugin that returns something other than None wins.*"]
        if body:
            lines += ["", _markdown(body)]
        lines.append("")
    return "\n".join([*lines, END])


def rewrite(text: str) -> str:
    """``text`` (docs/hooks.md) with its generated part replaced by :func:`render`."""
    start, end = text.index(BEGIN), text.index(END) + len(END)
    return text[:start] + render() + text[end:]


def main() -> None:
    """Rewrite docs/hooks.md (or the file given) in place."""
    path = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/hooks.md")
    path.write_text(rewrite(path.read_text(encoding="utf-8")), encoding="utf-8")


if __name__ == "__main__":
    main()
