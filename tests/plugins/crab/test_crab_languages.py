"""A code-only run on Spanish, French and Japanese seeds (configs/quickstart-multilingual.yaml): every constraint
is written in its seed's language, one language per instruction, and every one is true by its type's check."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest
from crabplug_seeds.bundled import bundled_file

from crabplug import LANGUAGE_HEADERS, check, load_plugins

ROOT = Path(__file__).resolve().parents[3]
ENGLISH_WORDS = ("your ", "response", "answer", "least", "words", "must")


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    out = tmp_path_factory.mktemp("multilingual") / "run"
    done = subprocess.run(
        [sys.executable, "-m", "crabplug", "run", "configs/quickstart-multilingual.yaml", "-o", str(out), "-q"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    return out


def _seeds():
    rows = [json.loads(line) for line in bundled_file("multilingual").read_text(encoding="utf-8").splitlines()]
    return {r["instruction"]: r["lang"] for r in rows}


def test_the_multilingual_set_is_twenty_pairs_per_language():
    langs = list(_seeds().values())
    assert {lang: langs.count(lang) for lang in set(langs)} == {"es": 20, "fr": 20, "ja": 20}


@pytest.mark.slow
def test_every_constraint_is_written_in_the_seeds_language_and_is_true(run):
    seeds = _seeds()
    types = load_plugins().constraint_types
    samples = [json.loads(line) for line in (run / "samples.jsonl").read_text(encoding="utf-8").splitlines()]
    by_language = {"es": 0, "fr": 0, "ja": 0}
    for sample in samples:
        language = seeds[sample["provenance"]["base_instruction"]]
        by_language[language] += 1
        added = sample["instruction"][len(sample["provenance"]["base_instruction"]) :]
        assert not any(word in added.lower() for word in ENGLISH_WORDS), added  # no English glued on
        if sample["provenance"]["template"] != "woven":
            assert any(h in added for h in LANGUAGE_HEADERS[language]["list"]), added
        for c in sample["constraints"]:
            ctype = types[c["type"]]
            if ctype.language == language:  # a type written in the language (crabplug-mifeval's, when installed)
                assert c["text"] == ctype.describe(c["kwargs"], random.Random(0))
            else:  # an English type: its phrasing for the language, never its English sentence
                assert c["text"] == ctype.phrasings[language](c["kwargs"])
                assert c["text"] != ctype.describe(c["kwargs"], random.Random(0))
            assert check(ctype, sample["response"], c["kwargs"]), (c, sample["response"][:200])
    assert min(by_language.values()) >= 5, by_language  # each language gets samples


@pytest.mark.slow
def test_constraints_without_a_phrasing_are_counted_not_written(run):
    stats = json.loads((run / "stats.json").read_text(encoding="utf-8"))
    # Japanese has no phrasing for word or sentence counts, keyword or case constraints: many are left out
    assert all(stats[f"rules.no_phrasing.{lang}"] > 0 for lang in ("es", "fr", "ja"))  # not derived, counted
    card = (run / "README.md").read_text(encoding="utf-8")
    assert "## Not said in the seed's language" in card
    assert f"| rules.no_phrasing.ja | {stats['rules.no_phrasing.ja']} |" in card
    samples = [json.loads(line) for line in (run / "samples.jsonl").read_text(encoding="utf-8").splitlines()]
    japanese = [s for s in samples if _seeds()[s["provenance"]["base_instruction"]] == "ja"]
    assert not any(c["type"] == "length_constraints:number_words" for s in japanese for c in s["constraints"])
