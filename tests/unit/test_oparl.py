"""The OParl client against a local OParl 1.1 endpoint (tests/oparl_server.py): finding a paper
by its reference, reading it by its URL, its consultations and the decision, and every failure
the endpoint can make: a missing paper, a 500, a timeout, invalid JSON, a wrong type, a loop."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from board_bot.features.council import oparl
from board_bot.features.council.oparl import OParlClient, normalise_reference, outcome_of
from tests.oparl_server import OParlServer


@pytest.fixture
def server() -> Iterator[OParlServer]:
    with OParlServer() as running:
        yield running


def client(
    server: OParlServer,
    *,
    timeout: float = 5.0,
    max_pages: int = oparl.DEFAULT_MAX_PAGES,
    max_bytes: int = oparl.DEFAULT_MAX_BYTES,
) -> OParlClient:
    return OParlClient(server.system_url, timeout=timeout, max_pages=max_pages, max_bytes=max_bytes)


# --- finding and reading papers -----------------------------------------------------------------


def test_a_paper_on_page_2_is_found_by_its_reference_written_differently(
    server: OParlServer,
) -> None:
    paper = client(server).find_paper("b19/0379", consultations=False)

    assert paper is not None
    # not the deleted paper with the same reference on page 1
    assert paper.id == server.url("paper/4")
    assert paper.reference == "B 19/0379"
    assert paper.name == (
        "Smart-City-Strategie: Gründung eines interdisziplinären Smart City Boards"
    )
    assert paper.date == dt.date(2027, 2, 1)
    assert paper.web == "https://ratsinfo.musterstadt.example/vo020?VOLFDNR=4"
    assert paper.consultations == ()
    # the walk stopped on page 2
    assert server.requests[-1] == "/oparl/v1.1/body/1/papers?page=2"


def test_a_body_url_is_searched_too(server: OParlServer) -> None:
    paper = OParlClient(server.body_url).find_paper(" b 19/0412 ")
    assert paper is not None
    assert paper.id == server.url("paper/7")


def test_a_reference_that_no_paper_has_is_none(server: OParlServer) -> None:
    assert client(server).find_paper("B 19/9999") is None
    assert server.requests.count("/oparl/v1.1/body/1/papers?page=3") == 1


def test_a_paper_is_read_by_its_url(server: OParlServer) -> None:
    paper = client(server).paper_by_url(server.url("paper/4"))
    assert paper.reference == "B 19/0379"
    assert [c.organization for c in paper.consultations] == [
        "Ausschuss für Digitalisierung und Smart City",
        "Hauptausschuss",
        "Rat der Stadt Musterstadt",
    ]


def test_consultations_and_the_decision(server: OParlServer) -> None:
    paper = client(server).find_paper("B 19/0379")
    assert paper is not None
    preliminary, decisive, noted = paper.consultations

    assert preliminary.role == "Vorberatung"
    assert preliminary.authoritative is False
    assert preliminary.meeting_date == dt.date(2027, 2, 25)
    # the agenda item embedded in the meeting: a recommendation decides nothing
    assert preliminary.result == "einstimmig empfohlen"
    assert not preliminary.decided

    # „vom Hauptausschuss am 12.03.2027 beschlossen“
    assert decisive.organization == "Hauptausschuss"
    assert decisive.meeting_date == dt.date(2027, 3, 12)
    assert decisive.role == "Entscheidung"
    assert decisive.authoritative is True
    assert decisive.result == "beschlossen"
    assert decisive.resolution_text == (
        "Der Hauptausschuss beschließt die Gründung des Smart City Boards."
    )
    assert decisive.decided
    assert decisive.outcome == "approved"

    # the organization embedded; no agenda item yet
    assert noted.organization == "Rat der Stadt Musterstadt"
    assert noted.meeting_date == dt.date(2027, 5, 6)
    assert noted.result is None
    assert not noted.decided

    assert paper.decision == decisive


def test_each_organization_and_meeting_is_fetched_once(server: OParlServer) -> None:
    reader = client(server)
    reader.paper_by_url(server.url("paper/4"))
    reader.paper_by_url(server.url("paper/4"))
    assert server.requests.count("/oparl/v1.1/organization/2") == 1
    assert server.requests.count("/oparl/v1.1/meeting/2") == 1
    # the agenda item embedded in meeting 1 is not fetched on its own
    assert "/oparl/v1.1/agendaitem/11" not in server.requests


def test_an_undecided_paper_and_an_organization_that_does_not_resolve(
    server: OParlServer,
) -> None:
    paper = client(server).paper_by_url(server.url("paper/7"))
    (consultation,) = paper.consultations
    assert consultation.organization is None  # organization/99 answers 404
    assert consultation.meeting_date == dt.date(2027, 6, 1)
    assert not consultation.decided
    assert paper.decision is None


# --- what does not exist ------------------------------------------------------------------------


def test_a_paper_url_that_does_not_exist_is_not_found(server: OParlServer) -> None:
    with pytest.raises(oparl.NotFound) as raised:
        client(server).paper_by_url(server.url("paper/999"))
    assert raised.value.url == server.url("paper/999")


def test_a_deleted_paper_is_not_found(server: OParlServer) -> None:
    with pytest.raises(oparl.NotFound):
        client(server).paper_by_url(server.url("paper/2"))


def test_a_system_url_that_does_not_exist_is_malformed(server: OParlServer) -> None:
    with pytest.raises(oparl.Malformed):
        OParlClient(server.url("nothing")).find_paper("B 19/0379")


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://rat.example/paper/1", "B 19/0379"])
def test_only_http_urls_are_opened(server: OParlServer, url: str) -> None:
    with pytest.raises(oparl.InvalidUrl):
        client(server).paper_by_url(url)
    with pytest.raises(oparl.InvalidUrl):
        OParlClient(url)
    assert server.requests == []


@pytest.mark.parametrize("target", ["file:///etc/passwd", "ftp://rat.example/paper/4"])
def test_a_redirect_to_another_scheme_is_refused(server: OParlServer, target: str) -> None:
    server.redirect_to = target
    server.fault("redirect", server.url("paper/8"))
    with pytest.raises(oparl.Malformed):
        client(server).paper_by_url(server.url("paper/8"))
    assert server.requests == ["/oparl/v1.1/paper/8"]


def test_a_redirect_to_http_is_followed(server: OParlServer) -> None:
    server.redirect_to = server.url("paper/4")
    server.fault("redirect", server.url("paper/8"))
    paper = client(server).paper_by_url(server.url("paper/8"), consultations=False)
    assert paper.reference == "B 19/0379"


# --- faults -------------------------------------------------------------------------------------


def test_a_500_is_unreachable(server: OParlServer) -> None:
    server.fault("error", server.papers_url + "?page=2")
    with pytest.raises(oparl.Unreachable) as raised:
        client(server).find_paper("B 19/0379")
    assert "500" in str(raised.value)


def test_a_500_for_a_paper_is_unreachable(server: OParlServer) -> None:
    server.fault("error")
    with pytest.raises(oparl.Unreachable):
        client(server).paper_by_url(server.url("paper/4"))


def test_a_timeout_is_unreachable(server: OParlServer) -> None:
    # The server waits until it closes (at most 5 s); the client gives up after 0.3 s.
    server.fault("slow", server.url("paper/4"))
    with pytest.raises(oparl.Unreachable):
        client(server, timeout=0.3).paper_by_url(server.url("paper/4"))


def test_a_slow_meeting_fails_the_whole_paper(server: OParlServer) -> None:
    server.fault("slow", server.url("meeting/2"))
    with pytest.raises(oparl.Unreachable):
        client(server, timeout=0.3).paper_by_url(server.url("paper/4"))


def test_nothing_listens_is_unreachable() -> None:
    with OParlServer() as stopped:
        url = stopped.url("paper/4")
    with pytest.raises(oparl.Unreachable):
        OParlClient(url, timeout=2.0).paper_by_url(url)


def test_invalid_json_is_malformed(server: OParlServer) -> None:
    server.fault("invalid_json", server.url("paper/4"))
    with pytest.raises(oparl.Malformed):
        client(server).paper_by_url(server.url("paper/4"))


def test_invalid_json_in_the_list_is_malformed(server: OParlServer) -> None:
    server.fault("invalid_json", server.papers_url)
    with pytest.raises(oparl.Malformed):
        client(server).find_paper("B 19/0379")


def test_another_type_is_malformed(server: OParlServer) -> None:
    server.fault("wrong_type", server.url("paper/4"))
    with pytest.raises(oparl.Malformed, match="Paper"):
        client(server).paper_by_url(server.url("paper/4"))


def test_a_list_that_is_no_list_is_malformed(server: OParlServer) -> None:
    server.fault("wrong_type", server.papers_url)
    with pytest.raises(oparl.Malformed, match="list"):
        client(server).find_paper("B 19/0379")


def test_an_answer_over_the_size_limit_is_malformed(server: OParlServer) -> None:
    with pytest.raises(oparl.Malformed, match="larger"):
        client(server, max_bytes=500).paper_by_url(server.url("paper/4"))


def test_a_next_link_back_to_the_first_page_ends_the_walk(server: OParlServer) -> None:
    server.fault("loop")
    with pytest.raises(oparl.Malformed, match="loops"):
        client(server).find_paper("B 19/9999")
    assert len(server.requests) == 2 + 3  # system, bodies, three pages


def test_an_endless_list_stops_after_max_pages(server: OParlServer) -> None:
    server.fault("endless")
    with pytest.raises(oparl.TooManyPages):
        client(server, max_pages=6).find_paper("B 19/9999")
    # the body list's page counts: five paper pages
    assert sum("/papers" in r for r in server.requests) == 5


def test_a_paper_found_before_the_limit_is_found(server: OParlServer) -> None:
    paper = client(server, max_pages=3).find_paper("B 19/0379", consultations=False)
    assert paper is not None


# --- pure rules ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("b19/0379", "B 19/0379"), ("B 19/0379", "B\u00a019/0379"), (" B 19/ 0379 ", "B 19/0379")],
)
def test_references_compare_without_case_and_spaces(typed: str, stored: str) -> None:
    assert normalise_reference(typed) == normalise_reference(stored)


def test_different_references_differ() -> None:
    assert normalise_reference("B 19/0379") != normalise_reference("B 19/0397")


@pytest.mark.parametrize(
    ("result", "authoritative", "outcome"),
    [
        ("beschlossen", True, "approved"),
        ("Unverändert beschlossen", None, "approved"),
        ("Geändert beschlossen", True, "approved"),
        ("Annahme", True, "approved"),
        ("einstimmig angenommen", True, "approved"),
        ("mehrheitlich abgelehnt", True, "rejected"),
        ("nicht beschlossen", True, "rejected"),
        ("zur Kenntnis genommen", None, "noted"),
        ("einstimmig empfohlen", None, None),
        ("vertagt", True, None),
        ("in den Ausschuss verwiesen", True, None),
        ("beschlossen", False, None),  # a Vorberatung recommends
        ("", True, None),
        (None, True, None),
        ("Sitzung fand statt", True, None),
    ],
)
def test_what_a_result_decides(
    result: str | None, authoritative: bool | None, outcome: str | None
) -> None:
    assert outcome_of(result, authoritative) == outcome


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("https://rat.example/oparl/paper/1", True),
        ("http://127.0.0.1:8080/x", True),
        ("B 19/0379", False),
        ("javascript:alert(1)", False),
        ("https://", False),
        ("http://[", False),
        ("https://rat.example/vorlage 1", False),
        ("https://rat.example/vorl\u00e4ge", False),
        ("https://rat.example/a\nb", False),
    ],
)
def test_is_url(text: str, expected: bool) -> None:
    assert oparl.is_url(text) is expected


def test_a_search_gives_up_after_its_total_time() -> None:
    # Each list page takes 0.2 s and the list never ends; the search has 0.5 s in all, so it
    # gives up after a few pages instead of reading the 100 its page budget allows.
    with OParlServer(delay=0.2) as slow:
        slow.fault("endless")
        slow.fault("slow", slow.papers_url)
        searcher = OParlClient(slow.system_url, timeout=5.0, total=0.5)
        with pytest.raises(oparl.Unreachable, match="in all"):
            searcher.find_paper("B 19/9999")
        assert len(slow.requests) < 10
        # the next question has its own total
        slow.clear_faults()
        assert searcher.paper_by_url(slow.url("paper/4")).reference == "B 19/0379"
