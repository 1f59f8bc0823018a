"""Read council papers (Vorlagen, Drucksachen) from a city's council information system through
OParl 1.1.

OParl is the German standard interface to council information systems (Ratsinformationssysteme):
read-only, anonymous HTTP GETs that answer JSON objects linked by their URLs. The entry point is
a ``System`` object; it links the list of ``Body`` objects (a city, a district), and each body
links its lists of papers, meetings and organizations (Gremien). Lists are paginated: a page
holds its objects in ``data`` and the next page's URL in ``links.next`` (absent on the last
page). A paper's ``consultation`` objects are its Beratungsfolge: which organization discusses
it in which meeting, under which agenda item, and whether that consultation decides
(``authoritative``); the agenda item carries the ``result`` („Unverändert beschlossen“) and the
resolution's text.

What this client reads, and nothing else:

- ``System``: ``body`` (the URL of the list of bodies). The configured URL may also be a
  ``Body``, then only that body is searched.
- ``Body``: ``paper`` (the URL of its paper list).
- object lists: ``data`` and ``links.next``.
- ``Paper``: ``id`` (its URL, the key to store), ``reference`` (the Aktenzeichen such as
  „B 19/0379“), ``name``, ``date``, ``web`` (the page for people), ``deleted`` and
  ``consultation`` (embedded objects, or their URLs).
- ``Consultation``: ``organization`` (URLs or embedded objects; the first one leads),
  ``meeting``, ``agendaItem``, ``role`` and ``authoritative``.
- ``Organization``: ``name`` (``shortName`` when it has no name).
- ``Meeting``: ``start`` (its date is the consultation's date), ``cancelled``, and its embedded
  ``agendaItem`` objects (looked through before an agenda item's own URL is fetched).
- ``AgendaItem``: ``result``, ``resolutionText``, ``start`` and ``meeting``.

Types are recognised by the last segment of ``type`` (``https://schema.oparl.org/1.1/Paper``
and the 1.0 form both read as ``Paper``).

The client is synchronous (the bot calls services from worker threads) and uses the standard
library only. It is meant to live for one command or one job run: it caches the single objects it
fetched (organizations, meetings, agenda items) for its lifetime and is not shared between
threads. It is defensive: only http and https URLs, also after a redirect (at most
:data:`MAX_REDIRECTS`); every request has a timeout (each connect and read, and the whole body);
an answer larger than ``max_bytes`` is refused; a search reads at most ``max_pages`` list pages;
a ``next`` link back to a page already read ends the walk with :class:`Malformed`.

Errors (messages in English, for the log; the caller picks the chat text by the class):

- :class:`Unreachable`: a network error, a timeout, HTTP 5xx, 408 or 429. Retry later.
- :class:`Malformed`: the endpoint answered, but not with the OParl object expected (invalid
  JSON, another type, a missing or mistyped field, too large, an unexpected HTTP status such as
  403). The caller changes nothing.
- :class:`NotFound`: the paper's URL answers 404 or 410, or the paper is deleted.
- :class:`TooManyPages`: :meth:`OParlClient.find_paper` read ``max_pages`` pages without finding
  the reference (the paper's URL still finds it).
- :class:`InvalidUrl`: a URL given to the client is no http(s) URL.

Consultations decide by the agenda item's ``result``, read as German words by
:func:`outcome_of`: „beschlossen“, „angenommen“, „zugestimmt“ → ``approved``; „abgelehnt“, „nicht
beschlossen“ → ``rejected``; „zur Kenntnis genommen“ → ``noted``; „vertagt“, „verwiesen“,
„empfohlen“ (a recommendation) and every other text → not decided. A consultation that is not
authoritative (``authoritative: false``, a Vorberatung) or whose meeting was cancelled never
decides.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import ssl
import time
import unicodedata
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from http.client import HTTPException, HTTPMessage
from typing import IO, Any, Final, Literal
from urllib.parse import urljoin, urlsplit

log = logging.getLogger(__name__)

#: What a decided consultation decided.
Outcome = Literal["approved", "rejected", "noted"]

DEFAULT_TIMEOUT: Final = 10.0
#: List pages one search reads at most (the body list's pages count too).
DEFAULT_MAX_PAGES: Final = 100
#: The largest answer read (a paper list page with its embedded objects is far smaller).
DEFAULT_MAX_BYTES: Final = 8 * 1024 * 1024
MAX_REDIRECTS: Final = 5
USER_AGENT: Final = "smart-city-board-bot (OParl 1.1 client)"
_CHUNK: Final = 64 * 1024


# --- errors -------------------------------------------------------------------------------------


class OParlError(Exception):
    """The OParl endpoint did not give what was asked. The message is English, for the log;
    ``url`` is the address that failed, when there is one."""

    def __init__(self, message: str, *, url: str | None = None) -> None:
        super().__init__(message)
        self.url = url


class Unreachable(OParlError):
    """A network error, a timeout, or the server's own failure (5xx, 408, 429): retry later."""


class Malformed(OParlError):
    """The answer is not the OParl object expected; nothing may be changed because of it."""


class NotFound(OParlError):
    """The paper's URL answers 404 or 410, or the paper is marked deleted."""


class TooManyPages(OParlError):
    """The search read its maximum of list pages without finding the reference."""


class InvalidUrl(OParlError, ValueError):
    """A URL given to the client is not an http or https URL."""


# --- what is read -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Consultation:
    """One step of a paper's Beratungsfolge: an organization discussing it in a meeting."""

    #: the consultation's URL, when the endpoint gives one
    id: str | None
    #: the name of the leading organization (Gremium), when it could be read
    organization: str | None
    #: the meeting's date (its start), or the agenda item's
    meeting_date: dt.date | None
    #: „Vorberatung“, „Entscheidung“, „Kenntnisnahme“, … as the endpoint says
    role: str | None
    #: whether this consultation decides the paper; None when the endpoint does not say
    authoritative: bool | None
    #: the agenda item's result as the endpoint says it („Unverändert beschlossen“)
    result: str | None
    #: the text of the resolution, when the agenda item has one
    resolution_text: str | None
    #: what was decided, read from ``result`` by :func:`outcome_of`; None while undecided
    outcome: Outcome | None

    @property
    def decided(self) -> bool:
        return self.outcome is not None


@dataclass(frozen=True)
class Paper:
    """A council paper (Vorlage): what the board stores and shows, and its consultations."""

    #: the paper's OParl URL: the key to store and to read it again
    id: str
    #: the Aktenzeichen, such as „B 19/0379“
    reference: str | None
    name: str | None
    date: dt.date | None
    #: the paper's page for people (http or https only)
    web: str | None
    #: in the endpoint's order (the Beratungsfolge); empty when not read
    consultations: tuple[Consultation, ...] = ()

    @property
    def decision(self) -> Consultation | None:
        """The consultation that decided the paper: the latest decided authoritative one, else
        the latest decided one whose authority the endpoint does not state."""
        for authority in (True, None):
            decided = [c for c in self.consultations if c.decided and c.authoritative is authority]
            if decided:
                return max(decided, key=lambda c: c.meeting_date or dt.date.min)
        return None


def normalise_reference(reference: str) -> str:
    """A reference as compared: case and white space do not count („B 19/0379“ ==
    „b19/0379“)."""
    return "".join(unicodedata.normalize("NFKC", reference).split()).casefold()


def is_url(text: str) -> bool:
    """Whether ``text`` is an absolute http or https URL (the only ones the client opens),
    written as a URL is sent: ASCII, no white space or control characters inside."""
    text = text.strip()
    if not text.isascii() or not text.isprintable() or any(c.isspace() for c in text):
        return False
    try:
        parts = urlsplit(text)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


_PENDING: Final = (
    "vertagt",
    "zurückgestellt",
    "zurückgezogen",
    "verwiesen",
    "abgesetzt",
    "empfohlen",
    "empfehlung",
    "ohne beschluss",
    "nicht behandelt",
    "nicht beraten",
)
_REJECTED: Final = (
    "abgelehnt",
    "ablehnung",
    "nicht beschlossen",
    "nicht angenommen",
    "nicht zugestimmt",
)
_APPROVED: Final = ("beschlossen", "angenommen", "annahme", "zugestimmt", "zustimmung", "genehmigt")
_NOTED: Final = ("kenntnis",)


def outcome_of(result: str | None, authoritative: bool | None) -> Outcome | None:
    """What an agenda item's ``result`` says was decided, or None when nothing was (yet).

    A consultation that does not decide (``authoritative`` False) only recommends: None. Words
    that postpone or recommend win over words that decide („Beschluss vertagt“), and a negation
    rejects („nicht beschlossen“)."""
    if not result or authoritative is False:
        return None
    text = " ".join(unicodedata.normalize("NFKC", result).casefold().split())
    if any(word in text for word in _PENDING):
        return None
    if any(word in text for word in _REJECTED):
        return "rejected"
    if any(word in text for word in _APPROVED):
        return "approved"
    if any(word in text for word in _NOTED):
        return "noted"
    return None


# --- the client ---------------------------------------------------------------------------------


class OParlClient:
    """A client for one OParl endpoint: ``url`` is the system's URL (or one body's)."""

    def __init__(
        self,
        url: str,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        max_pages: int = DEFAULT_MAX_PAGES,
        max_bytes: int = DEFAULT_MAX_BYTES,
        total: float | None = None,
    ) -> None:
        if not is_url(url):
            raise InvalidUrl(f"the OParl URL is not an http(s) URL: {url[:200]!r}", url=url)
        if timeout <= 0 or max_pages < 1 or max_bytes < 1 or (total is not None and total <= 0):
            raise ValueError("timeout, max_pages, max_bytes and total must be positive")
        self.url = url.strip()
        self.timeout = timeout
        self.max_pages = max_pages
        self.max_bytes = max_bytes
        #: the longest one question (:meth:`find_paper`, :meth:`paper_by_url`) may take in all,
        #: in seconds; None: only each request's ``timeout`` bounds it
        self.total = total
        self._deadline: float | None = None
        self._opener = _opener()
        #: single objects fetched, by URL (raw: checked for their type on every use)
        self._objects: dict[str, Any] = {}

    # -- what the bot asks

    def find_paper(self, reference: str, *, consultations: bool = True) -> Paper | None:
        """The paper with this reference (case and spaces do not count), from the paper lists
        of the system's bodies read page by page; None when the lists end without it.

        Deleted papers are skipped. ``consultations=False`` leaves the consultations unread
        (one request less per consultation part). Raises :class:`TooManyPages` after
        ``max_pages`` pages, :class:`Malformed` also when the system, a body or a list is
        missing (404) or a ``next`` link loops back."""
        wanted = normalise_reference(reference)
        if not wanted:
            raise ValueError("an empty reference")
        self._start()
        budget = _Budget(self.max_pages)
        try:
            for body in self._bodies(budget):
                papers = _url_field(body, "paper", str(body["id"]))
                for page_url, item in self._walk(papers, budget):
                    if not isinstance(item, Mapping):
                        continue
                    found = item.get("reference")
                    if not isinstance(found, str) or normalise_reference(found) != wanted:
                        continue
                    if item.get("deleted") is True:
                        continue
                    paper = _checked(item, "Paper", page_url, embedded=True)
                    return self._paper(paper, page_url, consultations)
        except NotFound as exc:
            raise Malformed(f"part of the OParl endpoint is missing: {exc}", url=exc.url) from exc
        log.info("OParl: no paper with reference %r at %s", reference, self.url)
        return None

    def paper_by_url(self, url: str, *, consultations: bool = True) -> Paper:
        """The paper at this OParl URL. Raises :class:`NotFound` when it does not exist (404,
        410) or is deleted."""
        if not is_url(url):
            raise InvalidUrl(f"not an http(s) URL: {url[:200]!r}", url=url)
        url = url.strip()
        self._start()
        data = self._object(url, "Paper")
        if data.get("deleted") is True:
            raise NotFound(f"{url}: the paper is deleted", url=url)
        return self._paper(data, url, consultations)

    def _start(self) -> None:
        self._deadline = None if self.total is None else time.monotonic() + self.total

    # -- walking

    def _bodies(self, budget: _Budget) -> Iterator[Mapping[str, Any]]:
        entry = self._fetch(self.url)
        if isinstance(entry, Mapping) and _kind(entry.get("type")) == "Body":
            yield _checked(entry, "Body", self.url)
            return
        system = _checked(entry, "System", self.url)
        bodies = _url_field(system, "body", self.url)
        for page_url, item in self._walk(bodies, budget):
            body = _checked(item, "Body", page_url, embedded=True)
            if body.get("deleted") is True:
                continue
            if not isinstance(body.get("id"), str):
                raise Malformed(f"{page_url}: a body without an id", url=page_url)
            yield body

    def _walk(self, list_url: str, budget: _Budget) -> Iterator[tuple[str, Any]]:
        """Every item of an object list, with the URL of its page, page by page."""
        seen: set[str] = set()
        url: str | None = list_url
        while url is not None:
            if url in seen:
                raise Malformed(f"the list at {list_url} loops back to {url}", url=url)
            seen.add(url)
            budget.take(url)
            page = self._fetch(url)
            if not isinstance(page, Mapping) or not isinstance(page.get("data"), list):
                raise Malformed(f"{url}: not an OParl object list (no data array)", url=url)
            for item in page["data"]:
                yield url, item
            url = _next_page(page, url)

    # -- reading the objects

    def _paper(self, data: Mapping[str, Any], where: str, consultations: bool) -> Paper:
        paper_id = data.get("id")
        if not isinstance(paper_id, str) or not is_url(paper_id):
            raise Malformed(f"{where}: a paper without a valid id", url=where)
        read: list[Consultation] = []
        if consultations:
            raw = data.get("consultation")
            if raw is not None and not isinstance(raw, list):
                raise Malformed(f"{paper_id}: consultation is not a list", url=paper_id)
            for item in raw or ():
                consultation = self._part(item, "Consultation", paper_id)
                if consultation is not None and consultation.get("deleted") is not True:
                    read.append(self._consultation(consultation, paper_id))
        return Paper(
            id=paper_id,
            reference=_text(data, "reference", paper_id),
            name=_text(data, "name", paper_id),
            date=_day(data, "date", paper_id),
            web=_web(data, paper_id),
            consultations=tuple(read),
        )

    def _consultation(self, data: Mapping[str, Any], where: str) -> Consultation:
        ident = data.get("id")
        if isinstance(ident, str):
            where = ident
        authoritative = data.get("authoritative")
        if authoritative is not None and not isinstance(authoritative, bool):
            raise Malformed(f"{where}: authoritative is not a boolean", url=where)
        meeting = self._part(data.get("meeting"), "Meeting", where)
        agenda_item = self._agenda_item(data.get("agendaItem"), meeting, where)
        if meeting is None and agenda_item is not None:
            meeting = self._part(agenda_item.get("meeting"), "Meeting", where)
        meeting_date = None
        if meeting is not None:
            meeting_date = _day(meeting, "start", where)
        if meeting_date is None and agenda_item is not None:
            meeting_date = _day(agenda_item, "start", where)
        result = resolution = None
        if agenda_item is not None:
            result = _text(agenda_item, "result", where)
            resolution = _text(agenda_item, "resolutionText", where)
        cancelled = meeting is not None and meeting.get("cancelled") is True
        return Consultation(
            id=ident if isinstance(ident, str) else None,
            organization=self._organization(data.get("organization"), where),
            meeting_date=meeting_date,
            role=_text(data, "role", where),
            authoritative=authoritative,
            result=result,
            resolution_text=resolution,
            outcome=None if cancelled else outcome_of(result, authoritative),
        )

    def _organization(self, value: Any, where: str) -> str | None:
        """The name of the first (leading) organization of a consultation."""
        if isinstance(value, list):
            value = value[0] if value else None
        organization = self._part(value, "Organization", where)
        if organization is None:
            return None
        return _text(organization, "name", where) or _text(organization, "shortName", where)

    def _agenda_item(
        self, value: Any, meeting: Mapping[str, Any] | None, where: str
    ) -> Mapping[str, Any] | None:
        """The agenda item: embedded, found among the meeting's, or fetched by its URL."""
        if isinstance(value, str) and meeting is not None:
            items = meeting.get("agendaItem")
            for item in items if isinstance(items, list) else ():
                if isinstance(item, Mapping) and item.get("id") == value:
                    return _checked(item, "AgendaItem", where, embedded=True)
        return self._part(value, "AgendaItem", where)

    def _part(self, value: Any, kind: str, where: str) -> Mapping[str, Any] | None:
        """A linked object: embedded, or fetched by its URL (None when that answers 404)."""
        if value is None:
            return None
        if isinstance(value, Mapping):
            return _checked(value, kind, where, embedded=True)
        if isinstance(value, str):
            if not is_url(value):
                raise Malformed(f"{where}: the {kind} link is no http(s) URL", url=where)
            try:
                return self._object(value, kind)
            except NotFound:
                log.info("OParl: the %s at %s is missing; left out", kind, value)
                return None
        raise Malformed(f"{where}: a {kind} is neither an object nor a URL", url=where)

    def _object(self, url: str, kind: str) -> Mapping[str, Any]:
        if url not in self._objects:
            self._objects[url] = self._fetch(url)
        return _checked(self._objects[url], kind, url)

    # -- HTTP

    def _fetch(self, url: str) -> Any:
        """GET ``url`` and parse its JSON."""
        body = self._get(url)
        try:
            return json.loads(body)
        except (ValueError, RecursionError) as exc:
            raise Malformed(f"{url}: the answer is not valid JSON ({exc})"[:300], url=url) from None

    def _get(self, url: str) -> bytes:
        if not is_url(url):
            raise Malformed(f"not an http(s) URL: {url[:200]!r}", url=url)
        request = urllib.request.Request(
            url, headers={"Accept": "application/json", "User-Agent": USER_AGENT}
        )
        timeout = self.timeout
        if self._deadline is not None:
            timeout = min(timeout, self._deadline - time.monotonic())
            if timeout <= 0:
                raise Unreachable(f"{url}: gave up after {self.total} s in all", url=url)
        deadline = time.monotonic() + timeout
        try:
            with self._opener.open(request, timeout=timeout) as response:
                body = self._read(response, url, deadline)
        except urllib.error.HTTPError as exc:
            exc.close()
            raise _status_error(exc.code, url) from None
        except OParlError:
            raise
        except (urllib.error.URLError, OSError, HTTPException, ValueError) as exc:
            if self._deadline is not None and time.monotonic() >= self._deadline:
                raise Unreachable(f"{url}: gave up after {self.total} s in all", url=url) from exc
            reason = getattr(exc, "reason", None) or exc
            raise Unreachable(f"{url}: {reason.__class__.__name__}: {reason}", url=url) from exc
        log.debug("OParl: GET %s: %d bytes", url, len(body))
        return body

    def _read(self, response: Any, url: str, deadline: float) -> bytes:
        """The body, refused past ``max_bytes`` and past the request's deadline."""
        length = response.headers.get("Content-Length")
        if length and length.strip().isdigit() and int(length) > self.max_bytes:
            raise Malformed(f"{url}: the answer is larger than {self.max_bytes} bytes", url=url)
        read = getattr(response, "read1", response.read)
        chunks: list[bytes] = []
        size = 0
        while True:
            if time.monotonic() > deadline:
                raise Unreachable(f"{url}: timed out after {self.timeout} s", url=url)
            chunk = read(_CHUNK)
            if not chunk:
                return b"".join(chunks)
            size += len(chunk)
            if size > self.max_bytes:
                raise Malformed(f"{url}: the answer is larger than {self.max_bytes} bytes", url=url)
            chunks.append(chunk)


# --- helpers ------------------------------------------------------------------------------------


class _Budget:
    """The list pages one search may still read."""

    def __init__(self, pages: int) -> None:
        self.pages = pages
        self.read = 0

    def take(self, url: str) -> None:
        if self.read >= self.pages:
            raise TooManyPages(f"gave up after {self.read} list pages, before {url}", url=url)
        self.read += 1


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Follows at most :data:`MAX_REDIRECTS` redirects, and only to http and https."""

    max_redirections = MAX_REDIRECTS
    max_repeats = 2

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: HTTPMessage,
        newurl: str,
    ) -> urllib.request.Request | None:
        if not is_url(newurl):
            raise Malformed(
                f"{req.full_url} redirects to a non-http(s) URL: {newurl[:200]!r}",
                url=req.full_url,
            )
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _opener() -> urllib.request.OpenerDirector:
    """HTTP and HTTPS (with the system's certificates), proxies from the environment, safe
    redirects; no file:, ftp: or data: URLs."""
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler(),
        urllib.request.UnknownHandler(),
        urllib.request.HTTPHandler(),
        urllib.request.HTTPSHandler(context=ssl.create_default_context()),
        urllib.request.HTTPDefaultErrorHandler(),
        _Redirects(),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    return opener


def _status_error(status: int, url: str) -> OParlError:
    if status in (404, 410):
        return NotFound(f"{url}: HTTP {status}", url=url)
    if status in (408, 425, 429) or status >= 500:
        return Unreachable(f"{url}: HTTP {status}", url=url)
    return Malformed(f"{url}: unexpected HTTP {status}", url=url)


def _kind(type_: Any) -> str | None:
    """``Paper`` for ``https://schema.oparl.org/1.1/Paper``."""
    if not isinstance(type_, str):
        return None
    return type_.rstrip("/").rpartition("/")[2]


def _checked(data: Any, kind: str, where: str, *, embedded: bool = False) -> Mapping[str, Any]:
    """``data`` as an OParl object of this kind: with its type, and an http(s) id. An embedded
    object (in a list or another object) may leave both out; what it gives must fit."""
    if not isinstance(data, Mapping):
        raise Malformed(
            f"{where}: expected an OParl {kind} object, got {type(data).__name__}", url=where
        )
    found = data.get("type")
    if (found is not None or not embedded) and _kind(found) != kind:
        raise Malformed(f"{where}: expected an OParl {kind}, got type {found!r:.100}", url=where)
    ident = data.get("id")
    if (ident is not None or not embedded) and not (isinstance(ident, str) and is_url(ident)):
        raise Malformed(f"{where}: the {kind} has no valid id", url=where)
    return data


def _url_field(data: Mapping[str, Any], key: str, where: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not is_url(value):
        raise Malformed(f"{where}: {key} is not an http(s) URL", url=where)
    return value.strip()


def _next_page(page: Mapping[str, Any], url: str) -> str | None:
    links = page.get("links")
    if links is None:
        return None
    if not isinstance(links, Mapping):
        raise Malformed(f"{url}: links is not an object", url=url)
    following = links.get("next")
    if following is None:
        return None
    if not isinstance(following, str):
        raise Malformed(f"{url}: links.next is not a URL", url=url)
    absolute = urljoin(url, following.strip())
    if not is_url(absolute):
        raise Malformed(f"{url}: links.next is not an http(s) URL", url=url)
    return absolute


def _text(data: Mapping[str, Any], key: str, where: str) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise Malformed(f"{where}: {key} is not a string", url=where)
    return value.strip() or None


def _day(data: Mapping[str, Any], key: str, where: str) -> dt.date | None:
    """A date, or a date-time's date in its own offset (the council's local day)."""
    text = _text(data, key, where)
    if text is None:
        return None
    try:
        if len(text) == 10:
            return dt.date.fromisoformat(text)
        return dt.datetime.fromisoformat(text).date()
    except ValueError:
        raise Malformed(f"{where}: {key} is not an ISO date: {text[:40]!r}", url=where) from None


def _web(data: Mapping[str, Any], where: str) -> str | None:
    web = _text(data, "web", where)
    if web is not None and not is_url(web):
        log.info("OParl: %s: web is no http(s) URL; left out", where)
        return None
    return web
