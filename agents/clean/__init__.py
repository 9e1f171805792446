"""Clean stage core: raw HTML or a text dump → clean body text, title, authors, date."""

from .cleaner import CleanedDocument, Cleaner
from .config import CleanConfig

__all__ = ["CleanConfig", "CleanedDocument", "Cleaner"]
