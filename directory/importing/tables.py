"""Reading a file's bytes into JSON rows or a table, streamed, and refusing
a file that is cut off or malformed before anything is written.

The kind of file is told from its content, whatever its extension: JSON,
CSV (comma, tab, semicolon or pipe; UTF-8 with or without BOM,
Windows-1252, or UTF-16 "Unicode text"), an HTML table (SAMHSA's "Excel"
downloads often are one) or a real .xlsx workbook.

Nothing here holds a whole large file in memory: a CSV is read twice, row
by row (once to check its shape and see which columns have any value, once
to yield its rows), JSON is parsed incrementally (ijson) and a workbook
sheet is read in openpyxl's read-only mode. A CSV row with the wrong number
of cells, an unclosed quote, a JSON document that ends early or an HTML
table without its end is refused whole, naming the line."""

import codecs
import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from zipfile import BadZipFile

import ijson
from openpyxl import load_workbook

from config import csv_safe

BINARY_REASON = "is not a text, CSV, JSON, Excel (.xlsx) or HTML file"
HEAD_BYTES = 256 * 1024  # what is looked at to tell the kind of file
CHUNK = 1024 * 1024
# Containers of rows in a JSON document: the locator's and our own export's.
JSON_CONTAINERS = ("rows", "programs")


class FormatError(Exception):
    """The file as a whole cannot be read (not one of its rows)."""


# --- tables ------------------------------------------------------------------------


@dataclass
class Table:
    """A table's header and its data rows (blank rows left out). `rows` can
    be iterated more than once; each pass reads the file again."""

    header: list[str]
    rows: object  # re-iterable of list[str]
    filled: set[int] = field(default_factory=set)  # columns with a value in some row
    count: int = 0  # data rows

    @classmethod
    def of(cls, header: list[str], rows: list[list[str]]) -> "Table":
        table = cls(header, rows)
        table.survey(rows)
        return table

    def survey(self, rows) -> None:
        self.filled, self.count = set(), 0
        for cells in rows:
            self.count += 1
            self.filled.update(i for i, cell in enumerate(cells) if str(cell or "").strip())


def _blank(cells) -> bool:
    return not any(str(cell or "").strip() for cell in cells)


class CsvRows:
    """The data rows of a CSV file, read again on each iteration."""

    def __init__(self, path: Path, encoding: str, delimiter: str):
        self.path, self.encoding, self.delimiter = path, encoding, delimiter

    def numbered(self) -> Iterator[tuple[int, list[str]]]:
        """(line where the row starts, cells), the header first."""
        with self.path.open(encoding=self.encoding, newline="") as handle:
            reader = csv.reader(handle, delimiter=self.delimiter, strict=True)
            while True:
                start = reader.line_num + 1
                try:
                    cells = next(reader)
                except StopIteration:
                    return
                except csv.Error as exc:
                    if "unexpected end of data" in str(exc):
                        raise FormatError(
                            f"Cannot read {self.path.name}: line {start}: a quoted cell is never closed "
                            "(the file may be cut off)."
                        ) from exc
                    raise FormatError(
                        f"Cannot read {self.path.name}: line {start}: bad quoting ({exc})."
                    ) from exc
                if not _blank(cells):
                    yield start, cells

    def __iter__(self) -> Iterator[list[str]]:
        rows = self.numbered()
        next(rows, None)  # the header
        for _, cells in rows:
            yield cells


def read_csv(path: Path, encoding: str, first_line: str) -> Table:
    delimiter = max([",", "\t", ";", "|"], key=first_line.count)
    rows = CsvRows(path, encoding, delimiter)
    numbered = rows.numbered()
    first = next(numbered, None)
    if first is None:
        raise FormatError(f"Cannot read {path.name}: the file is empty.")
    header = first[1]
    table = Table(header, rows)
    width = len(header)
    end = None
    for line, cells in numbered:
        if csv_safe.is_end_line(cells):  # our own export's last line: "# end of file: N rows"
            end = (line, cells[0])
            continue
        if end is not None:
            raise FormatError(f"Cannot read {path.name}: line {line} comes after the end-of-file line.")
        if len(cells) < width or (len(cells) > width and not _blank(cells[width:])):
            short = " (the file may be cut off)" if len(cells) < width else ""
            raise FormatError(
                f"Cannot read {path.name}: line {line} has {len(cells)} cells where the header has "
                f"{width} columns{short}; nothing was imported."
            )
        table.count += 1
        table.filled.update(i for i, cell in enumerate(cells) if cell.strip())
    said = re.search(r"(\d+)", end[1]) if end else None
    if said and int(said.group(1)) != table.count:
        raise FormatError(
            f"Cannot read {path.name}: its end-of-file line (line {end[0]}) says {said.group(1)} rows "
            f"but the file has {table.count}; nothing was imported."
        )
    return table


class _TableParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables, self.closed, self.row, self.cell = [], [], None, None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
            self.closed.append(False)
        elif tag == "tr" and self.tables:
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.cell = []
        elif tag == "br" and self.cell is not None:
            self.cell.append(" ")

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None and self.row is not None:
            self.row.append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "tr" and self.row is not None:
            if any(self.row):
                self.tables[-1].append(self.row)
            self.row = None
        elif tag == "table" and self.tables:
            open_tables = [i for i, closed in enumerate(self.closed) if not closed]
            if open_tables:
                self.closed[open_tables[-1]] = True

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def read_html(path: Path, encoding: str) -> Table:
    parser = _TableParser()
    with path.open(encoding=encoding, newline="") as handle:
        while chunk := handle.read(CHUNK):
            parser.feed(chunk)
    parser.close()
    tables = [(rows, closed) for rows, closed in zip(parser.tables, parser.closed, strict=True) if rows]
    if not tables:
        raise FormatError(f"Cannot read {path.name}: its HTML table has no rows.")
    rows, closed = max(tables, key=lambda t: len(t[0]))
    if not closed:
        raise FormatError(
            f"Cannot read {path.name}: its HTML table is cut off "
            f"(no end of table after row {len(rows) - 1}); "
            "nothing was imported."
        )
    return Table.of(rows[0], rows[1:])


class XlsxRows:
    """The data rows of a workbook's sheet, read again on each iteration."""

    def __init__(self, path: Path, sheet_index: int):
        self.path, self.sheet_index = path, sheet_index

    def all_rows(self) -> Iterator[list[str]]:
        workbook = _open_workbook(self.path)
        try:
            for row in workbook.worksheets[self.sheet_index].iter_rows(values_only=True):
                cells = [_cell(v) for v in row]
                if not _blank(cells):
                    yield cells
        finally:
            workbook.close()

    def __iter__(self) -> Iterator[list[str]]:
        rows = self.all_rows()
        next(rows, None)
        yield from rows


def _open_workbook(path: Path):
    try:
        return load_workbook(path, read_only=True, data_only=True)
    except (BadZipFile, KeyError, OSError, ValueError) as exc:
        raise FormatError(
            f"Cannot read {path.name}: it is a ZIP file but not a readable .xlsx workbook."
        ) from exc


def read_xlsx(path: Path) -> Table:
    workbook = _open_workbook(path)
    try:
        sheets = len(workbook.worksheets)
    finally:
        workbook.close()
    for index in range(sheets):
        rows = XlsxRows(path, index)
        header = next(rows.all_rows(), None)
        if header is not None:
            table = Table(header, rows)
            table.survey(rows)
            return table
    raise FormatError(f"Cannot read {path.name}: the .xlsx workbook has no rows.")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


# --- JSON --------------------------------------------------------------------------


class _Utf8Stream:
    """The file as UTF-8 bytes for ijson, whatever its encoding, counting
    the lines read so far (to name the line of an error)."""

    def __init__(self, handle):
        self.handle, self.lines = handle, 1

    def read(self, size: int = -1) -> bytes:
        if size == 0:  # ijson's probe for bytes or text
            return b""
        text = self.handle.read(size if size > 0 else -1)
        self.lines += text.count("\n")
        return text.encode("utf-8")


@dataclass
class JsonDocument:
    """A JSON file whose rows are the items of its top-level list, or of its
    'rows' (locator) or 'programs' (our own export) list."""

    path: Path
    encoding: str
    container: str | None  # "rows", "programs", or None for a top-level list
    top_keys: list[str] = field(default_factory=list)
    format: str = ""  # the top-level "format" value, when it comes before the rows

    def __iter__(self) -> Iterator:
        prefix = f"{self.container}.item" if self.container else "item"
        with self.path.open(encoding=self.encoding, newline="") as handle:
            stream = _Utf8Stream(handle)
            n = 0
            try:
                for n, item in enumerate(ijson.items(stream, prefix, use_float=True), start=1):  # noqa: B007
                    yield item
            except ijson.JSONError as exc:
                raise _json_error(self.path, exc, stream.lines, after=n) from exc


def _json_error(path: Path, exc: Exception, line: int, *, after: int | None = None) -> FormatError:
    reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    where = f"after row {after:,}, near line {line}" if after is not None else f"near line {line}"
    if "premature EOF" in reason or isinstance(exc, ijson.IncompleteJSONError) and "EOF" in reason:
        return FormatError(f"Cannot read {path.name}: the JSON is cut off ({where}); nothing was imported.")
    return FormatError(f"Cannot read {path.name}: not valid JSON ({where}: {reason}); nothing was imported.")


def read_json(path: Path, encoding: str) -> JsonDocument:
    """Find where the rows are, reading only up to them."""
    with path.open(encoding=encoding, newline="") as handle:
        stream = _Utf8Stream(handle)
        events = ijson.parse(stream, use_float=True)
        document = JsonDocument(path, encoding, None)
        try:
            prefix, event, value = next(events)
            if event == "start_array":
                return document
            if event != "start_map":
                raise FormatError(f"Cannot read {path.name}: the JSON is neither a list nor an object.")
            for prefix, event, value in events:
                if prefix == "" and event == "map_key":
                    document.top_keys.append(value)
                    if value in JSON_CONTAINERS:
                        _, kind, _ = next(events)
                        if kind == "start_array":
                            document.container = value
                            return document
                elif prefix == "format" and event == "string":
                    document.format = value
        except StopIteration:
            pass
        except ijson.JSONError as exc:
            raise _json_error(path, exc, stream.lines) from exc
    return document


# --- telling the kind of file --------------------------------------------------------


def _encoding(path: Path, head: bytes) -> str:
    """The text encoding, checked over the whole file a chunk at a time."""
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):  # Excel's "Unicode text" export
        candidates = [("utf-16", "broken UTF-16 text")]
    else:
        if b"\x00" in head[:8192]:
            raise FormatError(f"Cannot read {path.name}: it {BINARY_REASON}.")
        candidates = [("utf-8-sig", None), ("cp1252", None)]
    for encoding, broken in candidates:
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with path.open("rb") as handle:
                while chunk := handle.read(CHUNK):
                    decoder.decode(chunk)
                decoder.decode(b"", final=True)
            return encoding
        except UnicodeDecodeError as exc:
            if broken:
                raise FormatError(f"Cannot read {path.name}: {broken}.") from exc
    raise FormatError(f"Cannot read {path.name}: it {BINARY_REASON} (not UTF-8 or Windows-1252 text).")


def load(path: Path):
    """('json', JsonDocument) or ('csv' | 'html' | 'xlsx', Table). The file
    is checked whole: a malformed one raises FormatError naming the line."""
    with path.open("rb") as handle:
        head = handle.read(HEAD_BYTES)
    if not head.strip() and path.stat().st_size <= HEAD_BYTES:
        raise FormatError(f"Cannot read {path.name}: the file is empty.")
    if head[:4] == b"PK\x03\x04":
        return "xlsx", read_xlsx(path)
    if head[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise FormatError(
            f"Cannot read {path.name}: it is an old Excel .xls workbook; save it as .xlsx or CSV."
        )
    encoding = _encoding(path, head)
    text = codecs.getincrementaldecoder(encoding)(errors="ignore").decode(head)
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")):
        return "json", read_json(path, encoding)
    if re.search(r"(?i)<table[\s>]", text):
        return "html", read_html(path, encoding)
    if stripped.startswith("<"):
        raise FormatError(f"Cannot read {path.name}: it is an HTML or XML page without a table.")
    return "csv", read_csv(path, encoding, text.lstrip("\r\n").split("\n", 1)[0])
