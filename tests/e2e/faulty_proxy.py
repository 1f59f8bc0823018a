"""A reverse proxy in front of the real Synapse that answers some requests with faults.

The homeserver stays real; the proxy only decides, per request, to answer in its place: a 502
with an HTML body (a broken load balancer), or a 429 with ``retry_after_ms`` or only a
``Retry-After`` header. Everything else is passed through unchanged.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from aiohttp import ClientSession, web

Fault = Callable[[web.Request], web.Response | None]


@dataclass
class FaultyProxy:
    upstream: str
    faults: list[Fault] = field(default_factory=list)
    #: (monotonic time, path, status) of every request the proxy answered or passed on
    log: list[tuple[float, str, int]] = field(default_factory=list)
    _runner: web.AppRunner | None = None
    _session: ClientSession | None = None
    port: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> None:
        app = web.Application(client_max_size=1024**2 * 10)
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._session = ClientSession(auto_decompress=False)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert server is not None and server.sockets  # type: ignore[attr-defined]
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]

    async def stop(self) -> None:
        # Closing the upstream session first ends the long-polls in flight, so that the server
        # does not wait for them (up to a sync's 30 s) when it shuts down.
        if self._session is not None:
            await self._session.close()
        if self._runner is not None:
            await self._runner.cleanup()

    def requests(self, path_part: str) -> list[tuple[float, str, int]]:
        return [entry for entry in self.log if path_part in entry[1]]

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        for fault in list(self.faults):
            response = fault(request)
            if response is not None:
                self.log.append((time.monotonic(), request.path, response.status))
                return response
        assert self._session is not None
        body = await request.read()
        headers = {k: v for k, v in request.headers.items() if k.lower() not in ("host",)}
        async with self._session.request(
            request.method, self.upstream + request.path_qs, data=body, headers=headers
        ) as upstream:
            payload = await upstream.read()
            self.log.append((time.monotonic(), request.path, upstream.status))
            drop = ("content-length", "transfer-encoding", "content-encoding", "connection")
            return web.Response(
                status=upstream.status,
                body=payload,
                headers={k: v for k, v in upstream.headers.items() if k.lower() not in drop},
            )


def fail_next(path_part: str, count: int, make: Callable[[], web.Response]) -> Fault:
    """A fault that answers the next ``count`` requests whose path contains ``path_part``."""
    left = [count]

    def fault(request: web.Request) -> web.Response | None:
        if path_part in request.path and left[0] > 0:
            left[0] -= 1
            return make()
        return None

    return fault


def bad_gateway() -> web.Response:
    return web.Response(
        status=502,
        text="<html><body><h1>502 Bad Gateway</h1></body></html>",
        content_type="text/html",
    )


def rate_limited(retry_after_ms: int | None, retry_after_header: int | None = None) -> web.Response:
    body: dict[str, object] = {"errcode": "M_LIMIT_EXCEEDED", "error": "Too many requests"}
    if retry_after_ms is not None:
        body["retry_after_ms"] = retry_after_ms
    headers = {"Retry-After": str(retry_after_header)} if retry_after_header is not None else {}
    return web.json_response(body, status=429, headers=headers)
