"""dpo: built-in plugin module (work in progress)."""
