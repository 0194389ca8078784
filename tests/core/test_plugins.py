"""The plugin manager: entry points like any third-party package, and loud failures that name the plugin."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
import types

import pytest

from crabplug import ConstraintType, PluginError, hookimpl, plugins


class FakeEntryPoint:
    def __init__(self, name, module):
        self.name, self.group, self._module = name, "crabplug", module

    def load(self):
        return self._module


class FakeDist:
    def __init__(self, name, *eps, version="9.9"):
        self.entry_points = list(eps)
        self.metadata = {"Name": name}
        self.version = version


def _module(name, **hooks):
    mod = types.ModuleType(name)
    for hook, fn in hooks.items():
        setattr(mod, hook, hookimpl(fn))
    return mod


def _ctype(id_):
    return ConstraintType(id=id_, family="x", describe=lambda kw, rng: "text")


@pytest.fixture
def fake_dists(monkeypatch):
    dists = []
    monkeypatch.setattr(importlib.metadata, "distributions", lambda: list(dists))
    monkeypatch.delenv("CRABPLUG_PLUGINS", raising=False)
    return dists


def test_a_third_party_entry_point_is_discovered(fake_dists):
    mod = _module("crabplug_fancy", register_constraint_types=lambda register: register(_ctype("fancy:thing")))
    fake_dists.append(FakeDist("crabplug-fancy", FakeEntryPoint("fancy", mod), version="1.2.3"))
    registry = plugins.load()
    assert "fancy:thing" in registry.constraint_types
    assert registry.owner("constraint_types", "fancy:thing") == "fancy"
    info = {r["name"]: r for r in plugins.plugin_info(registry)}
    assert info["fancy"]["version"] == "1.2.3"
    assert info["fancy"]["hooks"] == ["register_constraint_types"]
    assert info["fancy"]["registers"] == {"constraint_types": ["fancy:thing"]}


def test_a_duplicate_name_fails_naming_both_plugins(fake_dists):
    a = _module("a", register_constraint_types=lambda register: register(_ctype("dup:x")))
    b = _module("b", register_constraint_types=lambda register: register(_ctype("dup:x")))
    fake_dists.append(FakeDist("pkg-a", FakeEntryPoint("first", a)))
    fake_dists.append(FakeDist("pkg-b", FakeEntryPoint("second", b)))
    expected = r"plugin 'second' registered constraint type 'dup:x', already registered by plugin 'first'"
    with pytest.raises(PluginError, match=expected):
        plugins.load()


def test_a_malformed_registration_fails_naming_the_plugin(fake_dists):
    bad = _module("bad", register_combiners=lambda register: register(object()))
    fake_dists.append(FakeDist("pkg-bad", FakeEntryPoint("bad", bad)))
    with pytest.raises(PluginError, match="plugin 'bad' registered"):
        plugins.load()


@pytest.mark.parametrize(
    ("hook", "methods", "missing"),
    [
        ("register_combiners", {}, "combine"),
        ("register_outputs", {"open": 1, "write": 1}, "close"),
        ("register_executors", {"start": 1, "stop": 1}, "map or map_parts"),
    ],
)
def test_a_stage_class_without_its_protocols_methods_fails_at_load(fake_dists, hook, methods, missing):
    cls = type("Half", (), {"name": "half", **{m: lambda self: None for m in methods}})
    bad = _module("half", **{hook: lambda register: register(cls)})
    fake_dists.append(FakeDist("pkg-half", FakeEntryPoint("half", bad)))
    with pytest.raises(PluginError, match=rf"plugin 'half' registered .* 'half' without a {missing}\(\) method"):
        plugins.load()


def test_an_executor_with_map_parts_only_is_accepted(fake_dists):
    cls = type(
        "Parts",
        (),
        {"name": "parts", "start": lambda s, j: None, "stop": lambda s: None, "map_parts": lambda s, f: None},
    )
    fake_dists.append(
        FakeDist("pkg-parts", FakeEntryPoint("parts", _module("p", register_executors=lambda register: register(cls))))
    )
    assert plugins.load().get("executors", "parts") is cls


def test_a_misspelled_hook_fails_loudly(fake_dists):
    mod = _module("typo", register_constraint_typess=lambda register: None)
    fake_dists.append(FakeDist("pkg-typo", FakeEntryPoint("typo", mod)))
    with pytest.raises(PluginError, match="typo"):
        plugins.load()


def test_a_plugin_that_fails_to_import_is_named(fake_dists):
    class Broken(FakeEntryPoint):
        def load(self):
            raise ImportError("no module named fancy_dep")

    fake_dists.append(FakeDist("pkg-broken", Broken("broken", None)))
    with pytest.raises(PluginError, match="plugin 'broken'.*fancy_dep"):
        plugins.load()


def test_only_restricts_to_named_entry_points(fake_dists, monkeypatch):
    a = _module("a", register_constraint_types=lambda register: register(_ctype("a:x")))
    b = _module("b", register_constraint_types=lambda register: register(_ctype("b:x")))
    fake_dists.append(FakeDist("pkg-a", FakeEntryPoint("a", a)))
    fake_dists.append(FakeDist("pkg-b", FakeEntryPoint("b", b)))
    monkeypatch.setenv("CRABPLUG_PLUGINS", "b")
    assert set(plugins.load().constraint_types) == {"b:x"}


def test_a_module_can_be_loaded_by_name(fake_dists):
    registry = plugins.load(["crabplug_testplugin"])
    assert "test-lines" in registry.items["seed_sources"]


def test_an_unknown_module_is_one_sentence(fake_dists):
    with pytest.raises(PluginError, match="cannot import plugin module 'no_such_mod'"):
        plugins.load(["no_such_mod"])


def test_the_built_in_plugins_come_from_entry_points():
    names = {r["name"] for r in plugins.plugin_info(plugins.load())}
    assert {"seeds", "ifeval", "crab", "local", "trl", "crabplug.verifiers"} <= names


def test_tracing_prints_hook_calls(tmp_path):
    env = {"CRABPLUG_TRACE_PLUGINS": "1", "PATH": "/usr/bin:/bin"}
    out = subprocess.run(
        [sys.executable, "-c", "from crabplug import plugins; plugins.load()"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    assert "register_verifiers" in out.stderr
