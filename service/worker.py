"""Running a worker: create missing topics, then hand the app to Faust's worker loop."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import asdict
from pathlib import Path
from typing import Any

import faust

from service.app import create_app, topic_partitions
from service.broker import free_port
from service.kafka import ensure_topics
from service.logging import configure_logging, get_logger, logging_config
from service.settings import Settings


def run_worker(settings: Settings) -> None:
    """Run the agents of `settings.stages` until SIGINT or SIGTERM."""
    configure_logging(settings.log_level, settings.log_format)
    log = get_logger("newsflow.worker")
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    loop.run_until_complete(ensure_topics(settings, topic_partitions(settings)))
    newsflow = create_app(settings)
    newsflow.pipeline.warm_up(settings.stages)
    log.info(
        "worker_starting",
        bootstrap_servers=settings.bootstrap_servers,
        app_id=settings.app_id,
        stages=",".join(settings.stages),
        web=f"http://{settings.web_host}:{settings.web_port}",
    )
    worker = BoundedWorker(
        newsflow.faust_app,
        shutdown_timeout=settings.shutdown_timeout_seconds,
        loop=loop,
        loglevel=settings.log_level.upper(),
        logging_config=logging_config(settings.log_level, settings.log_format),
        quiet=True,
        redirect_stdouts=False,
    )
    worker.execute_from_commandline()


#: Exit code of a worker whose graceful stop did not finish within the shutdown timeout.
EXIT_FORCED_STOP = 143


class BoundedWorker(faust.Worker):
    """Faust's worker, whose stop on SIGTERM or SIGINT is bounded: a graceful stop that takes
    longer than `shutdown_timeout` (Faust's can hang after a crash or a lost broker) is cut
    short, so a supervisor never needs SIGKILL."""

    def __init__(self, *args: Any, shutdown_timeout: float, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._shutdown_timeout = shutdown_timeout

    def _schedule_shutdown(self, received: signal.Signals) -> None:
        if not self._signal_stop_time:
            timer = threading.Timer(self._shutdown_timeout, _force_exit,
                                    args=(received.name, self._shutdown_timeout))
            timer.daemon = True
            timer.start()
        super()._schedule_shutdown(received)


def _force_exit(signal_name: str, timeout: float) -> None:
    get_logger("newsflow.worker").error("shutdown_forced", signal=signal_name,
                                         timeout_seconds=timeout, exit_code=EXIT_FORCED_STOP)
    sys.stderr.flush()
    os._exit(EXIT_FORCED_STOP)


#: Short consumer-group timings: a fresh group on the embedded broker forms in seconds.
FAST_GROUP = {"NEWSFLOW_SESSION_TIMEOUT_SECONDS": "6", "NEWSFLOW_REBALANCE_TIMEOUT_SECONDS": "3"}


def worker_env(settings: Settings, bootstrap_servers: str, data_dir: Path, *,
               embedded_broker: bool = True) -> dict[str, str]:
    """Environment for a worker on the embedded broker (or, with `embedded_broker` False,
    another Kafka) with `settings`' topic names, store and dedup settings."""
    return {
        "NEWSFLOW_RECOVERY_CONSISTENCY_CHECK": "false" if embedded_broker else "true",
        "KAFKA_BOOTSTRAP_SERVERS": bootstrap_servers,
        "NEWSFLOW_APP_ID": settings.app_id,
        "NEWSFLOW_PARTITIONS": str(settings.partitions),
        "NEWSFLOW_STORE": settings.store,
        "NEWSFLOW_NEAR_DUPLICATE_THRESHOLD": str(settings.near_duplicate_threshold),
        "NEWSFLOW_DEDUP_GRACE_SECONDS": str(settings.dedup_grace_seconds),
        "NEWSFLOW_DEDUP_IDLE_SECONDS": str(settings.dedup_idle_seconds),
        "NEWSFLOW_DATA_DIR": str(data_dir),
        "NEWSFLOW_LOG_FORMAT": "json",
        **{f"NEWSFLOW_TOPIC_{name.upper()}": topic
           for name, topic in asdict(settings.topics).items()},
        **FAST_GROUP,
    }


class WorkerProcess:
    """`newsflow worker` in a child process, for the demo, the tests and the benchmarks.

    The child gets the parent's environment plus `env`; `start` returns once its readiness
    endpoint answers 200.
    """

    def __init__(self, env: dict[str, str], *, log_path: Path) -> None:
        self.web_port = int(env.get("NEWSFLOW_WEB_PORT") or free_port())
        self._env = {**os.environ, **env, "NEWSFLOW_WEB_PORT": str(self.web_port)}
        self._log_path = log_path
        self._process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 90.0) -> WorkerProcess:
        """Start the worker and wait until it is ready (partitions assigned, tables recovered)."""
        with open(self._log_path, "ab") as log:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "service.cli", "worker"],
                env=self._env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        try:
            return self._wait_until_ready(self._process, timeout)
        except BaseException:
            self.stop()  # a timeout, or Ctrl-C / SIGTERM while waiting: leave no orphan
            raise

    def _wait_until_ready(self, process: subprocess.Popen[bytes],
                          timeout: float) -> WorkerProcess:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(
                    f"the worker exited with code {process.returncode}; see {self._log_path}"
                )
            if self.is_ready():
                return self
            time.sleep(0.25)
        raise TimeoutError(f"the worker was not ready in {timeout} s; see {self._log_path}")

    def is_ready(self) -> bool:
        """Whether /readyz answers 200."""
        url = f"http://127.0.0.1:{self.web_port}/readyz"
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                return response.status == 200
        except (urllib.error.URLError, OSError):
            return False

    def kill(self) -> int | None:
        """Kill the worker at once (SIGKILL), as a crash would; return its exit code."""
        if self._process is None:
            return None
        self._process.kill()
        code = self._process.wait()
        self._process = None
        return code

    def wait(self, timeout: float) -> int | None:
        """Wait for the worker to exit by itself; its exit code, or None if it did not."""
        if self._process is None:
            return None
        try:
            return self._process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return None

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def stop(self, timeout: float = 30.0) -> int | None:
        """Stop the worker with SIGTERM (SIGKILL after `timeout`); return its exit code."""
        if self._process is None:
            return None
        if self._process.poll() is None:
            self._process.send_signal(signal.SIGTERM)
            try:
                self._process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        code = self._process.returncode
        self._process = None
        return code

    def __enter__(self) -> WorkerProcess:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
