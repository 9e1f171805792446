"""Clean stage core: raw HTML or a text dump → clean body text, title, authors, date."""

from .cleaner import CleanedDocument, Cleaner
from .config import CleanConfig
from .source_memory import SourceMemory, SourceMemoryConfig

__all__ = ["CleanConfig", "CleanedDocument", "Cleaner", "SourceMemory", "SourceMemoryConfig"]
