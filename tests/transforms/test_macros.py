"""The normalisation macros every transform shares (transforms/sql/macros.sql)."""

from __future__ import annotations

import duckdb
import pytest

from transforms.build import SQL_DIR
from transforms.normalise import PERSONAL_MAIL_SQL


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    connection = duckdb.connect(str(tmp_path_factory.mktemp("macros") / "work.duckdb"))
    connection.execute((SQL_DIR / "macros.sql").read_text())
    connection.execute(PERSONAL_MAIL_SQL.read_text())
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
    ("Smith, LaToya", "LaToya Smith", "LaToya Smith"),
    ("Kim, JiHoon", "JiHoon Kim", "JiHoon Kim"),
    ("Moore, DeAnn", "DeAnn Moore", "DeAnn Moore"),
    ("Lee, AJ", "AJ Lee", "AJ Lee"),
    ("Ana Ruiz, DrPH", "Ana Ruiz, DrPH", "Ana Ruiz"),
    ("Jane Doe, RN", "Jane Doe, RN", "Jane Doe"),
    ("Ann Lee", "Ann Lee", "Ann Lee"),
    # the family name in capitals first, as French mail writes it; not initials, not a name all in capitals
    ("DUPONT Jean", "Jean DUPONT", "Jean DUPONT"),
    ("DE LA FONTAINE Marie-Claire", "Marie-Claire DE LA FONTAINE", "Marie-Claire DE LA FONTAINE"),
    ("MÜLLER Jürgen", "Jürgen MÜLLER", "Jürgen MÜLLER"),
    ("HP Schäfer", "HP Schäfer", "HP Schäfer"),
    ("JRR Tolkien", "JRR Tolkien", "JRR Tolkien"),
    ("JOHN SMITH", "JOHN SMITH", "JOHN SMITH"),
    ("TAN Mei Ling", "Mei Ling TAN", "Mei Ling TAN"),
    ("Peter VAN Dijk", "Peter VAN Dijk", "Peter VAN Dijk"),  # a particle in capitals is no family name of its own
    # the family name in capitals between an English name and the given names, as Singapore mail writes it
    ("Alvin TAY Boon Huat", "Alvin Boon Huat TAY", "Alvin Boon Huat TAY"),
    ("Jay PARK Ji-hoon", "Jay Ji-hoon PARK", "Jay Ji-hoon PARK"),
    ("John F KENNEDY", "John F KENNEDY", "John F KENNEDY"),
])
def test_names_in_reading_order_keep_their_credentials_where_they_are(con, written, reading_order, without_suffix):
    assert con.execute("select name_in_reading_order(?), without_name_suffix(name_in_reading_order(?))",
                       [written, written]).fetchone() == (reading_order, without_suffix)


@pytest.mark.parametrize(("name", "as_spelt"), [
    ("Elizabeth Yamamoto", True), ("elizabeth yamamoto", False), ("BOB SMITH", False), ("山田太郎", True),
    ("O'Neill", True), (None, False),
])
def test_a_name_in_one_case_is_not_as_spelt(con, name, as_spelt):
    assert con.execute("select well_cased(?::varchar)", [name]).fetchone() == (as_spelt,)


@pytest.mark.parametrize(("written", "name"), [
    ("Dr. Max Bäumer", "Max Bäumer"), ("Prof. Dr. Eva Roth", "Eva Roth"), ("Frau Anna Löffler", "Anna Löffler"),
    ("Mr John Smith", "John Smith"), ("MS Dhoni", "MS Dhoni"), ("Drew Barry", "Drew Barry"),
    ("Sirius Black", "Sirius Black"),
    ("Ms", "Ms"),
])
def test_titles_before_a_name_are_no_part_of_it(con, written, name):
    assert con.execute("select without_titles(?)", [written]).fetchone() == (name,)


@pytest.mark.parametrize(("domain", "personal"), [
    ("gmail.com", True), ("googlemail.com", True), ("yahoo.co.uk", True), ("live.fr", True), ("t-online.de", True),
    ("posteo.de", True), ("att.net", True), ("comcast.net", True), ("orange.fr", True), ("GMX.AT", True),
    ("att.com", False), ("orange.com", False), ("mail.utoronto.ca", False), ("live.unc.edu", False),
    ("acme.example", False), ("webex.com", False), ("singnet.com.sg", True), ("emirates.net.ae", True),
    ("emirates.com", False), ("live.com.mx", True),
])
def test_personal_mail_providers_are_whole_consumer_domains(con, domain, personal):
    assert con.execute("select is_personal_mail_domain(?)", [domain]).fetchone() == (personal,)


@pytest.mark.parametrize(("key", "family"), [
    ("ben van der berg", "van der berg"),
    ("maren zu dohna", "zu dohna"),
    ("nadia barajas apodaca", "apodaca"),  # in a full name, the last word is all that reads as the family name
    ("juan de los santos", "de los santos"),
    ("joao do carmo", "do carmo"),
])
def test_the_family_name_at_the_end_of_a_name_keeps_its_particles(con, key, family):
    assert con.execute("select family_of(?)", [key]).fetchone() == (family,)


@pytest.mark.parametrize(("family_key", "family_names"), [
    ("barajas apodaca", ["barajas apodaca", "barajas", "apodaca"]),  # a family name given apart: either of two
    ("meyer landrut", ["meyer landrut", "meyer", "landrut"]),  # Meyer-Landrut
    ("santana machado macedo", ["santana machado macedo", "santana", "machado", "macedo"]),  # Brazilian: up to four
    ("freitas de oliveira", ["freitas de oliveira", "freitas", "de oliveira", "oliveira"]),
    ("ruiz y castaneda", ["ruiz y castaneda", "ruiz", "castaneda"]),  # "y" joins the father's and the mother's
    ("de souza", ["de souza", "souza"]),  # an Iberian particle is written and left out
    ("de la fuente", ["de la fuente", "fuente"]),
    ("van dijk", ["van dijk"]),  # other particles stay
    ("zu dohna", ["zu dohna"]),
    ("bin jamal", ["bin jamal"]),
])
def test_either_of_two_family_names_is_one_the_person_goes_by(con, family_key, family_names):
    assert con.execute("select family_names_of(?)", [family_key]).fetchone() == (family_names,)


@pytest.mark.parametrize(("family_key", "spellings"), [
    ("al mansoori", ["al mansoori", "almansoori"]),
    ("bin jamal", ["jamal", "binjamal"]),
])
def test_a_family_name_is_also_written_without_its_spaces_or_bin(con, family_key, spellings):
    assert con.execute("select family_spellings_of(?)", [family_key]).fetchone() == (spellings,)
