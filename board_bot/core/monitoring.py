"""The monitoring port: a minimal HTTP/1.1 server on asyncio for ``/healthz``, ``/readyz`` and
``/metrics``. No web framework: three fixed GET routes, one request per connection.

- ``/healthz``: the process is alive (its event loop answers): always 200.
- ``/readyz``: 200 when the database answers ``SELECT 1`` (in a thread, within
  :data:`DATABASE_TIMEOUT`), the last successful sync is younger than two minutes, and the
  scheduler either holds its lease or stands by while another process holds it; else 503. The
  body is a small JSON object naming each check and what failed.
- ``/metrics``: Prometheus' text format, from the app's own registry.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from dataclasses import dataclass

from prometheus_client import CONTENT_TYPE_LATEST

from board_bot.core.metrics import Check, Metrics

log = logging.getLogger(__name__)

DATABASE_TIMEOUT = 3.0  # seconds for SELECT 1
METRICS_TIMEOUT = 10.0  # seconds to collect the metrics (the outbox gauges read the database)
REQUEST_TIMEOUT = 5.0  # seconds for a client to send its request line and headers
MAX_HEADER_LINES = 100

_REASONS = {
    200: "OK",
    400: "Bad Request",
    404: "Not Found",
    405: "Method Not Allowed",
    503: "Service Unavailable",
}


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes
    content_type: str = "application/json"


async def readiness(metrics: Metrics) -> tuple[bool, list[Check]]:
    """Every check of ``/readyz``, and whether all passed."""
    try:
        database = await asyncio.wait_for(
            asyncio.to_thread(metrics.database_check), DATABASE_TIMEOUT
        )
    except TimeoutError:
        database = Check("database", False, f"no answer within {DATABASE_TIMEOUT:.0f} s")
    checks = [database, metrics.sync_check(), metrics.scheduler_check()]
    return all(c.ok for c in checks), checks


async def respond(metrics: Metrics, method: str, path: str) -> Response:
    """The answer to one request."""
    path = path.split("?", 1)[0]
    if path not in ("/healthz", "/readyz", "/metrics"):
        return Response(404, _json({"error": "not found"}))
    if method not in ("GET", "HEAD"):
        return Response(405, _json({"error": "only GET"}))
    if path == "/healthz":
        return Response(200, _json({"status": "ok"}))
    if path == "/readyz":
        ready, checks = await readiness(metrics)
        body = {
            "status": "ready" if ready else "not ready",
            "role": "standby" if metrics.standby else "active",
            "checks": {c.name: ("ok" if c.ok else "failed") for c in checks},
            "failed": {c.name: c.detail for c in checks if not c.ok},
        }
        return Response(200 if ready else 503, _json(body))
    try:
        text = await asyncio.wait_for(asyncio.to_thread(metrics.render), METRICS_TIMEOUT)
    except TimeoutError:
        return Response(503, _json({"error": "collecting the metrics took too long"}))
    return Response(200, text, CONTENT_TYPE_LATEST)


def _json(value: object) -> bytes:
    return (json.dumps(value, sort_keys=True) + "\n").encode()


class MonitoringServer:
    """The listening server; :attr:`port` is the one bound (useful with port 0)."""

    def __init__(self, metrics: Metrics, server: asyncio.Server) -> None:
        self.metrics = metrics
        self.server = server
        self.port: int = server.sockets[0].getsockname()[1]

    async def close(self) -> None:
        self.server.close()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.server.wait_closed(), 5)


async def start(metrics: Metrics, host: str, port: int) -> MonitoringServer:
    """Listen on ``host:port`` (port 0: a free one). Raises OSError when it cannot."""

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await _serve(metrics, reader, writer)
        except Exception:
            log.exception("monitoring: a request failed")
        finally:
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    server = await asyncio.start_server(handle, host, port, limit=8192)
    monitoring = MonitoringServer(metrics, server)
    log.info("monitoring on http://%s:%d (/healthz, /readyz, /metrics)", host, monitoring.port)
    return monitoring


async def _serve(
    metrics: Metrics, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
) -> None:
    try:
        request = await asyncio.wait_for(_read_request(reader), REQUEST_TIMEOUT)
    except (TimeoutError, ValueError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
        request = None
    if request is None:
        response = Response(400, _json({"error": "bad request"}))
        method = "GET"
    else:
        method, path = request
        response = await respond(metrics, method, path)
    reason = _REASONS.get(response.status, "")
    head = (
        f"HTTP/1.1 {response.status} {reason}\r\n"
        f"Content-Type: {response.content_type}\r\n"
        f"Content-Length: {len(response.body)}\r\n"
        "Cache-Control: no-store\r\n"
        "Connection: close\r\n\r\n"
    )
    writer.write(head.encode("ascii"))
    if method != "HEAD":
        writer.write(response.body)
    await writer.drain()


async def _read_request(reader: asyncio.StreamReader) -> tuple[str, str] | None:
    """The method and path of a request; its headers are read and ignored (no body is taken)."""
    line = await reader.readuntil(b"\n")
    parts = line.decode("latin-1").split()
    if len(parts) != 3 or not parts[2].startswith("HTTP/"):
        return None
    for _ in range(MAX_HEADER_LINES):
        header = await reader.readuntil(b"\n")
        if header in (b"\r\n", b"\n"):
            return parts[0], parts[1]
    return None
