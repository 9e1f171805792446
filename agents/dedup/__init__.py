"""Dedup stage: exact and near duplicates, and story ids, over key-value stores."""

from agents.dedup.config import DedupConfig
from agents.dedup.deduplicator import Deduplicator
from agents.dedup.state import DedupState, memory_state

__all__ = ["DedupConfig", "DedupState", "Deduplicator", "memory_state"]
