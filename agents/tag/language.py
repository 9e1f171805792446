"""Language identification with lingua, built once per process.

lingua ships its n-gram models inside the wheel, so detection works offline. Low-accuracy mode
keeps memory and latency small; news bodies are long enough for it to be reliable.
"""

from __future__ import annotations

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
SAMPLE_CHARS = 600
MIN_SAMPLE_CHARS = 12


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
        language = self._detector.detect_language_of(sample)
        if language is None:
            return fallback
        return language.iso_code_639_1.name.lower()
