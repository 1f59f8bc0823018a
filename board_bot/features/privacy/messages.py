"""The person's data as a short readable summary (``!meine-daten``); the file has the rest."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from babel.lists import format_list

from board_bot.core.formats import locale_of
from board_bot.core.i18n import t, tn
from board_bot.core.render import Safe

#: How each counted section is named: ``2 Rollen``, ``1 Abwesenheit`` (the summary's order).
COUNTED: dict[str, Callable[[str, int], Safe]] = {
    "roles": lambda lang, n: tn(lang, "privacy.count.roles", n),
    "absences": lambda lang, n: tn(lang, "privacy.count.absences", n),
    "status_answers": lambda lang, n: tn(lang, "privacy.count.status_answers", n),
    "status_prompts": lambda lang, n: tn(lang, "privacy.count.status_prompts", n),
    "work_packages": lambda lang, n: tn(lang, "privacy.count.work_packages", n),
    "workshops": lambda lang, n: tn(lang, "privacy.count.workshops", n),
    "workshop_votes": lambda lang, n: tn(lang, "privacy.count.workshop_votes", n),
    "workshop_rsvps": lambda lang, n: tn(lang, "privacy.count.workshop_rsvps", n),
    "workshop_invitations": lambda lang, n: tn(lang, "privacy.count.workshop_invitations", n),
    "agenda_items": lambda lang, n: tn(lang, "privacy.count.agenda_items", n),
    "minutes_entries": lambda lang, n: tn(lang, "privacy.count.minutes_entries", n),
    "decisions": lambda lang, n: tn(lang, "privacy.count.decisions", n),
    "audit_entries": lambda lang, n: tn(lang, "privacy.count.audit_entries", n),
    "mentions": lambda lang, n: tn(lang, "privacy.count.mentions", n),
}


def summary(lang: str, counts: Mapping[str, int], file_name: str) -> Safe:
    """„Ihre Daten beim Smart City Board: 2 Rollen, 1 Abwesenheit, …; die vollständige
    Aufstellung steht in der angehängten Datei …“"""
    parts = [name(lang, counts[key]) for key, name in COUNTED.items() if counts.get(key)]
    if not parts:
        return t(lang, "privacy.summary_empty", file=file_name)
    listed = Safe(format_list([str(p) for p in parts], locale=locale_of(lang)))
    return t(lang, "privacy.summary", counts=listed, file=file_name)
