"""Builds one ContactCard (or a Reject) from the content lines of one vCard block."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable

from connectors.records import ContactCard, Identifier, Reject
from connectors.vcard.blocks import CardBlock
from connectors.vcard.contentlines import CardError, ContentLine, StrayLine, UndecodableValue, content_lines
from connectors.vcard.groups import ContactGroup
from connectors.vcard.values import clean_label, parse_birthday, parse_timestamp, split_unescaped, unescape

# TYPE values that say nothing a person would call a label.
_NOT_LABELS = {"internet", "pref", "voice", "x400", "msg", "x-internet"}
# Kinds of device beat places: TEL;TYPE=WORK,CELL is labelled "cell".
_SPECIFIC_LABELS = ("cell", "mobile", "iphone", "fax", "pager", "car", "video", "isdn", "bbs", "modem", "main")
# System groups that Android and Google put every contact in.
_SYSTEM_CATEGORIES = {"my contacts", "mycontacts", "starred"}
_LINKEDIN_PROFILE = "linkedin.com/in/"
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # not a note's line breaks and tabs
_N_PARTS = ("family_name", "given_name", "middle_name")  # then prefix and suffix, which Kith does not keep
_PHONETIC_PARTS = ("X-PHONETIC-FIRST-NAME", "X-PHONETIC-MIDDLE-NAME", "X-PHONETIC-LAST-NAME")
_GROUP_KINDS = ("KIND", "X-ADDRESSBOOKSERVER-KIND")
_GROUP_MEMBERS = ("MEMBER", "X-ADDRESSBOOKSERVER-MEMBER")
# IM handles as written before IMPP (Evolution, Google, Android, Outlook), with the URI scheme and the service
# that an IMPP line would carry for them (Apple's X-SERVICE-TYPE names), so both forms give the same identifier.
# Outlook's X-MS-IMADDRESS names no service (SIP, Jabber and AOL addresses all appear), so its value stays as written.
_LEGACY_IM: dict[str, tuple[str | None, str | None]] = {
    "X-AIM": ("aim", "aim"),
    "X-ICQ": ("icq", "icq"),
    "X-YAHOO": ("ymsgr", "yahoo"),
    "X-MSN": ("msnim", "msn"),
    "X-SKYPE": ("skype", "skype"),
    "X-JABBER": ("xmpp", "jabber"),
    "X-GTALK": ("xmpp", "googletalk"),
    "X-GOOGLE-TALK": ("xmpp", "googletalk"),
    "X-MS-IMADDRESS": (None, None),
}


def build_card(block: CardBlock, source: str, source_file: str) -> list[ContactCard | ContactGroup | Reject]:
    """The card of one block (a ContactGroup for a group card, or a Reject saying why it cannot be used),
    then a Reject for each property or line dropped."""
    lines = list(content_lines(block.lines))
    builder = _CardBuilder(block, source, source_file, [line for line in lines if isinstance(line, ContentLine)])
    for stray in (line for line in lines if isinstance(line, StrayLine)):
        builder.drop(stray.line_number, stray.reason)
    try:
        record: ContactCard | ContactGroup | Reject = builder.build()
    except CardError as error:
        record = Reject(source, source_file, block.location, str(error))
    return [record, *(builder.dropped[number] for number in sorted(builder.dropped))]


class _CardBuilder:
    """Fills one ContactCard from a card's content lines, one handler per property name."""

    def __init__(self, block: CardBlock, source: str, source_file: str, lines: list[ContentLine]) -> None:
        self.lines = lines
        self.card = ContactCard(source=source, source_file=source_file, location=block.location, record_key="")
        self.dropped: dict[int, Reject] = {}  # by line number, as labels are read before the rest
        self.labels_by_group: dict[str | None, str] = {}
        self.phonetic: dict[str, str] = {}
        self.delivery_labels: list[str] = []
        self.is_company = False
        self.group_kind: str | None = None  # "X-ADDRESSBOOKSERVER-KIND=group" for a group card
        self.members: list[str] = []
        self.uid_value: str | None = None

    def build(self) -> ContactCard | ContactGroup:
        # Apple writes an item's X-ABLabel after the item itself, so every label is read first.
        for line in self.lines:
            if line.group and line.name == "X-ABLABEL":
                self._apply(_CardBuilder.group_label, line)
        for line in self.lines:
            handler = _HANDLERS.get(line.name)
            if handler:
                self._apply(handler, line)
        if self.group_kind:
            return self._group()
        card = self.card
        card.record_key = self.uid_value or "sha1:" + _fingerprint(self.lines)
        card.phonetic_name = " ".join(self.phonetic[part] for part in _PHONETIC_PARTS if part in self.phonetic) or None
        if not card.addresses:
            card.addresses = self.delivery_labels
        if self.is_company:
            # A company card names a company, not a person: keep its name as the organization.
            card.organization = card.organization or card.full_name
            card.full_name = card.given_name = card.family_name = card.middle_name = None
        names = (card.full_name, card.given_name, card.family_name, card.nickname)
        if not any(names) and not (self.is_company and card.organization) and not card.identifiers:
            raise CardError("card has no name and no identifier")
        return card

    def _group(self) -> ContactGroup:
        # Apple names a group in FN and in N's first part ("N:Friends;;;;").
        name = self.card.full_name or self.card.family_name
        if not name:
            raise CardError(f"group card ({self.group_kind}) has no name")
        return ContactGroup(self.card.location, name, self.members)

    def _apply(self, handler: Callable[[_CardBuilder, ContentLine], None], line: ContentLine) -> None:
        """Runs one property's handler; a value that cannot be decoded loses that property, not the whole contact."""
        try:
            handler(self, line)
        except UndecodableValue as error:
            self.drop(line.line_number, f"{error}: property dropped")

    def drop(self, line_number: int, reason: str) -> None:
        location = f"{self.card.location}, line {line_number}"
        self.dropped[line_number] = Reject(self.card.source, self.card.source_file, location, reason)

    def group_label(self, line: ContentLine) -> None:
        self.labels_by_group[line.group] = clean_label(unescape(line.decoded_value()))

    def text(self, line: ContentLine) -> str | None:
        # control characters (a NUL from a broken export) are no part of a name or a title
        return _CONTROL_CHARACTERS.sub("", unescape(line.decoded_value())).strip() or None

    def label(self, line: ContentLine) -> str | None:
        if line.group in self.labels_by_group:
            return self.labels_by_group[line.group]
        types = [value.lower() for value in line.params.get("TYPE", []) if value.lower() not in _NOT_LABELS]
        specific = [value for value in types if value in _SPECIFIC_LABELS]
        return (specific or types or [None])[0]

    def full_name(self, line: ContentLine) -> None:
        self.card.full_name = self.card.full_name or self.text(line)

    def structured_name(self, line: ContentLine) -> None:
        parts = split_unescaped(line.decoded_value(), ";")
        for attribute, raw in zip(_N_PARTS, parts):
            if getattr(self.card, attribute) is None:
                setattr(self.card, attribute, unescape(raw).strip() or None)

    def nickname(self, line: ContentLine) -> None:
        self.card.nickname = self.card.nickname or self.text(line)

    def phonetic_part(self, line: ContentLine) -> None:
        value = self.text(line)
        if value:
            self.phonetic.setdefault(line.name, value)

    def organization(self, line: ContentLine) -> None:
        if self.card.organization is None:
            self.card.organization = unescape(split_unescaped(line.decoded_value(), ";")[0]).strip() or None

    def title(self, line: ContentLine) -> None:
        self.card.title = self.card.title or self.text(line)

    def birthday(self, line: ContentLine) -> None:
        self.card.birthday = self.card.birthday or parse_birthday(unescape(line.decoded_value()))

    def email(self, line: ContentLine) -> None:
        value = _without_scheme(self.text(line) or "", "mailto:")
        if value:
            self.card.identifiers.append(Identifier("email", value, self.label(line)))

    def phone(self, line: ContentLine) -> None:
        value = _without_scheme(self.text(line) or "", "tel:")
        if value:
            self.card.identifiers.append(Identifier("phone", value, self.label(line)))

    def address(self, line: ContentLine) -> None:
        parts = (unescape(raw).strip().replace("\n", ", ") for raw in split_unescaped(line.decoded_value(), ";"))
        formatted = ", ".join(part for part in parts if part)
        if formatted:
            self.card.addresses.append(formatted)

    def delivery_label(self, line: ContentLine) -> None:
        value = self.text(line)
        if value:
            self.delivery_labels.append(", ".join(part.strip() for part in value.splitlines() if part.strip()))

    def url(self, line: ContentLine) -> None:
        value = self.text(line)
        if value:
            self._add_url(value)

    def social_profile(self, line: ContentLine) -> None:
        value = self.text(line) or ""
        if value.lower().startswith(("http://", "https://")) or _LINKEDIN_PROFILE in value.lower():
            self._add_url(value)
            return
        # iOS writes the profile as "x-apple:<user>" and names the user again in x-user.
        user = line.param("X-USER") or _without_scheme(value, "x-apple:")
        if user and "linkedin" in {kind.lower() for kind in line.params.get("TYPE", [])}:
            self.card.identifiers.append(Identifier("linkedin", f"https://www.linkedin.com/in/{user}"))

    def instant_messaging(self, line: ContentLine) -> None:
        service = line.param("X-SERVICE-TYPE")
        self._add_im(self.text(line), service.lower() if service else self.label(line))

    def legacy_instant_messaging(self, line: ContentLine) -> None:
        scheme, service = _LEGACY_IM[line.name]
        value = self.text(line)
        if value and scheme and not value.lower().startswith(f"{scheme}:"):
            value = f"{scheme}:{value}"
        self._add_im(value, service or self.label(line))

    def categories(self, line: ContentLine) -> None:
        for raw in split_unescaped(line.decoded_value(), ","):
            category = unescape(raw).strip()
            if category and category.lower() not in _SYSTEM_CATEGORIES and category not in self.card.categories:
                self.card.categories.append(category)

    def note(self, line: ContentLine) -> None:
        value = self.text(line)
        if value:
            self.card.note = f"{self.card.note}\n{value}" if self.card.note else value

    def unique_id(self, line: ContentLine) -> None:
        self.uid_value = self.uid_value or self.text(line)

    def revision(self, line: ContentLine) -> None:
        self.card.observed_at = self.card.observed_at or parse_timestamp(line.decoded_value())

    def kind(self, line: ContentLine) -> None:
        kind = (self.text(line) or "").lower()
        if kind == "group":
            self.group_kind = f"{line.name}={kind}"
        if kind == "org":
            self.is_company = True

    def member(self, line: ContentLine) -> None:
        value = self.text(line)
        if value:
            self.members.append(value)

    def show_as(self, line: ContentLine) -> None:
        if (self.text(line) or "").upper() == "COMPANY":
            self.is_company = True

    def _add_im(self, value: str | None, label: str | None) -> None:
        if not value:
            return
        if _LINKEDIN_PROFILE in value.lower():
            self.card.identifiers.append(Identifier("linkedin", value))
        else:
            self.card.identifiers.append(Identifier("im", value, label))

    def _add_url(self, url: str) -> None:
        if _LINKEDIN_PROFILE in url.lower():
            self.card.identifiers.append(Identifier("linkedin", url))
        elif url not in self.card.urls:
            self.card.urls.append(url)


def _without_scheme(value: str, scheme: str) -> str:
    return value[len(scheme) :] if value.lower().startswith(scheme) else value


def _fingerprint(lines: list[ContentLine]) -> str:
    return hashlib.sha1("\n".join(line.text for line in lines).encode("utf-8", "surrogatepass")).hexdigest()


_HANDLERS: dict[str, Callable[[_CardBuilder, ContentLine], None]] = {
    "FN": _CardBuilder.full_name,
    "N": _CardBuilder.structured_name,
    "NICKNAME": _CardBuilder.nickname,
    **{name: _CardBuilder.phonetic_part for name in _PHONETIC_PARTS},
    "ORG": _CardBuilder.organization,
    "TITLE": _CardBuilder.title,
    "BDAY": _CardBuilder.birthday,
    "EMAIL": _CardBuilder.email,
    "TEL": _CardBuilder.phone,
    "ADR": _CardBuilder.address,
    "LABEL": _CardBuilder.delivery_label,
    "URL": _CardBuilder.url,
    "X-SOCIALPROFILE": _CardBuilder.social_profile,
    "SOCIALPROFILE": _CardBuilder.social_profile,
    "IMPP": _CardBuilder.instant_messaging,
    **{name: _CardBuilder.legacy_instant_messaging for name in _LEGACY_IM},
    "CATEGORIES": _CardBuilder.categories,
    "NOTE": _CardBuilder.note,
    "UID": _CardBuilder.unique_id,
    "REV": _CardBuilder.revision,
    **{name: _CardBuilder.kind for name in _GROUP_KINDS},
    **{name: _CardBuilder.member for name in _GROUP_MEMBERS},
    "X-ABSHOWAS": _CardBuilder.show_as,
}
