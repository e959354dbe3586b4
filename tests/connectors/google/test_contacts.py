"""Tests for the Google Contacts (People API) connector, over scripted offline HTTP answers."""

from datetime import UTC, datetime

from connectors.google.contacts import PERSON_FIELDS, fetch_google_contacts, person_to_record
from connectors.records import ContactCard, Identifier, Reject

from .conftest import error, fixture, ok

SOURCE_FILE = "account:personal-contacts"
GROUPS = ok(fixture("people_groups.json"))
FULL = [GROUPS, ok(fixture("people_page1.json")), ok(fixture("people_page2.json"))]


def fetch(google, answers, state, sleeps):
    service, http = google("people", "v1", answers)
    records = list(fetch_google_contacts(service, state, source_file=SOURCE_FILE, sleep=sleeps.append))
    return records, http


def test_full_sync_reads_both_pages_and_stores_the_sync_token(google, sleeps):
    state: dict = {}
    records, http = fetch(google, FULL, state, sleeps)

    assert [type(record).__name__ for record in records] == ["ContactCard", "ContactCard", "Reject", "ContactCard"]
    assert state == {"sync_token": "sync-token-after-full", "full_resync": True}
    first_page, second_page = http.queries()[1:]
    assert first_page == {
        "personFields": [PERSON_FIELDS],
        "pageSize": ["1000"],
        "requestSyncToken": ["true"],
        "alt": ["json"],
    }
    assert second_page == {**first_page, "pageToken": ["page-2-token"]}
    assert http.request_sequence[1][0].startswith("https://people.googleapis.com/v1/people/me/connections?")


def test_person_fields_are_mapped(google, sleeps):
    records, _ = fetch(google, FULL, {}, sleeps)

    assert records[0] == ContactCard(
        source="google_contacts",
        source_file=SOURCE_FILE,
        location="people/c1111111111111111111",
        record_key="people/c1111111111111111111",
        full_name="Ada María Ortega",
        given_name="Ada",
        family_name="Ortega",
        middle_name="María",
        nickname="Adi",
        phonetic_name="エイダ オルテガ",
        organization="Example Works",
        title="Head of Data",
        birthday="1988-07-04",
        identifiers=[
            Identifier("email", "ada.ortega@example.org", "home"),
            Identifier("email", "a.ortega@example.com", "Work (old)"),
            Identifier("phone", "+447700900123", "mobile"),
            Identifier("phone", "ext. 42", None),
            Identifier("linkedin", "https://www.linkedin.com/in/ada-ortega-0a1b2c/", "profile"),
        ],
        categories=["Run club"],
        addresses=["1 Test Street\nLondon\nN1 1AA"],
        urls=["https://ada.example.org"],
        note="Met at the 10k in Hackney.",
        observed_at=datetime(2024, 4, 2, 10, 0, tzinfo=UTC),
    )
    no_name = records[1]
    assert (no_name.full_name, no_name.birthday, no_name.identifiers) == (
        None,
        "--02-29",
        [Identifier("email", "noname@example.net", None)],
    )
    assert records[2] == Reject(
        "google_contacts", SOURCE_FILE, "connections page 1, item 3", "person without resourceName"
    )
    assert records[3].identifiers == [Identifier("phone", "+1 (555) 010-9999", "work")]
    assert records[3].observed_at == datetime(2024, 1, 5, 8, 30, 0, 500000, tzinfo=UTC)


def test_incremental_sync_sends_the_token_and_yields_deletions(google, sleeps):
    state = {"sync_token": "sync-token-after-full"}
    records, http = fetch(google, [GROUPS, ok(fixture("people_incremental.json"))], state, sleeps)

    assert http.queries()[1]["syncToken"] == ["sync-token-after-full"]
    assert records[0] == ContactCard(
        source="google_contacts",
        source_file=SOURCE_FILE,
        location="people/c2222222222222222222",
        record_key="people/c2222222222222222222",
        observed_at=datetime(2024, 6, 1, 12, 0, tzinfo=UTC),
        deleted=True,
    )
    assert (records[1].full_name, records[1].deleted) == ("Bea Lin-Ortega", False)
    assert state == {"sync_token": "sync-token-after-incremental", "full_resync": False}


def test_expired_sync_token_drops_it_and_resyncs_everything(google, sleeps):
    expired = error(
        400,
        "Sync token is expired. Clear local cache and retry call without the sync token.",
        details_reason="EXPIRED_SYNC_TOKEN",
    )
    state = {"sync_token": "stale"}
    answers = [GROUPS, expired, ok(fixture("people_page1.json")), ok(fixture("people_page2.json"))]
    records, http = fetch(google, answers, state, sleeps)

    assert len(records) == 4
    assert "syncToken" not in http.queries()[2]
    assert state == {"sync_token": "sync-token-after-full", "full_resync": True}
    assert sleeps == []


def test_gone_sync_token_also_resyncs(google, sleeps):
    state = {"sync_token": "stale"}
    answers = [GROUPS, error(410, "Gone"), ok(fixture("people_page2.json"))]
    records, _ = fetch(google, answers, state, sleeps)

    assert [record.full_name for record in records] == ["Bea Lin"]
    assert state["full_resync"] is True


def test_server_errors_are_retried_with_backoff(google, sleeps):
    state: dict = {}
    answers = [GROUPS, error(503, "Backend Error", reason="backendError"), error(500, "Internal error")]
    answers += [ok(fixture("people_page2.json"))]
    records, _ = fetch(google, answers, state, sleeps)

    assert [record.full_name for record in records] == ["Bea Lin"]
    assert sleeps == [1.0, 2.0]


def test_a_refused_request_ends_the_run_with_one_reject_and_keeps_the_token(google, sleeps):
    state = {"sync_token": "still-good"}
    refused = error(403, "The caller does not have permission", reason="forbidden")
    records, _ = fetch(google, [GROUPS, refused], state, sleeps)

    assert records == [
        Reject("google_contacts", SOURCE_FILE, "connections page 1", "HTTP 403: The caller does not have permission")
    ]
    assert state == {"sync_token": "still-good", "full_resync": False}
    assert sleeps == []


def test_unreadable_contact_groups_only_cost_the_categories(google, sleeps):
    refused = error(403, "Request had insufficient authentication scopes.", reason="insufficientPermissions")
    records, _ = fetch(google, [refused, *FULL[1:]], {}, sleeps)

    assert records[0] == Reject(
        "google_contacts",
        SOURCE_FILE,
        "contactGroups.list",
        "contact groups left out: HTTP 403: Request had insufficient authentication scopes.",
    )
    assert (records[1].full_name, records[1].categories) == ("Ada María Ortega", [])


def organization_of(*organizations: dict) -> str | None:
    person = {"resourceName": "people/c42", "organizations": list(organizations)}
    return person_to_record(person, {}, source_file=SOURCE_FILE, place="item 1").organization


def test_the_primary_organization_wins_and_a_past_one_comes_last():
    past, primary = {"name": "Acme", "current": False}, {"name": "Beta", "metadata": {"primary": True}}
    assert organization_of(past, primary) == "Beta"
    assert organization_of({"name": "Gamma", "current": True}, primary) == "Beta"
    assert organization_of(past, {"name": "Gamma", "current": True}) == "Gamma"
    assert organization_of({"name": "Delta"}, {"name": "Gamma", "current": True}) == "Gamma"
    assert organization_of(past, {"name": "Delta"}) == "Delta"
    assert organization_of({**past, "metadata": {"primary": True}}, {"name": "Delta"}) == "Delta"
    assert organization_of(past) == "Acme"  # a past employer is better than none


def test_a_phone_keeps_the_extension_its_canonical_form_has_no_place_for():
    numbers = [{"value": "(212) 555-0100 ext. 5555", "canonicalForm": "+12125550100", "type": "work"},
               {"value": "020 7946 0958", "canonicalForm": "+442079460958"}]
    person = {"resourceName": "people/c42", "phoneNumbers": numbers}
    assert person_to_record(person, {}, source_file=SOURCE_FILE, place="item 1").identifiers == [
        Identifier("phone", "+12125550100;ext=5555", "work"), Identifier("phone", "+442079460958", None)]
