"""vCard 2.1, 3.0 and 4.0 connector: a tolerant line-level parser (vobject truncates and mangles values)."""

from connectors.vcard.groups import ContactGroup, GroupMembership
from connectors.vcard.parser import cards_from_text, entries_from_text, parse_vcard

__all__ = ["ContactGroup", "GroupMembership", "cards_from_text", "entries_from_text", "parse_vcard"]
