"""Every text a user reads, in German (default) and English.

``t(lang, key, **params)`` looks a message up and fills in its parameters. The messages are
Markdown, and safe by default: every ``str`` parameter is escaped (``board_bot.core.render.escape``)
unless it is marked :class:`~board_bot.core.render.Safe` – our own Markdown, such as a backticked
command word, a prefix, or the result of another ``t()`` (which is ``Safe`` itself). Numbers and
other values are formatted as they are. A test checks that every key used in the code exists here
and has a German text.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from board_bot.core.dates import format_date
from board_bot.core.naming import People, Person, named, plain_names
from board_bot.core.render import Safe, escape_param

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
        "de": "„{value}“ ist kein gültiges Datum. Bitte so angeben: 31.12.2026, 31.12., morgen "
        "oder +2w.",
        "en": "“{value}” is not a valid date. Please write it like 31.12.2026, 31.12., tomorrow "
        "or +2w.",
    },
    "convert.no_such_day": {
        "de": "„{value}“ gibt es nicht: der {month:de} hat {days} Tage.",
        "en": "“{value}” does not exist: {month:en} has {days} days.",
    },
    "convert.period_reversed": {
        "de": "Das Ende ({end}) liegt vor dem Beginn ({start}). "
        "Bitte so angeben: 21.12.2026 - 06.01.2027.",
        "en": "The end ({end}) is before the start ({start}). "
        "Please write it like 21.12.2026 - 06.01.2027.",
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
        "- Bundesland (Feiertage): {bundesland}\n- Nächster Arbeitstag: {next_day}\n"
        "- Lagebericht nach jeder Runde: {summary_to}\n"
        "- Eingerichtet am {created} von {created_by}",
        "en": "**{name}**\n\n- Language: {language}\n- Time zone: {timezone}\n"
        "- Bundesland (public holidays): {bundesland}\n- Next working day: {next_day}\n"
        "- Summary after each round: {summary_to}\n"
        "- Set up on {created} by {created_by}",
    },
    "board.summary_room": {"de": "im Board-Raum", "en": "in the board room"},
    "board.summary_thread": {
        "de": "als Kopie im Berichts-Thread",
        "en": "a copy in the summary thread",
    },
    "board.summary_extra_room": {"de": "im Raum {room}", "en": "in room {room}"},
    "board.language_set": {
        "de": "Die Sprache des Boards ist jetzt Deutsch.",
        "en": "The board's language is now English.",
    },
    # --- departments ----------------------------------------------------------------------------
    "dept.code_missing": {
        "de": "Bitte geben Sie das Kürzel des Fachbereichs an, z. B. `FB 61`.",
        "en": "Please give the department's code, e.g. `FB 61`.",
    },
    "dept.code_first": {
        "de": "„{word}“ ist kein Kürzel. Bitte nennen Sie zuerst das Kürzel, dann den Namen, "
        "z. B. `FB 20 Kämmerei`. Ein Kürzel enthält eine Ziffer (FB 61, Amt 13) oder ist in "
        "Großbuchstaben geschrieben (RPA). Ein Kürzel aus mehreren Wörtern ohne Ziffer setzen "
        "Sie in Anführungszeichen, z. B. „Stab OB“.",
        "en": "“{word}” is not a code. Please give the code first, then the name, e.g. "
        "`FB 20 Treasury`. A code contains a digit (FB 61, Amt 13) or is written in capitals "
        '(RPA). Put a code of several words without a digit in quotes, e.g. "Stab OB".',
    },
    "dept.code_invalid": {
        "de": "„{code}“ ist kein gültiges Kürzel. Erlaubt sind Buchstaben, Ziffern, Leerzeichen, "
        "Punkt, Schrägstrich und Bindestrich, höchstens {limit} Zeichen.",
        "en": "“{code}” is not a valid code. Letters, digits, spaces, dots, slashes and hyphens "
        "are allowed, at most {limit} characters.",
    },
    "dept.code_taken": {
        "de": "Das Kürzel „{code}“ ist in diesem Board bereits vergeben.",
        "en": "The code “{code}” is already taken on this board.",
    },
    "dept.name_missing": {
        "de": "Bitte geben Sie nach dem Kürzel den Namen des Fachbereichs an.",
        "en": "Please give the department's name after its code.",
    },
    "dept.name_too_long": {
        "de": "Der Name ist zu lang ({length} Zeichen, höchstens {limit}).",
        "en": "The name is too long ({length} characters, at most {limit}).",
    },
    "dept.not_found_close": {
        "de": "Einen Fachbereich „{code}“ gibt es nicht. Meinten Sie {suggestions}?",
        "en": "There is no department “{code}”. Did you mean {suggestions}?",
    },
    "dept.not_found": {
        "de": "Einen Fachbereich „{code}“ gibt es nicht. Vorhanden sind: {known}.",
        "en": "There is no department “{code}”. The departments are: {known}.",
    },
    "dept.none_yet": {
        "de": "Einen Fachbereich „{code}“ gibt es nicht; in diesem Board ist noch kein "
        "Fachbereich angelegt.",
        "en": "There is no department “{code}”; this board has no departments yet.",
    },
    "dept.added": {
        "de": "Fachbereich **{dept}** angelegt. Die Leitung tragen Sie mit "
        "`{prefix}rolle zuweisen <Person> leitung <Kürzel>` ein.",
        "en": "Department **{dept}** added. Assign its lead with "
        "`{prefix}role assign <user> lead <code>`.",
    },
    "dept.rename_nothing": {
        "de": "Bitte geben Sie einen neuen Namen oder mit `--code` ein neues Kürzel an.",
        "en": "Please give a new name, or a new code with `--code`.",
    },
    "dept.renamed": {
        "de": "Fachbereich **{old}** heißt jetzt **{new}**.",
        "en": "Department **{old}** is now **{new}**.",
    },
    "dept.show.code": {"de": "- Kürzel: {code}", "en": "- Code: {code}"},
    "dept.show.room": {
        "de": "- Raum für Abfragen: {room}",
        "en": "- Room for prompts: {room}",
    },
    "dept.show.no_room": {
        "de": "- Raum für Abfragen: keiner (der Board-Raum)",
        "en": "- Room for prompts: none (the board room)",
    },
    "dept.show.lead": {"de": "- Leitung: {people}", "en": "- Lead: {people}"},
    "dept.show.deputies": {"de": "- Vertretung: {people}", "en": "- Deputies: {people}"},
    "dept.show.members": {"de": "- Mitglieder: {people}", "en": "- Members: {people}"},
    "dept.show.acting": {
        "de": "- Heute ansprechbar: {contact}",
        "en": "- Contact today: {contact}",
    },
    "dept.acting_nobody": {
        "de": "niemand – weder Leitung noch Vertretung ist anwesend",
        "en": "nobody – neither the lead nor a deputy is present",
    },
    "dept.acting_for_until": {
        "de": "{person} (Vertretung; die Leitung ist bis {end} abwesend)",
        "en": "{person} (deputy; the lead is away until {end})",
    },
    "dept.list_empty": {
        "de": "In diesem Board ist noch kein Fachbereich angelegt. Die Leitung des Boards legt "
        "einen mit `{prefix}fb anlegen <Kürzel> <Name>` an.",
        "en": "This board has no departments yet. The board's chair adds one with "
        "`{prefix}dept add <code> <name>`.",
    },
    "dept.list_title": {
        "de": "**Fachbereiche ({count})**",
        "en": "**Departments ({count})**",
    },
    "dept.list_line": {
        "de": "- **{dept}** · Leitung: {lead}",
        "en": "- **{dept}** · Lead: {lead}",
    },
    "dept.list_acting": {
        "de": " · heute ansprechbar: {person}",
        "en": " · contact today: {person}",
    },
    "dept.list_nobody": {
        "de": " · heute niemand ansprechbar",
        "en": " · nobody to contact today",
    },
    "dept.archived": {
        "de": "Fachbereich **{dept}** ist archiviert. Er erscheint nicht mehr in Listen und "
        "Abfragen; sein Verlauf bleibt erhalten (`{prefix}verlauf {code}`).",
        "en": "Department **{dept}** is archived. It no longer appears in lists and prompts; "
        "its history is kept (`{prefix}history {code}`).",
    },
    "dept.room_set": {
        "de": "Abfragen für **{dept}** gehen jetzt in den Raum {room}.",
        "en": "Prompts for **{dept}** now go to the room {room}.",
    },
    "dept.room_cleared": {
        "de": "**{dept}** hat keinen eigenen Raum mehr; Abfragen gehen in den Board-Raum.",
        "en": "**{dept}** no longer has a room of its own; prompts go to the board room.",
    },
    "convert.room_id": {
        "de": "„{value}“ ist keine Raum-ID. Bitte die ID aus den Raumeinstellungen angeben "
        "(„Erweitert“), z. B. `!AbCdEfGh:stadt.example`, oder `keiner`.",
        "en": "“{value}” is not a room id. Please give the id from the room settings "
        "(“Advanced”), e.g. `!AbCdEfGh:city.example`, or `none`.",
    },
    # --- roles ----------------------------------------------------------------------------------
    "role_name.admin": {"de": "Leitung des Boards", "en": "board chair"},
    "role_name.observer": {"de": "Beobachter/in", "en": "observer"},
    "role_name.lead": {"de": "Leitung", "en": "lead"},
    "role_name.deputy": {"de": "Vertretung", "en": "deputy"},
    "role_name.member": {"de": "Mitglied", "en": "member"},
    "convert.role": {
        # The choices are listed here, per language, rather than passed in.
        "de": "„{value}“ ist keine Rolle. Möglich sind: leitung, vertretung, mitglied, admin, "
        "beobachterin, beobachter.",
        "en": "“{value}” is not a role. Choose one of: lead, deputy, member, admin, observer.",
    },
    "role.unknown": {
        "de": "„{role}“ ist keine Rolle.",
        "en": "“{role}” is not a role.",
    },
    "role.needs_department": {
        "de": "Für die Rolle „{role}“ geben Sie bitte das Kürzel des Fachbereichs an.",
        "en": "For the role “{role}” please give the department's code.",
    },
    "role.no_department": {
        "de": "Die Rolle „{role}“ gilt für das ganze Board; bitte ohne Fachbereich angeben.",
        "en": "The role “{role}” is for the whole board; please give it without a department.",
    },
    "role.in_dept": {"de": " in {dept}", "en": " in {dept}"},
    "role.assigned": {
        "de": "{user} hat jetzt die Rolle **{role}**{where}.",
        "en": "{user} now has the role **{role}**{where}.",
    },
    "role.replaced": {
        "de": "Die bisherige Leitung {user} ist damit abgelöst.",
        "en": "This replaces the previous lead, {user}.",
    },
    "role.not_in_room": {
        "de": "Hinweis: {user} ist nicht in diesem Raum. Die Rolle gilt trotzdem; bitte laden "
        "Sie die Person ein. Personen anderer Server können über ihren eigenen Server "
        "teilnehmen.",
        "en": "Note: {user} is not in this room. The role applies anyway; please invite them. "
        "People on other servers can take part through their own server.",
    },
    "role.other_ended": {
        "de": "{user} ist damit nicht mehr **{role}**{where} (eine Rolle je Person und "
        "Fachbereich).",
        "en": "So {user} is no longer **{role}**{where} (one role per person and department).",
    },
    "role.removed": {
        "de": "{user} hat die Rolle **{role}**{where} nicht mehr.",
        "en": "{user} no longer has the role **{role}**{where}.",
    },
    "role.lead_vacant": {
        "de": "**{dept}** hat jetzt keine Leitung; bis eine neue eingetragen ist, ist die "
        "Vertretung {person} ansprechbar.",
        "en": "**{dept}** has no lead now; until a new one is assigned, the deputy {person} is "
        "the contact.",
    },
    "role.lead_vacant_nobody": {
        "de": "**{dept}** hat jetzt keine Leitung, und heute ist auch keine Vertretung "
        "anwesend: Niemand ist für den Fachbereich ansprechbar. Bitte tragen Sie eine neue "
        "Leitung ein: `{prefix}rolle zuweisen <Person> leitung <Kürzel>`.",
        "en": "**{dept}** has no lead now, and no deputy is present today: nobody answers for "
        "the department. Please assign a new lead: `{prefix}role assign <user> lead <code>`.",
    },
    "role.config_admin": {
        "de": "Hinweis: {user} ist in der Konfiguration als Admin eingetragen und behält "
        "deshalb die Rechte der Leitung des Boards.",
        "en": "Note: {user} is an admin in the configuration and so keeps the board chair's "
        "rights.",
    },
    "role.already": {
        "de": "{user} hat diese Rolle bereits.",
        "en": "{user} already has this role.",
    },
    "role.not_held": {
        "de": "{user} hat diese Rolle nicht.",
        "en": "{user} does not have this role.",
    },
    "role.last_admin": {
        "de": "{user} ist die letzte Leitung des Boards. Bitte tragen Sie zuerst eine weitere "
        "Person als Leitung des Boards ein.",
        "en": "{user} is the board's last chair. Please make someone else a chair first.",
    },
    "whoami.title": {
        "de": "**Ihre Rollen in diesem Board** – {user}",
        "en": "**Your roles on this board** – {user}",
    },
    "whoami.config_admin": {
        "de": "Leitung des Boards (laut Konfiguration)",
        "en": "board chair (from the configuration)",
    },
    "whoami.no_role": {
        "de": "Sie haben in diesem Board keine Rolle. Rollen vergibt die Leitung des Boards: "
        "{admins}.",
        "en": "You have no role on this board. The board's chairs assign roles: {admins}.",
    },
    "whoami.absences": {
        "de": "**Ihre Abwesenheiten**",
        "en": "**Your absences**",
    },
    "people.title": {
        "de": "**Personen im Board**",
        "en": "**The board's people**",
    },
    "people.admins": {
        "de": "- Leitung des Boards: {people}",
        "en": "- Board chairs: {people}",
    },
    "people.observers": {
        "de": "- Beobachter/in: {people}",
        "en": "- Observers: {people}",
    },
    # --- absences -------------------------------------------------------------------------------
    "away.period": {"de": "{start} bis {end}", "en": "{start} to {end}"},
    "away.day": {"de": "am {day}", "en": "on {day}"},
    "away.reason": {"de": "{reason}", "en": "{reason}"},
    "away.end_missing": {
        "de": "Nach dem Datum {start} fehlt das Enddatum, z. B. `21.12.2026 - 06.01.2027`.",
        "en": "The end date after {start} is missing, e.g. `21.12.2026 - 06.01.2027`.",
    },
    "away.end_before_start": {
        "de": "Das Ende ({end}) liegt vor dem Beginn ({start}).",
        "en": "The end ({end}) is before the start ({start}).",
    },
    "away.in_past": {
        "de": "Diese Abwesenheit endete bereits am {end}; eingetragen werden nur heutige und "
        "künftige Abwesenheiten.",
        "en": "This absence already ended on {end}; only current and future absences are recorded.",
    },
    "away.too_long": {
        "de": "Eine Abwesenheit dauert höchstens {limit} Tage.",
        "en": "An absence lasts at most {limit} days.",
    },
    "away.overlap": {
        "de": "Für diese Zeit ist bereits eine Abwesenheit eingetragen ({start} bis {end}).",
        "en": "An absence is already recorded for this time ({start} to {end}).",
    },
    "away.not_away": {
        "de": "Für {user} ist weder heute noch künftig eine Abwesenheit eingetragen.",
        "en": "No absence is recorded for {user}, neither today nor later.",
    },
    "away.not_away_self": {
        "de": "Für Sie ist weder heute noch künftig eine Abwesenheit eingetragen.",
        "en": "You have no absence recorded, neither today nor later.",
    },
    "away.reason_too_long": {
        "de": "Der Grund ist zu lang ({length} Zeichen, höchstens {limit}). Bitte kürzen Sie "
        "ihn; die Abwesenheit wurde nicht eingetragen.",
        "en": "The reason is too long ({length} characters, at most {limit}). Please shorten "
        "it; the absence was not recorded.",
    },
    "away.forbidden_other": {
        "de": "Abwesenheiten anderer Personen trägt nur die Leitung des Boards ein: {admins}. "
        "Ihre eigene Abwesenheit tragen Sie mit `{prefix}abwesend <von> - <bis>` ein.",
        "en": "Only the board's chairs record other people's absences: {admins}. Record your "
        "own with `{prefix}away <from> - <to>`.",
    },
    "away.forbidden_no_role": {
        "de": "Ihre eigene Abwesenheit tragen Leitung, Vertretung und Mitglieder eines "
        "Fachbereichs ein; Beobachter/innen und Personen ohne Rolle nicht. Abwesenheiten aller "
        "Personen trägt die Leitung des Boards ein: {admins}.",
        "en": "Leads, deputies and members of a department record their own absences; observers "
        "and people without a role do not. The board's chairs record anyone's absence: "
        "{admins}.",
    },
    "away.recorded": {
        "de": "Abwesenheit eingetragen: {user}, {period}.",
        "en": "Absence recorded: {user}, {period}.",
    },
    "away.stands_in": {
        "de": "{dept}: Vertretung durch {person}",
        "en": "{dept}: {person} stands in",
    },
    "away.nobody_stands_in": {
        "de": "{dept}: keine Vertretung anwesend – bitte tragen Sie eine Vertretung ein",
        "en": "{dept}: no deputy present – please assign a deputy",
    },
    "away.back_self": {
        "de": "Willkommen zurück! Ihre Abwesenheit ist beendet.",
        "en": "Welcome back! Your absence has ended.",
    },
    "away.back_other": {
        "de": "Die Abwesenheit von {user} ist beendet.",
        "en": "The absence of {user} has ended.",
    },
    "away.cancelled_self": {
        "de": "Ihre Abwesenheit ist gestrichen: {period}. Eine Abwesenheit mit anderen Daten "
        "tragen Sie mit `{prefix}abwesend <von> - <bis>` ein.",
        "en": "Your absence is cancelled: {period}. Record one with other dates with "
        "`{prefix}away <from> - <to>`.",
    },
    "away.cancelled_other": {
        "de": "Die Abwesenheit von {user} ist gestrichen: {period}.",
        "en": "The absence of {user} is cancelled: {period}.",
    },
    "away.not_away_today_self": {
        "de": "Sie sind heute nicht abwesend. Geplant ist: {planned}. Soll diese Abwesenheit "
        "gestrichen werden? Dann: `{prefix}abwesend streichen {day}`",
        "en": "You are not away today. Planned: {planned}. Should this absence be cancelled? "
        "Then: `{prefix}away cancel {day}`",
    },
    "away.not_away_today_self_many": {
        "de": "Sie sind heute nicht abwesend. Geplant sind: {planned}. Soll eine davon "
        "gestrichen werden? Dann mit ihrem ersten Tag, z. B.: `{prefix}abwesend streichen {day}`",
        "en": "You are not away today. Planned: {planned}. Should one of them be cancelled? "
        "Then with its first day, e.g.: `{prefix}away cancel {day}`",
    },
    "away.not_away_today_other": {
        "de": "{user} ist heute nicht abwesend. Geplant ist: {planned}. Soll diese Abwesenheit "
        "gestrichen werden? Dann: `{prefix}abwesend streichen {day} --for {user_id}`",
        "en": "{user} is not away today. Planned: {planned}. Should this absence be cancelled? "
        "Then: `{prefix}away cancel {day} --for {user_id}`",
    },
    "away.not_away_today_other_many": {
        "de": "{user} ist heute nicht abwesend. Geplant sind: {planned}. Soll eine davon "
        "gestrichen werden? Dann mit ihrem ersten Tag, z. B.: "
        "`{prefix}abwesend streichen {day} --for {user_id}`",
        "en": "{user} is not away today. Planned: {planned}. Should one of them be cancelled? "
        "Then with its first day, e.g.: `{prefix}away cancel {day} --for {user_id}`",
    },
    "away.cancel_date_missing": {
        "de": "Welche Abwesenheit soll gestrichen werden? Bitte ihren ersten Tag angeben, "
        "z. B. `{prefix}abwesend streichen 21.12.2026`.",
        "en": "Which absence should be cancelled? Please give its first day, e.g. "
        "`{prefix}away cancel 21.12.2026`.",
    },
    "away.no_such_absence": {
        "de": "Für {user} ist am {day} keine aktuelle oder geplante Abwesenheit eingetragen; "
        "nichts wurde gestrichen.",
        "en": "{user} has no current or planned absence on {day}; nothing was cancelled.",
    },
    "away.no_such_absence_self": {
        "de": "Für Sie ist am {day} keine aktuelle oder geplante Abwesenheit eingetragen; "
        "nichts wurde gestrichen. Eingetragene zeigt `{prefix}abwesenheiten`.",
        "en": "You have no current or planned absence on {day}; nothing was cancelled. "
        "`{prefix}absences` lists the recorded ones.",
    },
    "away.none": {
        "de": "Derzeit sind keine Abwesenheiten eingetragen. Ihre eigene tragen Sie mit "
        "`{prefix}abwesend <von> - <bis>` ein.",
        "en": "No absences are recorded. Record your own with `{prefix}away <from> - <to>`.",
    },
    "away.title": {
        "de": "**Abwesenheiten (aktuell und geplant)**",
        "en": "**Absences (current and upcoming)**",
    },
    "away.line_now": {
        "de": "{user}: {period} – derzeit abwesend",
        "en": "{user}: {period} – away now",
    },
    "away.line": {"de": "{user}: {period}", "en": "{user}: {period}"},
    # --- history --------------------------------------------------------------------------------
    "history.title": {
        "de": "**Änderungsprotokoll {dept}** (neueste zuerst, höchstens {limit})",
        "en": "**Change log of {dept}** (newest first, at most {limit})",
    },
    "history.title_archived": {
        "de": "**Änderungsprotokoll {dept}** (archiviert; neueste zuerst, höchstens {limit})",
        "en": "**Change log of {dept}** (archived; newest first, at most {limit})",
    },
    "history.empty": {"de": "Noch keine Einträge.", "en": "No entries yet."},
    "history.created": {"de": "angelegt als {dept}", "en": "created as {dept}"},
    "history.renamed": {
        "de": "umbenannt von {old} in {new}",
        "en": "renamed from {old} to {new}",
    },
    "history.room_set": {"de": "Raum festgelegt: {room}", "en": "room set: {room}"},
    "history.room_cleared": {
        "de": "eigener Raum entfernt",
        "en": "own room removed",
    },
    "history.archived": {"de": "archiviert", "en": "archived"},
    "history.role_assigned": {
        "de": "{user} als {role} eingetragen",
        "en": "{user} assigned as {role}",
    },
    "history.role_removed": {
        "de": "{user} als {role} ausgetragen",
        "en": "{user} removed as {role}",
    },
    "history.other": {"de": "Änderung „{action}“", "en": "change “{action}”"},
    "language.de": {"de": "Deutsch", "en": "German"},
    "language.en": {"de": "Englisch", "en": "English"},
    # --- placeholders in usage lines (!board init <Name>) ----------------------------------------
    "arg.due": {"de": "Datum", "en": "date"},
    "arg.change": {"de": "Änderung", "en": "change"},
    "arg.report": {"de": "Meldung", "en": "report"},
    "arg.name": {"de": "Name", "en": "name"},
    "arg.topic": {"de": "Thema", "en": "topic"},
    "arg.language": {"de": "Sprache", "en": "language"},
    "arg.code": {"de": "Kürzel", "en": "code"},
    "arg.dept": {"de": "Kürzel", "en": "code"},
    "arg.room": {"de": "Raum", "en": "room"},
    "arg.user": {"de": "Person", "en": "user"},
    "arg.role": {"de": "Rolle", "en": "role"},
    "arg.dates": {"de": "von [- bis] [Grund]", "en": "from [- to] [reason]"},
    "arg.for_": {"de": "Person", "en": "user"},
    # --- work packages (services; the chat commands follow) --------------------------------------
    "wp.bad_code": {
        "de": "„{text}“ ist keine Arbeitspaket-Nummer. Bitte so angeben: WP-12 (oder AP-12).",
        "en": "“{text}” is not a work package id. Please write it like WP-12 (or AP-12).",
    },
    "wp.not_found": {
        "de": "Ein Arbeitspaket {code} gibt es in diesem Board nicht.",
        "en": "There is no work package {code} on this board.",
    },
    "wp.bad_sort": {
        "de": "Nach „{sort}“ kann nicht sortiert werden. Möglich sind: {known}.",
        "en": "Cannot sort by “{sort}”. Choose one of: {known}.",
    },
    "wp.title_missing": {
        "de": "Bitte geben Sie einen Titel an.",
        "en": "Please give a title.",
    },
    "wp.title_too_long": {
        "de": "Der Titel ist zu lang ({length} Zeichen, höchstens {limit}).",
        "en": "The title is too long ({length} characters, at most {limit}).",
    },
    "wp.text_too_long": {
        "de": "Der Text ist zu lang ({length} Zeichen, höchstens {limit}).",
        "en": "The text is too long ({length} characters, at most {limit}).",
    },
    "wp.leitlinie_invalid": {
        "de": "„{value}“ ist keine Leitlinie. Die Smart City Charta hat die Leitlinien 1 bis 4.",
        "en": "“{value}” is not a guideline. The Smart City Charta has guidelines 1 to 4.",
    },
    "wp.handlungsfeld_unknown": {
        "de": "„{value}“ ist kein Handlungsfeld dieses Boards. Möglich sind: {known}.",
        "en": "“{value}” is not a field of action of this board. Choose one of: {known}.",
    },
    "wp.department_inactive": {
        "de": "Der Fachbereich {dept} ist archiviert oder gehört nicht zu diesem Board.",
        "en": "The department {dept} is archived or not part of this board.",
    },
    "wp.responsible_invalid": {
        "de": "„{user}“ ist keine Matrix-Kennung wie @name:stadt.example.",
        "en": "“{user}” is not a Matrix user id like @name:city.example.",
    },
    "wp.progress_invalid": {
        "de": "Der Fortschritt muss zwischen 0 und 100 % liegen, nicht „{value}“.",
        "en": "Progress must be between 0 and 100 %, not “{value}”.",
    },
    "wp.due_before_start": {
        "de": "Das Fälligkeitsdatum ({due}) liegt vor dem Beginn ({start}).",
        "en": "The due date ({due}) is before the start ({start}).",
    },
    "wp.euros_invalid": {
        "de": "„{value}“ ist kein Betrag. Bitte ganze Euro angeben, etwa 120.000 oder 120000 €.",
        "en": "“{value}” is not an amount. Please give whole euros, like 120,000 or 120000 €.",
    },
    "wp.euros_cents": {
        "de": "„{value}“ hat Cent. Das Budget wird in ganzen Euro geplant, etwa 120.000.",
        "en": "“{value}” has cents. The budget is planned in whole euros, like 120,000.",
    },
    "wp.euros_too_large": {
        "de": "„{value}“ ist mehr als eine Billion Euro – bitte prüfen Sie die Nullen.",
        "en": "“{value}” is more than a trillion euros – please check the zeros.",
    },
    "wp.status_invalid": {
        "de": "„{value}“ ist kein Status. Möglich sind: {known}.",
        "en": "“{value}” is not a status. Choose one of: {known}.",
    },
    "wp.traffic_invalid": {
        "de": "„{value}“ ist keine Ampelfarbe. Möglich sind: {known}.",
        "en": "“{value}” is not a traffic light. Choose one of: {known}.",
    },
    "wp.traffic_needs_reason": {
        "de": "Eine gelbe oder rote Ampel braucht eine Begründung.",
        "en": "A yellow or red traffic light needs a reason.",
    },
    "wp.done_progress": {
        "de": "Ein erledigtes Arbeitspaket hat 100 % Fortschritt, nicht {progress} %.",
        "en": "A work package that is done is at 100 % progress, not {progress} %.",
    },
    "wp.close_status_invalid": {
        "de": "Ein Arbeitspaket wird als erledigt oder verworfen abgeschlossen, nicht als "
        "„{value}“.",
        "en": "A work package is closed as done or discarded, not as “{value}”.",
    },
    "wp.already_closed": {
        "de": "{code} ist bereits abgeschlossen.",
        "en": "{code} is already closed.",
    },
    "wp.not_closed": {
        "de": "{code} ist nicht abgeschlossen; es gibt nichts wieder zu öffnen.",
        "en": "{code} is not closed; there is nothing to reopen.",
    },
    "wp.link_invalid": {
        "de": "„{url}“ ist kein Link. Bitte eine Adresse mit https:// oder http:// angeben.",
        "en": "“{url}” is not a link. Please give an address starting with https:// or http://.",
    },
    "wp.milestone_not_found": {
        "de": "{code} hat keinen Meilenstein Nr. {index}.",
        "en": "{code} has no milestone no. {index}.",
    },
    "wp.milestone_already_done": {
        "de": "Der Meilenstein „{title}“ ist bereits erreicht.",
        "en": "The milestone “{title}” is already done.",
    },
    "wp.depend_other_board": {
        "de": "{code} kann nur auf Arbeitspakete desselben Boards warten, nicht auf {other}.",
        "en": "{code} can only wait for work packages of the same board, not for {other}.",
    },
    "wp.depend_self": {
        "de": "{code} kann nicht auf sich selbst warten.",
        "en": "{code} cannot wait for itself.",
    },
    "wp.depend_exists": {
        "de": "{code} wartet bereits auf {other}.",
        "en": "{code} already waits for {other}.",
    },
    "wp.depend_missing": {
        "de": "{code} wartet nicht auf {other}.",
        "en": "{code} does not wait for {other}.",
    },
    "wp.cycle": {
        "de": "Diese Abhängigkeit ergäbe einen Kreis: {path}. Bitte lösen Sie erst eine der "
        "Abhängigkeiten.",
        "en": "This dependency would make a cycle: {path}. Please remove one of the "
        "dependencies first.",
    },
    "wp.forbidden_manage": {
        "de": "{code} verwalten die Leitung des Boards und die Leitung oder Vertretung des "
        "zuständigen Fachbereichs.",
        "en": "{code} is managed by the board's chairs and the owning department's lead or deputy.",
    },
    "wp.forbidden_department": {
        "de": "Arbeitspakete für {dept} legen die Leitung des Boards und die Leitung oder "
        "Vertretung von {dept} an.",
        "en": "Work packages for {dept} are created by the board's chairs and the lead or "
        "deputy of {dept}.",
    },
    "wp.forbidden_update": {
        "de": "{code} ändern die Leitung des Boards, die Leitung oder Vertretung des zuständigen "
        "Fachbereichs und die verantwortliche Person.",
        "en": "{code} can be changed by the board's chairs, the owning department's lead or "
        "deputy, and the responsible person.",
    },
    "wp.forbidden_field": {
        "de": "Dieses Feld von {code} ändern nur die Leitung des Boards und die Leitung oder "
        "Vertretung des zuständigen Fachbereichs.",
        "en": "This field of {code} can only be changed by the board's chairs and the owning "
        "department's lead or deputy.",
    },
    # --- work packages: the chat commands ---------------------------------------------------------
    "wp.status.planned": {"de": "geplant", "en": "planned"},
    "wp.status.in_progress": {"de": "in Arbeit", "en": "in progress"},
    "wp.status.blocked": {"de": "blockiert", "en": "blocked"},
    "wp.status.done": {"de": "erledigt", "en": "done"},
    "wp.status.discarded": {"de": "verworfen", "en": "discarded"},
    "wp.light.green": {"de": "grün", "en": "green"},
    "wp.light.yellow": {"de": "gelb", "en": "yellow"},
    "wp.light.red": {"de": "rot", "en": "red"},
    "wp.field.title": {"de": "Titel", "en": "Title"},
    "wp.field.description": {"de": "Beschreibung", "en": "Description"},
    "wp.field.leitlinie": {"de": "Leitlinie", "en": "Guideline"},
    "wp.field.handlungsfeld": {"de": "Handlungsfeld", "en": "Field of action"},
    "wp.field.owner": {"de": "Fachbereich", "en": "Department"},
    "wp.field.responsible": {"de": "Verantwortlich", "en": "Responsible"},
    "wp.field.status": {"de": "Status", "en": "Status"},
    "wp.field.traffic_light": {"de": "Ampel", "en": "Traffic light"},
    "wp.field.traffic_reason": {"de": "Begründung", "en": "Reason"},
    "wp.field.progress": {"de": "Fortschritt", "en": "Progress"},
    "wp.field.start_date": {"de": "Beginn", "en": "Start"},
    "wp.field.due_date": {"de": "Fällig", "en": "Due"},
    "wp.field.funding_programme": {"de": "Förderprogramm", "en": "Funding programme"},
    "wp.field.funding_deadline": {"de": "Antragsfrist", "en": "Application deadline"},
    "wp.field.budget": {"de": "Budget", "en": "Budget"},
    "wp.field.contributors": {"de": "Beteiligt", "en": "Contributing"},
    "wp.forbidden_field_named": {
        "de": "Das Feld „{field}“ von {code} ändern nur die Leitung des Boards und die Leitung "
        "oder Vertretung des zuständigen Fachbereichs. Als verantwortliche Person ändern Sie "
        "Status, Ampel, Fortschritt, Beschreibung, Termine, Förderung, Meilensteine und Links.",
        "en": "Only the board's chairs and the owning department's lead or deputy change the "
        "field “{field}” of {code}. As the responsible person you change status, traffic light, "
        "progress, description, dates, funding, milestones and links.",
    },
    "wp.dept_needed": {
        "de": "Bitte geben Sie mit `--dept <Kürzel>` an, welcher Fachbereich das Arbeitspaket "
        "verantwortet (z. B. `--dept FB61`). Ohne Angabe ist es Ihr eigener Fachbereich – "
        "das geht nur, wenn Sie genau einen Fachbereich leiten oder vertreten.",
        "en": "Please say with `--dept <code>` which department owns the work package (e.g. "
        "`--dept FB61`). Without it, it is your own department – which works only when you "
        "lead or deputise exactly one department.",
    },
    "wp.added": {
        "de": "{code} angelegt: **{title}** ({dept}). Weitere Angaben mit "
        "`{prefix}wp edit {code} <Feld> <Wert>`.",
        "en": "{code} added: **{title}** ({dept}). More details with "
        "`{prefix}wp edit {code} <field> <value>`.",
    },
    "wp.field_unknown": {
        "de": "„{field}“ ist kein Feld eines Arbeitspakets. Möglich sind: titel, beschreibung, "
        "leitlinie, handlungsfeld, fachbereich, verantwortlich, status, ampel, fortschritt, "
        "beginn, fällig, förderprogramm, antragsfrist, beteiligt.",
        "en": "“{field}” is not a field of a work package. Choose one of: title, description, "
        "leitlinie, handlungsfeld, owner, responsible, status, traffic, progress, start, due, "
        "funding, deadline, contributors.",
    },
    "wp.value_missing": {
        "de": "Bitte geben Sie nach dem Feld „{field}“ den neuen Wert an (leeren mit `-`).",
        "en": "Please give the new value after the field “{field}” (clear it with `-`).",
    },
    "wp.unchanged": {
        "de": "{code} ist unverändert: Der Wert war bereits so.",
        "en": "{code} is unchanged: it already had that value.",
    },
    "wp.edited": {"de": "{code} geändert:", "en": "{code} changed:"},
    "wp.closed": {"de": "{code} abgeschlossen: {status}.", "en": "{code} closed: {status}."},
    "wp.reopened": {
        "de": "{code} ist wieder geöffnet.",
        "en": "{code} is open again.",
    },
    "wp.milestone_added": {
        "de": "Meilenstein für {code} angelegt: **{title}**, fällig {due}.",
        "en": "Milestone added to {code}: **{title}**, due {due}.",
    },
    "wp.milestone_done": {
        "de": "Meilenstein von {code} erreicht: ✓ **{title}**.",
        "en": "Milestone of {code} done: ✓ **{title}**.",
    },
    "wp.milestone_action": {
        "de": "„{action}“ kennt `meilenstein` nicht. Möglich sind: `neu <AP> <Datum> <Titel>` "
        "und `erreicht <AP> <Nr.>`.",
        "en": "`milestone` has no action “{action}”. Use `add <WP> <date> <title>` or "
        "`done <WP> <no.>`.",
    },
    "wp.depended": {
        "de": "{code} wartet jetzt auf {other}.",
        "en": "{code} now waits for {other}.",
    },
    "wp.undepended": {
        "de": "{code} wartet nicht mehr auf {other}.",
        "en": "{code} no longer waits for {other}.",
    },
    "wp.linked": {"de": "Link zu {code} hinzugefügt: {url}", "en": "Link added to {code}: {url}"},
    "wp.sort_unknown": {
        "de": "Nach „{sort}“ kann nicht sortiert werden. Möglich sind: fällig, nummer, status, "
        "ampel, fortschritt.",
        "en": "Cannot sort by “{sort}”. Choose one of: due, number, status, traffic, progress.",
    },
    "wp.due_within_invalid": {
        "de": "`--due-within` erwartet eine Anzahl Tage von 0 bis 3660, nicht {value}.",
        "en": "`--due-within` expects a number of days from 0 to 3660, not {value}.",
    },
    "wp.show.status": {
        "de": "Status: {status} · Fortschritt: {progress} %",
        "en": "Status: {status} · progress: {progress} %",
    },
    "wp.show.light": {"de": "Ampel: {light}", "en": "Traffic light: {light}"},
    "wp.show.filed": {
        "de": "Leitlinie: {leitlinie} · Handlungsfeld: {handlungsfeld}",
        "en": "Guideline: {leitlinie} · field of action: {handlungsfeld}",
    },
    "wp.show.owner": {"de": "Fachbereich: {dept}", "en": "Department: {dept}"},
    "wp.show.contributors": {"de": "Beteiligt: {depts}", "en": "Contributing: {depts}"},
    "wp.show.responsible": {"de": "Verantwortlich: {person}", "en": "Responsible: {person}"},
    "wp.show.dates": {"de": "Beginn: {start} · fällig: {due}", "en": "Start: {start} · due: {due}"},
    "wp.show.funding": {
        "de": "Förderprogramm: {programme} · Antragsfrist: {deadline}",
        "en": "Funding programme: {programme} · application deadline: {deadline}",
    },
    "wp.show.waits_for": {"de": "Wartet auf: {codes}", "en": "Waits for: {codes}"},
    "wp.show.blocks": {"de": "Darauf warten: {codes}", "en": "Waited for by: {codes}"},
    "wp.show.description": {"de": "**Beschreibung**", "en": "**Description**"},
    "wp.show.milestones": {"de": "**Meilensteine**", "en": "**Milestones**"},
    "wp.show.links": {"de": "**Links**", "en": "**Links**"},
    "wp.show.recent": {"de": "**Letzte Statusmeldungen**", "en": "**Latest status**"},
    "wp.list.title": {
        "de": "**Arbeitspakete** ({total} Treffer)",
        "en": "**Work packages** ({total} found)",
    },
    "wp.list.empty": {
        "de": "Keine Arbeitspakete gefunden. Abgeschlossene zeigt `{prefix}wp list --all`; "
        "ein neues legen Sie mit `{prefix}wp add <Titel>` an.",
        "en": "No work packages found. `{prefix}wp list --all` includes closed ones; add one "
        "with `{prefix}wp add <title>`.",
    },
    "wp.list.no_page": {
        "de": "Seite {page} gibt es nicht; die Liste hat {pages} Seiten.",
        "en": "There is no page {page}; the list has {pages} pages.",
    },
    "wp.list.leitlinie": {"de": "**Leitlinie {n}**", "en": "**Guideline {n}**"},
    "wp.list.no_leitlinie": {"de": "**Ohne Leitlinie**", "en": "**No guideline**"},
    "wp.list.due": {"de": "fällig {due}", "en": "due {due}"},
    "wp.list.overdue": {"de": "⚠ überfällig seit {due}", "en": "⚠ overdue since {due}"},
    "wp.list.waiting": {"de": "⛔ wartet", "en": "⛔ waiting"},
    "wp.list.page_more": {
        "de": "Seite {page} von {pages} — weiter mit `{command}`",
        "en": "Page {page} of {pages} — continue with `{command}`",
    },
    "wp.list.page": {
        "de": "Seite {page} von {pages} (letzte Seite)",
        "en": "Page {page} of {pages} (last page)",
    },
    "wp.history.title": {
        "de": "**Änderungsprotokoll {code}** (neueste zuerst, höchstens {limit})",
        "en": "**Change log of {code}** (newest first, at most {limit})",
    },
    "wp.history.created": {"de": "angelegt für {owner}", "en": "created for {owner}"},
    "wp.history.updated": {"de": "geändert: {changes}", "en": "changed: {changes}"},
    "wp.history.closed": {"de": "abgeschlossen: {changes}", "en": "closed: {changes}"},
    "wp.history.reopened": {"de": "wieder geöffnet: {changes}", "en": "reopened: {changes}"},
    "wp.history.link": {"de": "Link hinzugefügt: {url}", "en": "link added: {url}"},
    "wp.history.milestone_added": {
        "de": "Meilenstein „{title}“ angelegt, fällig {due}",
        "en": "milestone “{title}” added, due {due}",
    },
    "wp.history.milestone_done": {
        "de": "Meilenstein „{title}“ erreicht",
        "en": "milestone “{title}” done",
    },
    "wp.history.depend": {"de": "wartet jetzt auf {other}", "en": "now waits for {other}"},
    "wp.history.undepend": {
        "de": "wartet nicht mehr auf {other}",
        "en": "no longer waits for {other}",
    },
    "arg.wp_title": {"de": "Titel", "en": "title"},
    "arg.ll": {"de": "1-4", "en": "1-4"},
    "arg.hf": {"de": "Handlungsfeld", "en": "field"},
    "arg.start": {"de": "Datum", "en": "date"},
    "arg.resp": {"de": "Person", "en": "user"},
    "arg.wp": {"de": "AP", "en": "WP"},
    "arg.on": {"de": "AP", "en": "WP"},
    "arg.field": {"de": "Feld", "en": "field"},
    "arg.value": {"de": "Wert", "en": "value"},
    "arg.status": {"de": "Status", "en": "status"},
    "arg.ampel": {"de": "Ampel", "en": "light"},
    "arg.due_within": {"de": "Tage", "en": "days"},
    "arg.sort": {
        "de": "fällig|nummer|status|ampel|fortschritt",
        "en": "due|number|status|traffic|progress",
    },
    "arg.page": {"de": "N", "en": "N"},
    "arg.how": {"de": "erledigt|verworfen", "en": "done|discarded"},
    "arg.action": {"de": "neu|erreicht", "en": "add|done"},
    "arg.what": {"de": "Datum Titel | Nr.", "en": "date title | no."},
    "arg.url": {"de": "https://…", "en": "https://…"},
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
        "de": "Zeigt Name, Sprache, Zeitzone, Bundesland und nächsten Arbeitstag des Boards",
        "en": "Show the board's name, language, time zone, Bundesland and next working day",
    },
    "cmd.board.language": {
        "de": "Stellt die Sprache des Boards um (de oder en)",
        "en": "Switch the board's language (de or en)",
    },
    "group.dept": {
        "de": "Die Fachbereiche des Boards verwalten",
        "en": "Manage the board's departments",
    },
    "cmd.dept.add": {
        "de": "Legt einen Fachbereich an: erst das Kürzel (FB 61, Amt 13, RPA; ein Kürzel aus "
        "mehreren Wörtern ohne Ziffer in Anführungszeichen, z. B. „Stab OB“), dann der Name",
        "en": 'Add a department: code first (FB 61, Amt 13, RPA; quote word-only codes: "Stab OB")',
    },
    "cmd.dept.rename": {
        "de": "Benennt einen Fachbereich um; --code gibt ihm ein neues Kürzel",
        "en": "Rename a department; --code gives it a new code",
    },
    "cmd.dept.show": {
        "de": "Zeigt einen Fachbereich: Leitung, Vertretung, Mitglieder, Raum und wer heute "
        "ansprechbar ist",
        "en": "Show a department: lead, deputies, members, room, and who answers today",
    },
    "cmd.dept.list": {
        "de": "Listet die Fachbereiche mit Leitung und heutiger Ansprechperson",
        "en": "List the active departments with their lead and who answers today",
    },
    "cmd.dept.archive": {
        "de": "Archiviert einen Fachbereich: er verschwindet aus Listen und Abfragen, sein "
        "Verlauf bleibt",
        "en": "Archive a department: it leaves lists and prompts and keeps its history",
    },
    "cmd.dept.room": {
        "de": "Legt den Raum für die Abfragen eines Fachbereichs fest (keiner: eine "
        "Direktnachricht an die Leitung)",
        "en": "Set the room where a department gets its prompts (none: a direct message to "
        "the lead)",
    },
    "group.role": {
        "de": "Rollen im Board vergeben und entziehen",
        "en": "Assign and remove roles on the board",
    },
    "cmd.role.assign": {
        "de": "Vergibt eine Rolle: leitung, vertretung oder mitglied eines Fachbereichs, oder "
        "für das ganze Board admin (Leitung des Boards) oder beobachterin/beobachter",
        "en": "Give someone a role: lead, deputy or member of a department, or admin or observer",
    },
    "cmd.role.remove": {
        "de": "Entzieht eine Rolle",
        "en": "Take a role away from someone",
    },
    "cmd.whoami": {
        "de": "Zeigt Ihre Rollen in diesem Board und Ihre Abwesenheiten",
        "en": "Show your roles on this board and your absences",
    },
    "cmd.people": {
        "de": "Listet die Personen des Boards: Leitung des Boards, Beobachter/innen und je "
        "Fachbereich Leitung, Vertretung, Mitglieder",
        "en": "List the board's people: chairs, observers, and each department's lead, "
        "deputies, members",
    },
    "cmd.away": {
        "de": "Trägt eine Abwesenheit ein: ein Datum (31.12.2026, 31.12., morgen, +2w) oder "
        "von - bis, dann optional der Grund; `streichen <Datum>` nimmt eine zurück",
        "en": "Record an absence: a date or from - to, then a reason; `cancel <date>` takes one "
        "back",
    },
    "cmd.back": {
        "de": "Beendet Ihre heutige Abwesenheit (Leitung des Boards: auch die anderer); eine "
        "geplante streichen Sie mit `abwesend streichen <Datum>`",
        "en": "End your absence today (admins: anyone's); `away cancel <date>` cancels a "
        "planned one",
    },
    "cmd.absences": {
        "de": "Listet aktuelle und geplante Abwesenheiten und wer die Leitungen vertritt",
        "en": "List current and upcoming absences, and who stands in for the leads",
    },
    "cmd.history": {
        "de": "Zeigt das Änderungsprotokoll eines Fachbereichs, neueste Einträge zuerst "
        "(höchstens 20)",
        "en": "Show a department's change log, newest first (at most 20 entries)",
    },
    "group.wp": {
        "de": "Arbeitspakete: das Portfolio des Boards",
        "en": "Work packages: the board's portfolio",
    },
    "cmd.wp.add": {
        "de": "Legt ein Arbeitspaket an; verantwortlich ist Ihr eigener Fachbereich, sonst der "
        "mit --dept genannte",
        "en": "Add a work package; the owner is your own department unless --dept names one",
    },
    "cmd.wp.edit": {
        "de": "Ändert ein Feld: {fields} (ampel mit Begründung: ampel rot Förderbescheid fehlt)",
        "en": "Change one field: {fields}",
    },
    "cmd.wp.show": {
        "de": "Zeigt ein Arbeitspaket vollständig, mit den letzten Statusmeldungen",
        "en": "Show one work package in full",
    },
    "cmd.wp.list": {
        "de": "Listet Arbeitspakete nach Leitlinie, 25 je Seite; Filter nach Fachbereich, "
        "Leitlinie, Handlungsfeld, Status, Ampel, überfällig, blockiert, Person",
        "en": "List work packages, grouped by Leitlinie, 25 a page",
    },
    "cmd.wp.close": {
        "de": "Schließt ein Arbeitspaket ab: erledigt (Vorgabe) oder verworfen",
        "en": "Close a work package as done (or: verworfen)",
    },
    "cmd.wp.reopen": {
        "de": "Öffnet ein abgeschlossenes Arbeitspaket wieder (Status: in Arbeit)",
        "en": "Reopen a closed work package (it is in progress again)",
    },
    "cmd.wp.milestone": {
        "de": "Meilensteine: neu WP-12 <Datum> <Titel> oder erreicht WP-12 <Nr.>",
        "en": "Milestones: add WP-12 <date> <title>, or done WP-12 <no.>",
    },
    "cmd.wp.depend": {
        "de": "Lässt ein Arbeitspaket auf ein anderes warten: wartet WP-7 WP-3 (WP-7 wartet auf "
        "WP-3)",
        "en": "Make a work package wait for another: depend WP-7 WP-3 (WP-7 waits for WP-3)",
    },
    "cmd.wp.undepend": {
        "de": "Hebt eine Abhängigkeit auf: unabhängig WP-7 WP-3",
        "en": "Remove a dependency: undepend WP-7 WP-3",
    },
    "cmd.wp.link": {
        "de": "Fügt einen Link (https://…) mit optionalem Titel hinzu",
        "en": "Attach a link (https://…) with an optional title",
    },
    "cmd.wp.history": {
        "de": "Zeigt, wer was geändert hat, neueste Einträge zuerst (höchstens 20)",
        "en": "Show who changed what, newest first (at most 20 entries)",
    },
    "group.status": {
        "de": "Statusrunden: wöchentliche Abfrage bei den Fachbereichen",
        "en": "Status rounds: the weekly prompt to the departments",
    },
    "cmd.status.show": {
        "de": "Zeigt die laufende Statusrunde: wer gemeldet hat, wer fehlt, wer vertreten wird",
        "en": "Show the current round: who answered, who is late, who is away and covered",
    },
    "cmd.status.schedule": {
        "de": "Zeigt oder ändert den Zeitplan, z. B. wöchentlich, Abfrage Mo 09:00, "
        "Erinnerung Di 10:00, Frist Mi 12:00",
        "en": "Show or change the schedule, e.g. weekly, prompt Mon 09:00, reminder Tue 10:00, "
        "deadline Wed 12:00",
    },
    "cmd.status.run-now": {
        "de": "Startet sofort eine Statusrunde",
        "en": "Start a status round now",
    },
    "cmd.status.close": {
        "de": "Schließt die laufende Statusrunde vorzeitig",
        "en": "Close the current round early",
    },
    "cmd.update": {
        "de": "Statusmeldung zu Arbeitspaketen, von überall: update WP-12 gelb 60% Text",
        "en": "Report status from anywhere: update WP-12 yellow 60% text",
    },
    "status.prompt.title": {
        "de": "📋 **Statusabfrage {period} · {dept}**",
        "en": "📋 **Status prompt {period} · {dept}**",
    },
    "status.prompt.to": {"de": "An {person}:", "en": "To {person}:"},
    "status.prompt.covering": {
        "de": "Sie vertreten {lead}, die Leitung ist abwesend.",
        "en": "You stand in for {lead}, who is away.",
    },
    "status.prompt.ask": {
        "de": "Bitte melden Sie bis **{deadline}** den Stand Ihrer Arbeitspakete:",
        "en": "Please report the state of your work packages by **{deadline}**:",
    },
    "status.prompt.late": {
        "de": "(Diese Abfrage kommt verspätet, der Bot war zur geplanten Zeit nicht erreichbar.)",
        "en": "(This prompt is late: the bot was not running at the planned time.)",
    },
    "status.prompt.due": {"de": "fällig {due}", "en": "due {due}"},
    "status.prompt.last": {"de": "zuletzt: „{note}“", "en": 'last: "{note}"'},
    "status.prompt.no_packages": {
        "de": "Ihr Fachbereich hat keine offenen Arbeitspakete; ein kurzer Satz zum Stand genügt.",
        "en": "Your department has no open work packages; a short sentence is enough.",
    },
    "status.prompt.how": {
        "de": "So antworten Sie, einfach hier als Nachricht:\n"
        "- je Paket eine Zeile: `WP-12 gelb 60% Ausschreibung verzögert sich`\n"
        "- `unverändert`, wenn sich seit der letzten Meldung nichts geändert hat\n"
        "- oder ein freier Text zum ganzen Fachbereich\n\n"
        "Blockaden (`blockiert durch FB 61`, `wartet auf WP-3`) und `Entscheidung nötig: …` "
        "werden erkannt. Eine Korrektur: Nachricht bearbeiten.",
        "en": "How to answer, simply as a message here:\n"
        "- one line per package: `WP-12 yellow 60% tender delayed`\n"
        "- `no change` when nothing changed since the last report\n"
        "- or free text about the whole department\n\n"
        "Blockers (`blocked by FB 61`, `waiting for WP-3`) and `Decision needed: …` are "
        "recognised. To correct: edit the message.",
    },
    "status.reminder": {
        "de": "⏰ Erinnerung an {person}: Die Statusmeldung von {dept} für {period} fehlt noch. "
        "Frist: {deadline}.",
        "en": "⏰ Reminder to {person}: the status report of {dept} for {period} is still "
        "missing. Deadline: {deadline}.",
    },
    "status.confirm.title": {
        "de": "✅ Danke! Statusmeldung von {dept} für {period} gespeichert.",
        "en": "✅ Thank you! Status report of {dept} for {period} saved.",
    },
    "status.confirm.nothing": {
        "de": "⚠️ Nichts übernommen: Die Statusmeldung von {dept} für {period} steht noch aus.",
        "en": "⚠️ Nothing taken: the status report of {dept} for {period} is still missing.",
    },
    "status.confirm.nothing_kept": {
        "de": "⚠️ Aus dieser Nachricht wurde nichts übernommen. Die bisherige Statusmeldung von "
        "{dept} für {period} gilt weiter.",
        "en": "⚠️ Nothing was taken from this message. The earlier status report of {dept} "
        "for {period} still stands.",
    },
    "status.confirm.edited": {
        "de": "✏️ Korrektur übernommen: Statusmeldung von {dept} für {period} aktualisiert.",
        "en": "✏️ Correction saved: status report of {dept} for {period} updated.",
    },
    "status.confirm.late": {
        "de": "Die Frist war schon abgelaufen; die Meldung ist als verspätet vermerkt.",
        "en": "The deadline had passed; the report is marked late.",
    },
    "status.confirm.unchanged": {
        "de": "Stand unverändert übernommen für: {codes}",
        "en": "Carried forward unchanged: {codes}",
    },
    "status.confirm.free": {
        "de": "Als Freitext für den ganzen Fachbereich gespeichert.",
        "en": "Saved as free text for the whole department.",
    },
    "status.confirm.item_unchanged": {"de": "unverändert", "en": "no change"},
    "status.confirm.refused": {
        "de": "**Nicht übernommen:**",
        "en": "**Not taken:**",
    },
    "status.confirm.refused_line": {
        "de": "Zeile {line} „{text}“:",
        "en": 'line {line} "{text}":',
    },
    "status.confirm.blocker": {"de": "🚧 Blockade: {text}", "en": "🚧 Blocker: {text}"},
    "status.confirm.escalation_board": {
        "de": "📣 Entscheidung für das Board: {text}",
        "en": "📣 Decision for the board: {text}",
    },
    "status.confirm.escalation_mayor": {
        "de": "📣 Entscheidung für die Oberbürgermeisterin: {text}",
        "en": "📣 Decision for the mayor: {text}",
    },
    "status.confirm.correct": {
        "de": "Stimmt etwas nicht? Bearbeiten Sie Ihre Nachricht; die Meldung wird ersetzt.",
        "en": "Something wrong? Edit your message; the report is replaced.",
    },
    "status.line.bad_percent": {
        "de": "Der Fortschritt ist keine ganze Prozentzahl (z. B. 60%).",
        "en": "The progress is not a whole percentage (like 60%).",
    },
    "status.line.percent_range": {
        "de": "Der Fortschritt muss zwischen 0 und 100 % liegen.",
        "en": "The progress must be between 0 and 100 %.",
    },
    "status.line.no_package": {
        "de": "Die Nummer des Arbeitspakets fehlt (z. B. WP-12).",
        "en": "The work package number is missing (like WP-12).",
    },
    "status.line.duplicate_package": {
        "de": "Dieses Arbeitspaket steht schon weiter oben; die erste Zeile gilt.",
        "en": "This work package appears above already; the first line counts.",
    },
    "status.line.conflicting_light": {
        "de": "Zwei verschiedene Ampelfarben in einer Zeile.",
        "en": "Two different traffic lights in one line.",
    },
    "status.line.unknown_package": {
        "de": "{code} gibt es in diesem Board nicht.",
        "en": "There is no {code} on this board.",
    },
    "status.line.other_department": {
        "de": "{code} gehört zu {owner}, nicht zu Ihrem Fachbereich.",
        "en": "{code} belongs to {owner}, not to your department.",
    },
    "status.overview.title": {
        "de": "**Statusrunde {period}** · Frist {deadline} · {answered} von {total} gemeldet",
        "en": "**Status round {period}** · deadline {deadline} · {answered} of {total} answered",
    },
    "status.overview.closed": {
        "de": "**Statusrunde {period}** (abgeschlossen) · {answered} von {total} gemeldet",
        "en": "**Status round {period}** (closed) · {answered} of {total} answered",
    },
    "status.overview.started_late": {
        "de": "Die Runde begann verspätet (der Bot lief zur geplanten Zeit nicht).",
        "en": "The round started late (the bot was not running at the planned time).",
    },
    "status.overview.answered": {
        "de": "✅ {dept}: gemeldet {at} von {person}",
        "en": "✅ {dept}: answered {at} by {person}",
    },
    "status.overview.answered_late": {
        "de": "☑️ {dept}: verspätet gemeldet {at} von {person}",
        "en": "☑️ {dept}: answered late {at} by {person}",
    },
    "status.overview.open": {
        "de": "⏳ {dept}: offen ({person}, Erinnerungen: {reminders})",
        "en": "⏳ {dept}: open ({person}, reminders: {reminders})",
    },
    "status.overview.overdue": {
        "de": "❗ {dept}: überfällig ({person}, Erinnerungen: {reminders})",
        "en": "❗ {dept}: overdue ({person}, reminders: {reminders})",
    },
    "status.overview.nobody": {
        "de": "⚠️ {dept}: niemand erreichbar (keine Leitung oder Vertretung anwesend)",
        "en": "⚠️ {dept}: nobody to ask (no lead or deputy present)",
    },
    "status.overview.covered": {
        "de": "🌴 {lead} ist abwesend bis {until}, vertreten durch {person}",
        "en": "🌴 {lead} is away until {until}, covered by {person}",
    },
    "status.none": {
        "de": "Es gab noch keine Statusrunde. Die nächste: {next}. Sofort starten: "
        "`{prefix}status run-now`",
        "en": "There has been no status round yet. The next: {next}. Start one now: "
        "`{prefix}status run-now`",
    },
    "status.started": {
        "de": "▶️ Statusrunde {period} gestartet: {count} Fachbereiche werden abgefragt, Frist "
        "{deadline}.",
        "en": "▶️ Status round {period} started: {count} departments are prompted, deadline "
        "{deadline}.",
    },
    "status.already_running": {
        "de": "Die Statusrunde {period} läuft schon (gestartet {at}). Überblick: `{prefix}status`",
        "en": "The status round {period} is running already (started {at}). Overview: "
        "`{prefix}status`",
    },
    "status.no_departments": {
        "de": "Das Board hat noch keine Fachbereiche, die abgefragt werden könnten: "
        "`{prefix}fb anlegen FB 61 Stadtplanung`",
        "en": "The board has no departments to prompt yet: `{prefix}dept add FB 61 Planning`",
    },
    "status.closed": {
        "de": "⏹️ Statusrunde {period} abgeschlossen: {answered} von {total} Fachbereichen "
        "haben gemeldet.",
        "en": "⏹️ Status round {period} closed: {answered} of {total} departments answered.",
    },
    "status.nothing_to_close": {
        "de": "Es läuft keine Statusrunde, die geschlossen werden könnte.",
        "en": "No status round is running.",
    },
    "status.missed": {
        "de": "⚠️ Die Statusrunde {period} (geplant {at}) ist ausgefallen: der Bot lief zu der "
        "Zeit nicht, und die Nachfrist ist vorbei. Starten Sie sie bei Bedarf von Hand: "
        "`{prefix}status run-now`",
        "en": "⚠️ The status round {period} (planned {at}) was missed: the bot was not running, "
        "and the grace period is over. Start it by hand if needed: `{prefix}status run-now`",
    },
    "status.schedule.title": {"de": "**Zeitplan der Statusrunden**", "en": "**Status schedule**"},
    "status.schedule.rule": {"de": "{rule}", "en": "{rule}"},
    "status.schedule.next": {
        "de": "nächste Runde: {period}, {at}",
        "en": "next round: {period}, {at}",
    },
    "status.schedule.holiday": {
        "de": "(wegen {holiday} auf den nächsten Arbeitstag verschoben)",
        "en": "(moved to the next working day because of {holiday})",
    },
    "status.schedule.paused": {
        "de": "⏸️ pausiert: es werden keine Runden gestartet (fortsetzen: "
        "`{prefix}status zeitplan an`)",
        "en": "⏸️ paused: no rounds are started (resume: `{prefix}status schedule on`)",
    },
    "status.schedule.how": {
        "de": "Ändern (Admins): `{prefix}status zeitplan wöchentlich Abfrage Mo 09:00 "
        "Erinnerung Di 10:00 Frist Mi 12:00` (auch `14-täglich`, `monatlich`, "
        "`keine Erinnerung`, `aus`, `an`)",
        "en": "Change (admins): `{prefix}status schedule weekly prompt Mon 09:00 reminder Tue "
        "10:00 deadline Wed 12:00` (also `biweekly`, `monthly`, `no reminder`, `off`, `on`)",
    },
    "status.schedule.saved": {
        "de": "Zeitplan gespeichert: {rule}. Nächste Runde: {period}, {at}.",
        "en": "Schedule saved: {rule}. Next round: {period}, {at}.",
    },
    "status.schedule.bad_word": {
        "de": "„{word}“ verstehe ich im Zeitplan nicht. Erwartet: wöchentlich, 14-täglich, "
        "monatlich, Abfrage <Tag Zeit>, Erinnerung <Tag Zeit>, keine Erinnerung, Frist "
        "<Tag Zeit>, aus, an.",
        "en": '"{word}" is not part of a schedule. Expected: weekly, biweekly, monthly, '
        "prompt <day time>, reminder <day time>, no reminder, deadline <day time>, off, on.",
    },
    "status.schedule.bad_moment": {
        "de": "„{text}“ ist kein Zeitpunkt. Bitte Wochentag und Uhrzeit, z. B. Mo 09:00 oder "
        "Dienstag 10 Uhr.",
        "en": '"{text}" is not a day and time. Please write e.g. Mon 09:00 or Tuesday 10:00.',
    },
    "status.schedule_invalid": {
        "de": "Der Zeitplan geht so nicht auf ({problems}): Erinnerungen liegen zwischen "
        "Abfrage und Frist, höchstens 5.",
        "en": "The schedule does not add up ({problems}): reminders come between the prompt "
        "and the deadline, at most 5.",
    },
    "status.update.no_round": {
        "de": "Es läuft gerade keine Statusrunde, für die Sie melden könnten. Den Stand eines "
        "Pakets ändern Sie jederzeit mit `{prefix}wp edit WP-12 ampel gelb …`.",
        "en": "No status round is running for you to report to. Change a package any time "
        "with `{prefix}wp edit WP-12 traffic yellow …`.",
    },
    "status.update.not_lead": {
        "de": "Statusmeldungen gibt die Leitung eines Fachbereichs ab (oder ihre Vertretung); "
        "Sie sind in dieser Runde für keinen Fachbereich gefragt. Den Stand sehen Sie mit "
        "`status`.",
        "en": "Status reports come from a department's lead (or deputy); this round does not "
        "ask you for any department. See the round with `status`.",
    },
    "status.update.ambiguous": {
        "de": "Sie melden für mehrere Fachbereiche ({depts}); bitte je Paket eine Zeile mit "
        "WP-Nummer, damit ich die Meldung zuordnen kann.",
        "en": "You report for several departments ({depts}); please write one line per "
        "package with its WP number so that I can tell them apart.",
    },
    "status.update.empty": {
        "de": "Was soll gemeldet werden? Zum Beispiel: `{prefix}update WP-12 gelb 60% "
        "Ausschreibung verzögert sich`",
        "en": "What is the report? For example: `{prefix}update WP-12 yellow 60% tender delayed`",
    },
    "cmd.status.remind": {
        "de": "Erinnert jetzt die Fachbereiche, die noch nicht gemeldet haben",
        "en": "Remind the departments that have not answered yet, now",
    },
    "status.nothing_to_remind": {
        "de": "Es läuft keine Statusrunde, an die erinnert werden könnte.",
        "en": "No status round is running to remind anyone of.",
    },
    "status.all_answered": {
        "de": "Alle Fachbereiche haben für {period} gemeldet; niemand muss erinnert werden.",
        "en": "Every department has answered for {period}; nobody needs a reminder.",
    },
    "status.reminded": {
        "de": "⏰ Erinnerung an {count} Fachbereich(e) verschickt: {depts}",
        "en": "⏰ Reminder sent to {count} department(s): {depts}",
    },
    "cmd.summary": {
        "de": "Der Lagebericht: Ampel je Leitlinie, nötige Entscheidungen, Änderungen, "
        "Blockaden, Überfälliges, fehlende Meldungen; auch für einen Fachbereich (fb FB 61), "
        "eine Leitlinie (ll 3), eine Woche (kw 48), seit einem Datum (seit 01.11.) oder als "
        "Datei für den Hauptausschuss (export); Admins: raum <Raum-ID> schickt ihn nach jeder "
        "Runde auch in einen weiteren Raum, thread (in einem Thread des Board-Raums geschrieben) "
        "auch in diesen Thread; mit raum aus bzw. thread aus endet das",
        "en": "The board's summary: traffic lights per guideline, decisions needed, changes, "
        "blockers, overdue packages, missing reports; also for a department (dept FB 61), a "
        "guideline (ll 3), a week (week 48), since a date (since 01.11.) or as files for the "
        "committee (export); admins: room <room id> also sends it to a further room after each "
        "round, thread (written in a thread of the board room) also into that thread; room off / "
        "thread off ends that",
    },
    "arg.scope": {"de": "Auswahl", "en": "scope"},
    "summary.title": {
        "de": "📊 **Lagebericht {board}** · {period} · Stand {today}",
        "en": "📊 **Summary {board}** · {period} · as of {today}",
    },
    "summary.chart_title": {
        "de": "Ampeln je Leitlinie in den letzten Runden",
        "en": "Traffic lights per guideline over the last rounds",
    },
    "summary.chart_now": {"de": "jetzt", "en": "now"},
    "summary.room_set": {
        "de": "Der Lagebericht geht nach jeder Runde auch in den Raum {room} (der Bot muss dort "
        "Mitglied sein).",
        "en": "After each round the summary also goes to the room {room} (the bot must be a "
        "member there).",
    },
    "summary.thread_set": {
        "de": "Der Lagebericht geht nach jeder Runde auch in diesen Thread.",
        "en": "After each round the summary also goes into this thread.",
    },
    "summary.thread_cleared": {
        "de": "Der Lagebericht geht nicht mehr zusätzlich in einen Thread.",
        "en": "The summary no longer goes into a thread as well.",
    },
    "summary.thread_usage": {
        "de": "Schreiben Sie `{prefix}bericht thread` in den Thread des Board-Raums, in den der "
        "Lagebericht nach jeder Runde zusätzlich gehen soll (zum Beenden: "
        "`{prefix}bericht thread aus`, an beliebiger Stelle im Raum).",
        "en": "Write `{prefix}summary thread` in the thread of the board room that should get each "
        "round's summary as well (to end it: `{prefix}summary thread off`, anywhere in the room).",
    },
    "summary.room_cleared": {
        "de": "Der Lagebericht geht nach jeder Runde nur noch in den Board-Raum.",
        "en": "After each round the summary goes to the board room only.",
    },
    "summary.since": {"de": "Veränderungen seit {since}", "en": "Changes since {since}"},
    "summary.exported": {
        "de": "📎 Der Lagebericht für den Hauptausschuss: **{html}** (zum Öffnen im Browser und "
        "Drucken, mit Diagramm) und **{md}** (der Text zum Weiterbearbeiten).",
        "en": "📎 The summary for the committee: **{html}** (to open in a browser and print, "
        "with the chart) and **{md}** (the text, to edit further).",
    },
    "summary.no_round": {"de": "noch keine Statusrunde", "en": "no status round yet"},
    "summary.scope": {"de": "Nur: {scope}", "en": "Only: {scope}"},
    "summary.totals": {
        "de": "🟢 {green} im Plan · 🟡 {yellow} gefährdet · 🔴 {red} kritisch",
        "en": "🟢 {green} on track · 🟡 {yellow} at risk · 🔴 {red} off track",
    },
    "summary.leitlinien": {"de": "**Leitlinien**", "en": "**Guidelines**"},
    "summary.ll": {"de": "LL {n}", "en": "G {n}"},
    "summary.ll_none": {"de": "ohne Leitlinie", "en": "no guideline"},
    "summary.ll_empty": {"de": "keine offenen Pakete", "en": "no open packages"},
    "summary.ll_count": {"de": "{count} offen", "en": "{count} open"},
    "summary.decisions": {"de": "**Entscheidungen nötig**", "en": "**Decisions needed**"},
    "summary.decision_mayor": {
        "de": "{dept}, für die Oberbürgermeisterin: {text}",
        "en": "{dept}, for the mayor: {text}",
    },
    "summary.decision_board": {
        "de": "{dept}, für das Board: {text}",
        "en": "{dept}, for the board: {text}",
    },
    "summary.changed": {
        "de": "**Verändert seit der letzten Runde**",
        "en": "**Changed since the last round**",
    },
    "summary.new": {"de": "neu:", "en": "new:"},
    "summary.closed": {
        "de": "✔️ **{code}** {title} abgeschlossen",
        "en": "✔️ **{code}** {title} closed",
    },
    "summary.blocked": {"de": "**Blockiert**", "en": "**Blocked**"},
    "summary.blocked_line": {
        "de": "**{code}** {title} ({dept}) seit {since} ({days} Tage)",
        "en": "**{code}** {title} ({dept}) since {since} ({days} days)",
    },
    "summary.waits_for": {"de": "— wartet auf {codes}", "en": "— waits for {codes}"},
    "summary.overdue": {"de": "**Überfällig**", "en": "**Overdue**"},
    "summary.overdue_line": {
        "de": "**{code}** {title}, fällig {due}",
        "en": "**{code}** {title}, due {due}",
    },
    "summary.milestones": {
        "de": "**Meilensteine in den nächsten 14 Tagen**",
        "en": "**Milestones in the next 14 days**",
    },
    "summary.silent": {"de": "**Nicht gemeldet**", "en": "**Not reported**"},
    "summary.nobody": {"de": "niemand erreichbar", "en": "nobody to ask"},
    "summary.covering": {"de": "in Vertretung für {lead}", "en": "standing in for {lead}"},
    "summary.workshops": {"de": "**Nächste Workshops**", "en": "**Next workshops**"},
    "summary.more": {"de": "… und {count} weitere", "en": "… and {count} more"},
    "summary.no_such_round": {
        "de": "Für KW {week} gibt es keine Statusrunde.",
        "en": "There is no status round for week {week}.",
    },
    "summary.bad_week": {
        "de": "„{week}“ ist keine Kalenderwoche. Beispiele: `kw 48`, `kw 48/2025`, `2025-W48`.",
        "en": '"{week}" is not a calendar week. Examples: `week 48`, `week 48/2025`, `2025-W48`.',
    },
    # --- workshops ------------------------------------------------------------------------------
    "time.clock": {"de": "{time} Uhr", "en": "{time}"},
    "group.workshop": {
        "de": "Fachbereichsübergreifende Workshops: planen, abstimmen, festlegen, zusagen, "
        "verschieben, absagen",
        "en": "Cross-department workshops: plan, vote, confirm, answer, reschedule, cancel",
    },
    "cmd.workshop.plan": {
        "de": "Plant einen Workshop: Titel, --depts FB 61, FB 13, --duration 2h, "
        '--options "03.12. 10:00; 04.12. 14:00" und --place oder --online URL; die Termine '
        "werden zur Abstimmung gestellt",
        "en": "Plan a workshop: title, --depts FB 61, FB 13, --duration 2h, --options "
        '"03.12. 10:00; 04.12. 14:00", and --place or --online URL; the options are posted for a '
        "vote",
    },
    "cmd.workshop.vote": {
        "de": "Gibt an, zu welchen Terminen eines Workshops Sie können (ersetzt Ihre frühere "
        "Stimme), z. B. 3 1,3",
        "en": "Say at which options of a workshop you can come (replaces your earlier vote), "
        "e.g. 3 1,3",
    },
    "cmd.workshop.show": {
        "de": "Zeigt einen Workshop: den Stand der Abstimmung mit Konflikten oder Termin und "
        "Zusagen",
        "en": "Show a workshop: the vote's tally with clashes, or the slot and who comes",
    },
    "cmd.workshop.confirm": {
        "de": "Legt den Termin fest: Die Einladung mit .ics-Datei geht in den Raum und per "
        "Direktnachricht an die Leitungen der eingeladenen Fachbereiche",
        "en": "Fix a workshop's slot: the invitation with its .ics file goes to the room and, by "
        "direct message, to the invited departments' leads",
    },
    "cmd.workshop.reschedule": {
        "de": "Verschiebt einen festgelegten Workshop (z. B. 3 08.12. 09:00); alle Eingeladenen "
        "erhalten die geänderte .ics-Datei",
        "en": "Move a confirmed workshop to a new slot (e.g. 3 08.12. 09:00); everyone invited "
        "gets the updated .ics file",
    },
    "cmd.workshop.cancel": {
        "de": "Sagt einen Workshop ab; alle Eingeladenen erhalten die Absage (.ics)",
        "en": "Call a workshop off; everyone invited gets the cancellation (.ics)",
    },
    "cmd.workshop.rsvp": {
        "de": "Antwortet auf die Einladung: ja, nein oder vielleicht",
        "en": "Answer a workshop's invitation: ja (yes), nein (no) or vielleicht (maybe)",
    },
    "cmd.workshops": {
        "de": "Listet die anstehenden und vergangenen Workshops des Boards",
        "en": "List the board's upcoming and past workshops",
    },
    "arg.ws_title": {"de": "Titel", "en": "title"},
    "arg.number": {"de": "Nr", "en": "number"},
    "arg.positions": {"de": "Optionen", "en": "options"},
    "arg.option": {"de": "Option", "en": "option"},
    "arg.answer": {"de": "ja|nein|vielleicht", "en": "ja|nein|vielleicht"},
    "arg.slot": {"de": "Termin", "en": "slot"},
    "arg.depts": {"de": "Fachbereiche", "en": "depts"},
    "arg.duration": {"de": "Dauer", "en": "duration"},
    "arg.options": {"de": "Termine", "en": "options"},
    "arg.place": {"de": "Ort", "en": "place"},
    "arg.online": {"de": "URL", "en": "url"},
    "workshop.minutes": {"de": "{n} Minuten", "en": "{n} minutes"},
    "workshop.hours": {"de": "{n} Std.", "en": "{n} h"},
    "workshop.hours_minutes": {"de": "{h} Std. {m} Min.", "en": "{h} h {m} min"},
    "workshop.where_both": {"de": "{place} und online: {url}", "en": "{place} and online: {url}"},
    "workshop.where_online": {"de": "online: {url}", "en": "online: {url}"},
    "workshop.where_open": {"de": "Ort folgt", "en": "place to follow"},
    "workshop.planned": {
        "de": "🗓️ **Workshop {number} {title}** · Terminabstimmung\n\n"
        "Eingeladen: {depts} · Dauer: {duration} · Ort: {where}\n\n"
        "Bitte reagieren Sie auf jeden Terminvorschlag, an dem Sie teilnehmen können (z. B. mit "
        "👍), oder schreiben Sie `{prefix}workshop vote {number} 1,3`. Der Zwischenstand steht "
        "unter den Vorschlägen.",
        "en": "🗓️ **Workshop {number} {title}** · finding a slot\n\n"
        "Invited: {depts} · Duration: {duration} · Place: {where}\n\n"
        "Please react to every option you can make (with 👍, say), or write "
        "`{prefix}workshop vote {number} 1,3`. The tally follows below the options.",
    },
    "workshop.option": {
        "de": "Workshop {number} · **Option {option}:** {when}",
        "en": "Workshop {number} · **Option {option}:** {when}",
    },
    "workshop.tally_title": {
        "de": "📊 **Zwischenstand Workshop {number} {title}**",
        "en": "📊 **Tally for workshop {number} {title}**",
    },
    "workshop.tally_line": {
        "de": "Option {option} ({when}): {count} Stimme(n){mark}",
        "en": "Option {option} ({when}): {count} vote(s){mark}",
    },
    "workshop.others": {"de": "weitere Personen", "en": "others"},
    "workshop.tally_confirmed": {
        "de": "✅ Festgelegt: {when}",
        "en": "✅ Confirmed: {when}",
    },
    "workshop.tally_cancelled": {"de": "❌ Abgesagt", "en": "❌ Cancelled"},
    "workshop.clash_holiday": {"de": "Feiertag: {name}", "en": "public holiday: {name}"},
    "workshop.clash_weekend": {"de": "Wochenende", "en": "weekend"},
    "workshop.clash_absence": {"de": "abwesend: {who}", "en": "away: {who}"},
    "workshop.voted": {
        "de": "Ihre Stimme für Workshop {number}: Option {options}.",
        "en": "Your vote for workshop {number}: option {options}.",
    },
    "workshop.invitation_head": {
        "de": "📅 **Einladung: Workshop {number} {title}**\n\n"
        "- Wann: {when}\n- Wo: {where}\n- Eingeladen: {depts}",
        "en": "📅 **Invitation: workshop {number} {title}**\n\n"
        "- When: {when}\n- Where: {where}\n- Invited: {depts}",
    },
    "workshop.invitation_direct": {
        "de": "Die Kalenderdatei (.ics) folgt. Bitte antworten Sie mit einer Reaktion auf diese "
        "Nachricht (👍 ja, 👎 nein, 🤷 vielleicht) oder im Raum des {board} mit "
        "`{prefix}workshop rsvp {number} ja`.",
        "en": "The calendar file (.ics) follows. Please answer by reacting to this message "
        "(👍 yes, 👎 no, 🤷 maybe) or in the room of {board} with "
        "`{prefix}workshop rsvp {number} ja`.",
    },
    "workshop.ics_description": {
        "de": "Workshop {number} des {board}: {title}. Eingeladen: {depts}.",
        "en": "Workshop {number} of {board}: {title}. Invited: {depts}.",
    },
    "workshop.invitation_hint": {
        "de": "Die Kalenderdatei (.ics) folgt. Bitte antworten Sie mit einer Reaktion auf diese "
        "Nachricht (👍 ja, 👎 nein, 🤷 vielleicht) oder mit `{prefix}workshop rsvp {number} ja`.",
        "en": "The calendar file (.ics) follows. Please answer by reacting to this message "
        "(👍 yes, 👎 no, 🤷 maybe) or with `{prefix}workshop rsvp {number} ja`.",
    },
    "workshop.update_notice": {
        "de": "🔁 **Workshop {number} {title} ist verschoben** auf {when}. Die geänderte "
        "Kalenderdatei (.ics) folgt; Ihr Kalender ersetzt damit den alten Termin.",
        "en": "🔁 **Workshop {number} {title} has moved** to {when}. The updated calendar file "
        "(.ics) follows; your calendar replaces the old entry with it.",
    },
    "workshop.cancellation_notice": {
        "de": "❌ **Workshop {number} {title} ist abgesagt.** Die Absage als Kalenderdatei (.ics) "
        "folgt; Ihr Kalender entfernt damit den Termin.",
        "en": "❌ **Workshop {number} {title} is cancelled.** The cancellation follows as a "
        "calendar file (.ics); your calendar removes the entry with it.",
    },
    "workshop.confirmed": {
        "de": "✅ Workshop {number} ist festgelegt: {when}. Die Einladung folgt.",
        "en": "✅ Workshop {number} is confirmed: {when}. The invitation follows.",
    },
    "workshop.rescheduled": {
        "de": "🔁 Workshop {number} ist verschoben auf {when}. Alle Eingeladenen werden "
        "benachrichtigt.",
        "en": "🔁 Workshop {number} has moved to {when}. Everyone invited is told.",
    },
    "workshop.cancelled": {
        "de": "❌ Workshop {number} {title} ist abgesagt.",
        "en": "❌ Workshop {number} {title} is cancelled.",
    },
    "workshop.cancelled_line": {
        "de": "❌ Workshop {number} {title} ist abgesagt.",
        "en": "❌ Workshop {number} {title} was cancelled.",
    },
    "workshop.rsvp_yes": {"de": "Zusagen", "en": "Yes"},
    "workshop.rsvp_maybe": {"de": "Vielleicht", "en": "Maybe"},
    "workshop.rsvp_no": {"de": "Absagen", "en": "No"},
    "workshop.answered_yes": {
        "de": "👍 Sie haben für Workshop {number} {title} zugesagt.",
        "en": "👍 You said yes to workshop {number} {title}.",
    },
    "workshop.answered_no": {
        "de": "👎 Sie haben für Workshop {number} {title} abgesagt.",
        "en": "👎 You said no to workshop {number} {title}.",
    },
    "workshop.answered_maybe": {
        "de": "🤷 Sie kommen vielleicht zu Workshop {number} {title}.",
        "en": "🤷 You may come to workshop {number} {title}.",
    },
    "workshop.none": {
        "de": "Noch keine Workshops. Einen planen Sie mit `{prefix}workshop plan`.",
        "en": "No workshops yet. Plan one with `{prefix}workshop plan`.",
    },
    "workshop.list_upcoming": {"de": "**Anstehende Workshops**", "en": "**Upcoming workshops**"},
    "workshop.list_past": {
        "de": "**Vergangene und abgesagte Workshops**",
        "en": "**Past and cancelled workshops**",
    },
    "workshop.list_nothing": {"de": "keine", "en": "none"},
    "workshop.list_line": {
        "de": "**Workshop {number}** {title} ({depts}): {state}",
        "en": "**Workshop {number}** {title} ({depts}): {state}",
    },
    "workshop.state_planning": {
        "de": "Terminabstimmung läuft, {voters} Person(en) haben abgestimmt",
        "en": "finding a slot, {voters} person(s) voted",
    },
    "workshop.state_confirmed": {
        "de": "{when}, {yes} Zusage(n)",
        "en": "{when}, {yes} yes",
    },
    "workshop.state_cancelled": {"de": "abgesagt", "en": "cancelled"},
    "workshop.state_expired": {
        "de": "Terminabstimmung abgelaufen, kein Termin festgelegt",
        "en": "the vote expired, no slot was confirmed",
    },
    "workshop.reminder_day": {
        "de": "⏰ **Morgen: Workshop {number} {title}**, {when}, {where}. {yes} Zusage(n).",
        "en": "⏰ **Tomorrow: workshop {number} {title}**, {when}, {where}. {yes} yes.",
    },
    "workshop.reminder_hour": {
        "de": "⏰ **In einer Stunde: Workshop {number} {title}**, {when}, {where}.",
        "en": "⏰ **In one hour: workshop {number} {title}**, {when}, {where}.",
    },
    "workshop.not_found": {
        "de": "Einen Workshop {number} gibt es nicht. `!workshops` listet alle.",
        "en": "There is no workshop {number}. `!workshops` lists them all.",
    },
    "workshop.bad_number": {
        "de": "„{text}“ ist keine Workshop-Nummer; gemeint ist z. B. `3`.",
        "en": '"{text}" is not a workshop number; for example `3`.',
    },
    "workshop.title_missing": {
        "de": 'Bitte geben Sie einen Titel an, z. B. `"Offene Daten im Verkehr"`.',
        "en": 'Please give a title, e.g. `"Open data in transport"`.',
    },
    "workshop.title_too_long": {
        "de": "Der Titel ist zu lang (höchstens {limit} Zeichen).",
        "en": "The title is too long (at most {limit} characters).",
    },
    "workshop.depts_missing": {
        "de": "Bitte nennen Sie die eingeladenen Fachbereiche, z. B. `--depts FB 61, FB 13`.",
        "en": "Please name the invited departments, e.g. `--depts FB 61, FB 13`.",
    },
    "workshop.duration_missing": {
        "de": "Bitte geben Sie die Dauer an, z. B. `--duration 2h` oder `--duration 90min`.",
        "en": "Please give the duration, e.g. `--duration 2h` or `--duration 90min`.",
    },
    "workshop.bad_duration": {
        "de": "„{duration}“ ist keine Dauer. Beispiele: `2h`, `1,5h`, `1:30`, `90min`.",
        "en": '"{duration}" is not a duration. Examples: `2h`, `1.5h`, `1:30`, `90min`.',
    },
    "workshop.duration_zero": {
        "de": "Ein Workshop muss länger als 0 Minuten dauern.",
        "en": "A workshop must last longer than 0 minutes.",
    },
    "workshop.duration_too_short": {
        "de": "{minutes} Minuten sind zu kurz für einen Workshop (mindestens 15). Meinten Sie "
        "Stunden? Dann z. B. `--duration {minutes}h`.",
        "en": "{minutes} minutes is too short for a workshop (at least 15). Did you mean hours? "
        "Then e.g. `--duration {minutes}h`.",
    },
    "workshop.no_such_time": {
        "de": "„{slot}“ gibt es nicht: In dieser Nacht wird die Uhr auf Sommerzeit vorgestellt.",
        "en": '"{slot}" does not exist: the clocks go forward to summer time that night.',
    },
    "workshop.duration_too_long": {
        "de": "Ein Workshop dauert höchstens {hours} Stunden.",
        "en": "A workshop lasts at most {hours} hours.",
    },
    "workshop.options_missing": {
        "de": 'Bitte nennen Sie die Terminvorschläge, z. B. `--options "03.12. 10:00; '
        '04.12. 14:00"`.',
        "en": 'Please give the slot options, e.g. `--options "03.12. 10:00; 04.12. 14:00"`.',
    },
    "workshop.too_many_options": {
        "de": "Höchstens {limit} Terminvorschläge, bitte.",
        "en": "At most {limit} slot options, please.",
    },
    "workshop.option_twice": {
        "de": "Ein Termin steht doppelt in den Vorschlägen.",
        "en": "A slot is listed twice.",
    },
    "workshop.bad_slot": {
        "de": "„{slot}“ verstehe ich nicht als Termin. Beispiele: `03.12. 10:00`, "
        "`03.12.2026 14 Uhr`, `morgen 9:30`.",
        "en": '"{slot}" is not a slot. Examples: `03.12. 10:00`, `03.12.2026 14:00`, '
        "`tomorrow 9:30`.",
    },
    "workshop.option_past": {
        "de": "Der Termin {when} liegt in der Vergangenheit.",
        "en": "The slot {when} is in the past.",
    },
    "workshop.option_too_far": {
        "de": "Termine mehr als zwei Jahre im Voraus plant der Bot nicht.",
        "en": "The bot does not plan slots more than two years ahead.",
    },
    "workshop.place_too_long": {
        "de": "Der Ort ist zu lang (höchstens {limit} Zeichen).",
        "en": "The place is too long (at most {limit} characters).",
    },
    "workshop.bad_url": {
        "de": "„{url}“ ist keine Web-Adresse; sie muss mit https:// (oder http://) beginnen.",
        "en": '"{url}" is not a web address; it must start with https://.',
    },
    "workshop.forbidden": {
        "de": "Workshops planen und ändern dürfen die Admins ({admins}), wer den Workshop "
        "geplant hat, und die Leitungen und Vertretungen der eingeladenen Fachbereiche.",
        "en": "Workshops are planned and changed by the admins ({admins}), whoever planned the "
        "workshop, and the leads and deputies of the invited departments.",
    },
    "workshop.bad_positions": {
        "de": "„{text}“ sind keine Optionsnummern; gemeint ist z. B. `1,3`.",
        "en": '"{text}" are not option numbers; for example `1,3`.',
    },
    "workshop.no_such_option": {
        "de": "Workshop {number} hat keine Option {option} (es gibt 1 bis {count}).",
        "en": "Workshop {number} has no option {option} (there are 1 to {count}).",
    },
    "workshop.is_cancelled": {
        "de": "Workshop {number} ist abgesagt; daran ändert sich nichts mehr.",
        "en": "Workshop {number} is cancelled; nothing about it changes any more.",
    },
    "workshop.already_confirmed": {
        "de": "Der Termin von Workshop {number} steht schon fest; verschieben Sie ihn mit "
        "`!workshop verschieben`.",
        "en": "Workshop {number} is confirmed already; move it with `!workshop reschedule`.",
    },
    "workshop.not_confirmed": {
        "de": "Workshop {number} hat noch keinen festen Termin (`!workshop festlegen`).",
        "en": "Workshop {number} has no fixed slot yet (`!workshop confirm`).",
    },
    "workshop.option_passed": {
        "de": "Option {option} liegt schon in der Vergangenheit; bitte wählen Sie eine andere "
        "oder verschieben Sie auf einen neuen Termin.",
        "en": "Option {option} has passed; please pick another one.",
    },
    "workshop.same_slot": {
        "de": "Der Workshop ist schon zu diesem Termin festgelegt.",
        "en": "The workshop is at that slot already.",
    },
    "workshop.slot_missing": {
        "de": "Bitte nennen Sie den neuen Termin, z. B. `08.12. 09:00`.",
        "en": "Please give the new slot, e.g. `08.12. 09:00`.",
    },
    "workshop.is_over": {
        "de": "Workshop {number} hat schon stattgefunden.",
        "en": "Workshop {number} has taken place already.",
    },
    "workshop.bad_answer": {
        "de": "„{answer}“ ist keine Antwort; möglich sind ja, nein und vielleicht.",
        "en": '"{answer}" is not an answer; possible are ja (yes), nein (no), vielleicht (maybe).',
    },
    # --- agenda, minutes, decision register -----------------------------------------------------
    "cmd.workshop.agenda": {
        "de": "Zeigt die Tagesordnung eines Workshops mit Vorschlägen aus offenen Blockern und "
        "Abhängigkeiten; add TEXT (oder add P2, ein Vorschlag) und remove N ändern sie",
        "en": "Show a workshop's agenda with the bot's proposals from open blockers and "
        "dependencies; add TEXT (or add P2, a proposal) and remove N change it",
    },
    "group.minutes": {
        "de": "Das Protokoll eines Workshops: start, dann Beschlüsse, Aufgaben, Notizen, dann end",
        "en": "A workshop's minutes: start, then decisions, actions, notes, then end",
    },
    "cmd.minutes.start": {
        "de": "Beginnt das Protokoll eines Workshops; !beschluss, !aufgabe und !notiz gehen dann "
        "hinein",
        "en": "Start the minutes of a workshop; !decision, !action and !note then go into them",
    },
    "cmd.minutes.end": {
        "de": "Beendet das Protokoll: Es wird gepostet und gespeichert, Beschlüsse kommen ins "
        "Beschlussregister, Aufgaben werden Arbeitspakete oder Meilensteine",
        "en": "End the minutes: they are posted and kept, decisions go into the register, "
        "actions become work packages or milestones",
    },
    "cmd.minutes.show": {
        "de": "Zeigt das laufende Protokoll oder das gespeicherte Protokoll von Workshop N",
        "en": "Show the minutes so far (of the running workshop), or those kept of workshop N",
    },
    "cmd.decision": {
        "de": "Hält einen Beschluss fest: im laufenden Protokoll, sonst (Admins) direkt im "
        "Beschlussregister (vorgeschlagen)",
        "en": "Record a decision: in the running workshop's minutes, or else (admins) straight "
        "into the decision register (proposed)",
    },
    "cmd.action": {
        "de": "Hält im laufenden Protokoll eine Aufgabe für eine Person fest (--due DATUM, "
        "--wp WP-12); sie wird beim Protokollende ein Arbeitspaket oder ein Meilenstein",
        "en": "Record an action for someone in the running minutes (--due DATE, --wp WP-12); it "
        "becomes a work package or a milestone when the minutes end",
    },
    "cmd.note": {
        "de": "Hält eine Notiz im laufenden Protokoll fest",
        "en": "Record a note in the running workshop's minutes",
    },
    "group.decisions": {
        "de": "Das Beschlussregister des Boards: auflisten und den Stand eines Beschlusses setzen",
        "en": "The board's decision register: list, and set a decision's status",
    },
    "cmd.decisions.list": {
        "de": "Listet das Beschlussregister, auf Wunsch nur einen Stand (vorgeschlagen, "
        "beschlossen, umgesetzt)",
        "en": "List the decision register, optionally one status only (vorgeschlagen, "
        "beschlossen, umgesetzt)",
    },
    "cmd.decisions.status": {
        "de": "Setzt den Stand eines Beschlusses: vorgeschlagen, beschlossen oder umgesetzt",
        "en": "Set a decision's status: vorgeschlagen (proposed), beschlossen (adopted) or "
        "umgesetzt (implemented)",
    },
    "arg.text": {"de": "Text", "en": "text"},
    "agenda.title": {
        "de": "📋 **Tagesordnung Workshop {number} {title}**",
        "en": "📋 **Agenda of workshop {number} {title}**",
    },
    "agenda.heading": {"de": "**Tagesordnung**", "en": "**Agenda**"},
    "agenda.empty": {
        "de": "Noch keine Punkte. Hinzufügen: `{prefix}workshop agenda {number} add Text`.",
        "en": "No items yet. Add one: `{prefix}workshop agenda {number} add text`.",
    },
    "agenda.proposals": {
        "de": "Vorschläge aus offenen Blockern und Abhängigkeiten (übernehmen mit "
        "`{prefix}workshop agenda {number} add P1`):",
        "en": "Proposals from open blockers and dependencies (take one with "
        "`{prefix}workshop agenda {number} add P1`):",
    },
    "agenda.text_missing": {
        "de": "Bitte geben Sie den Text des Tagesordnungspunkts an.",
        "en": "Please give the agenda item's text.",
    },
    "agenda.full": {
        "de": "Die Tagesordnung hat schon {limit} Punkte; mehr nimmt der Bot nicht auf.",
        "en": "The agenda has {limit} items already; the bot takes no more.",
    },
    "agenda.no_such_item": {
        "de": "Einen Punkt {position} gibt es nicht (die Tagesordnung hat {count}).",
        "en": "There is no item {position} (the agenda has {count}).",
    },
    "agenda.no_such_proposal": {
        "de": "Einen Vorschlag P{number} gibt es nicht (es gibt {count}).",
        "en": "There is no proposal P{number} (there are {count}).",
    },
    "agenda.bad_position": {
        "de": "„{text}“ ist keine Punktnummer; gemeint ist z. B. `remove 2`.",
        "en": '"{text}" is not an item number; for example `remove 2`.',
    },
    "agenda.bad_change": {
        "de": "„{text}“ verstehe ich nicht. Möglich: `add Text`, `add P1` oder `remove 2`.",
        "en": '"{text}" is not a change. Possible: `add text`, `add P1` or `remove 2`.',
    },
    "minutes.started": {
        "de": "📝 Das Protokoll von Workshop {number} {title} läuft. Festhalten mit "
        "`{prefix}beschluss …`, `{prefix}aufgabe @person … [--due DATUM] [--wp WP-12]` und "
        "`{prefix}notiz …`; beenden mit `{prefix}protokoll ende`.",
        "en": "📝 The minutes of workshop {number} {title} are running. Record with "
        "`{prefix}decision …`, `{prefix}action @person … [--due DATE] [--wp WP-12]` and "
        "`{prefix}note …`; end with `{prefix}minutes end`.",
    },
    "minutes.too_long": {
        "de": "Der Text ist zu lang (höchstens {limit} Zeichen).",
        "en": "The text is too long (at most {limit} characters).",
    },
    "minutes.closed": {
        "de": "Das Protokoll von Workshop {number} ist schon abgeschlossen.",
        "en": "The minutes of workshop {number} are closed already.",
    },
    "minutes.running_this": {
        "de": "Das Protokoll von Workshop {number} läuft schon.",
        "en": "The minutes of workshop {number} are running already.",
    },
    "minutes.running_other": {
        "de": "Gerade läuft das Protokoll von Workshop {number}; bitte beenden Sie es zuerst "
        "(`!protokoll ende`).",
        "en": "The minutes of workshop {number} are running; please end them first "
        "(`!minutes end`).",
    },
    "minutes.none_open": {
        "de": "Gerade läuft kein Protokoll. Beginnen mit `!protokoll start 3` (der Workshop muss "
        "einen festen Termin haben).",
        "en": "No minutes are running. Start them with `!minutes start 3` (the workshop must have "
        "a fixed slot).",
    },
    "minutes.none_for": {
        "de": "Für Workshop {number} gibt es kein Protokoll.",
        "en": "There are no minutes of workshop {number}.",
    },
    "minutes.wp_closed": {
        "de": "{code} ist abgeschlossen; eine Aufgabe kann kein Meilenstein davon werden.",
        "en": "{code} is closed; an action cannot become a milestone of it.",
    },
    "minutes.decision_missing": {
        "de": "Bitte geben Sie den Beschluss an, z. B. `!beschluss Datenportal wird gemeinsam "
        "betrieben`.",
        "en": "Please give the decision, e.g. `!decision The data portal is run jointly`.",
    },
    "minutes.action_missing": {
        "de": "Bitte geben Sie die Aufgabe an, z. B. `!aufgabe @person Schnittstelle "
        "beschreiben --due 15.01.`.",
        "en": "Please give the action, e.g. `!action @person Describe the interface --due 15.01.`.",
    },
    "minutes.note_missing": {
        "de": "Bitte geben Sie den Text der Notiz an.",
        "en": "Please give the note's text.",
    },
    "minutes.unknown_assignee": {
        "de": "{user} kennt der Bot nicht: Die Person hat keine Rolle im Board und ist nicht im "
        "Raum. Aufgaben gehen an Personen des Boards.",
        "en": "The bot does not know {user}: they have no role on the board and are not in the "
        "room. Actions go to the board's people.",
    },
    "minutes.due_past": {
        "de": "Das Fälligkeitsdatum {due} liegt in der Vergangenheit.",
        "en": "The due date {due} is in the past.",
    },
    "minutes.noted_decision": {
        "de": "✔️ Beschluss im Protokoll von Workshop {number} festgehalten.",
        "en": "✔️ Decision recorded in the minutes of workshop {number}.",
    },
    "minutes.noted_action": {
        "de": "✔️ Aufgabe für {who} festgehalten; sie wird beim Protokollende ein Arbeitspaket.",
        "en": "✔️ Action for {who} recorded; it becomes a work package when the minutes end.",
    },
    "minutes.noted_milestone": {
        "de": "✔️ Aufgabe für {who} festgehalten; sie wird beim Protokollende ein Meilenstein "
        "von {code}.",
        "en": "✔️ Action for {who} recorded; it becomes a milestone of {code} when the minutes end.",
    },
    "minutes.noted_note": {
        "de": "✔️ Notiz im Protokoll von Workshop {number} festgehalten.",
        "en": "✔️ Note recorded in the minutes of workshop {number}.",
    },
    "minutes.title": {
        "de": "📝 **Protokoll Workshop {number} {title}**",
        "en": "📝 **Minutes of workshop {number} {title}**",
    },
    "minutes.draft_title": {
        "de": "📝 **Protokoll Workshop {number} {title}** (läuft noch)",
        "en": "📝 **Minutes of workshop {number} {title}** (still running)",
    },
    "minutes.head": {
        "de": "{when} · {where} · Eingeladen: {depts} · Protokoll: {writer}",
        "en": "{when} · {where} · Invited: {depts} · Minutes: {writer}",
    },
    "minutes.present": {"de": "Zugesagt: {people}", "en": "Said yes: {people}"},
    "minutes.decisions": {
        "de": "**Beschlüsse** (im Beschlussregister, `!beschlüsse`)",
        "en": "**Decisions** (in the decision register, `!decisions`)",
    },
    "minutes.actions": {"de": "**Aufgaben**", "en": "**Actions**"},
    "minutes.notes": {"de": "**Notizen**", "en": "**Notes**"},
    "minutes.due": {"de": "(fällig {due})", "en": "(due {due})"},
    "minutes.became_wp": {"de": "neues Arbeitspaket {code}", "en": "new work package {code}"},
    "minutes.became_milestone": {"de": "Meilenstein von {code}", "en": "milestone of {code}"},
    "minutes.nothing": {
        "de": "Nichts festgehalten.",
        "en": "Nothing recorded.",
    },
    "decision.recorded": {
        "de": "✔️ Beschluss B-{number} steht im Beschlussregister (vorgeschlagen).",
        "en": "✔️ Decision B-{number} is in the register (proposed).",
    },
    "decision.none_with_status": {
        "de": "Kein Beschluss hat den Stand „{status}“.",
        "en": 'No decision has the status "{status}".',
    },
    "decision.none": {
        "de": "Das Beschlussregister ist leer.",
        "en": "The decision register is empty.",
    },
    "decision.title": {"de": "⚖️ **Beschlussregister**", "en": "⚖️ **Decision register**"},
    "decision.from_workshop": {"de": "aus Workshop {number}", "en": "from workshop {number}"},
    "decision.status_proposed": {"de": "vorgeschlagen", "en": "proposed"},
    "decision.status_adopted": {"de": "beschlossen", "en": "adopted"},
    "decision.status_implemented": {"de": "umgesetzt", "en": "implemented"},
    "decision.not_found": {
        "de": "Einen Beschluss B-{number} gibt es nicht.",
        "en": "There is no decision B-{number}.",
    },
    "decision.bad_number": {
        "de": "„{text}“ ist keine Beschlussnummer; gemeint ist z. B. `B-3`.",
        "en": '"{text}" is not a decision number; for example `B-3`.',
    },
    "decision.bad_status": {
        "de": "„{status}“ ist kein Stand; möglich sind vorgeschlagen, beschlossen und umgesetzt.",
        "en": '"{status}" is not a status; possible are vorgeschlagen (proposed), beschlossen '
        "(adopted) and umgesetzt (implemented).",
    },
    "decision.same_status": {
        "de": "Der Beschluss hat diesen Stand schon.",
        "en": "The decision has that status already.",
    },
    "decision.status_set": {
        "de": "✔️ Beschluss B-{number} ist jetzt {status}.",
        "en": "✔️ Decision B-{number} is now {status}.",
    },
    "summary.bad_scope": {
        "de": "„{scope}“ verstehe ich nicht. Möglich: nichts (das ganze Board), fb <Kürzel>, "
        "ll <1–4>, kw <Nummer>, seit <Datum> oder export; für Admins raum <Raum-ID> und thread.",
        "en": '"{scope}" is not a scope. Possible: nothing (the whole board), dept <code>, '
        "ll <1–4>, week <number>, since <date> or export; for admins room <room id> and thread.",
    },
    "status.removed": {
        "de": "🗑️ Die gelöschte Statusmeldung ist aus der Runde entfernt. Die Werte, die sie an "
        "den Arbeitspaketen gesetzt hat, bleiben; ändern Sie sie bei Bedarf mit `wp edit`.",
        "en": "🗑️ The deleted status report is removed from the round. The values it set on the "
        "work packages stay; change them with `wp edit` if needed.",
    },
    "wp.show.status_lines": {
        "de": "**Letzte Statusmeldungen aus den Runden**",
        "en": "**Latest status reports**",
    },
    "cmd.wp.export": {
        "de": "Exportiert alle Arbeitspakete als CSV-Datei (für Excel) und JSON-Datei",
        "en": "Export all work packages as CSV (for Excel) and JSON files",
    },
    "wp.export.empty": {
        "de": "Das Board hat noch keine Arbeitspakete, es gibt nichts zu exportieren. Ein "
        "neues Paket: `{prefix}wp add <Titel>`",
        "en": "The board has no work packages yet, there is nothing to export. A new one: "
        "`{prefix}wp add <title>`",
    },
    "wp.export.done": {
        "de": "📤 Export von {count} Arbeitspaketen des Boards „{board}“, Stand {stamp}. Es "
        "folgen zwei Dateien:\n\n"
        "- **{csv}**: Tabelle für Excel (Semikolon-getrennt, UTF-8)\n"
        "- **{json}**: alle Daten, maschinenlesbar\n\n"
        "Eine bearbeitete CSV-Datei kann der Betrieb mit `board-bot import workpackages` wieder "
        "einspielen.",
        "en": '📤 Export of {count} work packages of the board "{board}", as of {stamp}. Two '
        "files follow:\n\n"
        "- **{csv}**: a table for Excel (semicolon-separated, UTF-8)\n"
        "- **{json}**: all data, machine-readable\n\n"
        "The operator can load an edited CSV file back with `board-bot import workpackages`.",
    },
}

WEEKDAYS = {
    "de": ("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So"),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}


def weekday_date(lang: str, day: date) -> Safe:
    """``Di, 08.12.2026``: a date with its weekday, in ``lang`` (German when unknown)."""
    names = WEEKDAYS.get(lang) or WEEKDAYS[DEFAULT_LANGUAGE]
    return Safe(f"{names[day.weekday()]}, {format_date(day)}")


class Localized:
    """A parameter whose text depends on the reader's language (the list of status words in an
    error raised where the language is not known yet): filled in by :func:`t`."""

    def __init__(self, text: Callable[[str], str]) -> None:
        self.text = text

    def __repr__(self) -> str:
        return f"Localized({self.text(DEFAULT_LANGUAGE)!r})"


def t(lang: str, key: str, /, **params: Any) -> Safe:
    """The message ``key`` in ``lang`` (German when missing there), with ``params`` filled in:
    strings escaped unless they are :class:`Safe`, other values as they are."""
    entry = MESSAGES[key]
    text = entry.get(lang) or entry[DEFAULT_LANGUAGE]
    if not params:
        return Safe(text)
    return Safe(text.format(**{k: _param(v, lang) for k, v in params.items()}))


def _param(value: Any, lang: str) -> Any:
    """Dates as the board reads them (31.12.2026); strings escaped unless Safe."""
    if isinstance(value, Localized):
        value = value.text(lang)
    if isinstance(value, Person | People):  # not named for a reader: without display names
        value = named({"v": value}, plain_names)["v"]
    if isinstance(value, date) and not isinstance(value, datetime):
        return Safe(format_date(value))
    return escape_param(value)
