"""crabplug_seeds: built-in plugin (work in progress)."""
