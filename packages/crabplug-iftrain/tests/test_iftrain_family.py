"""The ``iftrain`` family (packages/crabplug-iftrain): registration, open-instruct's ids, kwargs and conflicts,
derive -> check round trips inside the natural ranges, phrasings, and transformations that keep the words."""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import iftrain_corpus as corpus
import iftrain_reference as reference
import pytest

import crabplug

PACKAGE = Path(__file__).resolve().parents[1]
ROOT = PACKAGE.parents[1]  # the crabplug repository this package sits in (its docs, Makefile, core pyproject)
REAL = corpus.real_pairs()


@pytest.fixture(scope="module")
def types():
    registry = crabplug.load_plugins(only=["iftrain"])
    return {t.id: t for t in registry.constraint_types.values() if t.family == "iftrain"}


def test_crabplug_constraints_lists_the_29_types_of_the_family():
    env = {k: v for k, v in os.environ.items() if k != "CRABPLUG_PLUGINS"}
    proc = subprocess.run([sys.executable, "-m", "crabplug", "constraints", "--family", "iftrain", "--json"],
                          capture_output=True, text=True, env=env, timeout=120)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    rows = json.loads(proc.stdout)
    assert len(rows) == 29
    assert {r["id"] for r in rows} == set(reference.iftrain_ids())
    assert all(r["plugin"] == "iftrain" and r["checkable"] and r["example"] for r in rows)


def test_ids_and_kwargs_names_are_open_instructs(types):
    for type_id in reference.iftrain_ids():
        keys = reference.registry().INSTRUCTION_DICT[type_id](type_id).get_instruction_args_keys()
        assert set(types[type_id].kwargs) >= set(keys), type_id
        assert set(types[type_id].kwargs) - set(keys) <= {"instruction"}, type_id  # exclude_word_harder's source


def test_conflicts_are_open_instructs_closed_table_plus_the_stated_extras(types):
    from crabplug_iftrain.conflicts import EXTRA

    ref = reference.registry()
    table = ref.conflict_make({k: set(v) for k, v in ref.INSTRUCTION_CONFLICTS.items()})
    for type_id, ctype in types.items():
        extra = set(EXTRA.get(type_id, ())) | {t for t, others in EXTRA.items() if type_id in others}
        assert ctype.conflicts == frozenset(table[type_id]) | extra, type_id


@pytest.mark.slow  # derive for 25 types on 386 answers (NLTK tokens for the word positions)
def test_derived_kwargs_hold_lie_in_the_natural_ranges_and_read_well(types):
    from crabplug import yake_stopwords

    stop = yake_stopwords()
    rng = random.Random(5)
    derived = {t: 0 for t, c in types.items() if c.derive}
    for instruction, response in REAL + [("Write.", r) for r in corpus.EDGE_CASES]:
        example = crabplug.Example(instruction=instruction, response=response)
        for type_id in derived:
            ctype = types[type_id]
            kwargs = ctype.derive(example, rng)
            if kwargs is None:
                continue
            derived[type_id] += 1
            assert crabplug.check(ctype, response, kwargs), (type_id, kwargs, response[:200])
            for name in ("keyword", "keyword1", "keyword2"):  # real keywords: no stop word (YAKE's list)
                assert str(kwargs.get(name, "")).lower() not in stop, (type_id, kwargs)
            for name, (low, high) in ctype.ranges.items():
                assert low <= kwargs[name] <= high, (type_id, kwargs)
            text = ctype.describe(kwargs, rng)
            assert "{" not in text and not re.search(r"\b1 (times|words|letters|sentences)\b", text), text
    # every derivable type is met by some real or crafted answer (the copy types only by a copy)
    assert all(n > 0 for t, n in derived.items() if not t.startswith("copy:")), derived


def test_every_phrasing_fills_for_the_example_and_for_one(types):
    for ctype in types.values():
        from crabplug_iftrain.phrasings import PHRASINGS

        for i in range(len(PHRASINGS[ctype.id])):
            text = ctype.describe(ctype.example, _Pick(i))
            assert text and "{" not in text
    one = types["keywords:word_count_different_numbers"].describe(
        {"keyword": "moon", "frequency": 1, "relation": "at least"}, _Pick(0)
    )
    assert one == "In your response, the word moon should appear at least once."
    assert (
        types["count:lowercase_counting"]
        .describe({"N": 1}, _Pick(0))
        .endswith("at most 1 word written entirely in lowercase letters.")
    )


def test_phrasings_read_well_for_every_value_in_range(types):
    for ctype in types.values():
        for name, (low, high) in ctype.ranges.items():
            for value in {low, low + 1, high}:
                kwargs = {**ctype.example, name: value}
                for i in range(3):
                    text = ctype.describe(kwargs, _Pick(i))
                    assert not re.search(r"\b1 (times|words|letters|sentences)\b", text), text


def test_the_readme_and_the_docs_name_every_type():
    readme = (PACKAGE / "README.md").read_text(encoding="utf-8")
    assert all(f"`{t}`" in readme for t in reference.iftrain_ids())
    assert "packages/crabplug-iftrain" in (ROOT / "docs" / "iftrain.md").read_text(encoding="utf-8")


class _Pick(random.Random):
    """An rng whose ``choice`` takes the i-th item."""

    def __init__(self, i: int):
        super().__init__(0)
        self.i = i

    def choice(self, seq):
        return seq[self.i % len(seq)]


def _words(text: str) -> list[str]:
    return [w.lower() for w in re.findall(r"[A-Za-z0-9]+", text)]


def test_transformations_satisfy_the_check_and_keep_the_words(types):
    made = {t: 0 for t, c in types.items() if c.transform}
    for instruction, response in REAL:
        example = crabplug.Example(instruction=instruction, response=response)
        for type_id in made:
            ctype = types[type_id]
            try:
                edited, kwargs = ctype.transform.apply(example, random.Random(type_id))
            except crabplug.TransformSkipped:
                continue
            made[type_id] += 1
            assert crabplug.check(ctype, edited, kwargs), type_id
            if type_id.startswith(("copy:", "new:")):
                assert instruction.lower().find(edited.strip().split("\n")[0].lower()) >= 0
            else:
                assert _words(edited) == _words(response), type_id
    assert all(n >= 5 for n in made.values()), made


def test_copy_transformations_are_off_by_default_and_the_rest_small(types):
    shares = {t: c.transform.share for t, c in types.items() if c.transform}
    assert all(
        shares[t] == 0 for t in ("copy:copy", "copy:copying_simple", "copy:copying_multiple", "new:copy_span_idx")
    )
    assert all(0 < s <= 0.05 for t, s in shares.items() if not t.startswith(("copy:", "new:")))


def test_the_package_imports_only_crabplugs_public_api():
    for path in (PACKAGE / "crabplug_iftrain").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert not re.search(r"^\s*(from|import) crabplug\.", source, re.M), path.name
        assert "crabplug_ifeval" not in source, path.name


def test_it_is_a_separate_distribution_that_the_set_up_installs():
    project = tomllib.loads((PACKAGE / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["entry-points"]["crabplug"] == {"iftrain": "crabplug_iftrain"}
    core = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "crabplug_iftrain" not in core["project"]["entry-points"]["crabplug"].values()
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "pip install -q -c constraints.txt -e packages/crabplug-iftrain" in makefile


def test_the_readme_example_verifies_a_response(tmp_path):
    readme = (PACKAGE / "README.md").read_text(encoding="utf-8")
    block = re.search(r"## Try it\n+```bash\n(.*?)```", readme, re.S).group(1)
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    env.pop("CRABPLUG_PLUGINS", None)
    proc = subprocess.run(["bash", "-euo", "pipefail", "-c", block], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=120)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    (verdict,) = [json.loads(line) for line in (tmp_path / "verdicts.jsonl").read_text().splitlines()]
    assert verdict["instruction_id_list"] == ["detectable_format:square_brackets"]
    assert verdict["follow_all_instructions"]


@pytest.mark.slow  # a real run: rules + transform + crab combiner on 30 real answers, then crabplug verify
def test_a_run_derives_transforms_combines_and_verifies_the_family(tmp_path):
    seeds = PACKAGE / "tests" / "fixtures" / "real" / "arena-o3mini-200.jsonl"
    config = tmp_path / "iftrain.yaml"
    config.write_text(
        f"name: iftrain-demo\nrun_dir: {tmp_path / 'run'}\nseeds: [{{plugin: jsonl, path: {seeds}}}]\n"
        "back_translators:\n  - plugin: rules\n  - plugin: transform\n"
        '    shares: {"*": 0.3, "copy:*": 0.1, "new:copy_span_idx": 0.1}\n'
        # the paper's selection: the natural one (issue 30) leaves out most IFTrain types (positions, letter counts)
        "combiner: {plugin: crab, p_many: 1.0, p_demos: 0.0, min_natural: 0}\noutputs: [sft]\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "CRABPLUG_PLUGINS"}
    run = [sys.executable, "-m", "crabplug", "run", str(config), "--limit", "30", "-q"]
    proc = subprocess.run(run, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in (tmp_path / "run" / "sft.jsonl").read_text().splitlines()]
    ours = [c for row in rows for c in row["constraints"] if c["type"] in set(reference.iftrain_ids())]
    assert len({c["type"] for c in ours}) >= 12
    # derived by rules, and made true by an edit (crabplug marks those verified_by: transform)
    assert {c.get("verified_by") == "transform" for c in ours} == {True, False}
    answers = tmp_path / "answers.jsonl"
    answers.write_text("".join(json.dumps({"response": r["messages"][-1]["content"], "constraints": r["constraints"]})
                               + "\n" for r in rows))  # fmt: skip
    verify = [sys.executable, "-m", "crabplug", "verify", str(answers), "-o", str(tmp_path / "v.jsonl")]
    proc = subprocess.run(verify, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    verdicts = [json.loads(line) for line in (tmp_path / "v.jsonl").read_text().splitlines()]
    checked = [
        ok
        for v in verdicts
        for t, ok in zip(v["instruction_id_list"], v["follow_instruction_list"], strict=True)
        if t in set(reference.iftrain_ids())
    ]
    assert checked and all(checked)


def test_the_documented_exclude_lists_leave_out_iftrain_and_only_iftrain(types):
    import fnmatch

    import yaml

    doc = (ROOT / "docs" / "iftrain.md").read_text(encoding="utf-8")
    block = next(b for b in re.findall(r"```yaml\n(.*?)```", doc, re.S) if "exclude:" in b)
    rules, transform = yaml.safe_load(block)["back_translators"]
    ifeval = crabplug.load_plugins(only=["ifeval"]).constraint_types

    def excluded(globs, type_id):
        return any(fnmatch.fnmatchcase(type_id, g) for g in globs)

    assert all(excluded(rules["exclude"], t) for t in types)
    assert not any(excluded(rules["exclude"], t) for t in ifeval)
    with_share = [t for t, c in types.items() if c.transform and c.transform.share > 0]
    assert all(excluded(transform["exclude"], t) for t in with_share)
    assert not any(excluded(transform["exclude"], t) for t in ifeval)
