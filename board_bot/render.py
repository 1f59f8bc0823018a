"""Markdown replies → Matrix message content: rendered, sanitised, mention-safe, size-bounded.

Replies are written as Markdown. markdown-it-py renders them in its ``js-default`` preset (raw HTML
off, dangerous link schemes refused); nh3 then keeps only the HTML subset of the Matrix spec. User
text is escaped with :func:`escape` before it goes into a reply, so that a title can neither
format, link nor ping.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

import nh3
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token

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
# Keep every event well below the 64 KiB the spec allows, with room for the envelope.
MAX_CONTENT_BYTES = 48 * 1024

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

# Characters that carry meaning in CommonMark; escaped with a backslash in user text.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~=&:\"'$@])")
_MD_UNESCAPE = re.compile(r"\\([\\`*_{}\[\]()<>#+\-.!|~=&:\"'$@])")
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
    """Text of our own (a command word, a prefix) that goes into a reply unescaped."""


def escape_params(params: dict[str, Any]) -> dict[str, Any]:
    """Escape every string parameter of a message except those marked :class:`Safe`."""
    return {
        k: v if isinstance(v, Safe) or not isinstance(v, str) else escape(v)
        for k, v in params.items()
    }


def escape(text: str) -> str:
    """Make user text inert in a Markdown reply: no formatting, no links, no @room ping."""
    text = " ".join(text.split()) if "\n" not in text else text
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return _ROOM_PING.sub("@\u2060\\1", text)


def markdown_to_html(markdown: str) -> str:
    return sanitise(_md.render(markdown)).strip()


def _json_size(text: str) -> int:
    """Bytes ``text`` takes in the event's JSON (control characters take six, quotes two)."""
    return len(json.dumps(text, ensure_ascii=False).encode())


def _cut(line: str, limit: int) -> int:
    """The longest prefix of ``line`` that fits ``limit``, not ending inside a ``\\x`` escape."""
    low, high = 1, len(line)
    while low < high:
        mid = (low + high + 1) // 2
        if _json_size(line[:mid]) <= limit:
            low = mid
        else:
            high = mid - 1
    head = line[:low]
    if (len(head) - len(head.rstrip("\\"))) % 2 and low > 1:
        low -= 1
    return low


def _split_blocks(markdown: str, limit: int) -> list[str]:
    """Split Markdown at paragraph, then line boundaries so each part fits ``limit`` JSON bytes."""
    parts: list[str] = []
    current = ""
    for block in re.split(r"\n{2,}", markdown):
        pieces = [block]
        if _json_size(block) > limit:
            pieces = []
            for line in block.split("\n"):
                while _json_size(line) > limit:
                    cut = _cut(line, limit)
                    pieces.append(line[:cut])
                    line = line[cut:]
                pieces.append(line)
        for piece in pieces:
            candidate = f"{current}\n\n{piece}" if current else piece
            if _json_size(candidate) <= limit:
                current = candidate
            else:
                if current:
                    parts.append(current)
                current = piece
    if current or not parts:
        parts.append(current)
    return parts


def message_contents(
    markdown: str,
    *,
    reply_to: str | None = None,
    mentions: tuple[str, ...] = (),
    msgtype: str = "m.notice",
) -> list[dict[str, Any]]:
    """One or more ``m.room.message`` contents for a Markdown reply, each under the size cap.

    Every content carries ``m.mentions`` on purpose: empty unless ``mentions`` names users.
    """
    # Rendered HTML is larger than its Markdown; a third of the cap per part leaves room for both.
    contents: list[dict[str, Any]] = []
    for part in _split_blocks(markdown, MAX_CONTENT_BYTES // 3):
        content: dict[str, Any] = {
            "msgtype": msgtype,
            "body": plain_text(part),
            "format": "org.matrix.custom.html",
            "formatted_body": markdown_to_html(part),
            "m.mentions": {"user_ids": list(mentions)} if mentions else {},
        }
        if reply_to is not None and not contents:
            content["m.relates_to"] = {"m.in_reply_to": {"event_id": reply_to}}
        if content_size(content) > MAX_CONTENT_BYTES:  # pathological HTML growth: plain text
            del content["format"], content["formatted_body"]
        contents.append(content)
    return contents


def plain_text(markdown: str) -> str:
    """The ``body`` fallback: the Markdown with our escape backslashes removed."""
    return _MD_UNESCAPE.sub(r"\1", markdown)


def content_size(content: dict[str, Any]) -> int:
    return len(json.dumps(content, ensure_ascii=False).encode())
