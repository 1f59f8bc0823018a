"""Markdown replies → Matrix message content: rendered, sanitised, mention-safe, size-bounded.

Replies are written as Markdown. markdown-it-py renders them in its ``js-default`` preset (raw HTML
off, dangerous link schemes refused); nh3 then keeps only the HTML subset of the Matrix spec. User
text is escaped with :func:`escape` before it goes into a reply, so that a title can neither
format, link nor ping; ``board_bot.core.i18n.t`` does that for every parameter not marked
:class:`Safe`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from typing import Any

import nh3
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin

# The HTML subset the Matrix spec recommends for m.room.message (minus styling we never emit).
ALLOWED_TAGS = frozenset(
    {
        "del", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "p", "a", "ul", "ol", "sup",
        "sub", "li", "b", "i", "u", "strong", "em", "s", "code", "hr", "br", "div", "table",
        "thead", "tbody", "tr", "th", "td", "caption", "pre", "span", "img", "details", "summary",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href"},
    "img": {"src", "alt", "title", "width", "height"},
    "ol": {"start"},
    "code": {"class"},
}
LINK_SCHEMES = ("http://", "https://", "mailto:")
# The spec allows 64 KiB for a whole event. In an encrypted room the content travels as Megolm
# ciphertext in base64 (4/3 of the plaintext JSON, which also holds the room id and type) inside an
# m.room.encrypted envelope (sender key, session and device id, signatures): a 48 KiB content came
# out above 64 KiB and was refused with M_TOO_LARGE. 40 KiB become about 54 KiB on the wire.
MAX_CONTENT_BYTES = 40 * 1024

_md = MarkdownIt("js-default", {"breaks": True})
_md.options["maxNesting"] = 20


def _render_image(
    renderer: RendererHTML, tokens: Sequence[Token], idx: int, options: Any, env: Any
) -> str:
    """Only mxc:// images are allowed; any other image shows its alt text instead."""
    if str(tokens[idx].attrGet("src") or "").startswith("mxc://"):
        return renderer.image(tokens, idx, options, env)
    return escapeHtml(renderer.renderInlineAsText(tokens[idx].children or [], options, env))


_md.add_render_rule("image", _render_image)


def _render_details(
    renderer: RendererHTML, tokens: Sequence[Token], idx: int, options: Any, env: Any
) -> str:
    """``::: details <summary line>`` … ``:::`` folds its blocks (the board summary's sections).
    User text cannot open one: ``:`` is escaped in it."""
    token = tokens[idx]
    if token.nesting == 1:
        title = token.info.strip()[len("details") :].strip()
        return f"<details><summary>{_md.renderInline(title)}</summary>\n"
    return "</details>\n"


container_plugin(_md, "details", render=_render_details)
_DETAILS_OPEN = re.compile(r"^::: details (.*)$", re.MULTILINE)
_DETAILS_CLOSE = re.compile(r"^:::\n?", re.MULTILINE)

# Characters that carry meaning in CommonMark; escaped with a backslash in user text.
_MD_SPECIALS = r"[\\`*_{}\[\]()<>#+\-.!|~=&:\"'$@]"
_MD_SPECIAL = re.compile(f"({_MD_SPECIALS})")
_MD_UNESCAPE = re.compile(f"\\\\({_MD_SPECIALS})")
# The same as a table for str.translate: a summary escapes hundreds of titles, and a regular
# expression's substitution with a template costs several times as much.
_MD_ESCAPES = str.maketrans({c: "\\" + c for c in map(chr, range(128)) if _MD_SPECIAL.match(c)})
# Only what could ping: "@room" and user ids. The word joiner keeps it readable.
_ROOM_PING = re.compile(r"@(room)\b", re.IGNORECASE)


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    if tag == "a" and attribute == "href":
        return value if value.lower().startswith(LINK_SCHEMES) else None
    if tag == "img" and attribute == "src":
        return value if value.startswith("mxc://") else None
    if tag == "code" and attribute == "class":
        return value if re.fullmatch(r"language-[A-Za-z0-9_+\-]+", value) else None
    return value


def sanitise(html: str) -> str:
    """Keep only the Matrix HTML subset, with safe links and mxc:// images."""
    return str(
        nh3.clean(
            html,
            tags=set(ALLOWED_TAGS),
            attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
            attribute_filter=_attribute_filter,
            url_schemes={"http", "https", "mailto", "mxc"},
            link_rel=None,
            strip_comments=True,
        )
    )


class Safe(str):
    """Markdown that goes into a reply as it is: our own text (a command word, a prefix, a
    catalog message) or user text that :func:`escape` has already made inert."""


# Control characters (NUL and the like, but not tab and line breaks) and bidi overrides: text from
# elsewhere must not break the client or turn text around (U+202A-U+202E, U+2066-U+2069).
CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def strip_control(text: str) -> str:
    """Text from elsewhere (a display name) made fit for one line: no control or bidi characters,
    whitespace folded."""
    return " ".join(CONTROL.sub("", text).split())


def escape_param(value: Any) -> Any:
    """``value`` escaped if it is a string not marked :class:`Safe`; anything else as it is."""
    return escape(value) if isinstance(value, str) and not isinstance(value, Safe) else value


def _single_spaced(text: str) -> bool:
    return "  " not in text and not text.startswith(" ") and not text.endswith(" ")


def escape(text: str) -> Safe:
    """Make user text inert in a Markdown reply: no formatting, no links, no @room ping, no
    control characters or bidi overrides."""
    if text.isprintable() and not _MD_SPECIAL.search(text) and _single_spaced(text):
        return Safe(text)  # nothing to remove or escape (most of what a summary names)
    if not text.isprintable():  # (control and bidi characters are not)
        text = CONTROL.sub("", text)
    text = " ".join(text.split()) if "\n" not in text else text
    text = text.translate(_MD_ESCAPES)
    return Safe(_ROOM_PING.sub("@\u2060\\1", text) if "@" in text else text)


def markdown_to_html(markdown: str) -> str:
    return sanitise(_md.render(markdown)).strip()


# Content bytes per Markdown character, before the first content is measured (prose: about 2).
_FIRST_RATIO = 2.0
# Never assume less: a Markdown part is rendered only if its estimate fits, so this also bounds the
# Markdown rendered in vain (below 2 * MAX_CONTENT_BYTES characters).
_MIN_RATIO = 0.5
# Parts with fewer characters are too small to tell the ratio (their tags dominate).
_RATIO_SAMPLE = 256
_BLANK_LINES = re.compile(r"\n{2,}")
_LINE_BREAK = re.compile(r"\n")


def message_contents(
    markdown: str,
    *,
    reply_to: str | None = None,
    mentions: tuple[str, ...] = (),
    msgtype: str = "m.notice",
    thread_root: str | None = None,
) -> list[dict[str, Any]]:
    """One or more ``m.room.message`` contents for a Markdown reply, each at most
    :data:`MAX_CONTENT_BYTES` as :func:`content_size` measures it, each with its HTML.

    Blocks (paragraphs, lists; the lines of a block too large for one part) are packed into parts
    by an estimate of their content size, learnt from the contents built so far. A part whose
    content is too large is split in two, at the blank line nearest its middle, else the line
    break, else a character that does not cut a backslash escape, and each half is tried again;
    only a piece that cannot be split further goes out as plain text.

    Every content carries ``m.mentions`` on purpose: empty unless ``mentions`` names users; only
    the first carries ``m.relates_to`` (the reply), unless the message goes into a thread: then
    every part does (:func:`relation`).
    """
    contents: list[dict[str, Any]] = []

    def build(text: str, *, formatted: bool = True) -> dict[str, Any]:
        content: dict[str, Any] = {"msgtype": msgtype, "body": plain_text(text)}
        if formatted:
            content["format"] = "org.matrix.custom.html"
            content["formatted_body"] = markdown_to_html(text)
        content["m.mentions"] = {"user_ids": list(mentions)} if mentions else {}
        relates = relation(reply_to if not contents else None, thread_root, fallback=reply_to)
        if relates is not None:
            content["m.relates_to"] = relates
        return content

    overhead = content_size(build("", formatted=True))
    if overhead > MAX_CONTENT_BYTES // 2:
        raise ValueError(f"{len(mentions)} mentions leave no room for the message")
    ratio = _FIRST_RATIO

    def estimate(length: int) -> float:
        return overhead + length * ratio

    def fit(text: str) -> None:
        nonlocal ratio
        text = text.strip("\n")
        if not text:
            return
        if estimate(len(text)) <= MAX_CONTENT_BYTES:
            content = build(text)
            size = content_size(content)
            if len(text) >= _RATIO_SAMPLE:
                ratio = max((size - overhead) / len(text), _MIN_RATIO)
            if size <= MAX_CONTENT_BYTES:
                contents.append(content)
                return
        cut = _split_point(text)
        if cut is None:  # an escape or a character whose HTML does not fit: plain text
            contents.append(build(text, formatted=False))
            return
        fit(text[:cut])
        fit(text[cut:])

    _pack(markdown, fit, lambda: (MAX_CONTENT_BYTES - overhead) / (ratio * 1.1))
    if not contents:
        contents.append(build(markdown.strip("\n")))
    return contents


def edit_contents(markdown: str, event_id: str, *, msgtype: str = "m.notice") -> dict[str, Any]:
    """An edit (``m.replace``) of the bot's own message ``event_id`` to say ``markdown`` now (one
    content: an edited message cannot be split; ``markdown`` must be short)."""
    new = message_contents(markdown, msgtype=msgtype)[0]
    new.pop("m.relates_to", None)
    content = {
        **new,
        "body": f"* {new['body']}",
        "m.new_content": dict(new),
        "m.relates_to": {"rel_type": "m.replace", "event_id": event_id},
    }
    if "formatted_body" in new:
        content["formatted_body"] = f"* {new['formatted_body']}"
    return content


def relation(
    reply_to: str | None, thread_root: str | None, *, fallback: str | None = None
) -> dict[str, Any] | None:
    """``m.relates_to`` for a reply to ``reply_to``, in the thread of ``thread_root`` if given.
    In a thread, a message that replies to nothing in particular names ``fallback`` (else the
    root) as its reply for clients without threads, marked as such (``is_falling_back``)."""
    if thread_root is None:
        return None if reply_to is None else {"m.in_reply_to": {"event_id": reply_to}}
    return {
        "rel_type": "m.thread",
        "event_id": thread_root,
        "is_falling_back": reply_to is None,
        "m.in_reply_to": {"event_id": reply_to or fallback or thread_root},
    }


def _pack(
    text: str,
    fit: Callable[[str], None],
    budget: Callable[[], float],
    separators: tuple[re.Pattern[str], ...] = (_BLANK_LINES, _LINE_BREAK),
) -> None:
    """Hand ``fit`` runs of whole blocks of about ``budget()`` characters each, in order; a block
    larger than that on its own is packed by its lines."""

    def flush(run: str) -> None:
        if len(run) > budget() and len(separators) > 1:
            _pack(run, fit, budget, separators[1:])
        else:
            fit(run)

    start = end = 0
    for block_end in [*(m.end() for m in separators[0].finditer(text)), len(text)]:
        if block_end - start > budget() and end > start:
            flush(text[start:end])
            start = end
        end = block_end
    flush(text[start:])


def _split_point(text: str) -> int | None:
    """Where to cut ``text`` (no newline at either end) in two: at the blank line nearest its
    middle, else at the line break nearest it, else at the middle character, moved so that it
    does not separate a backslash from the character it escapes. None if ``text`` is too short."""
    middle = len(text) // 2
    for separator in ("\n\n", "\n"):
        before = text.rfind(separator, 0, middle)
        after = text.find(separator, middle)
        candidates = [i for i in (before, after) if i > 0]
        if candidates:
            return min(candidates, key=lambda i: abs(i - middle))
    for cut in (middle, middle + 1):
        run = len(text[:cut]) - len(text[:cut].rstrip("\\"))
        if run % 2:  # text[cut - 1] escapes text[cut]: keep them together
            cut -= 1
        if 0 < cut < len(text):
            return cut
    return None


def plain_text(markdown: str) -> str:
    """The ``body`` fallback: the Markdown with our escape backslashes removed (and a folded
    section's markers: its summary line stays)."""
    if ":::" in markdown:
        markdown = _DETAILS_CLOSE.sub("", _DETAILS_OPEN.sub(r"\1", markdown))
    return _MD_UNESCAPE.sub(r"\1", markdown)


def content_size(content: dict[str, Any]) -> int:
    """Bytes of ``content`` as JSON with every non-ASCII character escaped: that is how matrix-nio
    serialises it (also as the plaintext it encrypts), and never less than its UTF-8 size."""
    return len(json.dumps(content, ensure_ascii=True))
