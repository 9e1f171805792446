"""Language identification with lingua, built once per process.

lingua ships its n-gram models inside the wheel, so detection works offline. Low-accuracy mode
keeps memory and latency small; news bodies are long enough for it to be reliable.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

# The languages a news stream is most likely to carry; a bounded set keeps the detector fast.
DEFAULT_LANGUAGES: tuple[Language, ...] = (
    Language.ENGLISH, Language.GERMAN, Language.FRENCH, Language.SPANISH, Language.ITALIAN,
    Language.PORTUGUESE, Language.DUTCH, Language.RUSSIAN, Language.UKRAINIAN, Language.POLISH,
    Language.CZECH, Language.SLOVAK, Language.HUNGARIAN, Language.ROMANIAN, Language.BULGARIAN,
    Language.GREEK, Language.TURKISH, Language.SWEDISH, Language.DANISH, Language.BOKMAL,
    Language.FINNISH, Language.ESTONIAN, Language.LATVIAN, Language.LITHUANIAN, Language.CROATIAN,
    Language.SERBIAN, Language.SLOVENE, Language.ARABIC, Language.PERSIAN, Language.HEBREW,
    Language.HINDI, Language.BENGALI, Language.URDU, Language.CHINESE, Language.JAPANESE,
    Language.KOREAN, Language.VIETNAMESE, Language.INDONESIAN, Language.MALAY, Language.THAI,
    Language.TAGALOG, Language.SWAHILI, Language.CATALAN, Language.AFRIKAANS,
)

# Detection cost grows with text length; the opening of an article is plenty.
SAMPLE_CHARS = 400
MIN_SAMPLE_CHARS = 12
# Function words that are English and not words of the other languages above. Running prose
# in English has about a quarter of its words from this list, other languages almost none, so
# a high share settles the question without the n-gram models (lingua costs ~3 ms a sample).
_FUNCTION_WORDS = """the of and to that is was for with are were by this from have has had been
    which their they it its would will could should said not but than after about who what when
    he she his her be at as or up out there"""
ENGLISH_FUNCTION_WORDS = frozenset(_FUNCTION_WORDS.split())
WORD = re.compile(r"[^\W\d_]+")
SURE_ENGLISH_SHARE = 0.15
SURE_ENGLISH_MIN_WORDS = 20


class LanguageIdentifier:
    """Maps text to an ISO 639-1 code, or None when the text is too short or ambiguous."""

    def __init__(
        self, languages: Iterable[Language] = DEFAULT_LANGUAGES, low_accuracy: bool = True
    ) -> None:
        builder = LanguageDetectorBuilder.from_languages(*languages)
        if low_accuracy:
            builder = builder.with_low_accuracy_mode()
        self._detector: LanguageDetector = builder.build()

    def detect(self, text: str, fallback: str | None = None) -> str | None:
        """Detected code; `fallback` (e.g. the scraper's claim) when the text says too little."""
        sample = text[:SAMPLE_CHARS].strip()
        if len(sample) < MIN_SAMPLE_CHARS:
            return fallback
        if _surely_english(sample):
            return "en"
        language = self._detector.detect_language_of(sample)
        if language is None:
            return fallback
        return language.iso_code_639_1.name.lower()


def _surely_english(sample: str) -> bool:
    words = WORD.findall(sample.lower())
    if len(words) < SURE_ENGLISH_MIN_WORDS:
        return False
    common = sum(1 for word in words if word in ENGLISH_FUNCTION_WORDS)
    return common >= SURE_ENGLISH_SHARE * len(words)
