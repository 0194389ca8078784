"""Every core by default: the rules back-translator spreads its derivations over the run's ``workers`` (all usable
cores unless told), after a first chunk derived in the run's own process, and never inside an executor's worker."""

from __future__ import annotations

from types import SimpleNamespace

from crabplug import Context, load_config, load_plugins, open_context
from crabplug.pipeline.assemble import usable_cores

REGISTRY = load_plugins()
RULES = REGISTRY.get("back_translators", "rules")


def _processes(rules, ctx, records):
    return [rules._processes(ctx) for _ in range(records)]


def test_the_default_starts_workers_after_the_first_chunk_only_on_several_cores(tmp_path):
    config = SimpleNamespace(chunk_size=64)
    several = Context(run_dir=tmp_path, registry=REGISTRY, config=config, cores=2)
    seen = _processes(RULES(), several, 300)
    assert seen[:256] == [0] * 256  # a quickstart or a test never pays for starting processes
    assert seen[256:] == [2] * 44
    one = Context(run_dir=tmp_path, registry=REGISTRY, config=config, cores=1)
    assert set(_processes(RULES(), one, 300)) == {0}
    big_chunks = Context(run_dir=tmp_path, registry=REGISTRY, config=SimpleNamespace(chunk_size=1000), cores=2)
    assert set(_processes(RULES(), big_chunks, 1000)) == {0}  # the first chunk is still in this process


def test_an_explicit_number_is_kept_as_given(tmp_path):
    ctx = Context(run_dir=tmp_path, registry=REGISTRY, config=SimpleNamespace(chunk_size=64), cores=8)
    assert set(_processes(RULES(workers=0), ctx, 300)) == {0}
    assert set(_processes(RULES(workers=3), ctx, 5)) == {3}


def test_the_run_gives_every_usable_core_unless_its_config_says_otherwise(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_text("seeds: []\n", encoding="utf-8")
    config, _ = load_config(path)
    assert open_context(config, REGISTRY, tmp_path).cores == usable_cores() >= 1
    path.write_text("seeds: []\nworkers: 1\n", encoding="utf-8")
    config, _ = load_config(path)
    assert open_context(config, REGISTRY, tmp_path).cores == 1
    assert open_context(config, REGISTRY, tmp_path, cores=1).cores == 1
