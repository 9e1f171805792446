"""Every operator mistake ends the command with one line on stderr and exit code 2.

A few cases run `newsflow` as a real process, to prove nothing else reaches stderr (no
traceback, no aiokafka log line, no "Unclosed AIOKafkaProducer" warning at exit).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from aiokafka.errors import KafkaConnectionError, SaslAuthenticationFailed
from click.testing import CliRunner

from service.broker import EmbeddedBroker, free_port
from service.cli import main
from service.kafka import AuthenticationFailed, BrokerUnreachable, explain_connection_error
from service.settings import Settings
from tests.conftest import SAMPLES

REPO = Path(__file__).resolve().parents[1]
#: Variables these tests set themselves; an outer value must not leak in.
_CLEARED = ("KAFKA_BOOTSTRAP_SERVERS", "KAFKA_SECURITY_PROTOCOL", "KAFKA_SASL_MECHANISM",
            "KAFKA_SASL_USERNAME", "KAFKA_SASL_PASSWORD", "KAFKA_SSL_CAFILE",
            "KAFKA_SSL_CERTFILE", "KAFKA_SSL_KEYFILE", "NEWSFLOW_WEB_PORT")


def run_process(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {key: value for key, value in os.environ.items() if key not in _CLEARED}
    environment.update(env, PYTHONWARNINGS="default")
    return subprocess.run([sys.executable, "-m", "service.cli", *args], cwd=REPO, env=environment,
                          capture_output=True, text=True, timeout=120, check=False)


def run_cli(*args: str, **env: str):
    cleared: dict[str, str | None] = dict.fromkeys(_CLEARED)
    return CliRunner().invoke(main, list(args), env={**cleared, **env}, input="")


def one_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("newsflow: error: "), stderr
    return lines[0]


def test_worker_without_bootstrap_servers_says_so_in_one_line():
    result = run_process("worker")
    assert result.returncode == 2
    assert "KAFKA_BOOTSTRAP_SERVERS is not set" in one_line(result.stderr)


@pytest.mark.parametrize("command", [["publish", "--samples"], ["worker"]])
def test_an_unreachable_broker_is_one_line_naming_the_address(command):
    address = f"127.0.0.1:{free_port()}"
    result = run_process(*command, KAFKA_BOOTSTRAP_SERVERS=address)
    assert result.returncode == 2
    line = one_line(result.stderr)
    assert f"KAFKA_BOOTSTRAP_SERVERS={address}" in line and "no Kafka broker answered" in line


@pytest.mark.parametrize(("command", "env", "expected"), [
    (["tail", "t"], {}, "KAFKA_BOOTSTRAP_SERVERS is not set"),
    (["worker"], {"NEWSFLOW_WEB_PORT": "99999"}, "NEWSFLOW_WEB_PORT=99999 is above the maximum"),
    (["healthcheck"], {"NEWSFLOW_WEB_PORT": "0"}, "NEWSFLOW_WEB_PORT=0 is below the minimum"),
    (["publish", "--samples"],
     {"KAFKA_BOOTSTRAP_SERVERS": "k:9093", "KAFKA_SECURITY_PROTOCOL": "SSL",
      "KAFKA_SSL_CAFILE": "/nowhere/ca.pem"},
     "KAFKA_SSL_CAFILE=/nowhere/ca.pem: no such file"),
    (["publish", "--samples"],
     {"KAFKA_BOOTSTRAP_SERVERS": "k:9092", "KAFKA_SASL_USERNAME": "u",
      "KAFKA_SASL_PASSWORD": "p"},
     "KAFKA_SECURITY_PROTOCOL=PLAINTEXT does not use them"),
    (["publish", "--samples"],
     {"KAFKA_BOOTSTRAP_SERVERS": "k:9092", "KAFKA_SECURITY_PROTOCOL": "SASL_SSL"},
     "needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD"),
    (["publish", "nowhere.jsonl"], {}, "'nowhere.jsonl' does not exist"),
])
def test_configuration_and_usage_mistakes(command, env, expected):
    result = run_cli(*command, **env)
    assert result.exit_code == 2, result.output
    assert expected in one_line(result.stderr)


def test_a_ca_file_that_is_not_a_certificate_is_named(tmp_path):
    not_pem = tmp_path / "ca.pem"
    not_pem.write_text("not a certificate\n")
    result = run_cli("publish", "--samples", KAFKA_BOOTSTRAP_SERVERS="k:9093",
                     KAFKA_SECURITY_PROTOCOL="SSL", KAFKA_SSL_CAFILE=str(not_pem))
    assert result.exit_code == 2
    assert f"KAFKA_SSL_CAFILE={not_pem}: not a PEM certificate file" in one_line(result.stderr)


def _scram_settings() -> Settings:
    return Settings.from_env({
        "KAFKA_BOOTSTRAP_SERVERS": "k:9092", "KAFKA_SECURITY_PROTOCOL": "SASL_PLAINTEXT",
        "KAFKA_SASL_MECHANISM": "SCRAM-SHA-512", "KAFKA_SASL_USERNAME": "newsflow",
        "KAFKA_SASL_PASSWORD": "wrong-secret",
    })


def test_refused_credentials_are_an_authentication_error_without_the_password():
    settings = _scram_settings()
    # aiokafka's SCRAM client raises KeyError('v') when the broker refuses the proof.
    for error, seen in ((KeyError("v"), []),
                        (KafkaConnectionError("Unable to bootstrap"),
                         [SaslAuthenticationFailed("bad credentials")])):
        explained = explain_connection_error(error, seen, settings)
        assert isinstance(explained, AuthenticationFailed)
        assert "KAFKA_SASL_USERNAME=newsflow" in str(explained)
        assert "wrong-secret" not in str(explained)
    unreachable = explain_connection_error(KafkaConnectionError("x"), [OSError("refused")],
                                           settings)
    assert isinstance(unreachable, BrokerUnreachable)
    assert "no Kafka broker answered at KAFKA_BOOTSTRAP_SERVERS=k:9092" in str(unreachable)
    hung_up = explain_connection_error(
        KafkaConnectionError("x"), [KafkaConnectionError("Connection at k:9092 closed")],
        settings)
    assert "closed the connection" in str(hung_up)
    assert "KAFKA_SECURITY_PROTOCOL=SASL_PLAINTEXT and KAFKA_SASL_MECHANISM=SCRAM-SHA-512" in (
        str(hung_up))
    assert explain_connection_error(RuntimeError("a bug"), [], settings) is None


@pytest.mark.integration
def test_wrong_scram_credentials_on_a_broker_that_checks_them(tmp_path):
    """Tansu with --authentication refuses every SCRAM login of an unknown user."""
    with EmbeddedBroker(log_path=tmp_path / "tansu.log", authentication=True) as broker:
        result = run_process("publish", "--samples",
                             KAFKA_BOOTSTRAP_SERVERS=broker.bootstrap_servers,
                             KAFKA_SECURITY_PROTOCOL="SASL_PLAINTEXT",
                             KAFKA_SASL_MECHANISM="SCRAM-SHA-512",
                             KAFKA_SASL_USERNAME="newsflow", KAFKA_SASL_PASSWORD="wrong-secret")
    assert result.returncode == 2
    line = one_line(result.stderr)
    assert "refused the SCRAM-SHA-512 credentials of KAFKA_SASL_USERNAME=newsflow" in line
    assert "wrong-secret" not in line


def test_a_bare_group_still_shows_its_help():
    result = run_cli("eval")
    assert "Commands:" in result.output and "newsflow: error" not in result.output


# --------------------------------------------------------------------------- enrich


def test_enrich_refuses_to_write_over_its_input(tmp_path):
    source = tmp_path / "articles.jsonl"
    source.write_bytes(SAMPLES.read_bytes())
    for option in ("--output", "--dead-letter"):
        other = ["--output", str(tmp_path / "out.jsonl")] if option == "--dead-letter" else []
        result = run_cli("enrich", "--input", str(source), option, str(source), *other)
        assert result.exit_code == 2
        assert "is the input file" in one_line(result.stderr)
    link = tmp_path / "link.jsonl"
    link.symlink_to(source)
    result = run_cli("enrich", "--input", str(source), "--output", str(link))
    assert result.exit_code == 2 and "is the input file" in one_line(result.stderr)
    assert source.read_bytes() == SAMPLES.read_bytes()


@pytest.mark.parametrize(("arguments", "expected"), [
    (["--input", "{tmp}/missing.jsonl"], "--input {tmp}/missing.jsonl: no such file"),
    (["--input", "{tmp}"], "is a folder"),
    (["--input", str(SAMPLES), "--output", "{tmp}/no/such/out.jsonl"],
     "folder {tmp}/no/such does not exist"),
    (["--input", str(SAMPLES), "--output", "{tmp}/out.jsonl", "--dead-letter",
      "{tmp}/out.jsonl"], "is the output file"),
    (["--input", str(SAMPLES), "--batch-size", "0"], "--batch-size"),
])
def test_enrich_path_mistakes(tmp_path, arguments, expected):
    filled = [argument.format(tmp=tmp_path) for argument in arguments]
    result = run_cli("enrich", *filled)
    assert result.exit_code == 2, result.output
    assert expected.format(tmp=tmp_path) in one_line(result.stderr)


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads children from /proc")
def test_sigterm_stops_a_command_and_the_broker_it_started():
    """`kill` (SIGTERM) ends a benchmark as Ctrl-C would: the embedded broker it started goes
    with it instead of running on, orphaned."""
    command = subprocess.Popen(
        [sys.executable, "-m", "service.cli", "bench", "kafka", "--records", "5000000"],
        cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={key: value for key, value in os.environ.items() if key not in _CLEARED})
    children: list[int] = []
    try:
        deadline = time.monotonic() + 30
        while not (children := _children(command.pid)) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert children, "the benchmark started no broker"
        time.sleep(0.3)  # past `Popen` (a signal inside it would still orphan the child)
        command.send_signal(signal.SIGTERM)
        assert command.wait(timeout=30) == 128 + signal.SIGTERM
        time.sleep(0.5)
        left = {child: (Path(f"/proc/{child}") / "cmdline").read_bytes()
                for child in children if Path(f"/proc/{child}").exists()
                and "zombie" not in (Path(f"/proc/{child}") / "status").read_text()}
        assert left == {}
    finally:
        command.kill()
        command.wait()
        for child in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(child, signal.SIGKILL)
