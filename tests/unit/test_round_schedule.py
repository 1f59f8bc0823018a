"""The dates and times of a board's status rounds (``board_bot.features.status_rounds.schedule``).

Dates picked so that each case tests something. Note that Easter Sunday 2027 is 28.03.2027 – the
day the clocks go forward – so Ostermontag 2027 is Monday 29.03.2027, not 05.04.2027; the week
after the spring switch in 2027 is therefore also the Easter week. 30.03.2026 supplies a plain
Monday after a switch.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

import pytest

from board_bot.features.status_rounds.messages import describe
from board_bot.features.status_rounds.schedule import (
    DEFAULT,
    WEEKEND,
    Moment,
    RoundTimes,
    Schedule,
    current_round,
    next_round,
    parse_moment,
    period_of,
    round_for,
    rounds_between,
    validate,
    wall_to_utc,
)

D = date


def U(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def S(
    prompt: Moment = DEFAULT.prompt,
    reminders: tuple[Moment, ...] = DEFAULT.reminders,
    deadline: Moment = DEFAULT.deadline,
    frequency: str = "weekly",
    **kwargs: object,
) -> Schedule:
    return replace(
        DEFAULT,
        frequency=frequency,
        prompt=prompt,
        reminders=reminders,
        deadline=deadline,
        **kwargs,  # type: ignore[arg-type]
    )


def times(rt: RoundTimes) -> tuple[datetime, tuple[datetime, ...], datetime]:
    return rt.prompt_at, rt.reminders_at, rt.deadline_at


# --- the default schedule ----------------------------------------------------------------------


def test_default_schedule_is_valid_and_as_documented() -> None:
    assert validate(DEFAULT) == []
    assert DEFAULT.frequency == "weekly"
    assert DEFAULT.prompt == Moment(0, time(9, 0))
    assert DEFAULT.reminders == (Moment(1, time(10, 0)),)
    assert DEFAULT.deadline == Moment(2, time(12, 0))
    assert DEFAULT.anchor == D(2026, 1, 5)
    assert (DEFAULT.timezone, DEFAULT.bundesland) == ("Europe/Berlin", "SH")


def test_default_round_in_a_normal_winter_week() -> None:
    rt = round_for(DEFAULT, D(2026, 11, 23))
    assert rt == RoundTimes(
        period="2026-W48",
        nominal_day=D(2026, 11, 23),
        prompt_at=U(2026, 11, 23, 8),
        reminders_at=(U(2026, 11, 24, 9),),
        deadline_at=U(2026, 11, 25, 11),
        shifted_by_holiday=None,
    )
    assert rt.prompt_at.tzinfo is UTC


def test_default_round_in_a_normal_summer_week() -> None:
    rt = round_for(DEFAULT, D(2026, 6, 15))
    assert times(rt) == (U(2026, 6, 15, 7), (U(2026, 6, 16, 8),), U(2026, 6, 17, 10))
    assert rt.period == "2026-W25"


def test_round_for_rejects_a_day_without_a_round() -> None:
    with pytest.raises(ValueError, match="not_a_round_day"):
        round_for(DEFAULT, D(2026, 11, 24))


def test_an_invalid_schedule_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown_timezone"):
        round_for(replace(DEFAULT, timezone="Mars/Olympus"), D(2026, 11, 23))
    with pytest.raises(ValueError, match="bad_frequency"):
        next_round(replace(DEFAULT, frequency="daily"), U(2026, 11, 23))


def test_a_naive_now_is_refused() -> None:
    with pytest.raises(ValueError, match="naive_datetime"):
        next_round(DEFAULT, datetime(2026, 11, 23, 8))


# --- daylight saving time ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("nominal", "prompt", "reminder", "deadline"),
    [
        # spring 2026: clocks go forward on Sunday 29.03.2026
        (D(2026, 3, 23), U(2026, 3, 23, 8), U(2026, 3, 24, 9), U(2026, 3, 25, 11)),
        (D(2026, 3, 30), U(2026, 3, 30, 7), U(2026, 3, 31, 8), U(2026, 4, 1, 10)),
        # autumn 2026: clocks go back on Sunday 25.10.2026
        (D(2026, 10, 19), U(2026, 10, 19, 7), U(2026, 10, 20, 8), U(2026, 10, 21, 10)),
        (D(2026, 10, 26), U(2026, 10, 26, 8), U(2026, 10, 27, 9), U(2026, 10, 28, 11)),
        # autumn 2027: Sunday 31.10.2027
        (D(2027, 10, 25), U(2027, 10, 25, 7), U(2027, 10, 26, 8), U(2027, 10, 27, 10)),
        (D(2027, 11, 1), U(2027, 11, 1, 8), U(2027, 11, 2, 9), U(2027, 11, 3, 11)),
    ],
)
def test_nine_oclock_stays_nine_oclock_across_dst(
    nominal: date, prompt: datetime, reminder: datetime, deadline: datetime
) -> None:
    assert times(round_for(DEFAULT, nominal)) == (prompt, (reminder,), deadline)


def test_the_week_after_the_spring_switch_2027_is_also_easter() -> None:
    """28.03.2027: clocks go forward and it is Easter Sunday; Monday 29.03. is Ostermontag."""
    rt = round_for(DEFAULT, D(2027, 3, 29))
    assert rt.shifted_by_holiday == "Ostermontag"
    # Tue 30.03. 09:00 CEST, Wed 31.03. 10:00 CEST, Thu 01.04. 12:00 CEST
    assert times(rt) == (U(2027, 3, 30, 7), (U(2027, 3, 31, 8),), U(2027, 4, 1, 10))
    assert rt.period == "2027-W13"


def test_a_round_spanning_the_spring_switch() -> None:
    """Prompt Friday 27.03.2026 09:00 CET, deadline Monday 30.03.2026 12:00 CEST."""
    schedule = S(prompt=Moment(4, time(9)), reminders=(), deadline=Moment(0, time(12)))
    rt = round_for(schedule, D(2026, 3, 27))
    assert times(rt) == (U(2026, 3, 27, 8), (), U(2026, 3, 30, 10))


def test_a_round_spanning_the_autumn_switch() -> None:
    schedule = S(prompt=Moment(4, time(9)), reminders=(), deadline=Moment(0, time(12)))
    rt = round_for(schedule, D(2026, 10, 23))
    assert times(rt) == (U(2026, 10, 23, 7), (), U(2026, 10, 26, 11))


@pytest.mark.parametrize(
    ("day", "wall", "expected"),
    [
        # 02:30 does not exist on 28.03.2027; it means 03:30 CEST
        (D(2027, 3, 28), time(2, 30), U(2027, 3, 28, 1, 30)),
        (D(2027, 3, 28), time(1, 59), U(2027, 3, 28, 0, 59)),
        (D(2027, 3, 28), time(3, 0), U(2027, 3, 28, 1, 0)),
        # 02:30 happens twice on 25.10.2026; the first time (CEST) counts
        (D(2026, 10, 25), time(2, 30), U(2026, 10, 25, 0, 30)),
        (D(2026, 10, 25), time(1, 59), U(2026, 10, 24, 23, 59)),
        (D(2026, 10, 25), time(3, 0), U(2026, 10, 25, 2, 0)),
    ],
)
def test_wall_clock_in_the_gap_and_in_the_doubled_hour(
    day: date, wall: time, expected: datetime
) -> None:
    assert wall_to_utc(day, wall, "Europe/Berlin") == expected


def test_a_sunday_0230_prompt_moves_to_the_next_working_day() -> None:
    """Sundays are days off, so a Sunday 02:30 prompt never lands in Berlin's gap or doubled hour;
    it moves to Monday (here: Tuesday, as 29.03.2027 is Ostermontag)."""
    schedule = S(prompt=Moment(6, time(2, 30)), reminders=(), deadline=Moment(1, time(12)))
    assert validate(schedule) == []
    spring = round_for(schedule, D(2027, 3, 28))
    assert spring.shifted_by_holiday == WEEKEND
    # the shift is 2 days: deadline Tuesday 30.03. + 2 = Thursday 01.04.
    assert times(spring) == (U(2027, 3, 30, 0, 30), (), U(2027, 4, 1, 10))
    autumn = round_for(schedule, D(2026, 10, 25))
    assert autumn.shifted_by_holiday == WEEKEND
    assert times(autumn) == (U(2026, 10, 26, 1, 30), (), U(2026, 10, 28, 11))
    assert autumn.period == "2026-W43"


def test_a_prompt_in_the_gap_of_a_zone_that_switches_on_a_friday() -> None:
    """Cairo: clocks go forward Friday 24.04.2026 00:00 -> 01:00 and back Thursday 29.10.2026
    24:00 -> 23:00 (both working days in SH)."""
    gap = S(
        prompt=Moment(4, time(0, 30)),
        reminders=(Moment(4, time(0, 45)),),
        deadline=Moment(4, time(2)),
        timezone="Africa/Cairo",
    )
    # 00:30 and 00:45 do not exist; they mean 01:30 and 01:45 EEST (+03:00)
    assert times(round_for(gap, D(2026, 4, 24))) == (
        U(2026, 4, 23, 22, 30),
        (U(2026, 4, 23, 22, 45),),
        U(2026, 4, 23, 23),
    )
    doubled = S(
        prompt=Moment(3, time(23, 30)),
        reminders=(),
        deadline=Moment(4, time(12)),
        timezone="Africa/Cairo",
    )
    # the first 23:30 (EEST, +03:00); the deadline Friday 12:00 is winter time (+02:00)
    assert times(round_for(doubled, D(2026, 10, 29))) == (
        U(2026, 10, 29, 20, 30),
        (),
        U(2026, 10, 30, 10),
    )


# --- public holidays ---------------------------------------------------------------------------


def test_pfingstmontag() -> None:
    rt = round_for(DEFAULT, D(2027, 5, 17))
    assert rt.shifted_by_holiday == "Pfingstmontag"
    assert rt.nominal_day == D(2027, 5, 17)
    assert rt.period == "2027-W20"
    assert times(rt) == (U(2027, 5, 18, 7), (U(2027, 5, 19, 8),), U(2027, 5, 20, 10))


def test_05_04_2027_is_an_ordinary_monday() -> None:
    rt = round_for(DEFAULT, D(2027, 4, 5))
    assert rt.shifted_by_holiday is None
    assert times(rt) == (U(2027, 4, 5, 7), (U(2027, 4, 6, 8),), U(2027, 4, 7, 10))


def test_ostermontag_2026() -> None:
    rt = round_for(DEFAULT, D(2026, 4, 6))
    assert rt.shifted_by_holiday == "Ostermontag"
    assert times(rt) == (U(2026, 4, 7, 7), (U(2026, 4, 8, 8),), U(2026, 4, 9, 10))


def test_tag_der_deutschen_einheit_on_a_monday() -> None:
    rt = round_for(DEFAULT, D(2033, 10, 3))
    assert rt.shifted_by_holiday == "Tag der Deutschen Einheit"
    assert times(rt) == (U(2033, 10, 4, 7), (U(2033, 10, 5, 8),), U(2033, 10, 6, 10))


def test_reformationstag_is_a_holiday_in_sh_but_not_in_by() -> None:
    sh = round_for(DEFAULT, D(2033, 10, 31))
    assert sh.shifted_by_holiday == "Reformationstag"
    # Tue 01.11. 09:00 CET, Wed 02.11. 10:00, Thu 03.11. 12:00
    assert times(sh) == (U(2033, 11, 1, 8), (U(2033, 11, 2, 9),), U(2033, 11, 3, 11))
    by = round_for(replace(DEFAULT, bundesland="BY"), D(2033, 10, 31))
    assert by.shifted_by_holiday is None
    # the prompt stays; the reminder on Allerheiligen (01.11., BY) moves on to Wednesday 10:00,
    # still before the deadline on Wednesday 12:00
    assert times(by) == (U(2033, 10, 31, 8), (U(2033, 11, 2, 9),), U(2033, 11, 2, 11))


def test_christmas_on_a_friday() -> None:
    schedule = S(
        prompt=Moment(4, time(9)),
        reminders=(Moment(4, time(15)),),
        deadline=Moment(0, time(12)),
    )
    rt = round_for(schedule, D(2026, 12, 25))
    assert rt.shifted_by_holiday == "Erster Weihnachtstag"
    assert rt.period == "2026-W52"
    # Mon 28.12. 09:00 and 15:00; the deadline moves 3 days from Mon 28.12. to Thu 31.12.
    assert times(rt) == (U(2026, 12, 28, 8), (U(2026, 12, 28, 14),), U(2026, 12, 31, 11))


def test_new_year_on_a_friday_keeps_the_iso_year_of_the_nominal_day() -> None:
    schedule = S(prompt=Moment(4, time(9)), reminders=(), deadline=Moment(0, time(12)))
    rt = round_for(schedule, D(2027, 1, 1))
    assert rt.shifted_by_holiday == "Neujahr"
    assert rt.period == "2026-W53"
    assert times(rt) == (U(2027, 1, 4, 8), (), U(2027, 1, 7, 11))


def test_a_reminder_pushed_onto_or_past_the_deadline_is_dropped() -> None:
    """Christi Himmelfahrt is Thursday 06.05.2027: the Thursday 14:00 reminder would move to
    Friday 14:00, after the Friday 12:00 deadline; the Wednesday one stays."""
    schedule = S(
        prompt=Moment(1, time(9)),
        reminders=(Moment(2, time(10)), Moment(3, time(14))),
        deadline=Moment(4, time(12)),
    )
    rt = round_for(schedule, D(2027, 5, 4))
    assert rt.shifted_by_holiday is None
    assert times(rt) == (U(2027, 5, 4, 7), (U(2027, 5, 5, 8),), U(2027, 5, 7, 10))
    kept = replace(schedule, reminders=(Moment(3, time(11)),))
    assert round_for(kept, D(2027, 5, 4)).reminders_at == (U(2027, 5, 7, 9),)
    onto = replace(schedule, reminders=(Moment(3, time(12)),))
    assert round_for(onto, D(2027, 5, 4)).reminders_at == ()


def test_a_weekend_prompt_moves_to_monday() -> None:
    schedule = S(prompt=Moment(5, time(10)), reminders=(), deadline=Moment(0, time(12)))
    rt = round_for(schedule, D(2026, 11, 21))
    assert rt.shifted_by_holiday == WEEKEND
    assert rt.period == "2026-W47"
    # shift 2 days: the Monday 23.11. deadline moves to Wednesday 25.11.
    assert times(rt) == (U(2026, 11, 23, 9), (), U(2026, 11, 25, 11))


def test_a_holiday_on_a_saturday_is_named() -> None:
    schedule = S(prompt=Moment(5, time(10)), reminders=(), deadline=Moment(0, time(12)))
    assert round_for(schedule, D(2026, 10, 31)).shifted_by_holiday == "Reformationstag"


def test_reminders_come_out_sorted() -> None:
    schedule = S(reminders=(Moment(2, time(8)), Moment(1, time(10)), Moment(0, time(17))))
    rt = round_for(schedule, D(2026, 11, 23))
    assert rt.reminders_at == (U(2026, 11, 23, 16), U(2026, 11, 24, 9), U(2026, 11, 25, 7))


# --- frequencies -------------------------------------------------------------------------------


def test_biweekly_follows_the_anchor_parity() -> None:
    schedule = S(frequency="biweekly")
    got = rounds_between(schedule, U(2026, 11, 1), U(2026, 12, 1))
    assert [rt.nominal_day for rt in got] == [D(2026, 11, 9), D(2026, 11, 23)]
    assert [rt.period for rt in got] == ["2026-W46", "2026-W48"]
    with pytest.raises(ValueError, match="not_a_round_day"):
        round_for(schedule, D(2026, 11, 16))
    # before the anchor too
    assert round_for(schedule, D(2025, 12, 22)).nominal_day == D(2025, 12, 22)
    assert round_for(schedule, D(2026, 1, 5)).nominal_day == D(2026, 1, 5)
    odd = replace(schedule, anchor=D(2026, 1, 12))
    got_odd = rounds_between(odd, U(2026, 11, 1), U(2026, 12, 1))
    assert [rt.nominal_day for rt in got_odd] == [D(2026, 11, 2), D(2026, 11, 16), D(2026, 11, 30)]


def test_biweekly_on_a_sunday_uses_the_monday_of_its_week() -> None:
    schedule = S(
        frequency="biweekly",
        prompt=Moment(6, time(9)),
        reminders=(),
        deadline=Moment(0, time(12)),
    )
    nominal = [rt.nominal_day for rt in rounds_between(schedule, U(2026, 1, 1), U(2026, 2, 1))]
    assert nominal == [D(2026, 1, 11), D(2026, 1, 25)]


def test_monthly_on_the_first_monday() -> None:
    schedule = S(frequency="monthly")
    got = rounds_between(schedule, U(2027, 1, 1), U(2027, 4, 1))
    assert [rt.nominal_day for rt in got] == [D(2027, 1, 4), D(2027, 2, 1), D(2027, 3, 1)]
    assert [rt.period for rt in got] == ["2027-01", "2027-02", "2027-03"]
    assert times(got[0]) == (U(2027, 1, 4, 8), (U(2027, 1, 5, 9),), U(2027, 1, 6, 11))


def test_monthly_when_the_first_monday_is_a_holiday() -> None:
    schedule = S(frequency="monthly")
    april = round_for(schedule, D(2026, 4, 6))
    assert april.shifted_by_holiday == "Ostermontag"
    assert april.period == "2026-04"
    assert times(april) == (U(2026, 4, 7, 7), (U(2026, 4, 8, 8),), U(2026, 4, 9, 10))
    october = round_for(schedule, D(2033, 10, 3))
    assert october.shifted_by_holiday == "Tag der Deutschen Einheit"
    assert october.prompt_at == U(2033, 10, 4, 7)


def test_monthly_next_round_crosses_the_year() -> None:
    schedule = S(frequency="monthly", prompt=Moment(4, time(9)), deadline=Moment(0, time(12)))
    schedule = replace(schedule, reminders=())
    rt = next_round(schedule, U(2026, 12, 10))
    # the first Friday of January 2027 is Neujahr; the round runs on Monday 04.01.2027
    assert (rt.period, rt.nominal_day, rt.prompt_at) == ("2027-01", D(2027, 1, 1), U(2027, 1, 4, 8))


def test_rounds_between_is_half_open() -> None:
    start = U(2026, 11, 2, 8)
    end = U(2026, 11, 30, 8)
    assert [rt.nominal_day.day for rt in rounds_between(DEFAULT, start, end)] == [2, 9, 16, 23]
    later = rounds_between(DEFAULT, start + timedelta(microseconds=1), end + timedelta(seconds=1))
    assert [rt.nominal_day.day for rt in later] == [9, 16, 23, 30]
    assert rounds_between(DEFAULT, end, start) == []


def test_rounds_between_includes_a_round_shifted_into_the_range() -> None:
    """Ostermontag 29.03.2027 moves the prompt to Tuesday 30.03.2027."""
    got = rounds_between(DEFAULT, U(2027, 3, 30), U(2027, 3, 31))
    assert [rt.nominal_day for rt in got] == [D(2027, 3, 29)]
    assert rounds_between(DEFAULT, U(2027, 3, 29), U(2027, 3, 30)) == []


# --- next_round and current_round -------------------------------------------------------------


def test_next_round_around_the_prompt_instant() -> None:
    prompt = U(2026, 11, 23, 8)
    assert next_round(DEFAULT, prompt - timedelta(microseconds=1)).nominal_day == D(2026, 11, 23)
    assert next_round(DEFAULT, prompt).nominal_day == D(2026, 11, 30)
    assert next_round(DEFAULT, prompt + timedelta(seconds=1)).nominal_day == D(2026, 11, 30)
    assert next_round(DEFAULT, U(2026, 11, 17, 12)).nominal_day == D(2026, 11, 23)


def test_next_round_with_a_now_in_another_zone() -> None:
    from zoneinfo import ZoneInfo

    now = datetime(2026, 11, 23, 8, 59, tzinfo=ZoneInfo("Europe/Berlin"))
    assert next_round(DEFAULT, now).prompt_at == U(2026, 11, 23, 8)


def test_next_round_on_a_holiday_monday() -> None:
    rt = next_round(DEFAULT, U(2027, 3, 29, 8))
    assert (rt.nominal_day, rt.prompt_at) == (D(2027, 3, 29), U(2027, 3, 30, 7))


def test_next_round_agrees_with_counting_day_by_day() -> None:
    """Every 13 hours over two years, for every frequency: the answer matches a naive scan."""
    for frequency in ("weekly", "biweekly", "monthly"):
        schedule = S(frequency=frequency)
        every = rounds_between(schedule, U(2026, 11, 1), U(2029, 2, 1))
        prompts = [rt.prompt_at for rt in every]
        assert prompts == sorted(prompts)
        now = U(2027, 1, 1)
        while now < U(2029, 1, 1):
            expected = next(rt for rt in every if rt.prompt_at > now)
            assert next_round(schedule, now) == expected, (frequency, now)
            started = [rt for rt in every if rt.prompt_at <= now]
            latest = started[-1]
            want = latest if latest.deadline_at > now - timedelta(days=7) else None
            assert current_round(schedule, now) == want, (frequency, now)
            now += timedelta(hours=13)


def test_next_round_looks_at_a_few_rounds_however_far_from_now(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Counted, not timed (a busy machine fails a timed test): finding the next round works
    through the rounds of a few weeks around ``now``, whether ``now`` is next week or in 2099."""
    from board_bot.features.status_rounds import schedule as module

    looked_at: list[RoundTimes] = []
    make_round = module._round

    def counted(schedule: Schedule, day: date) -> RoundTimes:
        looked_at.append(make_round(schedule, day))
        return looked_at[-1]

    monkeypatch.setattr(module, "_round", counted)
    rt = next_round(DEFAULT, U(2099, 6, 1))
    assert rt.nominal_day == D(2099, 6, 1)
    far = len(looked_at)
    looked_at.clear()
    next_round(DEFAULT, U(2030, 1, 1))
    near = len(looked_at)
    assert max(far, near) <= module.MAX_SEARCH_DAYS // 7 + 3  # the same few, far or near


def test_current_round_while_it_runs() -> None:
    running = current_round(DEFAULT, U(2026, 11, 24, 12))
    assert running is not None
    assert running.period == "2026-W48"
    assert current_round(DEFAULT, U(2026, 11, 23, 8)) == running
    # just before its prompt, the previous week's round is still current (deadline 6 days ago)
    previous = current_round(DEFAULT, U(2026, 11, 23, 7, 59))
    assert previous is not None
    assert previous.period == "2026-W47"


def test_current_round_after_the_deadline_and_eight_days_later() -> None:
    biweekly = S(frequency="biweekly")
    # round of 23.11.2026: deadline Wed 25.11. 11:00 UTC; no round in the week of 30.11.
    missed = current_round(biweekly, U(2026, 11, 26, 9))
    assert missed is not None
    assert missed.nominal_day == D(2026, 11, 23)
    deadline = U(2026, 11, 25, 11)
    assert current_round(biweekly, deadline + timedelta(days=7, seconds=-1)) == missed
    assert current_round(biweekly, deadline + timedelta(days=7)) is None
    # eight days after the prompt the deadline is only six days past: still the missed round
    assert current_round(biweekly, U(2026, 12, 1, 8)) == missed
    assert current_round(biweekly, U(2026, 12, 3, 11)) is None  # eight days after the deadline
    # weekly, eight days after a prompt the next round is the current one
    weekly = current_round(DEFAULT, U(2026, 12, 1, 8))
    assert weekly is not None
    assert weekly.period == "2026-W49"


def test_current_round_monthly() -> None:
    schedule = S(frequency="monthly")
    rt = current_round(schedule, U(2027, 2, 3, 12))
    assert rt is not None
    assert rt.period == "2027-02"
    assert current_round(schedule, U(2027, 2, 20)) is None
    # the day before February's round, January's deadline (06.01.) is long past
    assert current_round(schedule, U(2027, 1, 31)) is None


# --- period_of ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("frequency", "day", "period"),
    [
        ("weekly", D(2026, 11, 25), "2026-W48"),
        ("weekly", D(2026, 11, 29), "2026-W48"),
        ("weekly", D(2026, 11, 30), "2026-W49"),
        ("biweekly", D(2026, 12, 2), "2026-W49"),
        ("weekly", D(2027, 1, 1), "2026-W53"),
        ("weekly", D(2026, 1, 1), "2026-W01"),
        ("weekly", D(2026, 3, 2), "2026-W10"),
        ("monthly", D(2026, 11, 25), "2026-11"),
        ("monthly", D(2027, 1, 1), "2027-01"),
    ],
)
def test_period_of(frequency: str, day: date, period: str) -> None:
    assert period_of(S(frequency=frequency), day) == period


def test_period_of_a_scheduled_round_matches_its_nominal_day() -> None:
    for rt in rounds_between(DEFAULT, U(2026, 1, 1), U(2027, 1, 1)):
        assert period_of(DEFAULT, rt.nominal_day) == rt.period


# --- validate ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "problems"),
    [
        ({"reminders": (Moment(0, time(8)),)}, ["reminder_before_prompt"]),
        ({"reminders": (Moment(0, time(9)),)}, ["reminder_before_prompt"]),
        ({"reminders": (Moment(3, time(10)),)}, ["reminder_after_deadline"]),
        ({"reminders": (Moment(2, time(12)),)}, ["reminder_after_deadline"]),
        ({"deadline": Moment(0, time(8))}, ["deadline_before_prompt"]),
        ({"deadline": Moment(0, time(9)), "reminders": ()}, ["deadline_before_prompt"]),
        (
            {"reminders": tuple(Moment(1, time(h)) for h in range(8, 14))},
            ["too_many_reminders"],
        ),
        ({"reminders": (Moment(1, time(10)), Moment(1, time(10)))}, ["duplicate_reminder"]),
        ({"frequency": "daily"}, ["bad_frequency"]),
        ({"anchor": D(2026, 1, 6)}, ["anchor_not_monday"]),
        ({"timezone": "Europe/Kiel"}, ["unknown_timezone"]),
        ({"timezone": ""}, ["unknown_timezone"]),
        ({"timezone": "../etc/passwd"}, ["unknown_timezone"]),
        ({"bundesland": "XX"}, ["unknown_bundesland"]),
        ({"bundesland": "sh"}, ["unknown_bundesland"]),
        ({"prompt": Moment(7, time(9))}, ["bad_weekday"]),
        (
            {"frequency": "monthly", "bundesland": "BY", "reminders": (), "timezone": "UTC"},
            [],
        ),
        ({"reminders": tuple(Moment(1, time(h)) for h in range(8, 13))}, []),
        # prompt Thursday, deadline Monday: the following Monday, so fine
        ({"prompt": Moment(3, time(9)), "reminders": (), "deadline": Moment(0, time(12))}, []),
        # prompt Thursday, reminder Tuesday lies after a Monday deadline
        (
            {
                "prompt": Moment(3, time(9)),
                "reminders": (Moment(1, time(10)),),
                "deadline": Moment(0, time(12)),
            },
            ["reminder_after_deadline"],
        ),
        # same weekday as the prompt, later in the day: fine
        ({"reminders": (Moment(0, time(15)),), "deadline": Moment(0, time(18))}, []),
    ],
)
def test_validate(changes: dict[str, object], problems: list[str]) -> None:
    assert validate(replace(DEFAULT, **changes)) == problems  # type: ignore[arg-type]


def test_validate_reports_several_problems_once_each() -> None:
    schedule = replace(
        DEFAULT,
        frequency="hourly",
        reminders=(Moment(0, time(8)), Moment(0, time(7)), Moment(4, time(8))),
        deadline=Moment(3, time(12)),
        bundesland="Kiel",
    )
    assert validate(schedule) == [
        "bad_frequency",
        "unknown_bundesland",
        "reminder_before_prompt",
        "reminder_after_deadline",
    ]


# --- parse_moment ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "moment"),
    [
        ("Mo 09:00", Moment(0, time(9))),
        ("montag 9:00", Moment(0, time(9))),
        ("Montag 9 Uhr", Moment(0, time(9))),
        ("mon 09:30", Moment(0, time(9, 30))),
        ("Di 10", Moment(1, time(10))),
        ("tuesday 10:00", Moment(1, time(10))),
        ("Mittwoch 12:00", Moment(2, time(12))),
        ("Wed 12:00", Moment(2, time(12))),
        ("Do 8:15", Moment(3, time(8, 15))),
        ("Thursday 8:15", Moment(3, time(8, 15))),
        ("fr 17:45 Uhr", Moment(4, time(17, 45))),
        ("Friday 0:00", Moment(4, time(0))),
        ("Sa 23:59", Moment(5, time(23, 59))),
        ("Sonnabend 10", Moment(5, time(10))),
        ("SO 7", Moment(6, time(7))),
        ("sun 07:00", Moment(6, time(7))),
        ("Mo. 9.30 Uhr", Moment(0, time(9, 30))),
        ("Montag, 9 Uhr", Moment(0, time(9))),
        ("Montag um 9 Uhr", Moment(0, time(9))),
        ("  Di   10:00  ", Moment(1, time(10))),
        ("Die 10", Moment(1, time(10))),
        ("thu 10", Moment(3, time(10))),
    ],
)
def test_parse_moment(text: str, moment: Moment) -> None:
    assert parse_moment(text) == moment


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Mo",
        "09:00",
        "Mo 25:00",
        "Mo 24:00",
        "Mo 9:75",
        "Mo 9:5",
        "Mo 9:",
        "Mo -1",
        "Mo 123",
        "Mx 09:00",
        "M 09:00",
        "Monday Tuesday 9",
        "Mo 09:00 extra",
        "Mo09:00",
        "Mo 9 pm",
        "Mo ٠٩:٠٠",
    ],
)
def test_parse_moment_rejects(text: str) -> None:
    with pytest.raises(ValueError, match=r"^bad_moment$"):
        parse_moment(text)


# --- describe ----------------------------------------------------------------------------------


def test_describe_default() -> None:
    assert describe(DEFAULT, "de") == (
        "wöchentlich montags 09:00 Uhr; Erinnerung dienstags 10:00 Uhr; Frist mittwochs 12:00 Uhr"
    )
    assert describe(DEFAULT, "en") == (
        "weekly on Mondays at 09:00; reminder Tuesdays at 10:00; deadline Wednesdays at 12:00"
    )


def test_describe_unknown_language_is_german() -> None:
    assert describe(DEFAULT, "fr") == describe(DEFAULT, "de")


def test_describe_biweekly_without_reminder() -> None:
    schedule = S(frequency="biweekly", reminders=(), prompt=Moment(3, time(8, 30)))
    schedule = replace(schedule, deadline=Moment(0, time(12)))
    assert describe(schedule, "de") == (
        "alle zwei Wochen donnerstags 08:30 Uhr; ohne Erinnerung; Frist montags 12:00 Uhr"
    )
    assert describe(schedule, "en") == (
        "every two weeks on Thursdays at 08:30; no reminder; deadline Mondays at 12:00"
    )


def test_describe_monthly_with_several_reminders_in_order() -> None:
    schedule = S(
        frequency="monthly",
        reminders=(Moment(2, time(8)), Moment(1, time(10)), Moment(0, time(16))),
        deadline=Moment(2, time(12)),
    )
    assert describe(schedule, "de") == (
        "monatlich am ersten Montag um 09:00 Uhr; Erinnerungen am Montag um 16:00 Uhr, "
        "am Dienstag um 10:00 Uhr und am Mittwoch um 08:00 Uhr; Frist am Mittwoch um 12:00 Uhr"
    )
    assert describe(schedule, "en") == (
        "monthly on the first Monday at 09:00; reminders on Monday at 16:00, "
        "on Tuesday at 10:00, and on Wednesday at 08:00; deadline on Wednesday at 12:00"
    )


def test_describe_two_weekly_reminders() -> None:
    schedule = S(reminders=(Moment(1, time(10)), Moment(1, time(16))))
    assert describe(schedule, "de") == (
        "wöchentlich montags 09:00 Uhr; Erinnerungen dienstags 10:00 Uhr und dienstags "
        "16:00 Uhr; Frist mittwochs 12:00 Uhr"
    )
    assert describe(schedule, "en") == (
        "weekly on Mondays at 09:00; reminders Tuesdays at 10:00 and Tuesdays at 16:00; "
        "deadline Wednesdays at 12:00"
    )
