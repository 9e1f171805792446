"""Worker web endpoints: liveness (`/livez`), readiness (`/readyz`) and metrics (`/metrics`).

Liveness fails when the worker should be restarted; readiness when it is not consuming
(brokers not answering, rebalancing, recovering tables): both come from `service.health`.
Faust's own pages (/router/, /table/, statistics, graph, /performance/) show cluster
topology and table data to whoever can reach the port, so they are off unless
NEWSFLOW_WEB_DEBUG_PAGES asks for them.
"""

from __future__ import annotations

from typing import TypedDict

import faust
from faust.web import Request, Response, View
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from service import metrics
from service.health import Health


class FaustPageSettings(TypedDict):
    """The `faust.App` keyword arguments for Faust's own web pages."""

    web_router_enabled: bool
    web_tables_enabled: bool
    web_stats_enabled: bool
    web_graph_enabled: bool
    web_metrics_enabled: bool


def faust_page_settings(debug_pages: bool) -> FaustPageSettings:
    """`faust.App` keyword arguments that turn Faust's own web pages on or off."""
    return FaustPageSettings(
        web_router_enabled=debug_pages, web_tables_enabled=debug_pages,
        web_stats_enabled=debug_pages, web_graph_enabled=debug_pages,
        web_metrics_enabled=debug_pages)


def register_health_views(app: faust.App, health: Health) -> None:
    """Add the two health endpoints to the app's web server."""

    @app.page("/livez")
    class Liveness(View):
        async def get(self, request: Request) -> Response:
            alive, detail = health.liveness()
            return self.json({"status": "ok" if alive else "failing", "detail": detail},
                             status=200 if alive else 503)

    @app.page("/readyz")
    class Readiness(View):
        async def get(self, request: Request) -> Response:
            ready, detail = health.readiness()
            return self.json(
                {"status": "ready" if ready else "not_ready", "detail": detail},
                status=200 if ready else 503,
            )


def register_metrics_view(app: faust.App) -> None:
    """Serve Newsflow's metrics (`service.metrics.REGISTRY`) in the Prometheus text format."""

    @app.page("/metrics")
    class Metrics(View):
        async def get(self, request: Request) -> Response:
            return self.bytes(generate_latest(metrics.REGISTRY),
                              headers={"Content-Type": CONTENT_TYPE_LATEST})
