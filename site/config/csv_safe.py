"""The one CSV writer the project uses (searches, exports, import reports).

Spreadsheets run a cell that starts with =, +, -, @, a tab or a carriage
return as a formula, so a program named `=HYPERLINK(...)` in a downloaded
CSV could run in the reader's spreadsheet (OWASP "CSV injection"). Every
text cell that starts with one of those characters is written with a
leading apostrophe, which spreadsheets show as text; plain numbers (such as
a negative longitude) are left alone because they cannot be formulas.
`unescape_cell` undoes it when the project reads its own files back.

Files also end with an end-of-file line (`# end of file: N rows`), so a
download cut off by a timeout or a dropped connection is visibly
incomplete."""

import csv
import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"
END_MARKER = "# end of file:"
NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def escape_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not NUMBER.fullmatch(value):
        return ESCAPE + value
    return value


def unescape_cell(value):
    if isinstance(value, str) and value.startswith(ESCAPE) and value[1:2] and value[1] in "=+-@\t\r":
        return value[1:]
    return value


def end_line(rows: int) -> list[str]:
    return [f"{END_MARKER} {rows} rows"]


def is_end_line(row) -> bool:
    values = list(row.values()) if isinstance(row, dict) else list(row)
    return bool(values) and isinstance(values[0], str) and values[0].startswith(END_MARKER)


class SafeWriter:
    """csv.writer with every cell escaped; `writerow` returns what the
    underlying writer returns (the line, when streaming through Echo)."""

    def __init__(self, file, **kwargs):
        self._writer = csv.writer(file, **kwargs)

    def writerow(self, row):
        return self._writer.writerow([escape_cell(value) for value in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


class Echo:
    """A file-like object that hands each written line back, for streaming
    responses."""

    def write(self, value):
        return value


def writer(file=None, **kwargs) -> SafeWriter:
    """A formula-safe CSV writer on `file` (or one that returns lines)."""
    return SafeWriter(file if file is not None else Echo(), **kwargs)
