"""Mention pills in commands: clients put the display name in ``body`` and the user id only in
``formatted_body`` (a matrix.to link). For a command, the id is what counts."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import unquote

_USER_LINK = re.compile(r"^https://matrix\.to/#/(@[^/?#]+)")
_BLOCKS = frozenset({"p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote"})


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.pills = 0
        self._in_reply = 0  # inside <mx-reply>, the quoted message a reply carries
        self._in_pill = False  # inside a pill's label, replaced by the id

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "mx-reply":
            self._in_reply += 1
        elif self._in_reply:
            return
        elif tag == "a":
            match = _USER_LINK.match(unquote(dict(attrs).get("href") or ""))
            if match:
                self.parts.append(match.group(1))
                self.pills += 1
                self._in_pill = True
        elif tag == "br" or tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "mx-reply":
            self._in_reply = max(0, self._in_reply - 1)
        elif self._in_reply:
            return
        elif tag == "a":
            self._in_pill = False
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._in_reply and not self._in_pill:
            self.parts.append(data)


def command_text(body: str, formatted_body: str | None) -> str:
    """The text to parse as a command: ``body``, or, when ``formatted_body`` mentions users with
    pills, its text with each pill replaced by the user id."""
    if not formatted_body or "matrix.to/#/" not in formatted_body:
        return body
    parser = _Text()
    parser.feed(formatted_body)
    parser.close()
    if not parser.pills:
        return body
    return "".join(parser.parts).strip()
