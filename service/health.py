"""Truthful health: what `/livez` and `/readyz` answer, and when the worker gives up.

A worker that cannot work must say so, or exit so that its supervisor (Docker, Kubernetes)
restarts it; it must never live on as a zombie that reports ready.

- An agent that crashes, or a timer of ours that fails, ends the process at once with exit
  code 70: its unacked records are read again by the next process (nothing is committed
  past them), and a graceful stop is not attempted because Faust's hangs after a crash.
- A probe asks the brokers for metadata every `PROBE_SECONDS`. Readiness needs a recent
  answer; after `broker_loss_seconds` without one, or when a topic the agents read is gone
  (a broker that came back empty), the process exits with code 69. On the next start the
  worker creates the topics again.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from typing import TYPE_CHECKING, NoReturn, cast

import faust
import structlog
from aiokafka import AIOKafkaClient

from service.kafka import client_options
from service.settings import Settings

if TYPE_CHECKING:
    from faust.tables.manager import TableManager

log = structlog.get_logger("newsflow.health")

#: How often the brokers are asked for metadata, and how long an answer may take.
PROBE_SECONDS = 2.0
PROBE_TIMEOUT_SECONDS = 3.0
#: Readiness needs a broker answer this recent.
BROKER_FRESH_SECONDS = PROBE_SECONDS + PROBE_TIMEOUT_SECONDS + 1.0

EXIT_CRASHED = 70
EXIT_BROKER_LOST = 69


class Health:
    """The worker's health, as the probe and the agents see it."""

    def __init__(self, app: faust.App, settings: Settings, *, input_topics: list[str]) -> None:
        self.app = app
        self.settings = settings
        self.input_topics = input_topics
        self.started = time.monotonic()
        self.broker_answered: float | None = None
        self.broker_problem = "not asked yet"
        app.task(self._probe_forever)

    def readiness(self) -> tuple[bool, str]:
        """Whether the worker is doing useful work, and why not."""
        app = self.app
        if self.broker_answered is None or (
                time.monotonic() - self.broker_answered > BROKER_FRESH_SECONDS):
            return False, f"brokers not answering: {self.broker_problem}"
        if app.rebalancing:
            return False, "rebalancing"
        # `App.tables` is typed as TableManagerT; only the concrete TableManager has `recovery`.
        if app.in_recovery or not cast("TableManager", app.tables).recovery.completed.is_set():
            return False, "recovering tables"
        return True, "consuming: brokers answer, partitions assigned, tables recovered"

    def liveness(self) -> tuple[bool, str]:
        """Whether the process should go on (it exits by itself when it should not)."""
        silent = time.monotonic() - (self.broker_answered or self.started)
        if silent > self.settings.broker_loss_seconds:
            return False, f"no broker answer for {silent:.0f} s"
        return True, "serving"

    def fatal(self, reason: str, error: BaseException | None = None,
              code: int = EXIT_CRASHED) -> NoReturn:
        """Log why, then end the process now (unacked records are read again on restart)."""
        log.critical("worker_exiting", reason=reason, exit_code=code,
                     error=None if error is None else repr(error),
                     exc_info=error if error is not None else None)
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)

    async def _probe_forever(self) -> None:
        client = AIOKafkaClient(**client_options(self.settings))
        try:
            while True:
                await self._probe(client)
                silent = time.monotonic() - (self.broker_answered or self.started)
                if silent > self.settings.broker_loss_seconds:
                    self.fatal(f"no broker answer for {silent:.0f} s "
                               "(NEWSFLOW_BROKER_LOSS_SECONDS): " + self.broker_problem,
                               code=EXIT_BROKER_LOST)
                await asyncio.sleep(PROBE_SECONDS)
        finally:
            await client.close()

    async def _probe(self, client: AIOKafkaClient) -> None:
        try:
            if not client.cluster.brokers():
                await asyncio.wait_for(client.bootstrap(), PROBE_TIMEOUT_SECONDS)
            metadata = await asyncio.wait_for(client.fetch_all_metadata(),
                                              PROBE_TIMEOUT_SECONDS)
        except Exception as error:  # refused, timed out, unknown host...
            if self.broker_problem != repr(error):
                log.warning("broker_unreachable", error=repr(error))
            self.broker_problem = repr(error) or type(error).__name__
            return
        present = metadata.topics()
        if not metadata.brokers():
            self.broker_problem = "metadata lists no broker"
            return
        missing = [topic for topic in self.input_topics if topic not in present]
        if missing:
            self.fatal(f"the brokers no longer have the topics {missing} (a broker that came "
                       "back empty?); the next start creates them again",
                       code=EXIT_BROKER_LOST)
        if self.broker_answered is None or self.broker_problem:
            log.info("broker_reachable")
        self.broker_answered = time.monotonic()
        self.broker_problem = ""

