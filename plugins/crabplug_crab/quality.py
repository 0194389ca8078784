"""The quality report of a run: are these constraints a person would write, in a mix a benchmark asks for?

One pass over the samples, in bounded memory (counters only). It reports the type distribution against a
target mix (IFEval's by default), the share of values inside each type's declared natural range, keywords
that are stop words (YAKE's English list), duplicate constraints, constraints per sample, and how many
distinct phrasings each type used. The dataset card shows it with a plot, ``stats.json`` holds it under
``quality``, and ``crabplug show RUN --quality`` prints it.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

import attrs

from crabplug import Sample
from crabplug_crab.reader import CLASSES as reader_classes
from crabplug_crab.reader import flags

#: IFEval's type mix: prompts using each type out of its 541 (``input_data.jsonl`` of google-research IFEval)
IFEVAL_COUNTS = {
    "change_case:capital_word_frequency": 25,
    "change_case:english_capital": 25,
    "change_case:english_lowercase": 39,
    "combination:repeat_prompt": 41,
    "combination:two_responses": 24,
    "detectable_content:number_placeholders": 27,
    "detectable_content:postscript": 26,
    "detectable_format:constrained_response": 10,
    "detectable_format:json_format": 17,
    "detectable_format:multiple_sections": 14,
    "detectable_format:number_bullet_lists": 31,
    "detectable_format:number_highlighted_sections": 48,
    "detectable_format:title": 37,
    "keywords:existence": 39,
    "keywords:forbidden_words": 49,
    "keywords:frequency": 42,
    "keywords:letter_frequency": 33,
    "language:response_language": 31,
    "length_constraints:nth_paragraph_first_word": 12,
    "length_constraints:number_paragraphs": 27,
    "length_constraints:number_sentences": 52,
    "length_constraints:number_words": 52,
    "punctuation:no_comma": 66,
    "startend:end_checker": 26,
    "startend:quotation": 41,
}
IFEVAL_MIX = {t: round(n / 541, 4) for t, n in IFEVAL_COUNTS.items()}
#: kwargs that hold keywords a response must contain (forbidden words are meant to be common words)
KEYWORD_KWARGS = ("keywords", "keyword")


def _template(text: str, kwargs: dict[str, Any]) -> str:
    """The phrasing with its values blanked, so two samples using one template count once."""
    for value in sorted((str(v) for v in _leaves(kwargs)), key=len, reverse=True):
        if value:
            text = text.replace(value, "{}")
    return re.sub(r"\d+", "#", text)


def _leaves(value: Any) -> Iterable[Any]:
    if isinstance(value, dict):
        for v in value.values():
            yield from _leaves(v)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _leaves(v)
    else:
        yield value


@attrs.define
class QualityTally:
    """Counters fed one sample at a time; :meth:`report` turns them into the report."""

    types: dict = attrs.field(factory=dict)
    """The registry's constraint types (ranges, families)."""
    target: dict[str, float] = attrs.field(factory=lambda: dict(IFEVAL_MIX))
    """Share of samples per type the mix aims at."""
    samples: int = 0
    transformed: int = 0
    per_sample: Counter = attrs.field(factory=Counter)
    by_type: Counter = attrs.field(factory=Counter)
    from_transform: Counter = attrs.field(factory=Counter)
    in_range: Counter = attrs.field(factory=Counter)
    ranged: Counter = attrs.field(factory=Counter)
    stopword_keywords: Counter = attrs.field(factory=Counter)
    duplicates: int = 0
    phrasings: dict = attrs.field(factory=lambda: defaultdict(set))
    reader: Counter = attrs.field(factory=Counter)
    """Samples per reader-check class (``crabplug_crab.reader``), "any" for samples with at least one."""
    reader_by_count: Counter = attrs.field(factory=Counter)
    """Samples with a reader objection, by their number of constraints (against ``per_sample``)."""

    def add(self, sample: Sample) -> None:
        """Count one sample."""
        from crabplug import yake_stopwords

        stop = yake_stopwords()
        self.samples += 1
        self.per_sample[len(sample.constraints)] += 1
        self.transformed += bool(sample.provenance.get("transforms"))
        found = flags(sample, self.types)
        self.reader.update(found.keys())
        if found:
            self.reader["any"] += 1
            self.reader_by_count[len(sample.constraints)] += 1
        seen_types = set()
        for c in sample.constraints:
            if c.type in seen_types:
                self.duplicates += 1
            seen_types.add(c.type)
            self.by_type[c.type] += 1
            self.from_transform[c.type] += c.verified_by == "transform"
            if len(self.phrasings[c.type]) < 200:
                self.phrasings[c.type].add(_template(c.text, c.kwargs))
            ctype = self.types.get(c.type)
            for name, (lo, hi) in (getattr(ctype, "ranges", None) or {}).items():
                value = c.kwargs.get(name)
                if isinstance(value, int | float) and not isinstance(value, bool):
                    self.ranged[c.type] += 1
                    self.in_range[c.type] += lo <= value <= hi
            for name in KEYWORD_KWARGS:
                value = c.kwargs.get(name)
                for word in [value] if isinstance(value, str) else value or []:
                    if isinstance(word, str) and word.strip().lower() in stop:
                        self.stopword_keywords[f"{c.type}: {word.strip().lower()}"] += 1

    def report(self) -> dict[str, Any]:
        """The report as JSON-ready data."""
        n = max(1, self.samples)
        types = {}
        for tid in sorted(set(self.by_type) | set(self.target)):
            row: dict[str, Any] = {"samples": self.by_type[tid], "share": round(self.by_type[tid] / n, 4)}
            if tid in self.target:
                row["target"] = self.target[tid]
            if self.from_transform[tid]:
                row["from_transform"] = self.from_transform[tid]
            if self.ranged[tid]:
                row["in_range"] = round(self.in_range[tid] / self.ranged[tid], 4)
            if tid in self.phrasings:
                row["phrasings"] = len(self.phrasings[tid])
            types[tid] = row
        targeted = [t for t in self.target]
        ranged = sum(self.ranged.values())
        # the mix as shares of constraints (not of samples): comparable although samples carry 6-8 constraints
        ours = sum(self.by_type[t] for t in targeted) or 1
        theirs = sum(self.target.values()) or 1
        mix_distance = 0.5 * sum(abs(self.by_type[t] / ours - self.target[t] / theirs) for t in targeted)
        return {
            "samples": self.samples,
            "transformed_samples": self.transformed,
            "target": "ifeval" if self.target == IFEVAL_MIX else "custom",
            "target_types_covered": sum(1 for t in targeted if self.by_type[t] / n >= 0.01),
            "target_types": len(targeted),
            "target_distance": round(0.5 * sum(abs(self.by_type[t] / n - self.target[t]) for t in targeted), 4),
            "mix_distance": round(mix_distance, 4),
            "values_in_range": round(sum(self.in_range.values()) / ranged, 4) if ranged else None,
            "values_checked": ranged,
            "stopword_keywords": sum(self.stopword_keywords.values()),
            "stopword_examples": [k for k, _ in self.stopword_keywords.most_common(10)],
            "duplicate_constraints": self.duplicates,
            "constraints_per_sample": {
                "mean": round(sum(k * v for k, v in self.per_sample.items()) / n, 2),
                "histogram": {str(k): v for k, v in sorted(self.per_sample.items())},
            },
            "reader": {name: round(self.reader[name] / n, 4) for name in ("any", *READER_CLASSES)},
            "reader_by_constraints": {
                str(k): round(self.reader_by_count[k] / v, 4) for k, v in sorted(self.per_sample.items())
            },
            "types": types,
        }


def tally(samples: Iterable[Sample], types: dict) -> dict[str, Any]:
    """The report of a stream of samples."""
    t = QualityTally(types=types)
    for s in samples:
        t.add(s)
    return t.report()


READER_CLASSES = tuple(reader_classes)


def markdown(report: dict[str, Any], png: str | None = None) -> list[str]:
    """The card's quality section."""
    r = report
    lines = [
        "",
        "## Quality",
        "",
        f"- samples: {r['samples']}, of which {r['transformed_samples']} with a verified transformation",
        f"- {r['target']} types in at least 1% of samples: {r['target_types_covered']} of {r['target_types']}; "
        f"distance to the {r['target']} mix (total variation of per-type shares of samples): {r['target_distance']}; "
        f"of the mix of constraints among those types: {r.get('mix_distance')}",
        "- values inside their type's natural range: "
        + ("n/a" if r["values_in_range"] is None else f"{r['values_in_range']:.1%} of {r['values_checked']}"),
        f"- keywords that are stop words: {r['stopword_keywords']}"
        + (f" ({', '.join(r['stopword_examples'])})" if r["stopword_examples"] else ""),
        f"- duplicate constraints (one type twice in a sample): {r['duplicate_constraints']}",
        f"- constraints per sample: mean {r['constraints_per_sample']['mean']}",
        *_reader_lines(r.get("reader")),
        "",
        "| type | share of samples | target | from transformation | values in range | phrasings |",
        "|---|---|---|---|---|---|",
    ]
    for tid, row in r["types"].items():
        target = f"{row['target']:.1%}" if "target" in row else ""
        in_range = f"{row['in_range']:.0%}" if "in_range" in row else ""
        lines.append(
            f"| `{tid}` | {row['share']:.1%} | {target} | {row.get('from_transform', '')} | {in_range} | "
            f"{row.get('phrasings', '')} |"
        )
    if png:
        lines += ["", f"![quality: type mix against the target]({png})"]
    return lines


def _reader_lines(reader: dict[str, float] | None) -> list[str]:
    """The reader check (docs/reading.md): shares of samples a person would object to, by class."""
    if not reader:
        return []
    parts = ", ".join(f"{name.replace('_', ' ')} {reader.get(name, 0):.1%}" for name in READER_CLASSES)
    return [f"- reader check, samples with an objection: {reader['any']:.1%} ({parts})"]


def plot(report: dict[str, Any], path) -> None:
    """Bar chart: each target type's share of samples next to the target share."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = [(t, row["share"], row["target"]) for t, row in report["types"].items() if "target" in row]
    labels = [t for t, _, _ in rows][::-1]
    fig, ax = plt.subplots(figsize=(8, 0.3 * len(rows) + 1.5))
    ys = range(len(rows))
    ax.barh([y + 0.2 for y in ys], [s for _, s, _ in rows][::-1], height=0.4, label="this run", color="#4c72b0")
    ax.barh([y - 0.2 for y in ys], [g for _, _, g in rows][::-1], height=0.4, label="target", color="#dd8452")
    ax.set_yticks(list(ys), labels, fontsize=7)
    ax.set_xlabel("share of samples")
    ax.set_title(f"Constraint types against the {report['target']} mix")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
