"""crabplug_trl: built-in plugin (work in progress)."""
