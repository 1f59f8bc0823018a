"""A decision linked to its council paper (Vorlage) through the city's OParl endpoint:
``!beschluss B-1 vorlage B 19/0379`` (and ``!beschlüsse vorlage``) answers at once and queues
the look-up, which the council job does outside the command's transaction and answers; and the
daily job that notes what the council decided. Against the local OParl server of
:mod:`tests.oparl_server`; on every failure nothing changes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import Session, col, select

from board_bot.core.config import OParlConfig
from board_bot.core.errors import BotError
from board_bot.core.render import plain_text
from board_bot.features.council import papers
from board_bot.features.council.oparl import Consultation, Paper
from board_bot.features.summaries import report
from board_bot.features.summaries import service as summaries
from board_bot.models import Board, CouncilRequest, Decision, OutboxMessage
from tests.bot.city import LEAD
from tests.bot.conftest import START, BotHarness
from tests.oparl_server import WEB, OParlServer

NAME = "Smart-City-Strategie: Gründung eines interdisziplinären Smart City Boards"


@pytest.fixture
def server() -> Iterator[OParlServer]:
    with OParlServer(delay=0.0) as running:
        yield running


def board(
    make: Callable[..., BotHarness], server: OParlServer | None, **settings: object
) -> BotHarness:
    oparl = {"url": server.system_url, "timeout_seconds": 5} if server else None
    bot = make(oparl=oparl, **settings)
    bot.reply("!board init Smart City Board Musterstadt")
    assert bot.reply("!beschluss Open-Data-Leitlinie gilt für alle Fachbereiche").startswith(
        ("✔️ Beschluss B-1", "✔️ Decision B-1")
    )
    return bot


def decision(bot: BotHarness) -> Decision:
    (found,) = bot.rows(Decision)
    return found


SEARCHING = (
    "🔎 Ich suche die Vorlage {reference} für B-1 im Ratsinformationssystem und antworte hier, "
    "sobald ich sie gefunden habe."
)


def queued(bot: BotHarness) -> int:
    with Session(bot.engine) as session:
        return session.exec(select(sa.func.max(OutboxMessage.id))).one() or 0


def council(bot: BotHarness) -> list[str]:
    """Run the look-up job once; the bodies of what it queued."""
    before = queued(bot)
    papers.process_requests(bot.engine, bot.config.oparl, bot.clock)
    return new_bodies(bot, before)


def results(bot: BotHarness) -> list[str]:
    """Run the daily council job once; the bodies of what it queued."""
    before = queued(bot)
    papers.check_results(bot.engine, bot.config.oparl, bot.clock)
    return new_bodies(bot, before)


def new_bodies(bot: BotHarness, before: int) -> list[str]:
    with Session(bot.engine) as session:
        ids = session.exec(select(OutboxMessage.id).where(col(OutboxMessage.id) > before)).all()
    bot.last_ids = sorted(i for i in ids if i is not None)
    return [c["body"] for c in bot.contents()]


def test_an_admin_links_a_decision_to_its_paper_by_reference(
    bot_factory: Callable[..., BotHarness], server: OParlServer
) -> None:
    bot = board(bot_factory, server)
    before = bot.domain_state()
    # The command answers at once and reads nothing: the job does that.
    assert bot.reply("!beschluss B-1 vorlage B 19/0379", event_id="$link:example.org") == (
        SEARCHING.format(reference="B 19/0379")
    )
    assert server.requests == []
    assert decision(bot).paper_id is None
    assert bot.count(CouncilRequest) == 1
    # The job finds it and answers the command, in reply to it.
    assert council(bot) == [
        f"✔️ B-1 ist mit der Vorlage B 19/0379 „{NAME}“ vom 01.02.2027 verknüpft: "
        f"<{WEB}/vo020?VOLFDNR=4>"
    ]
    (answer,) = bot.contents()
    assert answer["m.relates_to"]["m.in_reply_to"]["event_id"] == "$link:example.org"
    assert f'<a href="{WEB}/vo020?VOLFDNR=4">' in answer["formatted_body"]
    d = decision(bot)
    assert (d.paper_id, d.paper_reference, d.paper_name, d.paper_date, d.paper_web) == (
        server.url("paper/4"),
        "B 19/0379",
        NAME,
        date(2027, 2, 1),
        f"{WEB}/vo020?VOLFDNR=4",
    )
    assert bot.count(CouncilRequest) == 0
    assert not any("consultation" in path for path in server.requests)  # not read for a link
    assert council(bot) == []  # done: nothing more to do
    # The register shows it on the decision's line.
    assert bot.reply("!beschlüsse").split("\n")[1] == (
        "- **B-1** Open-Data-Leitlinie gilt für alle Fachbereiche · vorgeschlagen · "
        f"Vorlage B 19/0379: <{WEB}/vo020?VOLFDNR=4>"
    )
    changed = {k for k, rows in bot.domain_state().items() if rows != before[k]}
    assert changed == {"decision", "audit_entry"}


def test_the_long_form_and_a_paper_url_in_english(
    bot_factory: Callable[..., BotHarness], server: OParlServer
) -> None:
    bot = board(bot_factory, server)
    assert bot.reply(f"!beschlüsse vorlage B-1 <{server.url('paper/1')}>") == SEARCHING.format(
        reference=server.url("paper/1")
    )
    (linked,) = council(bot)
    assert linked.startswith(
        "✔️ B-1 ist mit der Vorlage B 19/0301 „Haushaltssatzung 2027“ vom 05.11.2026 verknüpft"
    )
    assert server.requests == ["/oparl/v1.1/paper/1"]  # no list walked for a URL
    assert decision(bot).paper_id == server.url("paper/1")
    english = board(bot_factory, server, language="en")
    assert english.reply(f"!decision B-1 paper {server.url('paper/4')}").startswith(
        "🔎 Looking up the council paper"
    )
    assert council(english) == [
        f"✔️ B-1 is linked to the council paper B 19/0379 “{NAME}” of 01.02.2027: "
        f"<{WEB}/vo020?VOLFDNR=4>"
    ]


def test_only_admins_link_papers(
    bot_factory: Callable[..., BotHarness], server: OParlServer
) -> None:
    bot = board(bot_factory, server)
    before = bot.domain_state()
    assert "darf nur" in bot.reply("!beschlüsse vorlage B-1 B 19/0379", sender=LEAD)
    assert "darf nur" in bot.reply("!beschluss B-1 vorlage B 19/0379", sender=LEAD)
    assert bot.domain_state() == before
    assert council(bot) == []
    assert server.requests == []


def test_without_an_oparl_url_the_reply_names_the_setting(
    bot_factory: Callable[..., BotHarness],
) -> None:
    bot = board(bot_factory, None)
    before = bot.domain_state()
    assert bot.reply("!beschluss B-1 vorlage B 19/0379") == (
        "Die Verknüpfung mit dem Ratsinformationssystem ist nicht eingerichtet. Dafür muss in der "
        "Konfiguration des Bots `url` im Abschnitt `[oparl]` gesetzt sein (die OParl-Adresse des "
        "Ratsinformationssystems)."
    )
    assert bot.domain_state() == before


def test_bad_input_is_refused_at_once(
    bot_factory: Callable[..., BotHarness], server: OParlServer
) -> None:
    bot = board(bot_factory, server)
    before = bot.domain_state()
    assert bot.reply("!beschluss B-7 vorlage B 19/0379") == "Einen Beschluss B-7 gibt es nicht."
    assert bot.reply(f"!beschluss B-1 vorlage {'B 19/' * 30}").startswith(
        "„B 19/B 19/B 19/B 19/B 19/B 19/B 19/B 19/“ ist weder ein Aktenzeichen"
    )
    assert bot.reply("!beschlüsse vorlage B-1 <>").startswith(
        "Bitte geben Sie das Aktenzeichen der Vorlage"
    )
    # Only the configured council information system is read: no URL on another server.
    assert bot.reply("!beschluss B-1 vorlage http://127.0.0.1:9/intern/paper/1") == (
        "Es werden nur Adressen des eigenen Ratsinformationssystems "
        f"({server.system_url.split('/')[2]}) abgerufen. Bitte geben Sie das Aktenzeichen der "
        f"Vorlage an oder ihre OParl-Adresse auf {server.system_url.split('/')[2]}."
    )
    assert bot.domain_state() == before
    assert server.requests == []


def test_a_paper_that_does_not_exist_is_reported_and_changes_nothing(
    bot_factory: Callable[..., BotHarness], server: OParlServer
) -> None:
    bot = board(bot_factory, server)
    before = bot.domain_state()
    bot.reply("!beschluss B-1 vorlage B 19/9999")
    assert council(bot) == ["Die Vorlage B 19/9999 ist im Ratsinformationssystem nicht zu finden."]
    bot.reply(f"!beschluss B-1 vorlage {server.url('paper/77')}")
    assert council(bot) == [
        f"Die Vorlage {server.url('paper/77')} ist im Ratsinformationssystem nicht zu finden."
    ]
    server.fault("endless")
    bot.reply("!beschluss B-1 vorlage B 19/0000")
    (too_many,) = council(bot)
    assert "OParl-Adresse der Vorlage" in too_many
    assert bot.domain_state() == before
    assert decision(bot).paper_id is None


def test_an_unreachable_endpoint_is_retried_then_given_up(
    bot_factory: Callable[..., BotHarness], server: OParlServer
) -> None:
    bot = board(bot_factory, server)
    before = bot.domain_state()
    server.fault("error")
    bot.reply("!beschluss B-1 vorlage B 19/0379")
    # 09:00 in Berlin: the next try 2 minutes later; the room is told once.
    assert council(bot) == [
        "⚠️ Das Ratsinformationssystem ist gerade nicht erreichbar. Ich versuche es um 09:02 Uhr "
        "erneut, notfalls bis 10:17 Uhr, und antworte dann hier."
    ]
    asked = len(server.requests)
    assert council(bot) == []  # not due yet: not even asked
    assert len(server.requests) == asked
    for wait in papers.RETRY_AFTER[:-1]:
        bot.clock.advance(wait)
        assert council(bot) == []  # failed again, quietly
    bot.clock.advance(papers.RETRY_AFTER[-1])
    assert council(bot) == [
        "⚠️ Die Vorlage für B-1 konnte ich nach 4 Versuchen nicht aus dem Ratsinformationssystem "
        "lesen; nichts geändert. Bitte versuchen Sie es später noch einmal."
    ]
    assert bot.domain_state() == before
    bot.clock.advance(timedelta(days=1))
    assert council(bot) == []


def test_a_malformed_answer_is_retried_and_the_retry_links(
    bot_factory: Callable[..., BotHarness], server: OParlServer
) -> None:
    bot = board(bot_factory, server)
    server.fault("invalid_json", server.papers_url)
    bot.reply("!beschluss B-1 vorlage B 19/0379")
    assert council(bot) == [
        "⚠️ Das Ratsinformationssystem hat unerwartet geantwortet. Ich versuche es um 09:02 Uhr "
        "erneut, notfalls bis 10:17 Uhr, und antworte dann hier."
    ]
    assert decision(bot).paper_id is None
    server.clear_faults()
    bot.clock.advance(papers.RETRY_AFTER[0])
    (linked,) = council(bot)
    assert linked.startswith("✔️ B-1 ist mit der Vorlage B 19/0379")


def test_a_paper_linked_again_replaces_the_first(
    bot_factory: Callable[..., BotHarness], server: OParlServer
) -> None:
    bot = board(bot_factory, server)
    bot.reply("!beschluss B-1 vorlage B 19/0301")
    council(bot)
    # Two requests before the job runs: the second replaces the first.
    bot.reply("!beschluss B-1 vorlage B 19/0350")
    bot.reply("!beschluss B-1 vorlage B 19/0379")
    assert bot.count(CouncilRequest) == 1
    (linked,) = council(bot)
    assert "B 19/0379" in linked
    assert decision(bot).paper_reference == "B 19/0379"
    assert "Vorlage B 19/0379" in bot.reply("!beschlüsse liste vorgeschlagen")


def test_a_look_up_cut_short_by_a_crash_is_done_later_and_only_once(
    bot_factory: Callable[..., BotHarness], server: OParlServer
) -> None:
    bot = board(bot_factory, server)
    bot.reply("!beschluss B-1 vorlage B 19/0379")
    (request_id,) = [r.id for r in bot.rows(CouncilRequest)]
    # One process claims the request and dies before it settles it.
    assert papers._claim(bot.engine, request_id, bot.clock.now()) is not None
    # A second claim (another process, another run) does not get it meanwhile.
    assert papers._claim(bot.engine, request_id, bot.clock.now()) is None
    assert council(bot) == []
    bot.clock.advance(papers.CLAIM)
    (linked,) = council(bot)
    assert linked.startswith("✔️ B-1 ist mit der Vorlage B 19/0379")
    assert council(bot) == []


# --- the council's result -----------------------------------------------------------------------


def test_the_daily_job_notes_the_councils_decision_and_tells_the_room_once(
    bot_factory: Callable[..., BotHarness], server: OParlServer
) -> None:
    bot = board(bot_factory, server)
    bot.reply("!beschluss Radverkehrskonzept umsetzen")
    bot.reply("!beschluss B-1 vorlage B 19/0379")
    bot.reply("!beschluss B-2 vorlage B 19/0350")  # its consultation has no result yet
    council(bot)
    assert results(bot) == [
        "🏛️ Ratsbeschluss: Die Vorlage B 19/0379 zu **B-1** „Open-Data-Leitlinie gilt für alle "
        "Fachbereiche“ wurde vom Hauptausschuss am 12.03.2027 beschlossen. "
        f"<{WEB}/vo020?VOLFDNR=4>"
    ]
    (told,) = bot.contents()
    assert told["msgtype"] == "m.notice"
    assert "m.relates_to" not in told  # to the board room, not a reply
    first = decision_number(bot, 1)
    assert (first.council_organization, first.council_date, first.council_outcome) == (
        "Hauptausschuss",
        date(2027, 3, 12),
        "approved",
    )
    assert decision_number(bot, 2).council_outcome is None
    # The next day: B-1 is not read again, B-2 still has no result: nothing is said.
    asked = len(server.requests)
    assert results(bot) == []
    assert not any("paper/4" in path for path in server.requests[asked:])
    lines = bot.reply("!beschlüsse").split("\n")
    assert lines[1] == (
        "- **B-1** Open-Data-Leitlinie gilt für alle Fachbereiche · vorgeschlagen · "
        "Vorlage B 19/0379, vom Hauptausschuss am 12.03.2027 beschlossen: "
        f"<{WEB}/vo020?VOLFDNR=4>"
    )
    assert lines[2].endswith(f"Vorlage B 19/0350: <{WEB}/vo020?VOLFDNR=3>")


def test_an_unreadable_paper_changes_nothing_and_is_read_again(
    bot_factory: Callable[..., BotHarness], server: OParlServer
) -> None:
    bot = board(bot_factory, server)
    bot.reply("!beschluss B-1 vorlage B 19/0379")
    council(bot)
    before = bot.domain_state()
    server.fault("error", server.url("meeting/2"))
    checked = papers.check_results(bot.engine, bot.config.oparl, bot.clock)
    assert (checked.papers, checked.decided, checked.failed) == (1, 0, 1)
    assert bot.domain_state() == before
    server.clear_faults()
    (told,) = results(bot)
    assert "vom Hauptausschuss am 12.03.2027 beschlossen" in told


def result(lang: str, d: Decision) -> str:
    return plain_text(papers.result_text(lang, d))


def test_the_result_in_english_and_the_names_of_council_bodies() -> None:
    d = Decision(
        board_id=1, number=1, text="x", created_by="@a:b", created_at=START, updated_at=START,
        council_organization="Stadtverordnetenversammlung", council_date=date(2027, 3, 12),
        council_outcome="rejected",
    )  # fmt: skip
    assert result("de", d) == ("von der Stadtverordnetenversammlung am 12.03.2027 abgelehnt")
    assert result("en", d) == ("rejected by the Stadtverordnetenversammlung on 12.03.2027")
    d.council_organization = "Haupt- und Finanzausschuss"
    assert result("de", d).startswith("vom Haupt- und Finanzausschuss am")
    d.council_organization = "Bezirksvertretung Mitte"
    assert result("de", d).startswith("von der Bezirksvertretung Mitte am")
    d.council_organization = "BV 3"
    assert result("de", d).startswith("vom Gremium „BV 3“ am")
    d.council_organization = None
    d.council_outcome = "noted"
    assert result("de", d) == "am 12.03.2027 zur Kenntnis genommen"


def decision_number(bot: BotHarness, number: int) -> Decision:
    (found,) = [d for d in bot.rows(Decision) if d.number == number]
    return found


def test_the_summary_and_the_report_show_the_papers_and_results(
    bot_factory: Callable[..., BotHarness], server: OParlServer
) -> None:
    bot = board(bot_factory, server)
    bot.reply("!beschluss Radverkehrskonzept umsetzen")
    bot.reply("!beschluss B-1 vorlage B 19/0379")
    bot.reply("!beschluss B-2 vorlage B 19/0350")
    council(bot)
    results(bot)
    summary = bot.handle("!bericht")[0]
    assert "**Beschlüsse mit Ratsvorlage** (2)" in summary
    assert (
        "- **B-1** Open-Data-Leitlinie gilt für alle Fachbereiche · Vorlage B 19/0379, vom "
        f"Hauptausschuss am 12.03.2027 beschlossen: <{WEB}/vo020?VOLFDNR=4>"
    ) in summary
    # An implemented decision has left the council's list.
    bot.reply("!beschlüsse status B-2 umgesetzt")
    assert "**Beschlüsse mit Ratsvorlage** (1)" in bot.handle("!bericht")[0]
    # The report for the Hauptausschuss shows the same, with the paper's page linked.
    with Session(bot.engine) as session:
        (board_row,) = session.exec(select(Board)).all()
        data = summaries.build(session, board_row, now=bot.clock.now())
        page = report.page("de", data, None, name=lambda user: user)
    assert "Beschlüsse mit Ratsvorlage" in page
    assert f'<a href="{WEB}/vo020?VOLFDNR=4">' in page
    assert "vom Hauptausschuss am 12.03.2027 beschlossen" in page


def test_a_paper_whose_id_is_on_another_server_is_refused(
    server: OParlServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = OParlConfig(url=server.system_url)
    foreign = Paper(
        id="https://elsewhere.example/paper/1", reference="B 19/0379", name="x", date=None,
        web=None,
    )  # fmt: skip

    class Endpoint:
        def find_paper(self, wanted: str, *, consultations: bool) -> Paper:
            return foreign

    monkeypatch.setattr(papers, "_client", lambda config: Endpoint())
    with pytest.raises(BotError) as refused:
        papers.look_up(config, "B 19/0379")
    assert refused.value.key == "oparl.malformed"
    assert papers.same_server(config, server.url("paper/4"))
    assert not papers.same_server(config, "https://elsewhere.example/oparl/v1.1/paper/4")
    assert not papers.same_server(config, server.url("paper/4").replace("http:", "https:"))


def test_an_unexpected_error_in_a_look_up_is_retried_like_a_bad_answer(
    bot_factory: Callable[..., BotHarness], server: OParlServer
) -> None:
    bot = board(bot_factory, server)
    bot.reply("!beschluss B-1 vorlage B 19/0379")

    def broken(config: object, wanted: str) -> Paper:
        raise KeyError("a bug")

    before = queued(bot)
    papers.process_requests(bot.engine, bot.config.oparl, bot.clock, lookup=broken)
    (said,) = new_bodies(bot, before)
    assert said.startswith("⚠️ Das Ratsinformationssystem hat unerwartet geantwortet.")
    (request,) = bot.rows(CouncilRequest)
    assert request.attempts == 1


def test_the_short_form_needs_the_hyphen_else_it_is_a_decision(
    bot_factory: Callable[..., BotHarness], server: OParlServer
) -> None:
    bot = board(bot_factory, server)
    assert bot.reply("!beschluss B3 Vorlage wird überarbeitet").startswith("✔️ Beschluss B-2")
    assert bot.count(CouncilRequest) == 0


def test_a_paper_deleted_in_the_council_system_is_said_once_and_no_longer_read(
    bot_factory: Callable[..., BotHarness], server: OParlServer
) -> None:
    bot = board(bot_factory, server)
    bot.reply(f"!beschluss B-1 vorlage {server.url('paper/1')}")
    council(bot)
    server.fault("error", server.url("paper/1"))  # a 500 first: read again
    assert results(bot) == []
    server.clear_faults()
    del server.objects[server.url("paper/1")]  # deleted: 404
    assert results(bot) == [
        "⚠️ Die Vorlage B 19/0301 zu **B-1** ist im Ratsinformationssystem nicht mehr zu finden. "
        "Ich prüfe sie nicht weiter; eine neue Vorlage verknüpfen Sie mit "
        "`beschluss B-1 vorlage …`."
    ]
    asked = len(server.requests)
    assert results(bot) == []
    assert len(server.requests) == asked


def test_a_withdrawn_paper_is_said_once_and_no_longer_read(
    bot_factory: Callable[..., BotHarness], server: OParlServer
) -> None:
    bot = board(bot_factory, server)
    bot.reply("!beschluss B-1 vorlage B 19/0379")
    council(bot)
    withdrawn = Paper(
        id=server.url("paper/4"), reference="B 19/0379", name=NAME, date=None, web=None,
        consultations=(
            Consultation(
                id=None, organization="Hauptausschuss", meeting_date=date(2027, 3, 12),
                role="Entscheidung", authoritative=True, result="Von der Verwaltung zurückgezogen",
                resolution_text=None, outcome=None,
            ),
        ),
    )  # fmt: skip
    read: list[str] = []

    def reader(url: str) -> Paper:
        read.append(url)
        return withdrawn

    before = queued(bot)
    papers.check_results(bot.engine, bot.config.oparl, bot.clock, read=reader)
    assert new_bodies(bot, before) == [
        "🏛️ Die Vorlage B 19/0379 zu **B-1** wurde im Rat zurückgezogen. Ich prüfe sie nicht "
        "weiter; eine neue Vorlage verknüpfen Sie mit `beschluss B-1 vorlage …`."
    ]
    papers.check_results(bot.engine, bot.config.oparl, bot.clock, read=reader)
    assert read == [server.url("paper/4")]  # not read again
    assert decision(bot).council_outcome is None
