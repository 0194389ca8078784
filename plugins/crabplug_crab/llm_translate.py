"""llm_translate: built-in plugin module (work in progress)."""
