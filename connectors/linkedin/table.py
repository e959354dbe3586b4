"""Reads one LinkedIn CSV by header name: skips the preamble, blank and comma-only rows, counts lines."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import IO

from connectors.linkedin.dates import parse_linkedin_date


class RowError(Exception):
    """A row that cannot become a record; `column` is the column at fault, as written, if any."""

    def __init__(self, reason: str, column: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.column = column


class MissingHeader(Exception):
    """No line of the file holds the expected column names."""


@dataclass(frozen=True, slots=True)
class CsvRow:
    """One data row; columns are looked up case-insensitively by header name."""

    line: int  # physical line the row starts on, 1-based, counting the preamble
    cells: dict[str, str]  # lower-cased column name -> stripped value
    headers: dict[str, str]  # lower-cased column name -> as written in the header

    def get(self, column: str) -> str | None:
        """The stripped value of `column`, or None when it is empty or the column is absent."""
        return self.cells.get(column.lower()) or None

    def require_date(self, column: str, what: str) -> datetime:
        """Like `date`, and a RowError when the value is missing: `what` names the row ("message")."""
        value = self.date(column)
        if value is None:
            raise RowError(f"{what} without {self.column_name(column)}", self.column_name(column))
        return value

    def date(self, column: str) -> datetime | None:
        """The UTC datetime in `column`, None when empty; RowError quoting the value when unparseable."""
        value = self.get(column)
        if value is None:
            return None
        try:
            return parse_linkedin_date(value)
        except ValueError:
            raise RowError(f"unparseable date {value!r}", self.column_name(column)) from None

    def column_name(self, column: str) -> str:
        return self.headers.get(column.lower(), column)


@dataclass(frozen=True, slots=True)
class CsvProblem:
    """A line the CSV reader itself could not parse (an overlong field, a stray NUL)."""

    line: int
    reason: str


class _LineFeed:
    """The file's physical lines for csv.reader, keeping those of the row being read so that the lines of a
    broken row after its first can be read again: an unterminated quote must not swallow the rest of the file."""

    def __init__(self, lines: Iterator[str]) -> None:
        self.lines = lines
        self.count = 0  # physical lines taken from the file
        self.again: list[tuple[int, str]] = []  # (line number, text) to read again, last one first
        self.row: list[tuple[int, str]] = []  # (line number, text) of the row being read
        self.ran_dry = False  # the reader asked past the last line while reading this row

    def __iter__(self) -> _LineFeed:
        return self

    def __next__(self) -> str:
        if self.again:
            numbered = self.again.pop()
        else:
            try:
                numbered = (self.count + 1, next(self.lines))
            except StopIteration:
                self.ran_dry = True
                raise
            self.count += 1
        self.row.append(numbered)
        return numbered[1]

    def start_row(self) -> None:
        self.row, self.ran_dry = [], False

    def first_line(self) -> int:
        """The line the row being read starts on (a row or a csv.Error always comes after a line was read)."""
        return self.row[0][0]

    def read_again_after_first_line(self) -> None:
        self.again.extend(reversed(self.row[1:]))


def read_rows(binary: IO[bytes], header_columns: tuple[str, ...]) -> Iterator[CsvRow | CsvProblem]:
    """The data rows below the first line holding all of `header_columns` (case-insensitive).

    A row the CSV reader cannot parse, or whose quote is never closed, is a CsvProblem at its first line; the
    lines after that one are read again as rows.
    """
    text = io.TextIOWrapper(binary, encoding="utf-8-sig", errors="replace", newline="")
    feed = _LineFeed(text)
    reader = csv.reader(feed)
    wanted = {column.lower() for column in header_columns}
    headers: list[str] | None = None
    header_names: dict[str, str] = {}
    while True:
        feed.start_row()
        try:
            cells = next(reader)
            # A quoted field runs over line ends, so only a quote never closed reads past the last line.
            problem = "unterminated quote" if feed.ran_dry else None
        except StopIteration:
            break
        except csv.Error as error:
            problem = str(error)
        if problem:
            yield CsvProblem(feed.first_line(), f"malformed CSV: {problem}")
            feed.read_again_after_first_line()
            continue
        stripped = [cell.strip() for cell in cells]
        if not any(stripped):
            continue  # blank lines and rows of only commas are not records
        if headers is None:
            if wanted <= {cell.lower() for cell in stripped}:
                headers = [cell.lower() for cell in stripped]
                header_names = {cell.lower(): cell for cell in stripped}
            continue
        yield CsvRow(feed.first_line(), dict(zip(headers, stripped)), header_names)
    if headers is None and feed.count:
        raise MissingHeader(f"no header line with the columns {', '.join(header_columns)}")


@dataclass(frozen=True, slots=True)
class FileContext:
    """Which export and which file of it a row comes from."""

    source_file: str
    label: str  # "Connections.csv"
    exported_at: datetime

    def location(self, line: int, column: str | None = None) -> str:
        place = f"{self.label} line {line}"
        return f"{place}, column {column}" if column else place
