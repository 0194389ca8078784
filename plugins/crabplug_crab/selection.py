"""The ``crab`` combiner's choice of lines: how many, which, in what order (issue 30).

The combiner (``combine.py``) inherits these from :class:`Selection`; they read its settings (``min_natural``,
``anchor_natural``, ``single_natural``, ``max_weak_lines``, ``natural_weight``, ``weight_power``, the paper's k
draw) and the levels of ``natural.py``, where what a person asks for is declared.
"""

from __future__ import annotations

import collections

from crabplug import Annotated, Constraint, Context
from crabplug_crab import natural, reader


class Selection:
    """Choosing a sample's lines; mixed into ``CrabCombiner``, whose attrs fields hold the settings."""

    # -- choosing -------------------------------------------------------------------------------------------

    def choose_k(self, available: int, rng) -> int:
        """The number of constraints for one sample (never more than available)."""
        if rng.random() < self.p_many:
            k = rng.randint(self.many_min, self.many_max)
        else:
            k = rng.randint(1, available)
        return min(k, available, self.max_constraints)

    def pick(
        self,
        candidates: list[Constraint],
        k: int,
        used: collections.Counter,
        types: dict,
        rng,
        levels: dict[tuple, int] | None = None,
        taken: list[Constraint] = (),
        weak_lines: int | None = None,
    ) -> list[Constraint]:
        """Up to ``k`` constraints, each drawn with weight natural_weight**level / (1+uses of its type)**p,
        skipping conflicts and aspects already said (``taken``: lines already in the sample) and weak lines past
        ``weak_lines`` (``max_weak_lines`` unless given)."""
        chosen: list[Constraint] = []
        levels = levels or {}
        said = collections.Counter(natural.aspect(types.get(c.type), c.type) for c in taken)
        said["weak lines"] = sum(self._weak(c, levels, types) for c in taken)
        cap = self.max_weak_lines if weak_lines is None else weak_lines
        pool = [c for c in candidates if not self._full(c, said, types, levels, cap)]
        base = self.natural_weight if self.min_natural else 1.0
        while pool and len(chosen) < k:
            anchored = any(self._anchor(c, levels, types) for c in [*taken, *chosen])
            strong = [c for c in pool if self._anchor(c, levels, types)]
            draw = pool if anchored or not strong else strong  # the first line drawn is an anchor
            if k == 1 and not taken and self.single_natural and self.min_natural:  # a line alone: the best kind
                draw = [c for c in draw if not self._lone(c, levels, types)] or draw
            weights = [base ** levels.get(natural.key(c), 0) / (1 + used[c.type]) ** self.weight_power for c in draw]
            x = rng.random() * sum(weights)
            i = 0
            while i < len(draw) - 1 and x >= weights[i]:
                x -= weights[i]
                i += 1
            c = draw[i]
            pool.remove(c)
            chosen.append(c)
            said[natural.aspect(types.get(c.type), c.type)] += 1
            said["weak lines"] += self._weak(c, levels, types)
            pool = [o for o in pool if not conflict(c, o, types) and not self._full(o, said, types, levels, cap)]
        return chosen

    def _weak(self, c: Constraint, levels: dict, types: dict) -> bool:
        """Below ``anchor_natural``: a line that only accompanies stronger ones. A type whose level nobody
        declared (a new family's) is not judged weak: its lines are not capped, and they anchor a sample."""
        if not natural.known(types.get(c.type), c.type):
            return False
        return levels.get(natural.key(c), natural.DEFAULT_LEVEL) < self.anchor_natural

    def _anchor(self, c: Constraint, levels: dict, types: dict) -> bool:
        """A line that anchors a sample: not weak, and not of an aspect that never anchors (``natural.ANCHORLESS``:
        a keyword)."""
        if self._weak(c, levels, types):
            return False
        return not self.min_natural or natural.aspect(types.get(c.type), c.type) not in natural.ANCHORLESS

    def _lone(self, c: Constraint, levels: dict, types: dict) -> bool:
        """Below ``single_natural``: not a line to stand alone in a sample (a type of unknown level may)."""
        if not natural.known(types.get(c.type), c.type):
            return False
        return levels.get(natural.key(c), natural.DEFAULT_LEVEL) < self.single_natural

    def _full(self, c: Constraint, said: collections.Counter, types: dict, levels: dict, cap: int) -> bool:
        """The sample already says as much about ``c``'s aspect as it may, or has its ``cap`` of weak lines (never,
        with ``min_natural`` 0)."""
        if not self.min_natural:
            return False
        if self.anchor_natural and self._weak(c, levels, types) and said["weak lines"] >= cap:
            return True
        name = natural.aspect(types.get(c.type), c.type)
        return said[name] >= natural.ASPECT_LIMITS.get(name, 1)

    def natural_ones(self, candidates: list[Constraint], rec: Annotated, types: dict, ctx: Context):
        """The candidates at ``min_natural`` or above and each one's level (by ``natural.key``); the others are
        counted."""
        kept, levels, edits = [], {}, set()
        for c in candidates:
            value = natural.level(c, types.get(c.type), rec.example.response, rec.example.instruction)
            if value < self.min_natural:
                ctx.count(f"crab.unnatural_dropped.{c.type}")
                continue
            aspect = natural.aspect(types.get(c.type), c.type)
            if self.min_natural and c.verified_by == "transform" and aspect in edits:
                ctx.count(f"crab.unnatural_dropped.{c.type}")  # *** between paragraphs and "Section 1..." too
                continue
            if c.verified_by == "transform":
                edits.add(aspect)
            kept.append(c)
            levels[natural.key(c)] = value
        return kept, levels


def conflict(a: Constraint, b: Constraint, types: dict) -> bool:
    """Same type, either type lists the other among its conflicts, or both count one thing (``reader.clash``:
    one keyword twice, two totals of words, sentences counted by two families' splitters), or a keyword's case
    disagrees with a case constraint ("Arriving" in an all-lowercase answer)."""
    if a.type == b.type:
        return True
    ta, tb = types.get(a.type), types.get(b.type)
    if (ta and b.type in ta.conflicts) or (tb and a.type in tb.conflicts):
        return True
    return reader.clash(a, b, types) is not None or natural.case_clash(a, b)
