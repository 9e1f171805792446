"""Settings come from the environment, with errors that name the variable."""

from __future__ import annotations

import pytest

from service.settings import Settings, SettingsError


def test_defaults():
    settings = Settings.from_env({})
    assert settings.topics.raw == "articles.raw"
    assert settings.topics.dead_letter == "articles.dead-letter"
    assert settings.stages == ("clean", "tag", "dedup")
    assert settings.bootstrap_servers is None


def test_overrides():
    settings = Settings.from_env({
        "KAFKA_BOOTSTRAP_SERVERS": "k1:9092,k2:9092",
        "NEWSFLOW_TOPIC_RAW": "scraped",
        "NEWSFLOW_STAGES": "dedup, clean",
        "NEWSFLOW_PARTITIONS": "3",
        "KAFKA_SECURITY_PROTOCOL": "sasl_ssl",
        "KAFKA_SASL_MECHANISM": "scram-sha-512",
        "KAFKA_SASL_USERNAME": "u",
        "KAFKA_SASL_PASSWORD": "p",
    })
    assert settings.topics.raw == "scraped"
    assert settings.stages == ("clean", "dedup")
    assert settings.partitions == 3
    assert settings.security.protocol == "SASL_SSL"
    assert settings.security.sasl_mechanism == "SCRAM-SHA-512"


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({"NEWSFLOW_PARTITIONS": "many"}, "NEWSFLOW_PARTITIONS"),
        ({"NEWSFLOW_PARTITIONS": "0"}, "NEWSFLOW_PARTITIONS"),
        ({"NEWSFLOW_STAGES": "clean,index"}, "NEWSFLOW_STAGES"),
        ({"NEWSFLOW_LOG_FORMAT": "xml"}, "NEWSFLOW_LOG_FORMAT"),
        ({"KAFKA_SECURITY_PROTOCOL": "SASL_PLAINTEXT"}, "KAFKA_SASL_USERNAME"),
        ({"NEWSFLOW_NEAR_DUPLICATE_THRESHOLD": "1.5"}, "NEWSFLOW_NEAR_DUPLICATE_THRESHOLD"),
    ],
)
def test_bad_values_name_the_variable(env, variable):
    with pytest.raises(SettingsError, match=variable):
        Settings.from_env(env)


def test_missing_bootstrap_is_a_clear_error():
    with pytest.raises(SettingsError, match="KAFKA_BOOTSTRAP_SERVERS"):
        Settings.from_env({}).require_bootstrap()
