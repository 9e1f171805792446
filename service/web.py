"""Worker web endpoints: liveness (`/livez`) and readiness (`/readyz`), from `Health`.

Liveness fails when the worker should be restarted; readiness when it is not consuming
(brokers not answering, rebalancing, recovering tables).
"""

from __future__ import annotations

import faust
from faust.web import Request, Response, View

from service.health import Health


def register_health_views(app: faust.App, health: Health) -> None:
    """Add the two endpoints to the app's web server."""

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
