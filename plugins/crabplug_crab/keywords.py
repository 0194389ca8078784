"""The keyword extractor lives with the keyword types (``crabplug_ifeval.keywords``); re-exported here."""

from __future__ import annotations

from crabplug_ifeval.keywords import EXTRACTORS, extract_keywords, fast_keywords, is_content, stopwords, yake_keywords

__all__ = ["EXTRACTORS", "extract_keywords", "fast_keywords", "is_content", "stopwords", "yake_keywords"]
