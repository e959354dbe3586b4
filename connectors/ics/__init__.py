"""Reads iCalendar (.ics) and vCalendar 1.0 (.vcs) text into one meeting Interaction per event occurrence,
recurrences expanded.

Occurrences are keyed as `connectors.meetings` says: an all-day one starts at 00:00 UTC of its date, not at
midnight in X-WR-TIMEZONE, so a Google Takeout export and the Google Calendar API key it alike.

The modules, in the order a file goes through them: `lines` (content lines and blocks), `quoted_printable`
(vCalendar 1.0 text), `zones` (time zones), `people` (attendees and organizers), `events` (one VEVENT block),
`recurrence` (occurrences of a series), `interactions` (an occurrence as an Interaction), `reader` (a whole file).
"""

from connectors.ics.reader import events_from_calendar_text, parse_ics
from connectors.ics.recurrence import EXPANSION_LIMIT, FUTURE_HORIZON

__all__ = ["EXPANSION_LIMIT", "FUTURE_HORIZON", "events_from_calendar_text", "parse_ics"]
