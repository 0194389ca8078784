"""Output ``card``: the run directory's README.md, a Hugging Face dataset card with counts and histograms.

It sees every sample (counting as they stream by, in bounded memory) and, once every output has closed (its
``report``, wherever it is listed), the run's stats — seeds read, filtered and failed, LLM tokens and cost,
the share of LLM-proposed constraints that survived verification — and the other outputs' row counts.
Histograms are PNG files in ``card/``.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any, ClassVar

import attrs

from crabplug import Context, Sample, write_atomic

_FILES = {"sft": "sft.jsonl", "backtranslation": "backtranslation.jsonl", "dpo": "dpo.jsonl", "rlvr": "rlvr.jsonl"}


#: samples whose language the card detects: the ones with the smallest ids (a set that does not depend on the
#: order the samples come in, so a merged run's card says what the whole run's says), a bounded cost
PROBE = 256


def _keep_probe(probe: list, sample: Sample) -> None:
    import bisect

    bisect.insort(probe, (sample.id, sample.response[:1000]))
    if len(probe) > PROBE:
        probe.pop()


def _bucket(n: int, width: int = 50) -> int:
    return n // width * width


@attrs.define
class CardOutput:
    """``README.md`` dataset card with counts, LLM usage and cost, and PNG histograms in ``card/``."""

    name: ClassVar[str] = "card"
    path: str = "README.md"
    """File name in the run directory."""
    license: str = "other"
    """The dataset's license for the card's header (it inherits the seed data's terms; set it when you know them)."""
    pretty_name: str | None = None
    """Title of the card (default: the run's name)."""
    plots: bool = True
    """Draw the PNG histograms (matplotlib)."""
    _per_sample: Counter = attrs.field(init=False, factory=Counter)
    _types: Counter = attrs.field(init=False, factory=Counter)
    _families: Counter = attrs.field(init=False, factory=Counter)
    _origins: Counter = attrs.field(init=False, factory=Counter)
    _lengths: Counter = attrs.field(init=False, factory=Counter)
    _samples: int = attrs.field(init=False, default=0)
    _pngs: list[str] = attrs.field(init=False, factory=list)
    _quality: Any = attrs.field(init=False, default=None)
    _probe: list = attrs.field(init=False, factory=list)

    def open(self, ctx: Context) -> None:
        for counter in (self._per_sample, self._types, self._families, self._origins, self._lengths):
            counter.clear()
        self._samples = 0
        self._probe = []
        from crabplug_crab.quality import QualityTally

        self._quality = QualityTally(types=ctx.registry.constraint_types)

    def write(self, samples: list[Sample], ctx: Context) -> list:
        types = ctx.registry.constraint_types
        for s in samples:
            self._samples += 1
            self._per_sample[len(s.constraints)] += 1
            self._lengths[_bucket(len(s.response.split()))] += 1
            self._quality.add(s)
            _keep_probe(self._probe, s)
            for c in s.constraints:
                self._types[c.type] += 1
                self._families[types[c.type].family if c.type in types else c.type.split(":")[0]] += 1
                self._origins["rule" if c.origin == "rule" else "llm"] += 1
        return []

    def close(self, ctx: Context) -> dict[str, Any]:
        pngs = self._plot(ctx) if self.plots and self._samples else []
        ctx.stats["quality"] = self._quality.report()  # stats.json's "quality": crabplug show RUN --quality
        if pngs:
            from crabplug_crab.quality import plot

            plot(ctx.stats["quality"], ctx.run_dir / "card" / "quality_types.png")
        self._pngs = pngs
        # the quality plot is reported too: an export or a push carries only reported files, and the card links it
        plots = [*pngs, "card/quality_types.png"] if pngs else []
        return {"file": self.path, "plots": plots, "samples": self._samples}

    def report(self, ctx: Context) -> None:
        """Write README.md once every output has closed: it reports their files and row counts."""
        write_atomic(ctx.run_dir / self.path, self.render(ctx, self._pngs))

    def _languages(self) -> list[str]:
        """ISO 639-1 codes of the responses' languages, most frequent first, detected on the probe's samples."""
        from langdetect import DetectorFactory, detect
        from langdetect.lang_detect_exception import LangDetectException

        DetectorFactory.seed = 0  # langdetect draws at random: seeded, the card is the same every run
        found: Counter = Counter()
        for _, text in self._probe:
            try:
                found[detect(text)] += 1
            except LangDetectException:  # no letters (code, numbers): no language to count
                continue
        return [code for code, _ in sorted(found.items(), key=lambda kv: (-kv[1], kv[0]))] or ["en"]

    # -- rendering -----------------------------------------------------------------------------------------

    def render(self, ctx: Context, pngs: list[str]) -> str:
        """The card's Markdown."""
        stats = ctx.stats
        outputs = stats.get("outputs", {})
        name = self.pretty_name or (stats.get("run") or {}).get("name") or ctx.run_dir.name
        configs = [(k, f) for k, f in _FILES.items() if (ctx.run_dir / f).exists()]
        header = [
            "---",
            f"license: {self.license}",
            "task_categories:",
            "- text-generation",
            "language:",
            *(f"- {code}" for code in self._languages()),
            f"pretty_name: {json.dumps(name)}",
            "tags:",
            "- instruction-following",
            "- crab",
            "- crabplug",
        ]
        if configs:
            header.append("configs:")
            for k, f in configs:
                header += [f"- config_name: {k}", "  data_files:", "  - split: train", f"    path: {f}"]
        header.append("---")
        seeds = stats.get("seeds", {})
        lines = [
            *header,
            "",
            f"# {name}",
            "",
            "Complex-instruction-following data made by constraint back-translation (CRAB, Qi et al.) with "
            "crabplug: each response already satisfies the constraints added to its "
            "instruction, checked by code where possible and by an LLM judge otherwise.",
            "",
            "## Counts",
            "",
            "| | |",
            "|---|---|",
            f"| seed records read | {seeds.get('read', 0)} |",
            f"| kept | {seeds.get('ok', 0)} |",
            f"| filtered | {seeds.get('filtered', 0)} |",
            # records, then failure lines: one kept record may log a failure (an LLM back-translator gave up
            # while the rules did not), so the lines are not a count of records
            f"| unreadable seed records | {stats.get('unreadable_seeds', 0)} |",
            f"| records failed in a stage | {seeds.get('failed', 0) - stats.get('unreadable_seeds', 0)} |",
            f"| failures logged (failures.jsonl) | {stats.get('failures', 0)} |",
            f"| samples | {self._samples} |",
        ]
        for key in _FILES:
            if key in outputs:
                lines.append(
                    f"| {key} rows ({outputs[key].get('file', _FILES[key])}) | {outputs[key].get('rows', 0)} |"
                )
        if self._samples:
            mean = sum(k * v for k, v in self._per_sample.items()) / self._samples
            lines.append(f"| constraints per sample (mean) | {mean:.2f} |")
        lines += [
            "",
            *self._breakdowns(stats),
            *self._survival(stats),
            *self._usage(stats),
            "## Constraint types",
            "",
            "| type | samples using it |",
            "|---|---|",
        ]
        lines += [f"| `{t}` | {n} |" for t, n in self._types.most_common()]
        lines += [
            "",
            "| family | constraints |",
            "|---|---|",
            *(f"| {f} | {n} |" for f, n in self._families.most_common()),
        ]
        if pngs:
            lines += ["", "## Histograms", "", *(f"![{p}]({p})" for p in pngs)]
        if "quality" in stats:
            from crabplug_crab.quality import markdown

            lines += markdown(stats["quality"], "card/quality_types.png" if pngs else None)
        run = stats.get("run") or {}
        lines += [
            "",
            "## How it was made",
            "",
            f"- seed: {run.get('seed', ctx.seed)}",
            "- configuration: `config.yaml` in this directory (re-running it gives this dataset byte for byte)",
            "- plugins and versions (`plugins.json`):",
            *self._versions(ctx),
            "",
        ]
        return "\n".join(lines)

    def _breakdowns(self, stats: dict[str, Any]) -> list[str]:
        """Kept records by source, filtered ones by reason, failures by reason."""
        lines: list[str] = []
        for title, key, what in (
            ("Sources", "sources", "records kept"),
            ("Filtered", "filtered", "records"),
            ("Failures by reason", "failures_by_reason", "records"),
        ):
            if stats.get(key):
                lines += [f"## {title}", "", f"| | {what} |", "|---|---|"]
                lines += [f"| {k} | {v} |" for k, v in sorted(stats[key].items(), key=lambda kv: -kv[1])]
                lines.append("")
        unsaid = {k: v for k, v in stats.items() if ".no_phrasing." in k and isinstance(v, int)}
        if unsaid:  # seeds in other languages: what could not be said in theirs (docs/multilingual.md)
            lines += ["## Not said in the seed's language", "", "| counter | count |", "|---|---|"]
            lines += [f"| {k} | {v} |" for k, v in sorted(unsaid.items())]
            lines.append("")
        return lines

    def _survival(self, stats: dict[str, Any]) -> list[str]:
        by_origin = stats.get("candidates_by_origin", {})
        if not by_origin:
            return []
        lines = [
            "## Verification",
            "",
            "| proposed by | candidates | verified | rejected | unverified | survived |",
            "|---|---|---|---|---|---|",
        ]
        for origin, c in sorted(by_origin.items()):
            total = sum(c.values())
            share = c.get("verified", 0) / total if total else 0.0
            lines.append(
                f"| {origin} | {total} | {c.get('verified', 0)} | {c.get('rejected', 0)} | "
                f"{c.get('unverified', 0)} | {share:.1%} |"
            )
        if small := stats.get("llm.judge_too_small_yes", 0):  # issue 20: a 135M judge's YES is no evidence
            lines += [
                "",
                f"**Candidates:** {small} LLM-written constraints were passed only by a judge too small "
                "to judge; they are counted as unverified above and left out of the training data. Set "
                "`trust_small_judge: true` on the `llm` verifier to use them.",
            ]
        return [*lines, ""]

    def _usage(self, stats: dict[str, Any]) -> list[str]:
        total = (stats.get("llm") or {}).get("total")
        if not total:
            return []
        lines = [
            "## LLM usage",
            "",
            "| model | calls | cached | prompt tokens | completion tokens | cost (USD) |",
            "|---|---|---|---|---|---|",
        ]
        for model, u in sorted((stats["llm"].get("by_model") or {}).items()):
            lines.append(
                f"| `{model}` | {u.get('calls', 0)} | {u.get('cached', 0)} | {u.get('prompt_tokens', 0)} | "
                f"{u.get('completion_tokens', 0)} | {u.get('cost', 0.0):.4f} |"
            )
        note = " (models without a litellm price count tokens only)" if total.get("unpriced_calls") else ""
        return [*lines, "", f"Total cost: ${total.get('cost', 0.0):.4f}{note}.", ""]

    @staticmethod
    def _versions(ctx: Context) -> list[str]:
        versions = getattr(ctx.registry, "versions", None) or {}
        return [f"  - {name} {version}" for name, version in sorted(versions.items())]

    def _plot(self, ctx: Context) -> list[str]:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        out = ctx.run_dir / "card"
        out.mkdir(exist_ok=True)
        charts = [
            ("constraints_per_sample.png", "Constraints per sample", sorted(self._per_sample.items()), False),
            ("constraint_types.png", "Constraint types (samples using each)", self._types.most_common(40), True),
            ("families.png", "Constraint families", self._families.most_common(), True),
            ("response_words.png", "Response length (words, bins of 50)", sorted(self._lengths.items()), False),
        ]
        names = []
        for file, title, items, horizontal in charts:
            labels, values = [str(k) for k, _ in items], [v for _, v in items]
            fig, ax = plt.subplots(figsize=(8, max(3.0, 0.25 * len(items) + 1) if horizontal else 3.5))
            if horizontal:
                ax.barh(labels[::-1], values[::-1], color="#4c72b0")
                ax.set_xlabel("count")
            else:
                ax.bar(labels, values, color="#4c72b0")
                ax.set_ylabel("samples")
            ax.set_title(title)
            fig.tight_layout()
            fig.savefig(out / file, dpi=100)
            plt.close(fig)
            names.append(f"card/{file}")
        return names
