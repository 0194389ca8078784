"""OpenAssistant-style message trees -> prompt / best-ranked-reply pairs.

Two shapes are read:

- **tree** (one record per tree, as in oasst's ``*.trees.jsonl`` exports): ``{"message_tree_id", "prompt":
  {"text", "role": "prompter", "replies": [{"role": "assistant", "rank": 0, "replies": [...]}, ...]}}``;
  a record may also be the root message itself. ``children`` is accepted for ``replies``, ``content`` for ``text``.
- **flat** (one record per message, as in the oasst1/oasst2 Hugging Face tables): ``message_id``,
  ``parent_id``, ``role``, ``text``, ``rank``, ``message_tree_id``. Rows of one tree must be together (as in
  those exports); only the current tree is held in memory, so the table streams.

The walk: every prompter message yields one Example, answered by its best-ranked assistant reply (rank 0 is
best; unranked replies come after ranked ones, then in file order), with the path from the root as
context. Only follow-ups under that best reply are walked further. Deleted messages and messages that
failed review are skipped with their subtrees.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Protocol

import attrs

from crabplug import Example, Failure, Message
from crabplug_seeds.decoded import SPEAKERS, DecodedRow


class Shaper(Protocol):
    """What a conversation walk needs of the format's shaper (crabplug_seeds.formats.Shaper, which imports this
    module): the data's column names and the making of an example."""

    def key(self, name: str) -> str: ...

    def example(
        self, row: DecodedRow, data: Mapping[str, Any], instruction: str, response: str,
        context: tuple[Message, ...] = (), **extra: Any,
    ) -> Example: ...  # fmt: skip


@attrs.define
class Node:
    """One message of a tree."""

    id: Any
    role: str | None
    text: str
    rank: float | None
    usable: bool
    row: DecodedRow
    lang: Any = None
    children: list[Node] = attrs.field(factory=list)


def is_flat(data: Mapping[str, Any], shaper: Shaper) -> bool:
    """Whether a row is one message of a flat table (it names its parent) rather than a whole tree."""
    return shaper.key("parent_id") in data and shaper.key("replies") not in data and "children" not in data


def _node(data: Mapping[str, Any], shaper: Shaper, row: DecodedRow) -> Node:
    value = data.get(shaper.key("text"), data.get(shaper.key("content")))
    rank = data.get(shaper.key("rank"))
    usable = not data.get("deleted") and data.get("review_result") is not False
    return Node(
        id=data.get(shaper.key("message_id")),
        role=SPEAKERS.get(str(data.get(shaper.key("role"))).lower()),
        text=value.strip() if isinstance(value, str) else "",
        rank=rank if isinstance(rank, int | float) and not isinstance(rank, bool) else None,
        usable=usable,
        row=row,
        lang=data.get("lang"),
    )


def _from_tree(data: Mapping[str, Any], shaper: Shaper, row: DecodedRow) -> Node:
    root = _node(data, shaper, row)
    todo = [(data, root)]
    while todo:  # iterative: a hostile file cannot hit the recursion limit
        raw, node = todo.pop()
        kids = raw.get(shaper.key("replies"), raw.get("children")) or []
        for kid in kids if isinstance(kids, list) else []:
            if isinstance(kid, Mapping):
                child = _node(kid, shaper, row)
                node.children.append(child)
                todo.append((kid, child))
    return root


def walk_tree(row: DecodedRow, shaper: Shaper) -> Iterator[Example | Failure]:
    """The Examples of one tree record (a Failure when it has no usable pair)."""
    data = row.data
    prompt = data.get(shaper.key("prompt"))
    root_data = prompt if isinstance(prompt, Mapping) else data
    tree_id = data.get(shaper.key("message_tree_id"))
    yield from walk(_from_tree(root_data, shaper, row), shaper, tree_id)


def walk(root: Node, shaper: Shaper, tree_id: Any = None) -> Iterator[Example | Failure]:
    """Prompt -> best reply pairs along the best replies, depth first, in file order."""
    if root.role != "user":
        yield root.row.fail(f"a message tree must start with a prompter message, got role {root.role!r}")
        return
    made = 0
    stack: list[tuple[Node, tuple[Message, ...]]] = [(root, ())]
    while stack:
        node, path = stack.pop()
        if not node.usable or not node.text:
            continue
        replies = [c for c in node.children if c.role == "assistant" and c.usable and c.text]
        if not replies:
            continue
        order = {id(c): i for i, c in enumerate(replies)}
        best = min(replies, key=lambda c: (c.rank is None, c.rank or 0, order[id(c)]))
        extra = {"id": node.id, "response_id": best.id, "rank": best.rank, "lang": node.lang, "tree": tree_id}
        data = node.row.data if isinstance(node.row.data, Mapping) else {}
        meta = {k: v for k, v in extra.items() if v is not None}
        yield shaper.example(node.row, data, node.text, best.text, path, **meta)
        made += 1
        step = (*path, Message(role="user", content=node.text), Message(role="assistant", content=best.text))
        follow = [c for c in best.children if c.role == "user"]
        stack.extend((c, step) for c in reversed(follow))
    if not made:
        yield root.row.fail("the message tree has no prompt with a usable assistant reply")


class FlatTrees:
    """Assembles the rows of a flat message table into trees, one tree in memory at a time."""

    def __init__(self, shaper: Shaper) -> None:
        self.shaper = shaper
        self.tree: Any = None
        self.rows: list[DecodedRow] = []
        self.done: set[Any] = set()

    def add(self, row: DecodedRow) -> Iterator[Example | Failure]:
        """Take one message row; yields the previous tree's Examples when this row starts a new tree."""
        key = self.shaper.key
        data = row.data
        tree = data.get(key("message_tree_id"))
        if tree is None:  # no tree column: a root (no parent) starts the next tree
            tree = data.get(key("message_id")) if data.get(key("parent_id")) is None else self.tree
        if tree != self.tree:
            yield from self.finish()
            self.tree = tree
        if tree in self.done:
            yield row.fail(f"rows of message tree {tree!r} are not together; sort the table by message_tree_id")
            return
        self.rows.append(row)

    def finish(self) -> Iterator[Example | Failure]:
        """Walk the tree being assembled, if any."""
        if not self.rows:
            return
        rows, self.rows = self.rows, []
        self.done.add(self.tree)
        nodes = [(_node(r.data, self.shaper, r), r.data.get(self.shaper.key("parent_id"))) for r in rows]
        by_id = {n.id: n for n, _ in nodes if n.id is not None}
        roots = []
        for node, parent in nodes:
            if parent is None:
                roots.append(node)
            elif parent in by_id:
                by_id[parent].children.append(node)
            else:
                yield node.row.fail(f"the parent message {parent!r} is not in tree {self.tree!r}")
        for root in roots:
            yield from walk(root, self.shaper, self.tree)
