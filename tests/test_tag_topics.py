"""Topics: the shipped model with the lexicon path, the decision rule, and training.

Training runs on small labelled files written here (never on evaluation data).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from agents.tag.topic_lexicon import CONFLICT, IPTC_TOPICS, SEED_LEXICONS, WEATHER
from agents.tag.topic_model import TopicModel, content_words, features, vectorise
from agents.tag.topics import MIN_BEST_SCORE, THRESHOLD, TopicClassifier, choose, stem
from agents.tag.train_topics import load_vectors, train_topics


@pytest.fixture(scope="module")
def classifier() -> TopicClassifier:
    return TopicClassifier()


def test_content_words_drop_stop_words_and_possessives() -> None:
    assert content_words("The striker's late goal won the Cup") == [
        "striker", "late", "goal", "won", "cup",
    ]


def test_features_hold_words_bigrams_and_character_ngrams() -> None:
    found = features("Electoral reform")
    assert {"electoral", "reform", "electoral reform", "#<ele", "#elect"} <= set(found)
    assert "#<re" not in found  # four-grams only: "<ref"
    row = vectorise(["Electoral reform"])
    assert row.shape[0] == 1
    assert abs(float(row.multiply(row).sum()) - 1.0) < 1e-9


def test_stem_folds_plurals_and_possessives() -> None:
    assert stem("Elections") == "election"
    assert stem("companies") == "company"
    assert stem("league's") == "league"
    assert stem("business") == "business"


def test_shipped_model_and_lexicons_cover_every_topic_once() -> None:
    model = TopicModel.load()
    assert set(model.topics).isdisjoint(SEED_LEXICONS)
    assert set(model.topics) | set(SEED_LEXICONS) == set(IPTC_TOPICS)


def test_sport_and_economy_articles(classifier: TopicClassifier) -> None:
    sport = classifier.classify(
        "Rovers snatch late winner",
        "The striker scored twice as Rovers beat the league leaders 2-1. The coach praised "
        "the players and the fans after the match, and the goalkeeper saved a penalty.",
    )
    economy = classifier.classify(
        "Shares slide as inflation bites",
        "Shares in the retailer fell 8% after it cut its profit forecast. Analysts said "
        "higher interest rates and inflation hurt consumer spending, and investors sold "
        "bank stocks as the central bank kept rates on hold.",
    )
    assert sport[0] == "sport"
    assert economy[0] == "economy, business and finance"


@pytest.mark.parametrize(
    ("headline", "topic"),
    [
        ("Striker signs four-year deal with champions", "sport"),
        ("Software giant reports security flaw in browser", "science and technology"),
        ("Parliament votes on new election law", "politics"),
        ("Singer cancels world tour after album delay", "arts, culture, entertainment and media"),
        ("Hospitals brace for a hard flu season", "health"),
    ],
)
def test_a_headline_alone_gets_its_topic(classifier: TopicClassifier, headline: str,
                                         topic: str) -> None:
    assert classifier.classify(None, headline)[:1] == [topic]


def test_topics_the_data_lacks_come_from_the_lexicons(classifier: TopicClassifier) -> None:
    war = classifier.classify_many([(None, "Troops shell the port city as ceasefire collapses")])
    storm = classifier.classify_many([(None, "Storm brings heavy snow and rainfall to the hills")])
    assert CONFLICT in war[0].topics
    assert WEATHER in storm[0].topics


def test_no_topic_without_evidence(classifier: TopicClassifier) -> None:
    assert classifier.classify(None, "Zzz qqq xxyy.") == []


def test_scores_are_ordered_and_cover_the_chosen_topics(classifier: TopicClassifier) -> None:
    result = classifier.classify_many([(
        "Dock workers strike over pay as ferries stop",
        "Dock workers at the harbour went on strike on Monday over pay, and the union said "
        "ferries would not sail. The port company said its shares fell.",
    )])[0]
    assert result.topics
    assert set(result.topics) <= set(result.scores)
    ranked = [result.scores[topic] for topic in result.topics]
    assert ranked == sorted(ranked, reverse=True)
    assert all(0.0 <= score <= 1.0 for score in result.scores.values())
    assert "labour" in result.topics


def test_choose_keeps_likely_topics_or_the_best_plausible_one() -> None:
    likely = choose({"sport": 0.9, "health": 0.6, "politics": 0.1})
    assert likely.topics == ["sport", "health"]
    assert list(likely.scores) == ["sport", "health"]
    plausible = choose({"sport": 0.3, "health": 0.2})
    assert plausible.topics == ["sport"]
    assert choose({"sport": MIN_BEST_SCORE / 2}).topics == []
    assert THRESHOLD > MIN_BEST_SCORE


def test_a_model_scoring_a_lexicon_topic_is_refused() -> None:
    model = TopicModel(("sport", CONFLICT), np.zeros((2, 4), np.float32), np.zeros(2),
                       np.ones(2), np.zeros(2))
    with pytest.raises(ValueError, match="scored twice"):
        TopicClassifier(model)


HEADLINES = {
    "sport": ["striker scores twice in cup final", "goalkeeper saves penalty in derby",
              "league leaders win again", "coach praises players after match",
              "champions sign new midfielder", "tennis star reaches final",
              "rugby side wins title", "sprinter breaks record at games"],
    "economy, business and finance": ["shares fall as profits slide", "bank raises interest rates",
                                      "retailer cuts profit forecast", "oil prices lift markets",
                                      "investors sell bank stocks", "company reports record sales",
                                      "inflation hits consumer spending", "firm agrees takeover"],
    "health": ["hospitals brace for flu season", "doctors warn on vaccine gaps",
               "new cancer treatment approved", "nurses treat more patients",
               "study links diet to heart disease", "clinic opens for diabetes care",
               "surgeons test new therapy", "virus cases rise in wards"],
}
ARTICLES = [
    {"title": "Derby win", "category": "sport",
     "text": "The striker scored twice and the goalkeeper saved a penalty in the derby."},
    {"title": "Bank results", "category": "business",
     "text": "Shares in the bank rose after profits beat forecasts and sales grew."},
]


# Word vectors in wink-embeddings' layout, made up here: each topic's words lie near one
# direction of their own, and "referee" comes in no training item.
VECTOR_TOPICS = {"sport": ["goal", "penalty", "referee", "striker", "match"],
                 "economy, business and finance": ["shares", "profit", "bank", "market"],
                 "health": ["hospital", "vaccine", "patients", "disease"]}


def _write_vectors(path: Path) -> Path:
    random = np.random.default_rng(0)
    words, vectors = ["the", "said"], {}
    for word in words:
        vectors[word] = [0.0] * 4
    for direction, topic_words in enumerate(VECTOR_TOPICS.values()):
        for word in topic_words:
            vector = random.normal(0.0, 0.1, 4)
            vector[direction] += 1.0
            vectors[word] = vector.tolist()
            words.append(word)
    for word in vectors:
        vectors[word] = [*vectors[word], 1.0, words.index(word)]
    path.write_text(json.dumps({"dimensions": 4, "size": len(words), "words": words,
                                "vectors": vectors}))
    return path


def _write_training_files(folder: Path) -> tuple[Path, Path, Path]:
    headlines = folder / "headlines.jsonl"
    rows = [{"title": title, "iptc": topic}
            for topic, titles in HEADLINES.items() for title in titles]
    rows.append({"title": "local man finds odd shaped potato", "iptc": None})
    headlines.write_text("\n".join(json.dumps(row) for row in rows))
    articles = folder / "articles.jsonl"
    articles.write_text("\n".join(json.dumps(row) for row in ARTICLES * 5))
    return headlines, articles, _write_vectors(folder / "vectors.json")


def test_word_vectors_load_in_frequency_order_without_stop_words(tmp_path: Path) -> None:
    vectors = load_vectors(_write_vectors(tmp_path / "vectors.json"))
    assert vectors.words[:2] == ["goal", "penalty"]  # "the" and "said" are stop words
    assert list(vectors.weights) == sorted(vectors.weights)  # rarer words weigh more
    pooled = vectors.pooled(["Goal!", "nothing known here", "goal hospital"])
    assert pooled[0] == pytest.approx(vectors.vectors[0])
    assert not pooled[1].any()


def test_training_is_reproducible_and_reports_across_sources(tmp_path: Path) -> None:
    headlines, articles, vectors = _write_training_files(tmp_path)
    first = train_topics(headlines, articles, vectors, tmp_path / "one.npz", seed=3)
    second = train_topics(headlines, articles, vectors, tmp_path / "two.npz", seed=3)
    assert (tmp_path / "one.npz").read_bytes() == (tmp_path / "two.npz").read_bytes()
    assert first.sha256 == second.sha256
    names = [section.name for section in first.sections]
    assert "trained on headlines only -> articles" in names
    assert "trained on headlines: headlines, 5-fold cross-validation" in names
    held_out = first.sections[names.index("trained on headlines: headlines, 5-fold "
                                          "cross-validation")]
    assert held_out.total == 24  # the unmapped headline is left out
    model = TopicModel.load(tmp_path / "one.npz")
    assert set(model.topics) == set(HEADLINES)
    assert "first-topic accuracy" in first.format()
    scores = TopicClassifier(model).classify_many([(None, "goalkeeper saves late penalty")])
    assert scores[0].topics[:1] == ["sport"]
    assert len(model.word_keys) == sum(map(len, VECTOR_TOPICS.values()))


def test_word_vectors_carry_a_topic_to_words_no_headline_used(tmp_path: Path) -> None:
    # "referee" is in no training item, nor any of its n-grams: only its vector knows it.
    headlines, articles, vectors = _write_training_files(tmp_path)
    train_topics(headlines, articles, vectors, tmp_path / "model.npz", seed=3)
    model = TopicModel.load(tmp_path / "model.npz")
    sport = model.topics.index("sport")
    decisions = model.decisions(["referee", "zzzz"])
    assert decisions[0].argmax() == sport
    assert decisions[0, sport] > decisions[1, sport]
    assert (decisions[1] == model.intercept).all()  # no known word: the intercept alone


def test_weights_for_other_features_are_refused(tmp_path: Path) -> None:
    model = TopicModel(("sport", "health"), np.zeros((2, 8), np.float32), np.zeros(2),
                       np.ones(2), np.zeros(2))
    path = tmp_path / "small.npz"
    model.save(path)
    with pytest.raises(ValueError, match="newsflow train topics"):
        TopicModel.load(path)


def test_weights_are_saved_row_major_whatever_their_layout_in_memory(tmp_path: Path) -> None:
    # The model holds them column-major for its product; the file must not depend on that.
    weights = np.arange(16, dtype=np.float32).reshape(2, 8) / 7
    path = tmp_path / "model.npz"
    TopicModel(("sport", "health"), weights, np.zeros(2), np.ones(2), np.zeros(2)).save(path)
    with np.load(path) as saved:
        assert saved["coef"].flags["C_CONTIGUOUS"]
        assert (saved["coef"] == weights.astype(np.float16)).all()


def test_hashed_columns_are_scikit_learns() -> None:
    from sklearn.feature_extraction.text import HashingVectorizer
    from sklearn.preprocessing import normalize

    from agents.tag.topic_model import HASH_FEATURES

    texts = ["Electoral reform bill passes", "The striker's late goal won the Cup final",
             "Élection présidentielle: les résultats", "x"]
    hasher = HashingVectorizer(analyzer=features, n_features=HASH_FEATURES,
                               alternate_sign=False, norm=None)
    expected = hasher.transform(texts)
    expected.data = 1.0 + np.log(expected.data)
    assert abs(normalize(expected) - vectorise(texts)).max() == 0.0


def test_topic_figures_count_first_topics_and_tabulate_confusions() -> None:
    from agents.tag.evaluate import TopicFigures

    figures = TopicFigures("demo")
    figures.add("sport", ["sport"])
    figures.add("sport", [])
    figures.add("politics", ["economy, business and finance", "politics"])
    figures.add("politics", ["politics"])
    assert figures.accuracy == 0.5
    assert figures.coverage == 0.75
    assert figures.confusions() == {("sport", "(none)"): 1,
                                    ("politics", "economy, business and finance"): 1}
    table = figures.format().splitlines()
    assert table[-6].split() == ["econ", "poli", "spor", "none"]
    assert table[-5].split() == ["politics", "1", "1", "0", "0"]


def test_word_rows_that_do_not_match_their_keys_are_refused() -> None:
    with pytest.raises(ValueError, match="word rows"):
        TopicModel(("sport", "health"), np.zeros((2, 8), np.float32), np.zeros(2), np.ones(2),
                   np.zeros(2), word_keys=np.array([1, 2], np.uint64),
                   word_rows=np.zeros((1, 3), np.float32))


def test_a_vector_tarball_without_its_json_is_refused(tmp_path: Path) -> None:
    import tarfile

    readme = tmp_path / "README.md"
    readme.write_text("no vectors here")
    archive = tmp_path / "vectors.tgz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(readme, arcname="package/README.md")
    with pytest.raises(ValueError, match="no embeddings JSON"):
        load_vectors(archive)
