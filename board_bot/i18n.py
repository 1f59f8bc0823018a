"""Every text a user reads, in German (default) and English.

``t(lang, key, **params)`` looks a message up and fills in its parameters. The messages are
Markdown, and safe by default: every ``str`` parameter is escaped (``board_bot.render.escape``)
unless it is marked :class:`~board_bot.render.Safe` – our own Markdown, such as a backticked
command word, a prefix, or the result of another ``t()`` (which is ``Safe`` itself). Numbers and
other values are formatted as they are. A test checks that every key used in the code exists here
and has a German text.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from board_bot.render import Safe, escape_param
from board_bot.timefmt import format_date

DEFAULT_LANGUAGE = "de"

MESSAGES: dict[str, dict[str, str]] = {
    # --- the dispatcher -------------------------------------------------------------------------
    "error.internal": {
        "de": "Entschuldigung, bei diesem Befehl ist ein interner Fehler aufgetreten. "
        "Er wurde protokolliert; bitte versuchen Sie es später noch einmal.",
        "en": "Sorry, this command failed with an internal error. It has been logged; "
        "please try again later.",
    },
    "error.too_long": {
        "de": "Diese Nachricht ist zu lang ({size} Bytes, erlaubt sind {limit}). "
        "Bitte kürzen Sie den Befehl.",
        "en": "This message is too long ({size} bytes, the limit is {limit}). "
        "Please shorten the command.",
    },
    "error.too_old": {
        "de": "Dieser Befehl kam an, während der Bot nicht erreichbar war, und ist älter als "
        "{hours} Stunden. Er wurde nicht ausgeführt; bitte senden Sie ihn erneut.",
        "en": "This command arrived while the bot was unreachable and is older than {hours} "
        "hours. It was not carried out; please send it again.",
    },
    "error.rate_limited": {
        "de": "Sie senden gerade sehr viele Befehle. Bitte warten Sie einen Moment; "
        "Befehle in dieser Zeit werden nicht ausgeführt.",
        "en": "You are sending a lot of commands. Please wait a moment; commands sent "
        "meanwhile are not carried out.",
    },
    "error.forbidden_admin": {
        "de": "Diesen Befehl darf nur die Leitung des Boards ausführen: {admins}.",
        "en": "Only the board's chairs may use this command: {admins}.",
    },
    "error.no_board": {
        "de": "In diesem Raum ist noch kein Smart City Board eingerichtet. Die Leitung des "
        "Boards richtet es mit `{prefix}board init <Name>` ein.",
        "en": "No Smart City Board has been set up in this room yet. The board's chair sets "
        "it up with `{prefix}board init <name>`.",
    },
    "error.unknown_command": {
        "de": "Unbekannter Befehl „{command}“.",
        "en": "Unknown command “{command}”.",
    },
    "error.did_you_mean": {
        "de": "Meinten Sie {suggestions}?",
        "en": "Did you mean {suggestions}?",
    },
    "error.see_help": {
        "de": "Alle Befehle zeigt `{prefix}hilfe`.",
        "en": "`{prefix}help` lists all commands.",
    },
    "error.unknown_subcommand": {
        "de": "`{group}` kennt den Befehl „{command}“ nicht.",
        "en": "`{group}` has no command “{command}”.",
    },
    "error.missing_subcommand": {
        "de": "Bitte geben Sie an, was `{group}` tun soll.",
        "en": "Please say what `{group}` should do.",
    },
    "usage.line": {"de": "Aufruf: {usage}", "en": "Usage: {usage}"},
    # --- argument parsing -----------------------------------------------------------------------
    "parse.unclosed_quote": {
        "de": "Ein Anführungszeichen wurde nicht geschlossen.",
        "en": "A quotation mark was not closed.",
    },
    "parse.missing_argument": {
        "de": "Es fehlt die Angabe `<{name}>`.",
        "en": "The argument `<{name}>` is missing.",
    },
    "parse.too_many_arguments": {
        "de": "Zu viele Angaben: „{extra}“ wird nicht erwartet.",
        "en": "Too many arguments: “{extra}” was not expected.",
    },
    "parse.unknown_option": {
        "de": "Die Option „{option}“ gibt es hier nicht.",
        "en": "There is no option “{option}” here.",
    },
    "parse.option_needs_value": {
        "de": "Die Option „{option}“ braucht einen Wert.",
        "en": "The option “{option}” needs a value.",
    },
    "convert.int": {
        "de": "„{value}“ ist keine ganze Zahl.",
        "en": "“{value}” is not a whole number.",
    },
    "convert.date": {
        "de": "„{value}“ ist kein gültiges Datum. Bitte so angeben: 31.12.2026 (oder 2026-12-31).",
        "en": "“{value}” is not a valid date. Please write it like 31.12.2026 (or 2026-12-31).",
    },
    "convert.user_id": {
        "de": "„{value}“ ist keine Matrix-Kennung. Bitte die volle Kennung angeben, "
        "z. B. `@erika.musterfrau:stadt.example`.",
        "en": "“{value}” is not a Matrix user id. Please give the full id, "
        "e.g. `@erika.musterfrau:city.example`.",
    },
    "convert.language": {
        "de": "„{value}“ ist keine unterstützte Sprache. Möglich sind: {choices}.",
        "en": "“{value}” is not a supported language. Choose one of: {choices}.",
    },
    "convert.text_too_long": {
        "de": "Der Text ist zu lang ({length} Zeichen, höchstens {limit}).",
        "en": "The text is too long ({length} characters, at most {limit}).",
    },
    "convert.text_control": {
        "de": "Der Text enthält unzulässige Steuerzeichen. "
        "Bitte geben Sie ihn ohne diese Zeichen ein.",
        "en": "The text contains control characters that are not allowed. "
        "Please enter it without them.",
    },
    "convert.text_empty": {
        "de": "Der Text darf nicht leer sein.",
        "en": "The text must not be empty.",
    },
    # --- help -----------------------------------------------------------------------------------
    "help.title": {
        "de": "**Befehle des Smart City Board Bots**",
        "en": "**Smart City Board bot commands**",
    },
    "help.more": {
        "de": "Mehr zu einem Befehl: `{prefix}hilfe <Befehl>`, z. B. `{prefix}hilfe board`.",
        "en": "More about a command: `{prefix}help <command>`, e.g. `{prefix}help board`.",
    },
    "help.aliases": {"de": "Auch: {aliases}", "en": "Also: {aliases}"},
    "help.admin_only": {
        "de": "Nur für die Leitung des Boards.",
        "en": "For the board's chairs only.",
    },
    "help.unknown_topic": {
        "de": "Zu „{topic}“ gibt es keine Hilfe.",
        "en": "There is no help on “{topic}”.",
    },
    # --- about ----------------------------------------------------------------------------------
    "about.text": {
        "de": "**Smart City Board Bot** {version}\n\n"
        "- Läuft seit: {started} ({uptime})\n"
        "- Datenbank: {database}\n"
        "- Verschlüsselung: {encryption}\n"
        "- Räume: {rooms}, davon mit Board: {boards}\n"
        "- Quellcode: freie Software (Apache-2.0)",
        "en": "**Smart City Board bot** {version}\n\n"
        "- Running since: {started} ({uptime})\n"
        "- Database: {database}\n"
        "- Encryption: {encryption}\n"
        "- Rooms: {rooms}, with a board: {boards}\n"
        "- Source: free software (Apache-2.0)",
    },
    "about.encryption_on": {"de": "an", "en": "on"},
    "about.encryption_off": {"de": "aus", "en": "off"},
    "duration.days_hours": {"de": "{days} Tg. {hours} Std.", "en": "{days} d {hours} h"},
    "duration.hours_minutes": {
        "de": "{hours} Std. {minutes} Min.",
        "en": "{hours} h {minutes} min",
    },
    "duration.minutes": {"de": "{minutes} Min.", "en": "{minutes} min"},
    # --- rooms --------------------------------------------------------------------------------
    "greeting": {
        "de": "Guten Tag! Ich bin der Bot des Smart City Boards. Ich verwalte Arbeitspakete, "
        "sammle die wöchentlichen Statusmeldungen der Fachbereiche und fasse sie zusammen. "
        "Alle Befehle zeigt `{prefix}hilfe`. Ist hier noch kein Board eingerichtet, macht die "
        "Leitung des Boards diesen Raum mit `{prefix}board init <Name>` zum Board-Raum.",
        "en": "Hello! I am the Smart City Board's bot. I keep track of work packages, collect "
        "the departments' weekly status updates and summarise them. `{prefix}help` lists all "
        "commands. If no board has been set up here yet, the board's chair makes this room the "
        "board room with `{prefix}board init <name>`.",
    },
    "invite.refused": {
        "de": "Dieser Bot nimmt nur Einladungen von freigegebenen Personen und Servern an.",
        "en": "This bot only accepts invitations from approved people and servers.",
    },
    # --- boards ---------------------------------------------------------------------------------
    "board.created": {
        "de": "Dieser Raum ist jetzt der Board-Raum von **{name}**. "
        "Sprache: Deutsch, Zeitzone: {timezone}. Alle Befehle zeigt `{prefix}hilfe`.",
        "en": "This room is now the board room of **{name}**. "
        "Language: English, time zone: {timezone}. `{prefix}help` lists all commands.",
    },
    "board.already_exists": {
        "de": "Dieser Raum ist bereits der Board-Raum von **{name}**.",
        "en": "This room already is the board room of **{name}**.",
    },
    "board.name_taken": {
        "de": "Ein anderes Board heißt bereits **{name}**. Bitte wählen Sie einen anderen Namen.",
        "en": "Another board is already called **{name}**. Please choose another name.",
    },
    "board.name_too_long": {
        "de": "Der Name ist zu lang ({length} Zeichen, höchstens {limit}). "
        "Bitte wählen Sie einen kürzeren Namen.",
        "en": "The name is too long ({length} characters, at most {limit}). "
        "Please choose a shorter name.",
    },
    "board.info": {
        "de": "**{name}**\n\n- Sprache: {language}\n- Zeitzone: {timezone}\n"
        "- Eingerichtet am {created} von {created_by}",
        "en": "**{name}**\n\n- Language: {language}\n- Time zone: {timezone}\n"
        "- Set up on {created} by {created_by}",
    },
    "board.language_set": {
        "de": "Die Sprache des Boards ist jetzt Deutsch.",
        "en": "The board's language is now English.",
    },
    "language.de": {"de": "Deutsch", "en": "German"},
    "language.en": {"de": "Englisch", "en": "English"},
    # --- placeholders in usage lines (!board init <Name>) ----------------------------------------
    "arg.name": {"de": "Name", "en": "name"},
    "arg.topic": {"de": "Thema", "en": "topic"},
    "arg.language": {"de": "Sprache", "en": "language"},
    # --- command help (English falls back to the command's docstring) ---------------------------
    "group.board": {
        "de": "Das Board dieses Raums einrichten und anzeigen",
        "en": "Set up and show this room's board",
    },
    "cmd.help": {
        "de": "Zeigt die Befehle und ihre Aufrufe",
        "en": "Show the commands and how to use them",
    },
    "cmd.about": {
        "de": "Zeigt Version, Laufzeit, Datenbank und Verschlüsselung des Bots",
        "en": "Show the bot's version, uptime, database and encryption",
    },
    "cmd.board.init": {
        "de": "Macht diesen Raum zum Board-Raum eines neuen Smart City Boards",
        "en": "Make this room the board room of a new Smart City Board",
    },
    "cmd.board.show": {
        "de": "Zeigt Name, Sprache und Zeitzone des Boards",
        "en": "Show the board's name, language and time zone",
    },
    "cmd.board.language": {
        "de": "Stellt die Sprache des Boards um (de oder en)",
        "en": "Switch the board's language (de or en)",
    },
}


def t(lang: str, key: str, /, **params: Any) -> Safe:
    """The message ``key`` in ``lang`` (German when missing there), with ``params`` filled in:
    strings escaped unless they are :class:`Safe`, other values as they are."""
    entry = MESSAGES[key]
    text = entry.get(lang) or entry[DEFAULT_LANGUAGE]
    if not params:
        return Safe(text)
    return Safe(text.format(**{k: _param(v) for k, v in params.items()}))


def _param(value: Any) -> Any:
    """Dates as the board reads them (31.12.2026); strings escaped unless Safe."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return Safe(format_date(value))
    return escape_param(value)
