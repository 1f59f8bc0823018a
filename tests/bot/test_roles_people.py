"""``!role``, ``!whoami``, ``!people``: roles by full Matrix id or pill, checked against the room,
people named by their display names (with the id where a name could mislead), never trusted."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from board_bot.models import Membership
from tests.bot.city import DEPUTY, LEAD, MEMBER, OBSERVER, STRANGER, fast_bot, make_city
from tests.bot.conftest import ADMIN, BotHarness

FORBIDDEN = "Diesen Befehl darf nur der Board-Vorsitz (CDO) ausführen: cdo (@cdo:example.org)."
NEW = "@neu:example.org"


@pytest.fixture
def city(bot_factory: Callable[..., BotHarness]) -> BotHarness:
    return make_city(bot_factory)


def roles(bot: BotHarness) -> set[tuple[str, str, int | None]]:
    return {(m.user_id, m.role, m.department_id) for m in bot.rows(Membership) if not m.ended_at}


def test_assign_by_id_and_by_pill(city: BotHarness) -> None:
    assert city.reply(f"!rolle zuweisen {NEW} mitglied FB 68") == (
        "neu (@neu:example.org) hat jetzt die Rolle **Mitglied** in FB 68 – Verkehr."
    )
    assert city.reply("!role assign https://matrix.to/#/@pill:example.org deputy fb68") == (
        "pill (@pill:example.org) hat jetzt die Rolle **Vertretung** in FB 68 – Verkehr."
    )
    assert city.reply(f"!rolle vergeben {NEW} beobachter") == (
        "neu (@neu:example.org) hat jetzt die Rolle **Beobachter/in**."
    )
    assert city.reply(f"!rolle zuweisen {NEW} admin") == (
        "neu (@neu:example.org) hat jetzt die Rolle **Board-Vorsitz (CDO)**."
    )
    # The new admin may now do what admins do.
    assert "angelegt" in city.reply("!fb anlegen FB 20 Kämmerei", sender=NEW)


def test_a_new_lead_replaces_the_old_one(city: BotHarness) -> None:
    assert city.reply(f"!rolle zuweisen {MEMBER} leitung FB 61") == (
        "mia.meyer (@mia.meyer:example.org) hat jetzt die Rolle **Leitung** in FB 61 – "
        "Stadtplanung.\n\n"
        "Die bisherige Leitung lena.lehmann (@lena.lehmann:example.org) ist damit abgelöst.\n\n"
        "mia.meyer (@mia.meyer:example.org) ist damit nicht mehr **Mitglied** in FB 61 – "
        "Stadtplanung (eine Rolle je Person und Fachbereich)."
    )
    leads = {(u, d) for u, r, d in roles(city) if r == "lead"}
    assert [u for u, _ in leads] == [MEMBER]


def test_someone_not_in_the_room_is_accepted_with_a_warning(city: BotHarness) -> None:
    city.dispatcher.runtime.room_members = lambda room: frozenset({ADMIN, LEAD})
    reply = city.reply("!rolle zuweisen @gast:nachbarstadt.example mitglied FB 61")
    assert reply == (
        "gast (@gast:nachbarstadt.example) hat jetzt die Rolle **Mitglied** in FB 61 – "
        "Stadtplanung.\n\n"
        "Hinweis: gast (@gast:nachbarstadt.example) ist nicht in diesem Raum. Die Rolle gilt "
        "trotzdem; bitte laden Sie die Person ein. Personen anderer Server können über ihren "
        "eigenen Server teilnehmen."
    )
    assert ("@gast:nachbarstadt.example", "member") in {(u, r) for u, r, _ in roles(city)}
    # Someone in the room: no warning.
    assert "Hinweis" not in city.reply(f"!rolle zuweisen {LEAD} mitglied FB 68")


def test_unknown_membership_gives_no_warning(city: BotHarness) -> None:
    city.dispatcher.runtime.room_members = lambda room: None
    assert "Hinweis" not in city.reply(f"!rolle zuweisen {NEW} mitglied FB 61")


def test_remove(city: BotHarness) -> None:
    assert city.reply(f"!rolle entziehen {DEPUTY} vertretung FB 61") == (
        "dirk.decker (@dirk.decker:other.example) hat die Rolle **Vertretung** in FB 61 – "
        "Stadtplanung nicht mehr."
    )
    # Without a deputy nobody answers: the reply says so rather than promise a deputy.
    assert city.reply(f"!role remove {LEAD} lead FB 61") == (
        "lena.lehmann (@lena.lehmann:example.org) hat die Rolle **Leitung** in FB 61 – "
        "Stadtplanung nicht mehr.\n\n**FB 61 – Stadtplanung** hat jetzt keine Leitung, und "
        "heute ist auch keine Vertretung anwesend: Niemand ist für den Fachbereich ansprechbar. "
        "Bitte tragen Sie eine neue Leitung ein: `!rolle zuweisen <Person> leitung <Kürzel>`."
    )
    assert {r for _, r, _ in roles(city)} == {"admin", "member", "observer"}


def test_removing_a_configured_admin_says_they_keep_their_rights(city: BotHarness) -> None:
    city.reply(f"!rolle zuweisen {NEW} admin")
    assert city.reply(f"!rolle entziehen {ADMIN} admin", sender=NEW) == (
        "cdo (@cdo:example.org) hat die Rolle **Board-Vorsitz (CDO)** nicht mehr.\n\n"
        "Hinweis: cdo (@cdo:example.org) ist in der Konfiguration als Board-Vorsitz (CDO) "
        "eingetragen und behält deshalb diese Rechte."
    )


@pytest.mark.parametrize(
    ("command", "reply"),
    [
        (
            "!rolle zuweisen erika leitung FB 61",
            "„erika“ ist keine Matrix-Kennung. Bitte die volle Kennung angeben, "
            "z. B. `@erika.musterfrau:stadt.example`.",
        ),
        (
            "!rolle zuweisen @erika leitung FB 61",
            "„@erika“ ist keine Matrix-Kennung. Bitte die volle Kennung angeben, "
            "z. B. `@erika.musterfrau:stadt.example`.",
        ),
        (
            f"!rolle zuweisen {NEW} chefin FB 61",
            "„chefin“ ist keine Rolle. Möglich sind: leitung, vertretung, mitglied, admin, "
            "beobachterin, beobachter.",
        ),
        (
            f"!rolle zuweisen {NEW} leitung",
            "Für die Rolle „Leitung“ geben Sie bitte das Kürzel des Fachbereichs an.",
        ),
        (
            f"!rolle zuweisen {NEW} admin FB 61",
            "Die Rolle „Board-Vorsitz (CDO)“ gilt für das ganze Board; bitte ohne Fachbereich "
            "angeben.",
        ),
        (
            f"!rolle zuweisen {NEW} leitung FB 99",
            "Einen Fachbereich „FB 99“ gibt es nicht. Vorhanden sind: FB 13, FB 61, FB 68.",
        ),
        (
            f"!rolle zuweisen {LEAD} leitung FB 61",
            "lena.lehmann (@lena.lehmann:example.org) hat diese Rolle bereits.",
        ),
        (
            f"!rolle entziehen {LEAD} vertretung FB 61",
            "lena.lehmann (@lena.lehmann:example.org) hat diese Rolle nicht.",
        ),
        (
            f"!rolle entziehen {ADMIN} admin",
            "cdo (@cdo:example.org) ist die letzte Person im Board-Vorsitz (CDO). Bitte tragen Sie "
            "zuerst eine weitere Person dafür ein.",
        ),
    ],
)
def test_bad_role_commands_change_nothing(city: BotHarness, command: str, reply: str) -> None:
    before = city.domain_state()
    assert city.reply(command).split("\n\nAufruf:")[0] == reply
    assert city.domain_state() == before


@pytest.mark.parametrize(
    "command",
    [
        f"!rolle zuweisen {NEW} mitglied FB 61",
        f"!rolle zuweisen {MEMBER} admin",
        f"!rolle entziehen {MEMBER} mitglied FB 61",
    ],
)
@pytest.mark.parametrize("sender", [LEAD, DEPUTY, MEMBER, OBSERVER, STRANGER])
def test_only_admins_assign_roles(city: BotHarness, command: str, sender: str) -> None:
    before = city.domain_state()
    assert city.reply(command, sender=sender) == FORBIDDEN
    assert city.domain_state() == before


# --- whoami -------------------------------------------------------------------------------------


def test_whoami(city: BotHarness) -> None:
    city.reply(f"!rolle zuweisen {LEAD} mitglied FB 68")
    city.reply("!abwesend 21.12.2026 - 06.01.2027 Urlaub", sender=LEAD)
    assert city.reply("!ich", sender=LEAD) == (
        "**Ihre Rollen in diesem Board** – lena.lehmann (@lena.lehmann:example.org)\n\n"
        "- Leitung in FB 61 – Stadtplanung\n"
        "- Mitglied in FB 68 – Verkehr\n\n"
        "**Ihre Abwesenheiten**\n"
        "- 21.12.2026 bis 06.01.2027 (Urlaub)"
    )
    assert city.reply("!werbinich") == (
        "**Ihre Rollen in diesem Board** – cdo (@cdo:example.org)\n\n- Board-Vorsitz (CDO)"
    )


def test_whoami_without_a_role_says_who_assigns_roles(city: BotHarness) -> None:
    assert city.reply("!whoami", sender=STRANGER) == (
        "**Ihre Rollen in diesem Board** – fremd (@fremd:example.org)\n\n"
        "Sie haben in diesem Board keine Rolle. Rollen vergibt der Board-Vorsitz (CDO): "
        "cdo (@cdo:example.org)."
    )


def test_whoami_of_an_admin_by_configuration_only(bot_factory: Callable[..., BotHarness]) -> None:
    bot = fast_bot(bot_factory, admins=[ADMIN, "@zweite:example.org"])
    bot.reply("!board init Board")
    bot.reply("!rolle entziehen @zweite:example.org admin")
    assert bot.reply("!ich", sender="@zweite:example.org").endswith(
        "- Board-Vorsitz (CDO), laut Konfiguration"
    )


# --- people -------------------------------------------------------------------------------------


def test_people(city: BotHarness) -> None:
    assert city.reply("!personen", sender=OBSERVER) == (
        "**Personen im Board**\n\n"
        "- Board-Vorsitz (CDO): cdo (@cdo:example.org)\n"
        "- Beobachter/innen: ob (@ob:example.org)\n\n"
        "**FB 13 – Hauptamt**\n- Leitung: –\n- Vertretung: –\n- Mitglieder: –\n\n"
        "**FB 61 – Stadtplanung**\n"
        "- Leitung: lena.lehmann (@lena.lehmann:example.org)\n"
        "- Vertretung: dirk.decker (@dirk.decker:other.example)\n"
        "- Mitglieder: mia.meyer (@mia.meyer:example.org)\n\n"
        "**FB 68 – Verkehr**\n- Leitung: –\n- Vertretung: –\n- Mitglieder: –"
    )


def test_people_in_english(city: BotHarness) -> None:
    city.reply("!board language en")
    assert city.reply("!people").startswith(
        "**The board's people**\n\n"
        # The chair's line starts a list item, as the observers' line does: capitalised.
        "- Board chair (CDO): cdo (@cdo:example.org)\n"
        "- Observers: ob (@ob:example.org)"
    )


def test_a_display_name_alone_names_a_person_the_id_only_where_it_could_mislead(
    city: BotHarness,
) -> None:
    names = {
        LEAD: "Lena Lehmann",
        # A display name can say anything: it must neither format, nor ping, nor break lines.
        # (Its link has a colon, as an id does: the id is added.)
        DEPUTY: "<b>CDO</b> @room\n# Chef [x](https://evil.example)\u202e",
        MEMBER: MEMBER,  # the same as the id: named as without a display name
        OBSERVER: ADMIN,  # someone else's id: the observer's own is added
    }
    city.dispatcher.runtime.display_name = lambda room, user: names.get(user)
    city.dispatcher.runtime.room_members = lambda room: frozenset(
        {ADMIN, LEAD, DEPUTY, MEMBER, OBSERVER}
    )
    city.handle("!personen")
    [content] = city.contents()
    body, html = content["body"], content["formatted_body"]
    assert "- Board-Vorsitz (CDO): cdo (@cdo:example.org)\n" in body  # no display name known
    assert "- Beobachter/innen: @cdo:example.org (@ob:example.org)\n" in body
    assert "- Leitung: Lena Lehmann\n" in body
    assert (
        "- Vertretung: <b>CDO</b> @\u2060room # Chef [x](https://evil.example) "
        "(@dirk.decker:other.example)\n"
    ) in body
    assert "- Mitglieder: mia.meyer (@mia.meyer:example.org)\n" in body
    assert "<b>" not in html and "&lt;b&gt;CDO&lt;/b&gt;" in html
    assert "<a" not in html and "<h1>" not in html and "\u202e" not in html
    assert "@room" not in html
    assert content["m.mentions"] == {}
    # The same in a reply that names someone.
    city.handle(f"!rolle zuweisen {DEPUTY} mitglied FB 68")
    [content] = city.contents()
    assert "<b>" not in content["formatted_body"]
    assert content["body"].startswith("<b>CDO</b> @\u2060room")
    # A namesake joins the room: now both are named with their ids.
    namesake = "@lena.lange:example.org"
    names[namesake] = "Lena Lehmann"
    city.dispatcher.runtime.room_members = lambda room: frozenset(
        {ADMIN, LEAD, DEPUTY, MEMBER, OBSERVER, namesake}
    )
    assert city.reply(f"!rolle zuweisen {namesake} mitglied FB 68") == (
        "Lena Lehmann (@lena.lange:example.org) hat jetzt die Rolle **Mitglied** in "
        "FB 68 – Verkehr."
    )
    body = city.reply("!personen")
    assert "- Leitung: Lena Lehmann (@lena.lehmann:example.org)\n" in body
    assert (
        "- Mitglieder: <b>CDO</b> @\u2060room # Chef [x](https://evil.example) "
        "(@dirk.decker:other.example), Lena Lehmann (@lena.lange:example.org)"
    ) in body


# --- review findings: one role per department, the acting contact, wording ----------------------


def test_a_new_role_in_a_department_ends_the_other_and_says_so(city: BotHarness) -> None:
    assert city.reply(f"!rolle zuweisen {DEPUTY} mitglied FB 61") == (
        "dirk.decker (@dirk.decker:other.example) hat jetzt die Rolle **Mitglied** in FB 61 – "
        "Stadtplanung.\n\n"
        "dirk.decker (@dirk.decker:other.example) ist damit nicht mehr **Vertretung** in "
        "FB 61 – Stadtplanung (eine Rolle je Person und Fachbereich)."
    )
    assert (DEPUTY, "deputy") not in {(u, r) for u, r, _ in roles(city)}
    # A role in another department, or a board role, ends nothing.
    assert city.reply(f"!rolle zuweisen {DEPUTY} vertretung FB 68") == (
        "dirk.decker (@dirk.decker:other.example) hat jetzt die Rolle **Vertretung** in FB 68 – "
        "Verkehr."
    )
    assert "nicht mehr" not in city.reply(f"!rolle zuweisen {DEPUTY} beobachter")
    city.reply("!board language en")
    assert city.reply(f"!role assign {MEMBER} deputy FB 61").endswith(
        "So mia.meyer (@mia.meyer:example.org) is no longer **member** in FB 61 – Stadtplanung "
        "(one role per person and department)."
    )


def test_removing_the_lead_names_the_deputy_who_answers(city: BotHarness) -> None:
    assert city.reply(f"!rolle entziehen {LEAD} leitung FB 61").endswith(
        "**FB 61 – Stadtplanung** hat jetzt keine Leitung; bis eine neue eingetragen ist, ist "
        "die Vertretung dirk.decker (@dirk.decker:other.example) ansprechbar."
    )


def test_removing_the_lead_while_the_deputy_is_away_says_nobody_answers(city: BotHarness) -> None:
    city.reply("!abwesend 07.12.2026 - 11.12.2026", sender=DEPUTY)
    assert city.reply(f"!rolle entziehen {LEAD} leitung FB 61").endswith(
        "**FB 61 – Stadtplanung** hat jetzt keine Leitung, und heute ist auch keine Vertretung "
        "anwesend: Niemand ist für den Fachbereich ansprechbar. Bitte tragen Sie eine neue "
        "Leitung ein: `!rolle zuweisen <Person> leitung <Kürzel>`."
    )


def test_whoami_shows_a_single_day_like_absences_does(city: BotHarness) -> None:
    city.reply("!abwesend 08.12.2026 Dienstreise", sender=MEMBER)
    city.reply("!abwesend 21.12.2026 - 06.01.2027", sender=MEMBER)
    assert city.reply("!ich", sender=MEMBER).endswith(
        "**Ihre Abwesenheiten**\n- am 08.12.2026 (Dienstreise)\n- 21.12.2026 bis 06.01.2027"
    )
    absences = city.reply("!abwesenheiten")
    assert "- mia.meyer (@mia.meyer:example.org): am 08.12.2026 (Dienstreise)\n" in absences


def test_german_help_and_refusals_name_only_german_role_words(city: BotHarness) -> None:
    reply = city.reply("!hilfe rolle")
    assert "beobachterin/beobachter" in reply
    assert not {"lead", "deputy", "member", "observer"} & set(re.findall(r"[a-z]+", reply))
    refused = city.reply(f"!rolle zuweisen {NEW} chef")
    assert "observer" not in refused and "lead" not in refused
    city.reply("!board language en")
    assert city.reply(f"!role assign {NEW} boss").startswith(
        "“boss” is not a role. Choose one of: lead, deputy, member, admin, observer."
    )
