"""Worker web endpoints: liveness (`/livez`) and readiness (`/readyz`).

Liveness says the process serves requests; readiness says the worker has its partitions and
has recovered its tables, so it is doing useful work.
"""

from __future__ import annotations

import faust
from faust.web import Request, Response, View


def readiness(app: faust.App) -> tuple[bool, str]:
    """Whether the worker is ready, and why not."""
    if app.rebalancing:
        return False, "rebalancing"
    if app.in_recovery or not app.tables.recovery.completed.is_set():
        return False, "recovering tables"
    return True, "partitions assigned and tables recovered"


def register_health_views(app: faust.App) -> None:
    """Add the two endpoints to the app's web server."""

    @app.page("/livez")
    class Liveness(View):
        async def get(self, request: Request) -> Response:
            return self.json({"status": "ok"})

    @app.page("/readyz")
    class Readiness(View):
        async def get(self, request: Request) -> Response:
            ready, detail = readiness(app)
            return self.json(
                {"status": "ready" if ready else "not_ready", "detail": detail},
                status=200 if ready else 503,
            )
