"""The tag stage: language, entities, keywords and topics for a batch of articles.

Plain Python (no Faust): the stream agent and the offline `newsflow enrich` command share it.
Models load once per Tagger; `tag` runs the NER model over the whole batch with `nlp.pipe`
and the topic model over the whole batch in one call.

Languages: the entity model, the keyword rules and the topic model read English. An article
in another language (or whose language cannot be told) gets its language code, no entities
and no topics, the outlet's own tags (`metadata["source_tags"]`) as its only keywords, and
the reason in `metadata["tag_note"]`: nothing is guessed from English models.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from agents.tag.canonical import canonical_entities
from agents.tag.entities import SPACY_MODEL, EntityRecognizer, load_pipeline
from agents.tag.keywords import KeywordExtractor
from agents.tag.language import LanguageIdentifier
from agents.tag.topics import TopicClassifier
from schemas.models import Article

ENGLISH = "en"
HEADLINE_SEPARATOR = "\n\n"
SOURCE_TAGS = "source_tags"
TAG_NOTE = "tag_note"


def source_tags(article: Article) -> list[str]:
    """The outlet's own tags the clean stage kept in the metadata (strings only)."""
    tags = article.metadata.get(SOURCE_TAGS)
    if isinstance(tags, str):
        tags = [tags]
    if not isinstance(tags, list):
        return []
    return [tag.strip() for tag in tags if isinstance(tag, str) and tag.strip()]


def _not_english_note(language: str | None) -> str:
    said = f"language {language!r}" if language else "language not identified"
    return (f"{said}: entities, topics and keywords from the text need English; "
            "keywords are the outlet's own tags only")


@dataclass(slots=True)
class TagConfig:
    """How the tag stage is set up; the defaults suit the stream."""

    spacy_model: str = SPACY_MODEL
    batch_size: int = 32
    max_keywords: int = 10
    max_chars: int = 100_000  # NER cost is linear in length; very long bodies are cut here


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
        self.keywords = KeywordExtractor(limit=self.config.max_keywords)
        self.topics = TopicClassifier()

    def tag(self, articles: Sequence[Article]) -> None:
        """Tag a batch; non-English articles get their language and no entities."""
        english: list[Article] = []
        for article in articles:
            sample = f"{article.title or ''}\n{article.text}"
            article.language = self.languages.detect(sample, fallback=article.language)
            if article.language == ENGLISH:
                english.append(article)
                article.metadata.pop(TAG_NOTE, None)
            else:
                article.entities = []
                article.keywords = list(dict.fromkeys(source_tags(article)))[
                    : self.config.max_keywords
                ]
                article.topics = []
                article.topic_scores = {}
                article.metadata[TAG_NOTE] = _not_english_note(article.language)
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
                text, mentions, article.entities, title_end, lead_end, source_tags(article)
            )
        results = self.topics.classify_many([(a.title, a.text) for a in english])
        for article, result in zip(english, results, strict=True):
            article.topics = result.topics
            article.topic_scores = result.scores

    def _analysed_text(self, article: Article) -> str:
        """Headline and body as one document, so headline mentions count and link up."""
        title = (article.title or "").replace("\n", " ")
        return f"{title}{HEADLINE_SEPARATOR}{article.text}"[: self.config.max_chars]
