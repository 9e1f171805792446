"""The tag stage: language, entities, keywords and topics for a batch of articles.

Plain Python (no Faust): the stream agent and the offline `newsflow enrich` command share it.
Models load once per Tagger; `tag` runs the NER model over the whole batch with `nlp.pipe`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from agents.tag.canonical import canonical_entities
from agents.tag.entities import SPACY_MODEL, EntityRecognizer, load_pipeline
from agents.tag.keywords import DocumentFrequency, KeywordExtractor
from agents.tag.language import LanguageIdentifier
from agents.tag.topics import TopicClassifier
from schemas.models import Article

ENGLISH = "en"
HEADLINE_SEPARATOR = "\n\n"


@dataclass(slots=True)
class TagConfig:
    """How the tag stage is set up; the defaults suit the stream."""

    spacy_model: str = SPACY_MODEL
    batch_size: int = 32
    max_keywords: int = 10
    max_chars: int = 100_000  # NER cost is linear in length; very long bodies are cut here
    document_frequency: DocumentFrequency | None = field(default=None)


def _lead_end(text: str) -> int:
    """End of the lead paragraph (paragraphs are separated by blank lines)."""
    cut = text.find("\n\n")
    return len(text) if cut < 0 else cut


class Tagger:
    """Fills `language`, `entities`, `keywords` and `topics` of articles in place."""

    def __init__(self, config: TagConfig | None = None) -> None:
        self.config = config or TagConfig()
        self.languages = LanguageIdentifier()
        self.recognizer = EntityRecognizer(
            load_pipeline(self.config.spacy_model)
        )
        self.keywords = KeywordExtractor(
            self.config.document_frequency, limit=self.config.max_keywords
        )
        self.topics = TopicClassifier()

    def tag(self, articles: Sequence[Article]) -> None:
        """Tag a batch; non-English articles get their language and no entities."""
        english: list[Article] = []
        for article in articles:
            sample = f"{article.title or ''}\n{article.text}"
            article.language = self.languages.detect(sample, fallback=article.language)
            if article.language == ENGLISH:
                english.append(article)
            else:
                article.entities = []
                article.keywords = []
                article.topics = []
        if not english:
            return
        texts = [self._analysed_text(article) for article in english]
        parsed = self.recognizer.parse(texts, batch_size=self.config.batch_size)
        for article, text, parsed_text in zip(english, texts, parsed, strict=True):
            title_end = len(article.title or "")
            lead_end = title_end + len(HEADLINE_SEPARATOR) + _lead_end(article.text)
            mentions = self.recognizer.mentions(parsed_text)
            article.entities = canonical_entities(mentions, title_end, lead_end)
            article.keywords = self.keywords.extract(
                text, mentions, article.entities, title_end, lead_end
            )
            article.topics = self.topics.classify(article.title, article.text)

    def _analysed_text(self, article: Article) -> str:
        """Headline and body as one document, so headline mentions count and link up."""
        title = (article.title or "").replace("\n", " ")
        return f"{title}{HEADLINE_SEPARATOR}{article.text}"[: self.config.max_chars]
