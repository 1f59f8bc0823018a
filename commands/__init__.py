"""The chat commands. This list is the registry: no scanning, no import magic."""

from __future__ import annotations

from board_bot.chat.framework import Registry
from commands import (
    about,
    absences,
    board,
    departments,
    help,
    history,
    minutes,
    people,
    privacy,
    publish,
    status,
    summary,
    work_packages,
    workshops,
    wp_export,
)

# wp_export adds its command to work_packages.group when it is imported, minutes its agenda
# command to workshops.group.
WP_MODULES = (work_packages, wp_export)
WORKSHOP_MODULES = (workshops, minutes)


def build_registry() -> Registry:
    registry = Registry()
    registry.add_command(help.help_)
    registry.add_command(about.about)
    registry.add_group(board.group)
    registry.add_group(departments.group)
    registry.add_group(people.group)
    registry.add_command(people.whoami)
    registry.add_command(people.people_)
    registry.add_command(privacy.my_data)
    registry.add_command(absences.away)
    registry.add_command(absences.back)
    registry.add_command(absences.absences_)
    registry.add_command(history.history)
    registry.add_group(work_packages.group)
    registry.add_group(status.group)
    registry.add_command(status.update)
    registry.add_group(summary.group)
    registry.add_group(workshops.group)
    registry.add_command(workshops.workshops_)
    registry.add_group(minutes.minutes_group)
    registry.add_command(minutes.decision)
    registry.add_command(minutes.action)
    registry.add_command(minutes.note)
    registry.add_group(minutes.decisions_group)
    registry.add_group(publish.group)
    return registry
