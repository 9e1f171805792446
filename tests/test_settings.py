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


# --------------------------------------------------------------------------- security


def _sasl_env(**extra: str) -> dict[str, str]:
    return {"KAFKA_BOOTSTRAP_SERVERS": "k1:9093", "KAFKA_SECURITY_PROTOCOL": "SASL_SSL",
            "KAFKA_SASL_MECHANISM": "SCRAM-SHA-512", "KAFKA_SASL_USERNAME": "newsflow",
            "KAFKA_SASL_PASSWORD": "s3cret-Pa55", **extra}


def test_the_sasl_password_is_in_no_repr_nor_the_faust_credentials_repr():
    from service.app import faust_app

    settings = Settings.from_env(_sasl_env())
    assert settings.security.sasl_password == "s3cret-Pa55"
    assert "s3cret-Pa55" not in repr(settings) and "s3cret-Pa55" not in str(settings)
    assert "s3cret-Pa55" not in repr(faust_app(settings).conf.broker_credentials)


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"NEWSFLOW_WEB_PORT": "99999"}, "NEWSFLOW_WEB_PORT=99999 is above the maximum 65535"),
        ({"NEWSFLOW_WEB_PORT": "0"}, "NEWSFLOW_WEB_PORT=0 is below the minimum 1"),
        ({"NEWSFLOW_WEB_DEBUG_PAGES": "maybe"}, "NEWSFLOW_WEB_DEBUG_PAGES='maybe'"),
        ({"KAFKA_SECURITY_PROTOCOL": "SSL", "KAFKA_SSL_CAFILE": "/nowhere/ca.pem"},
         "KAFKA_SSL_CAFILE=/nowhere/ca.pem: no such file"),
        ({"KAFKA_SSL_CAFILE": "/etc/hostname"}, "KAFKA_SECURITY_PROTOCOL=PLAINTEXT does not use"),
        ({"KAFKA_SASL_USERNAME": "u", "KAFKA_SASL_PASSWORD": "p"},
         "KAFKA_SECURITY_PROTOCOL=PLAINTEXT does not use them"),
        ({"KAFKA_SECURITY_PROTOCOL": "SASL_SSL", "KAFKA_SASL_USERNAME": "u"},
         "needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD"),
        ({"KAFKA_SASL_MECHANISM": "GSSAPI"}, "KAFKA_SASL_MECHANISM='GSSAPI'"),
        ({"KAFKA_SECURITY_PROTOCOL": "TLS"}, "KAFKA_SECURITY_PROTOCOL='TLS'"),
    ],
)
def test_security_and_web_mistakes_are_named(env, message):
    with pytest.raises(SettingsError) as caught:
        Settings.from_env(env)
    assert message in str(caught.value)


def _self_signed(folder) -> tuple[str, str]:
    """A throwaway self-signed certificate and its key, made by the openssl command."""
    import shutil
    import subprocess

    if shutil.which("openssl") is None:
        pytest.skip("needs the openssl command")
    cert, key = folder / "ca.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", str(key), "-out",
                    str(cert), "-days", "2", "-subj", "/CN=newsflow-test"],
                   check=True, capture_output=True)
    return str(cert), str(key)


def test_tls_files_reach_both_clients_and_bad_ones_are_named(tmp_path):
    import ssl

    from service.app import faust_app
    from service.kafka import client_options

    ca, key = _self_signed(tmp_path)
    settings = Settings.from_env(_sasl_env(KAFKA_SSL_CAFILE=ca, KAFKA_SSL_CERTFILE=ca,
                                           KAFKA_SSL_KEYFILE=key))
    options = client_options(settings)
    assert isinstance(options["ssl_context"], ssl.SSLContext)
    assert options["ssl_context"].verify_mode == ssl.CERT_REQUIRED
    assert faust_app(settings).conf.broker_credentials.ssl_context is not None
    with pytest.raises(SettingsError, match="KAFKA_SSL_KEYFILE is set without"):
        Settings.from_env(_sasl_env(KAFKA_SSL_CAFILE=ca, KAFKA_SSL_KEYFILE=key))
    wrong_key = tmp_path / "wrong.pem"
    wrong_key.write_text("not a key\n")
    bad = Settings.from_env(_sasl_env(KAFKA_SSL_CAFILE=ca, KAFKA_SSL_CERTFILE=ca,
                                      KAFKA_SSL_KEYFILE=str(wrong_key)))
    with pytest.raises(SettingsError, match=f"KAFKA_SSL_KEYFILE={wrong_key}: cannot load"):
        client_options(bad)


def test_faust_debug_pages_are_off_unless_asked_for():
    from service.app import faust_app

    pages = ("web_router_enabled", "web_tables_enabled", "web_stats_enabled",
             "web_graph_enabled", "web_metrics_enabled")
    default = faust_app(Settings.from_env({"KAFKA_BOOTSTRAP_SERVERS": "k:9092"})).conf
    assert not any(getattr(default, page) for page in pages)
    asked = faust_app(Settings.from_env({"KAFKA_BOOTSTRAP_SERVERS": "k:9092",
                                         "NEWSFLOW_WEB_DEBUG_PAGES": "true"})).conf
    assert all(getattr(asked, page) for page in pages)
