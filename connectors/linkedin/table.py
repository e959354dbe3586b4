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


def read_rows(binary: IO[bytes], header_columns: tuple[str, ...]) -> Iterator[CsvRow | CsvProblem]:
    """The data rows below the first line holding all of `header_columns` (case-insensitive)."""
    text = io.TextIOWrapper(binary, encoding="utf-8-sig", errors="replace", newline="")
    reader = csv.reader(text)
    wanted = {column.lower() for column in header_columns}
    headers: list[str] | None = None
    header_names: dict[str, str] = {}
    last_line = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            yield CsvProblem(last_line + 1, f"malformed CSV: {error}")
            last_line = reader.line_num
            continue
        first_line, last_line = last_line + 1, reader.line_num
        stripped = [cell.strip() for cell in cells]
        if not any(stripped):
            continue  # blank lines and rows of only commas are not records
        if headers is None:
            if wanted <= {cell.lower() for cell in stripped}:
                headers = [cell.lower() for cell in stripped]
                header_names = {cell.lower(): cell for cell in stripped}
            continue
        yield CsvRow(first_line, dict(zip(headers, stripped)), header_names)
    if headers is None and last_line:
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
