"""``!meine-daten`` (``!my-data``): everything the bot stores about the sender, sent to them as
a JSON file with a short summary; only in their direct chat with the bot (access, Art. 15
DSGVO; machine-readable, though Art. 20 Abs. 3 Satz 2 excludes portability under lit. e)."""

from __future__ import annotations

from board_bot.chat.framework import Attachment, Context, command
from board_bot.core.i18n import t
from board_bot.core.render import Safe
from board_bot.features.privacy import access, export, messages


@command("my-data", de="meine-daten", aliases=("meinedaten", "mydata"))
def my_data(ctx: Context) -> str:
    """Send you everything the bot stores about you, as a file (in a direct chat with the bot)"""
    members = ctx.runtime.room_members(ctx.room_id)
    if not access.is_direct_room(
        ctx.session, room_id=ctx.room_id, user_id=ctx.sender, members=members
    ):
        # Nothing about the person goes into a shared room: a pointer here, and a line in the
        # direct chat (opened when there is none), where they can ask again.
        lang = access.language_for(ctx.session, ctx.sender, ctx.lang)
        hint = t(lang, "privacy.direct_hint", command=_word(ctx, lang))
        sender, now = ctx.sender, ctx.now
        ctx.follow_ups.append(
            lambda session: access.point_to_direct_room(session, sender, hint, now=now)
        )
        return t(ctx.lang, "privacy.direct_only", command=_word(ctx, ctx.lang))
    lang = access.language_for(ctx.session, ctx.sender, ctx.lang)
    encrypted = ctx.runtime.room_encrypted(ctx.room_id)
    if not access.may_send_file(encryption=ctx.runtime.encryption, encrypted=encrypted):
        return t(lang, "privacy.not_encrypted", command=_word(ctx, lang))
    # The texts that name them are searched by their id only: a display name is chosen by its
    # holder (shown, never trusted), and searching for it would hand whoever calls themselves
    # "Haushalt" every text with that word. The data protection officer searches by the names
    # too: ``board-bot privacy export USER --name ...``.
    data = export.export_person(ctx.session, ctx.sender, now=ctx.now)
    name = access.file_name(lang, ctx.now, ctx.default_timezone)
    ctx.attachments.append(Attachment(name, "application/json", access.to_json(data)))
    return messages.summary(lang, export.counts(data), name)


def _word(ctx: Context, lang: str) -> Safe:
    return Safe(f"`{ctx.prefix}{my_data.word(lang)}`")
