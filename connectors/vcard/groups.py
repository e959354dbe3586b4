"""Contact groups kept as group cards, turned into categories of the member cards.

Apple (iCloud, macOS Contacts) stores a group as a card of its own, `X-ADDRESSBOOKSERVER-KIND:group` with one
`X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:<UID>` per member, as vCard 4 does with `KIND:group` and `MEMBER`; Google
and Android write CATEGORIES on the member instead. Kith keeps groups as categories, so a group card is no
contact: its name goes to the categories of the cards it lists.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from connectors.records import ContactCard, Reject

_UUID_URN = "urn:uuid:"


@dataclass(slots=True)
class ContactGroup:
    location: str
    name: str
    members: list[str] = field(default_factory=list)  # member references as written: "urn:uuid:<UID>"


def member_key(uid: str) -> str:
    """A UID as a group names it: Apple writes the card's "ABC-1" as "urn:uuid:ABC-1"; UUIDs ignore case."""
    uid = uid.strip().lower()
    return uid[len(_UUID_URN) :] if uid.startswith(_UUID_URN) else uid


class GroupMembership:
    """The names of the groups that list each card, by `member_key` of the card's UID."""

    def __init__(self, groups: Iterable[ContactGroup]) -> None:
        names: dict[str, set[str]] = {}
        for group in groups:
            for member in group.members:
                names.setdefault(member_key(member), set()).add(group.name)
        # Sorted, so a card's categories do not depend on the order the group cards were read in.
        self.names = {member: sorted(group_names) for member, group_names in names.items()}

    def add_categories(self, card: ContactCard) -> None:
        for name in self.names.get(member_key(card.record_key), []):
            if name not in card.categories:
                card.categories.append(name)

    def applied(self, records: Iterable[ContactCard | ContactGroup | Reject]) -> Iterator[ContactCard | Reject]:
        """The records with group names added to their members' categories, and without the group cards."""
        for record in records:
            if isinstance(record, ContactCard):
                self.add_categories(record)
            if not isinstance(record, ContactGroup):
                yield record
