"""crabplug_eval: built-in plugin (work in progress)."""
