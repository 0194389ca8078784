"""crabplug_ifeval: built-in plugin (work in progress)."""
