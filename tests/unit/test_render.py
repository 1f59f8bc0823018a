"""Markdown → Matrix HTML: only the allowed subset comes out, user text is inert, events stay small.

Adversarial catalogue items 8 (summary over 64 KiB), 9 (script, onerror, javascript:, relative
links, deep nesting) and 10 (@room, pills in user text).
"""

from __future__ import annotations

import json
import math
import re
from html.parser import HTMLParser

import pytest

from board_bot.core import render
from board_bot.core.render import (
    Safe,
    content_size,
    escape,
    escape_param,
    markdown_to_html,
    message_contents,
    plain_text,
    sanitise,
)

SPEC_LIMIT = 64 * 1024  # what a homeserver accepts for a whole event


class _Inspector(HTMLParser):
    """Collects every element with its attributes, the deepest nesting and the text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.depth = 0
        self.max_depth = 0
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))
        if tag not in ("br", "hr", "img"):
            self.depth += 1
            self.max_depth = max(self.max_depth, self.depth)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        self.depth -= 1

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def inspect_html(markup: str) -> _Inspector:
    inspector = _Inspector()
    inspector.feed(markup)
    inspector.close()
    return inspector


def assert_matrix_safe(markup: str) -> None:
    """Only the Matrix subset: allowed tags and attributes, safe links, mxc images, language-*."""
    for tag, attrs in inspect_html(markup).elements:
        assert tag in render.ALLOWED_TAGS, f"tag <{tag}> in {markup!r}"
        allowed = render.ALLOWED_ATTRIBUTES.get(tag, set())
        for name, value in attrs.items():
            assert name in allowed, f"attribute {name} on <{tag}> in {markup!r}"
            value = value or ""
            if (tag, name) == ("a", "href"):
                assert value.lower().startswith(("http://", "https://", "mailto:")), value
            if (tag, name) == ("img", "src"):
                assert value.startswith("mxc://"), value
            if (tag, name) == ("code", "class"):
                assert re.fullmatch(r"language-[A-Za-z0-9_+\-]+", value), value


# --- item 9: only allowed HTML comes out -----------------------------------------------------


@pytest.mark.parametrize(
    ("markdown", "forbidden"),
    [
        ("<script>alert(1)</script>", "<script"),
        ("<SCRIPT src=https://evil.example/x.js></SCRIPT>", "<script"),
        ('<img src=x onerror="alert(1)">', "<img"),
        ("<a href='javascript:alert(1)'>x</a>", "<a"),
        ("<iframe src=https://evil.example></iframe>", "<iframe"),
        ("<style>body{display:none}</style>", "<style"),
        ("[x](javascript:alert(1))", "<a"),
        ("[x](JaVaScRiPt:alert(1))", "<a"),
        ("[x](vbscript:msgbox(1))", "<a"),
        ("[x](data:text/html;base64,PHNjcmlwdD4=)", "<a"),
        ("<javascript:alert(1)>", "<a"),
        ("![i](https://tracker.example/pixel.png)", "<img"),
        ("![i](javascript:alert(1))", "<img"),
    ],
)
def test_markdown_never_yields_active_content(markdown: str, forbidden: str) -> None:
    out = markdown_to_html(markdown)
    assert forbidden not in out.lower()
    assert "javascript:" not in "".join(str(v) for _, a in inspect_html(out).elements for v in a)
    assert_matrix_safe(out)


@pytest.mark.parametrize(
    "markdown", ["[x](/relative)", "[x](relative/path)", "[x](//evil.example/x)", "[x](#anchor)"]
)
def test_relative_links_lose_their_target(markdown: str) -> None:
    out = markdown_to_html(markdown)
    assert "href" not in out
    assert "x" in "".join(inspect_html(out).text)
    assert_matrix_safe(out)


@pytest.mark.parametrize(
    ("markdown", "href"),
    [
        ("[Stadt](https://stadt.example/board)", "https://stadt.example/board"),
        ("[Stadt](http://stadt.example)", "http://stadt.example"),
        ("[Mail](mailto:cdo@stadt.example)", "mailto:cdo@stadt.example"),
        ("<https://stadt.example>", "https://stadt.example"),
    ],
)
def test_allowed_links_are_kept(markdown: str, href: str) -> None:
    out = markdown_to_html(markdown)
    assert f'href="{href}"' in out
    assert_matrix_safe(out)


def test_non_mxc_image_is_dropped_and_its_alt_text_shown() -> None:
    out = markdown_to_html("Plan: ![Lageplan *Nord*](https://tracker.example/p.png)")
    assert "<img" not in out
    assert "tracker.example" not in out
    assert "Lageplan Nord" in out


def test_mxc_image_is_kept() -> None:
    out = markdown_to_html("![Lageplan](mxc://stadt.example/AbCdEf)")
    (element,) = [e for e in inspect_html(out).elements if e[0] == "img"]
    assert element[1]["src"] == "mxc://stadt.example/AbCdEf"
    assert element[1]["alt"] == "Lageplan"
    assert_matrix_safe(out)


@pytest.mark.parametrize(
    ("markdown", "css_class"),
    [
        ("```python\nx = 1\n```", "language-python"),
        ("```c++\nint x;\n```", "language-c++"),
        ('```evil" onclick="alert(1)\nx\n```', None),
        ("```x<y\nz\n```", None),
        ("    indented code", None),
    ],
)
def test_code_class_is_only_language(markdown: str, css_class: str | None) -> None:
    out = markdown_to_html(markdown)
    (code,) = [attrs for tag, attrs in inspect_html(out).elements if tag == "code"]
    assert code.get("class") == css_class
    assert "onclick" not in out
    assert_matrix_safe(out)


@pytest.mark.parametrize(
    "raw_html",
    [
        "<script>alert(1)</script>ok",
        '<img src="https://tracker.example/p.png" onerror="alert(1)">',
        '<a href="javascript:alert(1)">x</a>',
        '<a href="/relative">x</a>',
        '<a href="https://ok.example" onclick="alert(1)" target="_blank">x</a>',
        '<code class="foo bar">x</code><code class="language-py">y</code>',
        '<div style="position:fixed" onmouseover="x">d</div>',
        '<font color="red">f</font><iframe src="https://x"></iframe><!-- hidden -->',
        '<img src="mxc://stadt.example/ok" onload="alert(1)" alt="a">',
    ],
)
def test_sanitiser_keeps_only_the_matrix_subset(raw_html: str) -> None:
    """Defence in depth: even HTML that did not come from our Markdown renderer is cleaned."""
    out = sanitise(raw_html)
    assert_matrix_safe(out)
    assert "<!--" not in out


# --- deep nesting in user text ---------------------------------------------------------------

NESTED = [
    pytest.param(">" * 200 + " tief", id="blockquotes"),
    pytest.param("".join("  " * i + "- x\n" for i in range(200)), id="lists"),
    pytest.param("[" * 200 + "x" + "](y)" * 200, id="links"),
    pytest.param("*" * 200 + "x" + "*" * 200, id="emphasis"),
    pytest.param("<b>" * 200 + "x" + "</b>" * 200, id="html"),
    pytest.param("`" * 200 + "x", id="backticks"),
]


@pytest.mark.parametrize("title", NESTED)
def test_deeply_nested_user_text_is_escaped_and_bounded(title: str) -> None:
    out = markdown_to_html(f"**Titel:** {escape(title)}")
    inspected = inspect_html(out)
    assert {tag for tag, _ in inspected.elements} <= {"p", "strong", "br"}
    assert inspected.max_depth <= 2
    assert len(out) < 10 * len(title) + 100
    assert_matrix_safe(out)


def test_nesting_in_our_own_markdown_is_capped() -> None:
    out = markdown_to_html(">" * 200 + " tief")
    assert out.count("<blockquote>") <= render._md.options["maxNesting"]
    assert_matrix_safe(out)


# --- escaping user text ----------------------------------------------------------------------

ROUND_TRIP = [
    "a*b_c",
    "[Erika](https://matrix.to/#/@erika:stadt.example)",
    "C:\\Benutzer\\erika",
    "1. Punkt",
    "# Kein Titel",
    "- kein Listenpunkt",
    "> kein Zitat",
    "`kein Code`",
    "x <b>fett</b> & y &amp; &copy;",
    "50 % - 20 = 30! ~~nein~~ | a | b |",
    "Müller's „Büro“ — 31.12.2026",
    "a\\*b",
    "<https://stadt.example>",
]


@pytest.mark.parametrize("text", ROUND_TRIP)
def test_escaped_text_renders_literally(text: str) -> None:
    out = markdown_to_html(escape(text))
    inspected = inspect_html(out)
    assert {tag for tag, _ in inspected.elements} <= {"p"}
    assert "".join(inspected.text) == text


@pytest.mark.parametrize("text", ROUND_TRIP)
def test_plain_text_removes_our_escapes(text: str) -> None:
    assert plain_text(escape(text)) == text


def test_plain_text_keeps_backslashes_that_are_not_escapes() -> None:
    assert plain_text(r"C:\new\table") == r"C:\new\table"
    assert plain_text(r"\*fett\*") == "*fett*"


def test_escape_collapses_whitespace_of_a_single_line_only() -> None:
    assert escape("a \t  b ") == "a b"
    assert escape("a\n  b") == "a\n  b"


@pytest.mark.parametrize("text", ["@room", "Alle: @room!", "@ROOM bitte", "@Room", "foo@room"])
def test_room_ping_in_user_text_is_neutralised(text: str) -> None:
    escaped = escape(text)
    assert "\u2060" in escaped
    for content in message_contents(f"Neuer Titel: {escaped}"):
        assert "@room" not in content["body"].lower()
        assert "@room" not in content["formatted_body"].lower()
        assert content["m.mentions"] == {}


@pytest.mark.parametrize(
    "pill",
    [
        "[Erika](https://matrix.to/#/@erika:stadt.example)",
        "<https://matrix.to/#/@erika:stadt.example>",
        "https://matrix.to/#/@erika:stadt.example",
        '<a href="https://matrix.to/#/@erika:stadt.example">Erika</a>',
    ],
)
def test_pill_in_user_text_is_not_a_link(pill: str) -> None:
    out = markdown_to_html(f"Status von {escape(pill)}")
    inspected = inspect_html(out)
    assert [tag for tag, _ in inspected.elements] == ["p"]
    assert "".join(inspected.text) == f"Status von {pill}"


def test_escape_param_escapes_all_but_safe_and_non_strings() -> None:
    prefix = Safe("!")
    params = {"name": "*fett*", "prefix": prefix, "count": 3, "none": None}
    escaped = {k: escape_param(v) for k, v in params.items()}
    assert escaped == {"name": r"\*fett\*", "prefix": "!", "count": 3, "none": None}
    assert escaped["prefix"] is prefix


# --- message contents: mentions, replies, size (item 8) --------------------------------------


def test_a_short_reply_is_one_notice_with_html_and_no_mentions() -> None:
    (content,) = message_contents("**Hallo** Welt", reply_to="$event")
    assert content["msgtype"] == "m.notice"
    assert content["format"] == "org.matrix.custom.html"
    assert content["formatted_body"] == "<p><strong>Hallo</strong> Welt</p>"
    assert content["body"] == "**Hallo** Welt"
    assert content["m.mentions"] == {}
    assert content["m.relates_to"] == {"m.in_reply_to": {"event_id": "$event"}}


def test_mentions_are_set_only_on_purpose() -> None:
    (content,) = message_contents("Bitte melden", mentions=("@erika:stadt.example",))
    assert content["m.mentions"] == {"user_ids": ["@erika:stadt.example"]}
    (content,) = message_contents("Bitte melden")
    assert content["m.mentions"] == {}
    assert "m.relates_to" not in content


def _summary() -> str:
    """A weekly summary of about 100 KB: headings, lists and escaped status texts."""
    sections = []
    for i in range(80):
        status = escape(f"Fachbereich {i}: Arbeitspaket *{i}* läuft <gut> & @room [x](y) ") * 12
        sections.append(f"## Fachbereich {i}\n\n- **Status:** {status}\n- Fällig: 31.12.2026")
    return "\n\n".join(sections)


SUMMARIES = [
    pytest.param(_summary(), id="sections"),
    pytest.param(escape("Wort* " * 20_000), id="one-long-line"),
    pytest.param(escape("a\\*" * 40_000), id="backslashes"),
    pytest.param(escape("Größenänderung 🚲 " * 6_000), id="multibyte"),
    pytest.param(escape('"<&>' * 25_000), id="html-specials"),
    # escape() drops them from user text; Markdown of ours is split all the same
    pytest.param("\x01\x02" * 20_000, id="control-characters"),
    pytest.param("\n".join(escape(f"Zeile {i}: *x*") for i in range(8_000)), id="many-lines"),
]


def _squeeze(text: str) -> str:
    return "".join(text.split())


@pytest.mark.parametrize("summary", SUMMARIES)
def test_a_long_summary_is_split_below_the_limit_without_losing_text(summary: str) -> None:
    assert len(summary.encode()) > SPEC_LIMIT or content_size({"b": summary}) > SPEC_LIMIT
    contents = message_contents(summary, reply_to="$event")
    assert len(contents) > 1
    for content in contents:
        assert content_size(content) < SPEC_LIMIT
        assert content_size(content) <= render.MAX_CONTENT_BYTES
        assert content["m.mentions"] == {}
        assert content["msgtype"] == "m.notice"
    assert _squeeze("".join(c["body"] for c in contents)) == _squeeze(plain_text(summary))
    assert "m.relates_to" in contents[0]
    assert all("m.relates_to" not in c for c in contents[1:])


def test_a_split_summary_keeps_its_html() -> None:
    contents = message_contents(_summary())
    assert all("formatted_body" in c for c in contents)
    for content in contents:
        assert_matrix_safe(content["formatted_body"])
        assert "@room" not in content["formatted_body"]
    headings = sum(c["formatted_body"].count("<h2>") for c in contents)
    assert headings == 80


# --- size: every content fits, also encrypted; formatting is kept ----------------------------


def _encrypted_event_size(content: dict[str, object]) -> int:
    """An upper estimate of the m.room.encrypted event that carries ``content``, as matrix-nio
    builds it: compact JSON with non-ASCII escaped, Megolm (AES-CBC padding, MAC, signature),
    unpadded base64, the envelope, and 2 KiB for what the homeserver adds to the event."""
    plaintext = json.dumps(
        {"type": "m.room.message", "content": content, "room_id": "!" + "r" * 254},
        separators=(",", ":"),
    )
    ciphertext = 16 + (len(plaintext.encode()) // 16 + 1) * 16 + 8 + 64
    event = {
        "type": "m.room.encrypted",
        "room_id": "!" + "r" * 254,
        "sender": "@" + "s" * 254,
        "content": {
            "algorithm": "m.megolm.v1.aes-sha2",
            "sender_key": "k" * 43,
            "session_id": "s" * 43,
            "device_id": "D" * 32,
            "ciphertext": "c" * math.ceil(ciphertext * 4 / 3),
        },
    }
    return len(json.dumps(event).encode()) + 2048


ENCRYPTED = [
    *SUMMARIES,
    pytest.param("- a\n" * 20_000, id="list"),
    pytest.param("🚲" * 40_000, id="emoji"),
    pytest.param(escape("Größenänderung ") * 6_000, id="umlauts"),
]


@pytest.mark.parametrize("markdown", ENCRYPTED)
def test_every_content_fits_an_encrypted_event(markdown: str) -> None:
    """Encryption and base64 grow a content by a third: 48 KiB came back as M_TOO_LARGE."""
    assert render.MAX_CONTENT_BYTES == 40 * 1024
    for content in message_contents(markdown, reply_to="$event"):
        assert content_size(content) <= render.MAX_CONTENT_BYTES
        assert _encrypted_event_size(content) < SPEC_LIMIT


def test_content_size_counts_non_ascii_as_it_is_sent() -> None:
    """matrix-nio sends (and encrypts) JSON with non-ASCII escaped: "ü" takes 6 bytes, not 2."""
    assert content_size({"b": "ü"}) == len('{"b": "\\u00fc"}')
    assert content_size({"b": "🚲"}) == len('{"b": "\\ud83d\\udeb2"}')


LISTS_AND_LINKS = [
    pytest.param("- a\n" * 20_000, "<li>", 20_000, id="list"),
    pytest.param(
        "".join(f"- [Vorgang {i}](https://stadt.example/board/{i})\n" for i in range(5_000)),
        '<a href="https://stadt.example/board/',
        5_000,
        id="links",
    ),
    pytest.param(
        "\n\n".join(f"**{i}** _kursiv_ `code`" for i in range(8_000)), "<strong>", 8_000, id="bold"
    ),
]


@pytest.mark.parametrize(("markdown", "element", "count"), LISTS_AND_LINKS)
def test_long_ordinary_output_keeps_its_formatting(markdown: str, element: str, count: int) -> None:
    """HTML is several times the size of such Markdown; splitting by the content keeps it."""
    contents = message_contents(markdown)
    assert len(contents) > 1
    for content in contents:
        assert content["format"] == "org.matrix.custom.html"
        assert content_size(content) <= render.MAX_CONTENT_BYTES
        assert_matrix_safe(content["formatted_body"])
    assert sum(c["formatted_body"].count(element) for c in contents) == count
    assert _squeeze("".join(c["body"] for c in contents)) == _squeeze(plain_text(markdown))
    # Parts are filled, not halved again and again: at most a third more than the minimum.
    minimum = sum(content_size(c) for c in contents) / render.MAX_CONTENT_BYTES
    assert len(contents) <= math.ceil(minimum * 4 / 3) + 1


def test_mentions_on_every_part_and_the_reply_only_on_the_first() -> None:
    contents = message_contents(
        "- a\n" * 8_000, reply_to="$event", mentions=("@erika:stadt.example",)
    )
    assert len(contents) > 1
    assert all(c["m.mentions"] == {"user_ids": ["@erika:stadt.example"]} for c in contents)
    assert contents[0]["m.relates_to"] == {"m.in_reply_to": {"event_id": "$event"}}
    assert all("m.relates_to" not in c for c in contents[1:])
    assert all(content_size(c) <= render.MAX_CONTENT_BYTES for c in contents)


def test_in_a_thread_every_part_stays_in_it() -> None:
    contents = message_contents("- a\n" * 8_000, reply_to="$command", thread_root="$root")
    assert len(contents) > 1
    assert contents[0]["m.relates_to"] == {
        "rel_type": "m.thread",
        "event_id": "$root",
        "is_falling_back": False,  # a real reply to the command
        "m.in_reply_to": {"event_id": "$command"},
    }
    for content in contents[1:]:
        assert content["m.relates_to"] == {
            "rel_type": "m.thread",
            "event_id": "$root",
            "is_falling_back": True,  # for clients without threads: shown as a reply
            "m.in_reply_to": {"event_id": "$command"},
        }
    assert all(content_size(c) <= render.MAX_CONTENT_BYTES for c in contents)
    (alone,) = message_contents("Bericht", thread_root="$root")
    assert alone["m.relates_to"]["m.in_reply_to"] == {"event_id": "$root"}
    assert alone["m.relates_to"]["is_falling_back"] is True


@pytest.mark.parametrize(
    "line",
    [
        pytest.param(escape("a\\*" * 40_000), id="backslash-escapes"),
        pytest.param(escape("*fett* _kursiv_ [x](y) <b> ") * 8_000, id="markup"),
        pytest.param(escape("ä🚲\\") * 30_000, id="multibyte"),
    ],
)
def test_a_single_long_line_is_cut_between_escapes_and_stays_inert(line: str) -> None:
    assert "\n" not in line
    contents = message_contents(line)
    assert len(contents) > 1
    # Nothing lost, nothing added: cut without any whitespace in between.
    assert "".join(c["body"] for c in contents) == plain_text(line)
    for content in contents:
        assert content_size(content) <= render.MAX_CONTENT_BYTES
        # Every escape kept its backslash: no part formats anything.
        assert {tag for tag, _ in inspect_html(content["formatted_body"]).elements} == {"p"}


@pytest.mark.parametrize(
    ("text", "cut"),
    [
        ("aaaa\n\nbb\ncc\ncc", 4),  # the blank line, though a line break is nearer the middle
        ("aaaa\nbbbbbbbbbb\nc", 4),  # the line break nearest the middle
        ("aaaaaaaaaa\nb", 10),
        ("abcd", 2),
        ("ab\\*d", 2),  # a character cut: never between a backslash and what it escapes
        ("a\\*", 1),
        ("\\\\\\*", 2),
        ("\\*", None),  # an escape cannot be cut
        ("x", None),
    ],
)
def test_split_point(text: str, cut: int | None) -> None:
    assert render._split_point(text) == cut


def test_a_megabyte_summary_is_split_without_rendering_it_over_and_over(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Speed is the bench's business; here the work is counted: the characters put through the
    Markdown renderer stay a small multiple of the text (no part rendered again and again)."""
    summary = "\n\n".join([_summary()] * 14)
    assert len(summary) > 1_000_000
    rendered: list[int] = []
    real = render.markdown_to_html

    def counting(text: str) -> str:
        rendered.append(len(text))
        return real(text)

    monkeypatch.setattr(render, "markdown_to_html", counting)
    contents = message_contents(summary)
    assert sum(rendered) < 2 * len(summary)
    assert all("formatted_body" in c for c in contents)
    assert all(content_size(c) <= render.MAX_CONTENT_BYTES for c in contents)


def test_a_folded_section_renders_as_details_and_reads_plainly() -> None:
    [content] = message_contents(
        "Kopf\n\n::: details **LL 2**: 🔴 rot\n- WP-1\n- WP-2\n:::\n\nEnde"
    )
    assert content["formatted_body"] == (
        "<p>Kopf</p>\n<details><summary><strong>LL 2</strong>: 🔴 rot</summary>\n"
        "<ul>\n<li>WP-1</li>\n<li>WP-2</li>\n</ul>\n</details>\n<p>Ende</p>"
    )
    assert content["body"] == "Kopf\n\n**LL 2**: 🔴 rot\n- WP-1\n- WP-2\n\nEnde"


def test_user_text_cannot_open_a_folded_section() -> None:
    [content] = message_contents(f"Titel: {escape('::: details <b>x</b>')}\n\n{escape(':::')}")
    assert "<details>" not in content["formatted_body"]
    assert "&lt;b&gt;" in content["formatted_body"]


def test_escape_drops_control_characters_and_bidi_overrides() -> None:
    hostile = "a\x00b\u202ec\u2066d\u2069e\x7ff\x1bg"
    assert escape(hostile) == "abcdefg"
    assert escape("Zeile 1\nZeile 2\tTab") == "Zeile 1\nZeile 2\tTab"  # breaks and tabs stay
    assert escape("👩\u200d💻") == "👩\u200d💻"  # a joiner inside an emoji is no control
