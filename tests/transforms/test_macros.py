"""The normalisation macros every transform shares (transforms/sql/macros.sql)."""

from __future__ import annotations

import duckdb
import pytest

from transforms.build import SQL_DIR


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    connection = duckdb.connect(str(tmp_path_factory.mktemp("macros") / "work.duckdb"))
    connection.execute((SQL_DIR / "macros.sql").read_text())
    yield connection
    connection.close()


@pytest.mark.parametrize(("written", "reading_order", "without_suffix"), [
    ("Smith, Robert", "Robert Smith", "Robert Smith"),
    ("van der Berg, Ben", "Ben van der Berg", "Ben van der Berg"),
    ("SMITH, ROBERT", "ROBERT SMITH", "ROBERT SMITH"),
    ("Li, Ma", "Ma Li", "Ma Li"),
    # LinkedIn's Last Name column carries credentials: "Hwang, MSPH" (a name flipped would read "MSPH Sandra Hwang")
    ("Sandra Hwang, MSPH", "Sandra Hwang, MSPH", "Sandra Hwang"),
    ("Arman Rezaee, PhD", "Arman Rezaee, PhD", "Arman Rezaee"),
    ("Melissa Sassi, MPAff", "Melissa Sassi, MPAff", "Melissa Sassi"),
    ("John Doe, Jr.", "John Doe, Jr.", "John Doe"),
    ("Ann Lee", "Ann Lee", "Ann Lee"),
])
def test_names_in_reading_order_keep_their_credentials_where_they_are(con, written, reading_order, without_suffix):
    assert con.execute("select name_in_reading_order(?), without_name_suffix(name_in_reading_order(?))",
                       [written, written]).fetchone() == (reading_order, without_suffix)
