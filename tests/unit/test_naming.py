"""How a person is named in a message (``board_bot.core.naming``): the display name alone, the id
only where the name could mislead, never a bare id."""

from __future__ import annotations

from board_bot.core.i18n import t
from board_bot.core.naming import (
    People,
    Person,
    named,
    namer,
    people_list,
    person_name,
    plain_names,
)
from board_bot.core.render import plain_text

ROOM = "!board:stadt.example"
ERIKA = "@erika:stadt.example"
ERIKA_ELSEWHERE = "@erika:nachbar.example"
MAX = "@max:stadt.example"


def lookup(names: dict[str, str]):  # type: ignore[no-untyped-def]
    return lambda room_id, user_id: names.get(user_id) if room_id == ROOM else None


def test_a_display_name_alone_names_a_person() -> None:
    name = namer(ROOM, lookup({ERIKA: "Erika Musterfrau"}), lambda room: frozenset({ERIKA}))
    assert plain_text(name(ERIKA)) == "Erika Musterfrau"


def test_without_a_display_name_the_local_part_and_the_id() -> None:
    assert plain_text(plain_names(ERIKA)) == "erika (@erika:stadt.example)"
    assert plain_text(namer(ROOM, lookup({}))(MAX)) == "max (@max:stadt.example)"


def test_two_people_of_one_name_get_their_ids() -> None:
    names = {ERIKA: "Erika Musterfrau", ERIKA_ELSEWHERE: "erika musterfrau", MAX: "Max"}
    name = namer(ROOM, lookup(names), lambda room: frozenset(names))
    assert plain_text(name(ERIKA)) == "Erika Musterfrau (@erika:stadt.example)"
    assert plain_text(name(ERIKA_ELSEWHERE)) == "erika musterfrau (@erika:nachbar.example)"
    assert plain_text(name(MAX)) == "Max"


def test_a_name_known_from_elsewhere_that_someone_here_has_gets_the_id() -> None:
    names = {ERIKA: "Erika Musterfrau", ERIKA_ELSEWHERE: "Erika Musterfrau"}
    name = namer(ROOM, lookup(names), lambda room: frozenset({ERIKA}))  # the other is not here
    assert plain_text(name(ERIKA_ELSEWHERE)) == "Erika Musterfrau (@erika:nachbar.example)"
    assert plain_text(name(ERIKA)) == "Erika Musterfrau"


def test_a_name_that_looks_like_an_id_gets_the_real_id() -> None:
    name = namer(ROOM, lookup({MAX: "@cdo:stadt.example"}), lambda room: frozenset({MAX}))
    assert plain_text(name(MAX)) == "@cdo:stadt.example (@max:stadt.example)"


def test_names_are_cleaned_and_escaped() -> None:
    shown = person_name(ERIKA, "Erika\n<b>Muster</b>\u202efrau [x](javascript:1)")
    assert "\n" not in shown and "\u202e" not in shown
    assert "<b>" not in shown
    assert "(@erika:stadt.example)" in plain_text(shown)  # the link's colon looks like an id


def test_people_in_error_parameters_are_named_for_the_reader() -> None:
    params = named({"user": Person(ERIKA), "admins": People((ERIKA, MAX)), "n": 3}, plain_names)
    assert plain_text(params["user"]) == "erika (@erika:stadt.example)"
    assert plain_text(params["admins"]) == "erika (@erika:stadt.example), max (@max:stadt.example)"
    assert params["n"] == 3
    # Not named by a reader (worded elsewhere): still never a bare id.
    worded = plain_text(t("de", "role.last_admin", user=Person(ERIKA)))
    assert "erika (@erika:stadt.example)" in worded


def test_nobody_is_a_dash() -> None:
    assert people_list(plain_names, []) == "–"


def test_an_actor_that_is_no_person_is_shown_as_it_is() -> None:
    assert plain_text(plain_names("import:demo")) == "import:demo"
    assert plain_text(plain_names("schedule")) == "schedule"
