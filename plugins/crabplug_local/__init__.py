"""crabplug_local: built-in plugin (work in progress)."""
