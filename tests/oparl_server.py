"""A local OParl 1.1 endpoint for tests: a council information system of „Musterstadt“.

:class:`OParlServer` serves, on 127.0.0.1 and a free port, from a thread (``http.server``):

- the ``System`` (:attr:`OParlServer.system_url`), the list of bodies and one ``Body``;
- the body's paper list over three pages of three papers (``?page=2``), linked by
  ``links.next``; page 1 holds a deleted paper with the reference „B 19/0379“, page 2 the live
  one, whose consultations are a Vorberatung in the Ausschuss für Digitalisierung („einstimmig
  empfohlen“, its agenda item embedded in the meeting), the decision in the Hauptausschuss on
  12.03.2027 („beschlossen“, its agenda item fetched by URL), and a Kenntnisnahme in the Rat (its
  organization embedded, no agenda item yet); page 3 holds „B 19/0412“, whose consultation links
  an organization that does not exist;
- each paper, organization, meeting and agenda item at its own URL; anything else answers 404.

Faults are switched on with :meth:`OParlServer.fault`, for every request or only for URLs that
start with a given one: ``"error"`` (HTTP 500 with an HTML page), ``"slow"`` (the answer waits
until :attr:`OParlServer.delay` has passed or the server closes), ``"invalid_json"``,
``"wrong_type"`` (the system object instead of the one asked for), ``"loop"`` (the paper list's
last page links back to the first), ``"endless"`` (the paper list never ends) and
``"redirect"`` (a 302 to :attr:`OParlServer.redirect_to`). :attr:`OParlServer.requests` records the
paths asked for.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, urlsplit

SCHEMA = "https://schema.oparl.org/1.1/"
PAGE_SIZE = 3
FAULTS = ("error", "slow", "invalid_json", "wrong_type", "loop", "endless", "redirect")
WEB = "https://ratsinfo.musterstadt.example"


class OParlServer:
    """The endpoint; use it as a context manager (it starts on entry and stops on exit)."""

    def __init__(self, *, delay: float = 5.0) -> None:
        self._http = _HTTPServer(("127.0.0.1", 0), _Handler)
        self._http.oparl = self
        port = self._http.server_address[1]
        self.root = f"http://127.0.0.1:{port}"
        self.base = f"{self.root}/oparl/v1.1"
        #: how long a ``slow`` answer waits at most (the server's close ends the wait)
        self.delay = delay
        #: where the ``redirect`` fault sends the client
        self.redirect_to = "file:///etc/passwd"
        #: the paths (with their query) asked for, in order
        self.requests: list[str] = []
        self._faults: list[tuple[str, str]] = []
        self._closing = threading.Event()
        self._thread = threading.Thread(
            target=self._http.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.objects, self.papers = _data(self.base)

    # -- addresses

    @property
    def system_url(self) -> str:
        return f"{self.base}/system"

    @property
    def body_url(self) -> str:
        return f"{self.base}/body/1"

    @property
    def papers_url(self) -> str:
        return f"{self.base}/body/1/papers"

    def url(self, path: str) -> str:
        """The URL of ``path`` below the endpoint (``"paper/4"``)."""
        return f"{self.base}/{path}"

    # -- faults

    def fault(self, kind: str, url: str = "") -> None:
        """Answer every request (or those whose URL starts with ``url``) with this fault."""
        if kind not in FAULTS:
            raise ValueError(f"unknown fault {kind!r}; one of {FAULTS}")
        self._faults.append((kind, url))

    def clear_faults(self) -> None:
        self._faults.clear()

    def _fault_for(self, url: str) -> set[str]:
        return {kind for kind, prefix in self._faults if url.startswith(prefix)}

    # -- life

    def __enter__(self) -> OParlServer:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._closing.set()  # a slow answer stops waiting
        self._http.shutdown()
        self._http.server_close()
        self._thread.join(timeout=5)

    # -- answers

    def _answer(self, handler: BaseHTTPRequestHandler) -> None:
        self.requests.append(handler.path)
        url = self.root + handler.path
        faults = self._fault_for(url)
        if "slow" in faults:
            self._closing.wait(self.delay)
        if "error" in faults:
            _send(handler, 500, b"<html><body>Internal Server Error</body></html>", "text/html")
            return
        if "invalid_json" in faults:
            _send(handler, 200, b'{"id": "' + url.encode() + b'", "type": ', "application/json")
            return
        if "redirect" in faults:
            handler.send_response(302)
            handler.send_header("Location", self.redirect_to)
            handler.send_header("Content-Length", "0")
            handler.end_headers()
            return
        parts = urlsplit(url)
        path = f"{parts.scheme}://{parts.netloc}{parts.path}"
        found: Any
        if "wrong_type" in faults:
            found = self.objects[self.system_url]
        elif path == self.papers_url:
            page = _page_number(parts.query)
            found = self._paper_page(page, faults) if page is not None else None
        else:
            found = self.objects.get(path)
        if found is None:
            _send_json(handler, 404, {"error": "not found", "url": url})
            return
        _send_json(handler, 200, found)

    def _paper_page(self, page: int, faults: set[str]) -> dict[str, Any] | None:
        pages = (len(self.papers) + PAGE_SIZE - 1) // PAGE_SIZE
        if page < 1 or (page > pages and "endless" not in faults):
            return None
        data = self.papers[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
        links = {"first": self._page_url(1), "last": self._page_url(pages)}
        if page > 1:
            links["prev"] = self._page_url(page - 1)
        if page < pages or "endless" in faults:
            links["next"] = self._page_url(page + 1)
        elif "loop" in faults:
            links["next"] = self._page_url(1)
        return {
            "data": data,
            "pagination": {
                "totalElements": len(self.papers),
                "elementsPerPage": PAGE_SIZE,
                "currentPage": page,
                "totalPages": pages,
            },
            "links": links,
        }

    def _page_url(self, page: int) -> str:
        # Page 1 has the list's own URL: a link back to it is a loop, as real servers make.
        return self.papers_url if page == 1 else f"{self.papers_url}?page={page}"


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    oparl: OParlServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that gave up (the timeout test) breaks the pipe: not worth a traceback."""


class _Handler(BaseHTTPRequestHandler):
    server: _HTTPServer

    def do_GET(self) -> None:
        self.server.oparl._answer(self)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the tests read :attr:`OParlServer.requests`."""


def _send(handler: BaseHTTPRequestHandler, status: int, body: bytes, content_type: str) -> None:
    handler.send_response(status)
    handler.send_header("Content-Type", content_type)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def _send_json(handler: BaseHTTPRequestHandler, status: int, data: Any) -> None:
    _send(handler, status, json.dumps(data, ensure_ascii=False).encode(), "application/json")


def _page_number(query: str) -> int | None:
    values = parse_qs(query).get("page", ["1"])
    try:
        return int(values[0])
    except ValueError:
        return None


def _data(base: str) -> tuple[dict[str, dict[str, Any]], list[dict[str, Any]]]:
    """Every object by its URL, and the body's papers in list order."""

    def kind(name: str) -> str:
        return SCHEMA + name

    system = {
        "id": f"{base}/system",
        "type": kind("System"),
        "oparlVersion": SCHEMA,
        "name": "Ratsinformationssystem Musterstadt",
        "body": f"{base}/bodies",
        "web": WEB,
    }
    body = {
        "id": f"{base}/body/1",
        "type": kind("Body"),
        "system": system["id"],
        "name": "Stadt Musterstadt",
        "shortName": "Musterstadt",
        "organization": f"{base}/body/1/organizations",
        "person": f"{base}/body/1/people",
        "meeting": f"{base}/body/1/meetings",
        "paper": f"{base}/body/1/papers",
        "legislativeTerm": [],
    }
    bodies = {
        "data": [body],
        "pagination": {"totalElements": 1, "elementsPerPage": 20, "currentPage": 1},
        "links": {"first": f"{base}/bodies"},
    }

    def organization(number: int, name: str, short: str) -> dict[str, Any]:
        return {
            "id": f"{base}/organization/{number}",
            "type": kind("Organization"),
            "body": body["id"],
            "name": name,
            "shortName": short,
            "organizationType": "Gremium",
        }

    main_committee = organization(1, "Hauptausschuss", "HA")
    digital_committee = organization(2, "Ausschuss für Digitalisierung und Smart City", "ADS")
    council = organization(3, "Rat der Stadt Musterstadt", "Rat")

    def agenda_item(number: int, meeting: int, **fields: Any) -> dict[str, Any]:
        return {
            "id": f"{base}/agendaitem/{number}",
            "type": kind("AgendaItem"),
            "meeting": f"{base}/meeting/{meeting}",
            "number": "5.1",
            "order": 7,
            "name": "Smart-City-Strategie: Gründung eines Smart City Boards",
            "public": True,
            **fields,
        }

    recommended = agenda_item(
        11,
        1,
        consultation=f"{base}/consultation/41",
        result="einstimmig empfohlen",
    )
    decided = agenda_item(
        21,
        2,
        consultation=f"{base}/consultation/42",
        result="beschlossen",
        resolutionText="Der Hauptausschuss beschließt die Gründung des Smart City Boards.",
        start="2027-03-12T17:40:00+01:00",
    )

    def meeting(number: int, start: str, organization: dict[str, Any], **fields: Any) -> Any:
        return {
            "id": f"{base}/meeting/{number}",
            "type": kind("Meeting"),
            "name": f"{organization['shortName']}-Sitzung",
            "start": start,
            "organization": [organization["id"]],
            **fields,
        }

    meetings = [
        # the agenda item is embedded, as many servers do
        meeting(1, "2027-02-25T17:00:00+01:00", digital_committee, agendaItem=[recommended]),
        # the agenda item only by its URL
        meeting(2, "2027-03-12T16:00:00+01:00", main_committee, agendaItem=[decided["id"]]),
        meeting(3, "2027-05-06T15:00:00+02:00", council),
        meeting(4, "2027-06-01T17:00:00+02:00", main_committee),
    ]

    def paper(number: int, reference: str, name: str, day: str, **fields: Any) -> dict[str, Any]:
        return {
            "id": f"{base}/paper/{number}",
            "type": kind("Paper"),
            "body": body["id"],
            "name": name,
            "reference": reference,
            "date": day,
            "paperType": "Beschlussvorlage",
            "web": f"{WEB}/vo020?VOLFDNR={number}",
            **fields,
        }

    def consultation(number: int, paper_number: int, **fields: Any) -> dict[str, Any]:
        return {
            "id": f"{base}/consultation/{number}",
            "type": kind("Consultation"),
            "paper": f"{base}/paper/{paper_number}",
            **fields,
        }

    papers = [
        paper(1, "B 19/0301", "Haushaltssatzung 2027", "2026-11-05"),
        {
            "id": f"{base}/paper/2",
            "type": kind("Paper"),
            "reference": "B 19/0379",
            "deleted": True,
        },
        paper(
            3,
            "B 19/0350",
            "Radverkehrskonzept",
            "2027-01-14",
            consultation=[
                consultation(
                    31,
                    3,
                    organization=[main_committee["id"]],
                    meeting=f"{base}/meeting/4",
                    role="Entscheidung",
                    authoritative=True,
                )
            ],
        ),
        paper(
            4,
            "B 19/0379",
            "Smart-City-Strategie: Gründung eines interdisziplinären Smart City Boards",
            "2027-02-01",
            consultation=[
                consultation(
                    41,
                    4,
                    organization=[digital_committee["id"]],
                    meeting=f"{base}/meeting/1",
                    agendaItem=recommended["id"],
                    role="Vorberatung",
                    authoritative=False,
                ),
                consultation(
                    42,
                    4,
                    organization=[main_committee["id"], digital_committee["id"]],
                    meeting=f"{base}/meeting/2",
                    agendaItem=decided["id"],
                    role="Entscheidung",
                    authoritative=True,
                ),
                consultation(
                    43,
                    4,
                    organization=[council],
                    meeting=f"{base}/meeting/3",
                    role="Kenntnisnahme",
                ),
            ],
        ),
        paper(5, "B 19/0380", "Beitritt zur Open-Source-Kooperation", "2027-02-03"),
        paper(6, "A 19/0012", "Antrag: Freies WLAN in der Innenstadt", "2027-02-08"),
        paper(
            7,
            "B 19/0412",
            "Offene Daten: Portal der Stadt",
            "2027-03-01",
            consultation=[
                consultation(
                    71,
                    7,
                    organization=[f"{base}/organization/99"],
                    meeting=f"{base}/meeting/4",
                    role="Entscheidung",
                    authoritative=True,
                )
            ],
        ),
    ]
    objects: dict[str, dict[str, Any]] = {
        system["id"]: system,
        bodies["links"]["first"]: bodies,
        body["id"]: body,
        **{o["id"]: o for o in (main_committee, digital_committee, council)},
        **{m["id"]: m for m in meetings},
        **{a["id"]: a for a in (recommended, decided)},
        **{p["id"]: p for p in papers},
    }
    return objects, papers
