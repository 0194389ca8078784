"""crabplug_crab: built-in plugin (work in progress)."""
