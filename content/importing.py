"""Turn a Markdown or plain-text article into the parts of an ArticlePage.

Markdown goes through a real parser (markdown-it-py, CommonMark plus
tables) and its token tree is mapped to the article's blocks: h2/h3
headings, rich text paragraphs with bold, italic, links and (nested)
lists, tables and quotes. YAML front matter (title, description, author,
date, tags) fills the page's fields. Plain text (a title line, an optional
byline and date, short standalone lines as headings, one paragraph per line
or hard-wrapped paragraphs) is first turned into the same Markdown.

What cannot come across is left out and reported in `notes`: relative
links that do not lead to a page of this site (they would 404 here),
citation markers with no matching reference, images, rules and page
furniture. Links to this site's own pages are kept when the caller passes
`resolve_link` (content.services.import_link_target: a Wagtail page becomes
an internal page link, another working address stays a relative URL). A
reference's bare URL moves from its text to its URL field, and a publisher
is recognised from the address of well-known sources. Parsing is separate
from saving (content.services) so it can be tested on strings."""

import datetime
import html
import re
from dataclasses import dataclass, field

import yaml
from markdown_it import MarkdownIt

BULLET = re.compile(r"^\s*(?:[-*+•·‣◦])\s+(.*)$")
NUMBERED = re.compile(r"^\s*\d{1,3}[.)]\s+(.*)$")
MARKDOWN_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
BYLINE = re.compile(r"^by\b[:\s]*(.*)$", re.IGNORECASE)
FRONT_MATTER = re.compile(r"\A(?:\ufeff)?---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
CITATION = re.compile(r"\[(\d{1,3})\]")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9“\"(])")
# Marks only Markdown makes: ATX headings, [links](...), **bold**, fences.
MARKDOWN_SIGNS = re.compile(r"^#{1,6}\s|\]\([^)\s]+\)|\*\*\S|^```", re.MULTILINE)
DATE_FORMATS = ["%B %d, %Y", "%b %d, %Y", "%B %d %Y", "%d %B %Y", "%Y-%m-%d", "%m/%d/%Y"]

SHORT_HEADING_CHARS = 80
SHORT_HEADING_WORDS = 12
WRAPPED_LINE_CHARS = 100
SUMMARY_CHARS = 300
HEADING_CHARS = 120
PARAGRAPHS_PER_BLOCK = 5  # a long run of text is split into editable blocks
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
REFERENCE_SECTIONS = {"references", "sources", "citations", "bibliography", "works cited"}
SAFE_LINK = re.compile(r"^(https?://|mailto:|tel:)", re.IGNORECASE)
BARE_URL = re.compile(r"<?(https?://[^\s<>]+?)>?[.,;:)]*(?=\s|$)", re.IGNORECASE)
# Publishers recognised from a reference's address (the longest matching host wins).
PUBLISHERS = {
    "cdc.gov": "Centers for Disease Control and Prevention (CDC)",
    "samhsa.gov": "Substance Abuse and Mental Health Services Administration (SAMHSA)",
    "nih.gov": "National Institutes of Health (NIH)",
    "nida.nih.gov": "National Institute on Drug Abuse (NIDA)",
    "niaaa.nih.gov": "National Institute on Alcohol Abuse and Alcoholism (NIAAA)",
    "ncbi.nlm.nih.gov": "National Library of Medicine (NLM)",
    "medlineplus.gov": "MedlinePlus (National Library of Medicine)",
    "fda.gov": "U.S. Food and Drug Administration (FDA)",
    "hhs.gov": "U.S. Department of Health and Human Services (HHS)",
    "who.int": "World Health Organization (WHO)",
    "asam.org": "American Society of Addiction Medicine (ASAM)",
}


def publisher_for_url(url):
    """The publisher of a well-known source, from its address, else ""."""
    host = re.sub(r"^www\.", "", re.sub(r"^https?://([^/:?#]+).*$", r"\1", url, flags=re.I).lower())
    matches = [domain for domain in PUBLISHERS if host == domain or host.endswith("." + domain)]
    return PUBLISHERS[max(matches, key=len)] if matches else ""


@dataclass
class ParsedArticle:
    title: str = ""
    summary: str = ""
    author: str = ""
    authors: list = field(default_factory=list)
    date: datetime.date | None = None
    tags: list = field(default_factory=list)
    references: list = field(default_factory=list)  # (title, url)
    blocks: list = field(default_factory=list)  # (block_type, value) in StreamField raw form
    notes: list = field(default_factory=list)  # what the editor should know


def parse_date(text):
    text = text.strip().rstrip(".")
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


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


def cut_at_word(text, limit=SUMMARY_CHARS):
    """`text` up to `limit` characters: whole sentences when they fit, else
    cut at a word boundary with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    summary = ""
    for sentence in SENTENCE_END.split(text):
        if len(summary) + len(sentence) + 1 > limit:
            break
        summary = f"{summary} {sentence}".strip()
    if summary:
        return summary
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def split_front_matter(text):
    """(metadata dict, the rest). Bad YAML is reported, not fatal."""
    match = FRONT_MATTER.match(text)
    if not match:
        return {}, text, None
    try:
        meta = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as error:
        return {}, text[match.end() :], f"The front matter is not valid YAML and was ignored ({error})."
    if not isinstance(meta, dict):
        return {}, text[match.end() :], "The front matter is not a list of fields and was ignored."
    return meta, text[match.end() :], None


def as_list(value):
    if value is None:
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    if isinstance(value, list | tuple):
        return [
            str(part.get("name", "") if isinstance(part, dict) else part).strip() for part in value if part
        ]
    if isinstance(value, dict):
        return [str(value.get("name", "")).strip()]
    return [str(value).strip()]


def as_date(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    return parse_date(str(value)) if value else None


class Importer:
    resolve_link = None

    def __init__(self, text):
        self.article = ParsedArticle()
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        meta, self.text, problem = split_front_matter(text)
        self.has_front_matter = bool(meta) or problem is not None
        if problem:
            self.article.notes.append(problem)
        self.apply_front_matter(meta)
        self.md = MarkdownIt("commonmark", {"html": False}).enable("table")
        self.paragraph_html = []
        self.reference_headings = []
        self.stopped = False

    def apply_front_matter(self, meta):
        a = self.article
        a.title = str(meta.get("title") or "").strip()
        a.summary = cut_at_word(str(meta.get("description") or meta.get("summary") or ""))
        a.authors = as_list(meta.get("authors") or meta.get("author"))
        a.date = as_date(meta.get("date"))
        a.tags = as_list(meta.get("tags") or meta.get("topics") or meta.get("categories"))

    # Header: title, lead, byline and date near the top.

    def read_header(self, lines):
        a = self.article
        i = next((n for n, line in enumerate(lines) if line.strip()), len(lines))
        if i == len(lines):
            return lines[i:]
        heading = MARKDOWN_HEADING.match(lines[i])
        first = (heading.group(2) if heading else lines[i]).strip()
        if not a.title:
            if heading and len(heading.group(1)) > 1:
                a.title = first  # a file that starts with a section heading
                i += 1
            elif heading or not MARKDOWN_SIGNS.match(lines[i]):
                a.title = first
                i += 1
        elif heading and len(heading.group(1)) == 1 and first == a.title:
            i += 1  # the title again, as the first line
        body_start, lead = i, []
        for n in range(i, min(len(lines), i + HEADER_LINES)):
            line = lines[n].strip()
            if not line or MARKDOWN_HEADING.match(line):
                if line:
                    break
                continue
            byline = BYLINE.match(line)
            if byline and len(line) <= SHORT_HEADING_CHARS:
                author, body_start = byline.group(1).strip().rstrip(","), n + 1
                if not author:
                    name_line = self.next_text_line(lines, n + 1)
                    if name_line is not None:
                        author, body_start = lines[name_line].strip(), name_line + 1
                author, _, rest = author.partition(",")
                if not a.authors and author.strip():
                    a.authors = [author.strip()]
                date = parse_date(rest) if rest else None
                date_line = self.next_text_line(lines, body_start)
                if date is None and date_line is not None and parse_date(lines[date_line]):
                    date, body_start = parse_date(lines[date_line]), date_line + 1
                a.date = a.date or date
                if lead and not a.summary:
                    a.summary = cut_at_word(" ".join(lead))
                return lines[body_start:]
            if parse_date(line) and len(line) < 40:
                a.date = a.date or parse_date(line)
                return lines[n + 1 :]
            lead.append(line)
        return lines[body_start:]

    @staticmethod
    def next_text_line(lines, start):
        return next((n for n in range(start, len(lines)) if lines[n].strip()), None)

    # Plain text -> Markdown

    def plain_to_markdown(self, lines):
        wrapped = is_wrapped(lines)
        out = []
        for n, line in enumerate(lines):
            text = line.strip()
            previous_blank = n == 0 or not lines[n - 1].strip()
            next_blank = n + 1 >= len(lines) or not lines[n + 1].strip()
            if not text:
                out.append("")
            elif "|" in text and (
                (n + 1 < len(lines) and "|" in lines[n + 1]) or (n > 0 and "|" in lines[n - 1])
            ):
                if n == 0 or "|" not in lines[n - 1]:
                    out.append("")
                out.append(text)  # a pipe table: its rows stay together
                if n + 1 >= len(lines) or "|" not in lines[n + 1]:
                    out.append("")
            elif BULLET.match(line) or NUMBERED.match(line):
                item = BULLET.match(line)
                out.append(f"- {item.group(1)}" if item else text)
            elif looks_like_heading(line, previous_blank, next_blank, wrapped):
                out += ["", f"## {text}", ""]
            elif wrapped:
                out.append(text)
            else:
                out += [text, ""]
        return "\n".join(out)

    # Markdown tokens -> blocks

    def parse(self):
        lines = self.text.strip("\n").split("\n")
        body_lines = self.read_header(lines)
        body = "\n".join(body_lines)
        if not (self.has_front_matter or MARKDOWN_SIGNS.search(self.text)):
            body = self.plain_to_markdown(body_lines)
        tokens = self.md.parse(body)
        self.walk(tokens)
        self.flush()
        self.finish()
        return self.article

    def walk(self, tokens):
        i = 0
        while i < len(tokens) and not self.stopped:
            token = tokens[i]
            end = self.closing(tokens, i)
            kind = token.type
            if kind == "heading_open":
                self.heading(token.tag, tokens[i + 1])
            elif kind == "paragraph_open":
                self.paragraph(tokens[i + 1])
            elif kind in ("bullet_list_open", "ordered_list_open"):
                self.list(tokens[i : end + 1])
            elif kind == "table_open":
                self.table(tokens[i : end + 1])
            elif kind == "blockquote_open":
                self.quote(tokens[i : end + 1])
            elif kind in ("fence", "code_block"):
                self.add_html(f"<p>{html.escape(token.content.strip())}</p>")
                self.note("A code block became a plain paragraph.")
            elif kind == "hr":
                pass  # a rule is decoration: the article's headings already divide it
            i = end + 1

    @staticmethod
    def closing(tokens, i):
        """Index of the token closing tokens[i] (itself if it opens nothing)."""
        if tokens[i].nesting != 1:
            return i
        depth = 0
        for j in range(i, len(tokens)):
            depth += tokens[j].nesting
            if depth == 0:
                return j
        return len(tokens) - 1

    def heading(self, tag, inline_token):
        self.flush()
        text = " ".join(self.plain(inline_token).split())
        if not text:
            return
        lowered = text.lower().rstrip(":")
        if lowered in TRAILING_SECTIONS:
            self.note(f"Stopped at “{text}”: the rest looks like page furniture, not article.")
            self.stopped = True
            return
        self.in_references = lowered in REFERENCE_SECTIONS
        if self.in_references:
            self.reference_headings.append(text)
            return
        if tag == "h1" and not self.article.title:
            self.article.title = text
            return
        if len(text) > HEADING_CHARS:
            self.note(f"Shortened a long heading: “{text[:60]}…”.")
            text = text[: HEADING_CHARS - 1].rsplit(" ", 1)[0] + "…"
        self.article.blocks.append(
            ("heading", {"text": text, "level": "h2" if tag in ("h1", "h2") else "h3"})
        )

    in_references = False

    def paragraph(self, inline_token):
        if self.in_references:
            self.reference(inline_token)
            return
        self.add_html(f"<p>{self.inline_html(inline_token)}</p>")

    def list(self, tokens):
        if self.in_references:
            for n, token in enumerate(tokens):
                if token.type == "inline" and tokens[n - 1].type == "paragraph_open":
                    self.reference(token)
            return
        self.add_html(self.render_list(tokens))

    def render_list(self, tokens):
        out = []
        for token in tokens:
            if token.type in ("bullet_list_open", "ordered_list_open"):
                out.append(f"<{token.tag}>")
            elif token.type in ("bullet_list_close", "ordered_list_close"):
                out.append(f"</{token.tag}>")
            elif token.type == "list_item_open":
                out.append("<li>")
            elif token.type == "list_item_close":
                out.append("</li>")
            elif token.type == "inline":
                separator = " " if out and not out[-1].endswith(("<li>", ">")) else ""
                out.append(separator + self.inline_html(token))
        return "".join(out)

    def table(self, tokens):
        self.flush()
        rows, row = [], None
        for token in tokens:
            if token.type == "tr_open":
                row = []
            elif token.type == "tr_close":
                rows.append(row)
            elif token.type == "inline" and row is not None:
                row.append(" ".join(self.plain(token).split()))
        if not rows:
            return
        width = max(len(r) for r in rows)
        data = [(r + [""] * width)[:width] for r in rows]
        self.article.blocks.append(
            (
                "table",
                {
                    "data": data,
                    "table_header_choice": "row",
                    "first_row_is_table_header": True,
                    "first_col_is_header": False,
                    "table_caption": "",
                },
            )
        )

    def quote(self, tokens):
        self.flush()
        text = " ".join(" ".join(self.plain(t).split()) for t in tokens if t.type == "inline")
        if text:
            self.article.blocks.append(("quote", {"quote": text, "attribution": ""}))

    def reference(self, inline_token):
        text = " ".join(self.plain(inline_token).split())
        url = next(
            (
                child.attrs.get("href", "")
                for child in inline_token.children or []
                if child.type == "link_open" and SAFE_LINK.match(child.attrs.get("href", ""))
            ),
            "",
        )
        text = re.sub(r"^\[?\d{1,3}[.)\]]\s*", "", text)
        number = len(self.article.references) + 1
        bare = BARE_URL.search(text)
        if bare:
            # "CDC. Fentanyl test strips. https://..." : the address goes to
            # the URL field, so the reference is a link; the title keeps the words.
            url = url or bare.group(1)
            text = " ".join((text[: bare.start()] + text[bare.end() :]).split()).rstrip(" ,;:") or url
            self.note(f"Reference {number}: moved its address out of the title into the URL field.")
        if text:
            self.article.references.append((text[:300], url))
            if publisher := publisher_for_url(url):
                self.note(f"Reference {number}: publisher “{publisher}”, recognised from its address.")

    # Inline content

    def plain(self, inline_token):
        return "".join(
            child.content for child in inline_token.children or [] if child.type in ("text", "code_inline")
        ) or ("" if inline_token.children else inline_token.content)

    def inline_html(self, inline_token):
        out, links = [], []  # links: whether each open link was kept
        for child in inline_token.children or []:
            kind = child.type
            if kind in ("text", "code_inline"):
                out.append(html.escape(child.content, quote=False))
            elif kind in ("softbreak", "hardbreak"):
                out.append(" ")
            elif kind == "strong_open":
                out.append("<b>")
            elif kind == "strong_close":
                out.append("</b>")
            elif kind == "em_open":
                out.append("<i>")
            elif kind == "em_close":
                out.append("</i>")
            elif kind == "link_open":
                href = child.attrs.get("href", "")
                target = None if SAFE_LINK.match(href) else self.own_link(href)
                links.append(bool(SAFE_LINK.match(href) or target))
                if SAFE_LINK.match(href):
                    out.append(f'<a href="{html.escape(href)}">')
                elif target:
                    out.append(target)
                else:
                    self.note(
                        f"Removed a relative link to “{href}” (it would not work here); its text is kept."
                    )
            elif kind == "link_close":
                out.append("</a>" if links and links.pop() else "")
            elif kind == "image":
                self.note(f"Left out an image (“{child.content or 'no description'}”): add it in the editor.")
        return "".join(out).strip()

    def own_link(self, href):
        """An <a> tag for a link to this site's own page, else None."""
        target = self.resolve_link(href) if self.resolve_link and href.startswith("/") else None
        if target is None:
            return None
        if target[0] == "page":
            _, page_id, title = target
            self.note(f"Linked “{href}” to this site's page “{title}”.")
            return f'<a linktype="page" id="{int(page_id)}">'
        self.note(f"Kept the link to “{href}” (an address on this site).")
        return f'<a href="{html.escape(href)}">'

    # Assembly

    def add_html(self, fragment):
        if fragment.strip() and fragment not in ("<p></p>",):
            self.paragraph_html.append(fragment)

    def flush(self):
        """Close the run of paragraphs and lists: one rich text block per
        PARAGRAPHS_PER_BLOCK paragraphs so long text stays editable."""
        run = self.paragraph_html
        for start in range(0, len(run), PARAGRAPHS_PER_BLOCK):
            self.article.blocks.append(("paragraph", "".join(run[start : start + PARAGRAPHS_PER_BLOCK])))
        self.paragraph_html = []

    def note(self, message):
        if message not in self.article.notes:
            self.article.notes.append(message)

    def finish(self):
        a = self.article
        if self.reference_headings and not a.references:
            self.note(f"Dropped the empty section “{self.reference_headings[0]}”.")
        self.check_citations()
        self.drop_empty_sections()
        first_text = next((v for t, v in a.blocks if t == "paragraph"), "")
        first_paragraph = re.match(r"<p>(.*?)</p>", first_text, re.DOTALL)
        first_plain = (
            html.unescape(re.sub(r"<[^>]+>", "", first_paragraph.group(1))) if first_paragraph else ""
        )
        if not a.summary:
            a.summary = cut_at_word(first_plain)
        # The summary is shown right above the body: never twice.
        if first_paragraph and " ".join(first_plain.split()) == a.summary and len(a.blocks) > 1:
            n = next(n for n, (t, _) in enumerate(a.blocks) if t == "paragraph")
            rest = first_text[first_paragraph.end() :]
            if rest.strip():
                a.blocks[n] = ("paragraph", rest)
            else:
                del a.blocks[n]
        a.author = a.authors[0] if a.authors else ""

    def check_citations(self):
        """Keep "[n]" only where reference n exists; report the others."""
        count = len(self.article.references)
        missing = set()

        def keep_or_drop(match):
            if 1 <= int(match.group(1)) <= count:
                return match.group(0)
            missing.add(int(match.group(1)))
            return ""

        self.article.blocks = [
            (t, re.sub(r"\s?" + CITATION.pattern, keep_or_drop, v) if t == "paragraph" else v)
            for t, v in self.article.blocks
        ]
        if missing:
            numbers = ", ".join(f"[{n}]" for n in sorted(missing))
            self.note(f"Removed citation markers with no matching reference: {numbers}. Add their sources.")

    def drop_empty_sections(self):
        """A heading followed by a heading of the same or a higher level (or
        by nothing) is left over from a section whose content did not come
        across. A section heading followed by its subheading is kept."""
        blocks = self.article.blocks
        kept = []
        for n, (block_type, value) in enumerate(blocks):
            if block_type == "heading":
                following = blocks[n + 1] if n + 1 < len(blocks) else None
                if following is None or (
                    following[0] == "heading"
                    and not (value["level"] == "h2" and following[1]["level"] == "h3")
                ):
                    self.note(f"Dropped the empty section “{value['text']}”.")
                    continue
            kept.append((block_type, value))
        self.article.blocks = kept


def parse_article(text, resolve_link=None):
    """resolve_link(href) -> ("page", id, title), ("url", href) or None, for
    links starting with "/"; without it such links are removed."""
    importer = Importer(text)
    importer.resolve_link = resolve_link
    return importer.parse()
