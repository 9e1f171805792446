"""Tag stage core: language, named entities, keywords and IPTC topics for articles."""

from agents.tag.core import TagConfig, Tagger

__all__ = ["TagConfig", "Tagger"]
