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


def test_security_settings_reach_both_kafka_clients():
    import faust

    from service.app import faust_app
    from service.kafka import client_options

    settings = Settings.from_env({
        "KAFKA_BOOTSTRAP_SERVERS": "k1:9093,k2:9093",
        "KAFKA_SECURITY_PROTOCOL": "SASL_PLAINTEXT",
        "KAFKA_SASL_MECHANISM": "SCRAM-SHA-256",
        "KAFKA_SASL_USERNAME": "newsflow",
        "KAFKA_SASL_PASSWORD": "secret",
    })
    options = client_options(settings)
    assert options["bootstrap_servers"] == "k1:9093,k2:9093"
    assert (options["security_protocol"], options["sasl_mechanism"]) == (
        "SASL_PLAINTEXT", "SCRAM-SHA-256")
    assert (options["sasl_plain_username"], options["sasl_plain_password"]) == (
        "newsflow", "secret")
    app = faust_app(settings)
    assert [str(url) for url in app.conf.broker] == ["kafka://k1:9093", "kafka://k2:9093"]
    credentials = app.conf.broker_credentials
    assert isinstance(credentials, faust.SASLCredentials)
    assert (credentials.username, credentials.mechanism.value) == ("newsflow", "SCRAM-SHA-256")
