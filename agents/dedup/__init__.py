"""Dedup stage: exact and near duplicates, and story ids, over key-value stores."""

from agents.dedup.config import DedupConfig
from agents.dedup.decide import Candidates, Decision, decide
from agents.dedup.deduplicator import Deduplicator
from agents.dedup.expiry import expire, expire_store
from agents.dedup.fingerprint import Fingerprint, fingerprint
from agents.dedup.state import DedupState, memory_state

__all__ = [
    "Candidates",
    "Decision",
    "DedupConfig",
    "DedupState",
    "Deduplicator",
    "Fingerprint",
    "decide",
    "expire",
    "expire_store",
    "fingerprint",
    "memory_state",
]
