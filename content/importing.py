"""Turn a Markdown or plain-text article into the parts of an ArticlePage.

Parsing is separate from saving (content.services) so it can be tested on
strings. Text files come in two shapes: hard-wrapped Markdown, where a
paragraph spans several lines up to a blank one, and "one paragraph per
line" exports with long lines and often no blank lines at all; the parser
tells them apart by line length."""

import datetime
import html
import re
from dataclasses import dataclass, field

from django.utils.text import Truncator

MARKDOWN_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
BULLET = re.compile(r"^\s*(?:[-*+•·‣◦])\s+(.*)$")
NUMBERED = re.compile(r"^\s*\d{1,3}[.)]\s+(.*)$")
TABLE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
BYLINE = re.compile(r"^by\b[:\s]*(.*)$", re.IGNORECASE)
LINK = re.compile(r"\[([^\]]+)\]\((https?://[^)\s]+|/[^)\s]*)\)")
BOLD = re.compile(r"\*\*(.+?)\*\*|__(.+?)__")
ITALIC = re.compile(r"(?<![*\w])\*(?!\s)(.+?)(?<!\s)\*(?![*\w])|(?<![_\w])_(?!\s)(.+?)(?<!\s)_(?![_\w])")
DATE_FORMATS = ["%B %d, %Y", "%b %d, %Y", "%B %d %Y", "%d %B %Y", "%Y-%m-%d", "%m/%d/%Y"]

SHORT_HEADING_CHARS = 80
SHORT_HEADING_WORDS = 12
WRAPPED_LINE_CHARS = 100
SUMMARY_CHARS = 300
HEADER_LINES = 8  # the byline and date are looked for this close to the top
# Page furniture that follows the article in pages saved from the web.
TRAILING_SECTIONS = {
    "related articles",
    "related posts",
    "contact us",
    "share this article",
    "subscribe",
    "comments",
}


@dataclass
class ParsedArticle:
    title: str = ""
    summary: str = ""
    author: str = ""
    date: datetime.date | None = None
    blocks: list = field(default_factory=list)  # (block_type, value) in StreamField raw form
    notes: list = field(default_factory=list)  # what the editor should know


def inline(text):
    """Escape, then apply the Markdown inline marks the rich text allows."""
    text = html.escape(text.strip(), quote=False)
    text = LINK.sub(lambda m: f'<a href="{html.escape(m.group(2))}">{m.group(1)}</a>', text)
    text = BOLD.sub(lambda m: f"<b>{m.group(1) or m.group(2)}</b>", text)
    return ITALIC.sub(lambda m: f"<i>{m.group(1) or m.group(2)}</i>", text)


def parse_date(text):
    text = text.strip().rstrip(".")
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def table_cells(line):
    line = line.strip()
    if line.startswith("|"):
        line = line[1:]
    if line.endswith("|"):
        line = line[:-1]
    return [cell.strip() for cell in line.split("|")]


def is_table_start(lines, i):
    return "|" in lines[i] and i + 1 < len(lines) and bool(TABLE_SEPARATOR.match(lines[i + 1]))


def looks_like_heading(line, previous_blank, next_blank, wrapped):
    """A short standalone line without closing punctuation reads as a heading."""
    text = line.strip()
    if not text or len(text) > SHORT_HEADING_CHARS or len(text.split()) > SHORT_HEADING_WORDS:
        return False
    if text[-1] in ".,;:!?\"'”)" or BULLET.match(line) or NUMBERED.match(line) or "|" in text:
        return False
    if not (text[0].isupper() or text[0].isdigit()):
        return False
    # In wrapped Markdown a short line inside a paragraph is just a short line.
    return (previous_blank and next_blank) or not wrapped


def is_wrapped(lines):
    """Hard-wrapped Markdown: blank lines between paragraphs and short lines."""
    text = [line for line in lines if line.strip()]
    if not text or len(text) == len(lines):
        return False
    lengths = sorted(len(line) for line in text)
    return lengths[(len(lengths) * 9) // 10 - 1 if len(lengths) > 1 else 0] <= WRAPPED_LINE_CHARS


class Parser:
    def __init__(self, text):
        self.lines = text.replace("\r\n", "\n").replace("\r", "\n").strip("\n").split("\n")
        self.wrapped = is_wrapped(self.lines)
        self.article = ParsedArticle()
        self.paragraph = []

    def blank(self, i):
        return i < 0 or i >= len(self.lines) or not self.lines[i].strip()

    def parse(self):
        i = self.read_header()
        while i < len(self.lines):
            i = self.read_block(i)
        self.flush_paragraph()
        self.drop_empty_sections()
        if not self.article.summary:
            first = next((v for t, v in self.article.blocks if t == "paragraph"), "")
            self.article.summary = Truncator(re.sub(r"<[^>]+>", "", html.unescape(first))).chars(
                SUMMARY_CHARS
            )
        return self.article

    def read_header(self):
        """Title, then within the next few lines an optional lead paragraph,
        byline and date. Returns the index where the body starts."""
        i = next((n for n, line in enumerate(self.lines) if line.strip()), len(self.lines))
        if i == len(self.lines):
            return i
        heading = MARKDOWN_HEADING.match(self.lines[i])
        self.article.title = (heading.group(2) if heading else self.lines[i]).strip()
        i += 1
        body_start = i
        lead = []
        for n in range(i, min(len(self.lines), i + HEADER_LINES)):
            line = self.lines[n].strip()
            if not line:
                continue
            byline = BYLINE.match(line)
            if byline and len(line) <= SHORT_HEADING_CHARS:
                self.article.author = byline.group(1).strip().rstrip(",")
                body_start = n + 1
                if not self.article.author:
                    name_line = self.next_text_line(n + 1)
                    if name_line is not None:
                        self.article.author = self.lines[name_line].strip()
                        body_start = name_line + 1
                self.article.author, _, rest = self.article.author.partition(",")
                self.article.date = parse_date(rest) if rest else None
                date_line = self.next_text_line(body_start)
                if self.article.date is None and date_line is not None:
                    self.article.date = parse_date(self.lines[date_line])
                    if self.article.date:
                        body_start = date_line + 1
                if lead:
                    self.article.summary = Truncator(" ".join(lead)).chars(SUMMARY_CHARS)
                return body_start
            if self.article.date is None and parse_date(line):
                self.article.date = parse_date(line)
                return n + 1
            lead.append(line)
        return body_start

    def next_text_line(self, start):
        return next((n for n in range(start, len(self.lines)) if self.lines[n].strip()), None)

    def read_block(self, i):
        line = self.lines[i]
        if not line.strip():
            self.flush_paragraph()
            return i + 1
        if is_table_start(self.lines, i):
            return self.read_table(i)
        if BULLET.match(line) or NUMBERED.match(line):
            return self.read_list(i)
        heading = MARKDOWN_HEADING.match(line)
        if heading or looks_like_heading(line, self.blank(i - 1), self.blank(i + 1), self.wrapped):
            return self.read_heading(i, heading.group(2) if heading else line.strip())
        if self.wrapped:
            self.paragraph.append(line.strip())
        else:
            self.flush_paragraph()
            self.add("paragraph", f"<p>{inline(line)}</p>")
        return i + 1

    def read_heading(self, i, text):
        self.flush_paragraph()
        if text.strip().lower() in TRAILING_SECTIONS:
            self.article.notes.append(
                f"Stopped at “{text.strip()}”: the rest looks like page furniture, not article."
            )
            return len(self.lines)
        self.add("heading", {"text": text.strip()[:120]})
        return i + 1

    def read_list(self, i):
        self.flush_paragraph()
        ordered = bool(NUMBERED.match(self.lines[i]))
        pattern = NUMBERED if ordered else BULLET
        items = []
        while i < len(self.lines) and (match := pattern.match(self.lines[i])):
            items.append(match.group(1))
            i += 1
            # A wrapped list item continues on indented lines.
            while (
                self.wrapped
                and i < len(self.lines)
                and self.lines[i].startswith("  ")
                and self.lines[i].strip()
            ):
                if BULLET.match(self.lines[i]) or NUMBERED.match(self.lines[i]):
                    break
                items[-1] += " " + self.lines[i].strip()
                i += 1
        tag = "ol" if ordered else "ul"
        self.add(
            "paragraph", f"<{tag}>" + "".join(f"<li>{inline(item)}</li>" for item in items) + f"</{tag}>"
        )
        return i

    def read_table(self, i):
        self.flush_paragraph()
        header = table_cells(self.lines[i])
        rows = []
        i += 2
        while i < len(self.lines) and "|" in self.lines[i] and self.lines[i].strip():
            cells = table_cells(self.lines[i])
            rows.append((cells + [""] * len(header))[: len(header)])
            i += 1
        self.add(
            "table",
            {
                "data": [header, *rows],
                "table_header_choice": "row",
                "first_row_is_table_header": True,
                "first_col_is_header": False,
                "table_caption": "",
            },
        )
        return i

    def flush_paragraph(self):
        if self.paragraph:
            self.add("paragraph", f"<p>{inline(' '.join(self.paragraph))}</p>")
            self.paragraph = []

    def add(self, block_type, value):
        blocks = self.article.blocks
        if block_type == "paragraph" and blocks and blocks[-1][0] == "paragraph":
            # One rich text block per run of paragraphs and lists: easier to edit.
            blocks[-1] = ("paragraph", blocks[-1][1] + value)
        else:
            blocks.append((block_type, value))

    def drop_empty_sections(self):
        """A heading followed by another heading (or nothing) is left over from
        a section whose content did not come across, e.g. "References"."""
        blocks = self.article.blocks
        kept = []
        for n, (block_type, value) in enumerate(blocks):
            next_type = blocks[n + 1][0] if n + 1 < len(blocks) else None
            if block_type == "heading" and next_type in (None, "heading"):
                self.article.notes.append(f"Dropped the empty section “{value['text']}”.")
                continue
            kept.append((block_type, value))
        self.article.blocks = kept


def parse_article(text):
    return Parser(text).parse()
