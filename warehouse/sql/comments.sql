-- The warehouse documents itself: every public table, view and column carries a comment.
-- docs/warehouse.md is generated from these (python -m warehouse.docs) and a test keeps them equal.

comment on table people is 'One row per real person in the owner''s network, merged across every source. The owner is not in it; automated senders (newsletters, no-reply) are not people.';
comment on column people.person_id is 'Stable id of the person: rebuilding or adding a source does not renumber people already known.';
comment on column people.display_name is 'The best name seen: an address-book or LinkedIn name first, then the display name used most in mail.';
comment on column people.given_name is 'Given (first) name from the best contact card, if any.';
comment on column people.family_name is 'Family (last) name from the best contact card, if any.';
comment on column people.nickname is 'Nickname from a contact card (NICKNAME), if any.';
comment on column people.organization is 'Current organisation: the newest card that names one (a newer LinkedIn export wins).';
comment on column people.title is 'Current job title from the newest card that names one.';
comment on column people.primary_email is 'The email address used most often in interactions among those still in use in the month before the person''s last interaction (a job changer''s new address, not the old one), as it is written most often (identifiers.written_as).';
comment on column people.primary_phone is 'A phone number in E.164 form, with its extension if any (+12125550100;ext=5555).';
comment on column people.linkedin_url is 'LinkedIn profile URL (https://www.linkedin.com/in/<slug>).';
comment on column people.birthday is 'Birthday as ISO date, or --MM-DD when the year is unknown.';
comment on column people.categories is 'Address-book groups the person is in (vCard CATEGORIES such as Family or Run club).';
comment on column people.sources is 'Source kinds the person was seen in (linkedin, vcard, mbox, ics, imap, gmail, ...).';
comment on column people.source_record_count is 'How many source records (cards and correspondents) became this person.';
comment on column people.linkedin_connected_at is 'When the owner connected with the person on LinkedIn (UTC).';

comment on table identifiers is 'Every normalised way to reach someone, and whose it is. Automated senders appear with person_id null and an automated_reason.';
comment on column identifiers.person_id is 'The person this identifier belongs to; null for automated or role senders.';
comment on column identifiers.kind is 'email, phone or linkedin.';
comment on column identifiers.value is 'Normalised value: email lower-cased (gmail dots and +tags dropped where the provider ignores them), phone in E.164 (with `;ext=` and its extension if any), LinkedIn profile slug.';
comment on column identifiers.written_as is 'An email address as it is written most often (tom.oneill@gmail.com where value is tomoneill@gmail.com), lower-cased; the value itself for phones and profiles.';
comment on column identifiers.label is 'Label the source gave it (work, home, mobile, or a custom label).';
comment on column identifiers.sources is 'Source kinds the identifier was seen in.';
comment on column identifiers.times_seen is 'How many times the identifier appeared on interactions.';
comment on column identifiers.last_seen_at is 'When the identifier last appeared on an interaction (up to the build''s time); null when never.';
comment on column identifiers.automated_reason is 'Why the sender counts as automated (list-id, list-unsubscribe, precedence, no-reply, auto-reply, role-address, mailing-list for a discussion list''s own address, ...); null for people.';
comment on column identifiers.shared_by_several_people is 'True when records with clearly different names share it (a household phone, a team inbox; it joined only records of one name), or when records holding it were kept apart (two work addresses at one domain, two LinkedIn connections, a different decision).';

comment on table source_records is 'Every input contact record or correspondent and the person it became: the audit trail of identity resolution.';
comment on column source_records.record_uid is 'Stable id of the record (hash of source, source file and record key).';
comment on column source_records.person_id is 'The person the record became; null for automated senders.';
comment on column source_records.source is 'Source kind: linkedin, vcard, google_contacts, carddav, mbox, maildir, eml, imap, gmail, ics, caldav, google_calendar.';
comment on column source_records.source_file is 'The file the record came from, or account:<name> for an account.';
comment on column source_records.record_key is 'Key of the record in its source: the vCard UID, LinkedIn profile slug, or kind:value of a correspondent.';
comment on column source_records.location is 'Where in the file the record is (line, card number).';
comment on column source_records.record_kind is 'card (a contact record) or correspondent (an identifier seen on interactions).';
comment on column source_records.display_name is 'The name this record carries.';
comment on column source_records.match_evidence is 'Why the record joined its person: shared identifier, same name and company, same name nobody else has, single record, or automated sender.';

comment on table interactions is 'One row per message, meeting occurrence, LinkedIn message, invitation or endorsement. The same message seen in two sources is one row.';
comment on column interactions.interaction_id is 'Stable id: a hash of the channel and the cross-source key (Message-ID, event UID and start, ...).';
comment on column interactions.source is 'Source kind of the copy this row was built from.';
comment on column interactions.channel is 'email, meeting, linkedin_message, linkedin_invitation, linkedin_endorsement or linkedin_recommendation.';
comment on column interactions.occurred_at is 'When it happened (UTC): the message date or the meeting occurrence start.';
comment on column interactions.direction is 'Relative to the owner: sent, received or cc for messages; organized or invited for meetings.';
comment on column interactions.status is 'happened; upcoming (a future meeting); cancelled; draft (a message only in a drafts folder); declined (a meeting the owner declined); owner_only (a meeting nobody else attended). Only happened interactions count toward relationships.';
comment on column interactions.participant_count is 'Number of distinct participants, the owner included, declined attendees excluded: people, not their addresses (the owner once however many of the owner''s addresses it went to; an address that is nobody''s, such as a team address, counts as one).';
comment on column interactions.duration_minutes is 'Meeting length in minutes.';
comment on column interactions.thread_id is 'Conversation: Gmail thread id, root Message-ID, LinkedIn conversation id, or event UID.';
comment on column interactions.title is 'Subject or event title; null unless privacy.store_titles is enabled.';
comment on column interactions.automated_reason is 'Why a message counts as bulk or automated (list-id, mailing-list for a post to a discussion list, auto-reply, no-reply, draft, spam, ...); such messages never build a relationship.';
comment on column interactions.in_reply_to is 'The Message-ID this message replies to.';
comment on column interactions.labels is 'Gmail labels, mail folder or calendar of the message or event.';
comment on column interactions.sources is 'Every source kind the interaction was seen in.';
comment on column interactions.source_file is 'File of the copy this row was built from.';
comment on column interactions.location is 'Place of that copy in its file (byte offset, line, UID).';

comment on table interaction_participants is 'Who took part in each interaction (the owner and automated senders excluded).';
comment on column interaction_participants.interaction_id is 'The interaction.';
comment on column interaction_participants.person_id is 'The person.';
comment on column interaction_participants.role is 'from, to, cc, bcc, reply_to, sender (who sent a message on behalf of its from: an assistant; it counts toward no relationship), organizer or attendee.';
comment on column interaction_participants.response is 'For meetings: accepted, declined, tentative, needs-action (declined attendees did not meet the owner).';

comment on table interaction_sources is 'Every raw input interaction (one per message copy or occurrence) and the interaction it became: counts reconcile through it.';
comment on column interaction_sources.interaction_id is 'The interaction this input became.';
comment on column interaction_sources.source is 'Source kind of the input.';
comment on column interaction_sources.source_file is 'File or account of the input.';
comment on column interaction_sources.location is 'Place of the input in its file.';
comment on column interaction_sources.interaction_key is 'Cross-source key (Message-ID, UID/occurrence start, LinkedIn conversation/date/sender).';

comment on table relationships is 'How strong each relationship is now, why, and how it is moving. One row per person. Model and settings: docs/scoring.md.';
comment on column relationships.person_id is 'The person.';
comment on column relationships.strength is 'Strength in [0, 100]: 100 * rate / (rate + scale) of weighted_weekly_rate; 50 means the scale (0.25 weighted days of contact a week by default); 0 without two-way contact, unless the person is in an address book or a LinkedIn connection and one of them wrote to the other (the owner''s mail counts only one-to-one, and not to senders of list or automated mail).';
comment on column relationships.weighted_weekly_rate is 'The score before mapping: the current weekly rate of days of contact (each day weighs its strongest interaction: channel, direction for one-to-one contact, group size (k - 1)^-exponent), estimated by a change-point model over the monthly history (steady, or changed once at some month start; Gamma prior of prior_interactions at prior_weekly_rate), times the context bonus (address book, LinkedIn, channels, years known); 0 when strength is 0.';
comment on column relationships.context_bonus is 'The multiplier from what else says the tie is real: 1 + address_book_bonus (in an address book) + linkedin_bonus (LinkedIn connection) + channel_diversity_bonus per extra channel + tenure_bonus_per_year per year known (up to 5).';
comment on column relationships.strength_rank is 'Rank by strength (1 = strongest); null when strength is 0.';
comment on column relationships.tier is 'Dunbar-like layer by rank: support clique (5), sympathy group (15), close network (50), active network (150), acquaintances (500), outer circle, none.';
comment on column relationships.trend is 'warming or cooling when the pace of the last 90 days is at least 1.5 times or at most half the rate the model gave 90 days ago, and either would bring 3 weighted days of contact in 90 days; else stable; none at strength 0.';
comment on column relationships.recent_weekly_rate is 'Weighted days of contact per week over the last 90 days, undecayed, times the context bonus: the recent pace the trend compares with the rate the model gave 90 days ago.';
comment on column relationships.decayed_days_of_contact is 'Every day of contact (weighted as in the rate model) halved every half_life_days (default 180) up to the build: frequency with time decay, a feature for sorting and plots; the score does not read it.';
comment on column relationships.dormant is 'True for a tie that was strong (strength_at_last_contact >= dormant_min_strength) and has had no conversation (a message or meeting of at most three people) for dormant_after_days and for at least 3 days of contact at its old pace (a group thread, a LinkedIn invitation or endorsement does not break the silence), and that went both ways at some time: worth a reconnecting email.';
comment on column relationships.strength_90_days_ago is 'Strength as it stood 90 days before the build, from the interactions before then.';
comment on column relationships.strength_at_last_contact is 'Strength as it stood right after the last conversation (last_conversation_at).';
comment on column relationships.first_interaction_at is 'First counted interaction (UTC).';
comment on column relationships.last_interaction_at is 'Last counted interaction (UTC).';
comment on column relationships.days_since_last_interaction is 'Calendar days, in the owner''s time zone ([owner] timezone), from the last interaction to the build.';
comment on column relationships.last_conversation_at is 'Last message or meeting of at most three people, the owner among them (UTC): not a group thread, not a LinkedIn invitation or endorsement.';
comment on column relationships.days_since_last_conversation is 'Calendar days, in the owner''s time zone, from the last conversation to the build: the silence the dormant flag reads.';
comment on column relationships.messages_sent is 'Messages the owner sent them (email and LinkedIn messages; LinkedIn invitations and endorsements are not counted as messages).';
comment on column relationships.messages_received is 'Messages they sent the owner.';
comment on column relationships.messages_alongside is 'Messages both received from someone else.';
comment on column relationships.replies_to_owner is 'Their messages in a thread the owner had written in before: answers to the owner (reciprocity).';
comment on column relationships.meetings is 'Meetings together that happened (declined ones excluded).';
comment on column relationships.small_meetings is 'Meetings of 2-3 people.';
comment on column relationships.meeting_minutes is 'Total minutes of those meetings.';
comment on column relationships.channels is 'Number of distinct channels used (email, meeting, LinkedIn message, ...).';
comment on column relationships.linkedin_connection is 'True when the person is a LinkedIn connection (not only someone met in LinkedIn messages).';
comment on column relationships.in_address_book is 'True when the person is in an address book (vCard, Google Contacts, CardDAV).';
comment on column relationships.shared_activity is 'The most frequent title of meetings with them on a personal calendar (e.g. Run club); null unless privacy.store_titles is on.';
comment on column relationships.context is 'work, personal, both or unknown: from work vs personal addresses, work vs personal calendars and mail labels, LinkedIn, and address-book groups.';
comment on column relationships.explanation is 'The few facts behind the score, in words.';

comment on table relationship_history is 'Strength at the end of each month, to plot how a relationship grew or faded; the last month equals relationships.strength.';
comment on column relationship_history.person_id is 'The person.';
comment on column relationship_history.month is 'First day of the month, a month in the owner''s time zone ([owner] timezone).';
comment on column relationship_history.strength is 'Strength at the end of that month (or at the build time for the current month), with today''s context bonus.';

comment on table connections_between_contacts is 'Two contacts who appear in the same threads or meetings (up to 20 people) know each other; each pair once, person_a < person_b.';
comment on column connections_between_contacts.person_a is 'One person.';
comment on column connections_between_contacts.person_b is 'The other person.';
comment on column connections_between_contacts.shared_interactions is 'Interactions both took part in.';
comment on column connections_between_contacts.shared_meetings is 'Meetings both attended.';
comment on column connections_between_contacts.direct_interactions is 'Shared interactions where they met or one of them wrote the message (not only addressed together by someone else).';
comment on column connections_between_contacts.first_together_at is 'First shared interaction (UTC).';
comment on column connections_between_contacts.last_together_at is 'Last shared interaction (UTC).';
comment on column connections_between_contacts.strength is 'Strength of their tie in [0, 100], shared interactions weighted by channel, by connection_co_recipient_weight when neither wrote the message, and by (k - 2)^-connection_group_size_exponent, decayed with the long half-life, as a weekly rate mapped with the same scale.';

comment on table owner_identifiers is 'Identifiers that belong to the owner of the data; the owner never becomes a contact.';
comment on column owner_identifiers.kind is 'email, phone, linkedin or name.';
comment on column owner_identifiers.value is 'Normalised value.';
comment on column owner_identifiers.evidence is 'Where Kith learnt it: settings (--me or config), linkedin, sender of sent mail, linkedin messages, the accounts (google_calendar, caldav), or in most mail (a guess made only when nothing else names an address of the owner).';

comment on table resolution_overrides is 'The user''s identity decisions from overrides.toml (kith same / kith different): kept outside the warehouse, honoured by every build.';
comment on column resolution_overrides.decision_id is 'Number of the decision in the file (its order).';
comment on column resolution_overrides.decision is 'same (these identifiers are one person) or different (they are different people).';
comment on column resolution_overrides.kind is 'Identifier kind: email, phone or linkedin.';
comment on column resolution_overrides.value is 'The identifier, normalised as in identifiers.value.';
comment on column resolution_overrides.written is 'The identifier as the user wrote it, as kind:value.';

comment on table rejected is 'Every input that could not be used, and why: records the connectors could not read, and identifiers of cards that are no phone, address or profile (the card itself lands). Nothing is dropped silently.';
comment on column rejected.source is 'The connector that read it.';
comment on column rejected.source_file is 'The file (or account) it came from.';
comment on column rejected.scope is 'What was left out: a record the connector could not read (counted in source_files.rejected), or one identifier of a card that landed.';
comment on column rejected.location is 'Where in the file: line and column, card number, byte offset, UID.';
comment on column rejected.reason is 'Why it could not be used.';

comment on table source_files is 'Every input file or account read, with what it yielded: records = rows landed, rejected = its rows in rejected of scope record.';
comment on column source_files.path is 'Path of the file or folder (or account:<name>).';
comment on column source_files.kind is 'linkedin, vcard, mbox, maildir, eml, ics, or an account kind.';
comment on column source_files.size_bytes is 'Size when last parsed.';
comment on column source_files.fingerprint is 'Fingerprint of size, modification time and leading bytes: an unchanged file is not parsed again.';
comment on column source_files.parsed_bytes is 'How far the file was parsed (an mbox that grew is read from here).';
comment on column source_files.records is 'Records the file yielded (contact cards and interactions).';
comment on column source_files.rejected is 'Records the file yielded that were rejected.';
comment on column source_files.parsed_at is 'When it was parsed (UTC).';

comment on view people_overview is 'One row a person with their best identifiers, company, strength, rank, tier, trend and last contact, strongest first.';
comment on view reconnect is 'Dormant strong ties: people who were close and went quiet, worth a reconnecting email, the closest first.';
comment on view contact_organizations is 'The organisation of each contact (the contact card''s organisation, else the name most people of their work domain give theirs, else that domain; mail from a work address in the last half year beats a card naming another organisation) and their work domain (null for personal mail providers).';
comment on view introductions is 'Who can introduce the owner to whom: target contact and organisation, the person in between, the owner''s tie to each and theirs to each other; ranked by the geometric mean of the two links. Filter on target_organization.';
comment on view organizations is 'Organisations in the network: whether the owner works or worked there (is_owner_employer: the organisation one of the owner''s work domains names), how many people the owner has a tie with there and the closest one. Where to ask first when job hunting.';
comment on view upcoming_meetings is 'Future meeting occurrences from the calendars, without those cancelled or declined by the owner.';

-- View columns (DuckDB keeps COMMENT ON COLUMN for views too): each names the table column it shows.
comment on column people_overview.person_id is 'The person (people.person_id).';
comment on column people_overview.display_name is 'The best name seen (people.display_name).';
comment on column people_overview.organization is 'Current organisation, as contact_organizations.organization tells it.';
comment on column people_overview.title is 'Current job title (people.title).';
comment on column people_overview.primary_email is 'The email address used most often (people.primary_email).';
comment on column people_overview.primary_phone is 'A phone number in E.164 form, with its extension if any (people.primary_phone).';
comment on column people_overview.linkedin_url is 'LinkedIn profile URL (people.linkedin_url).';
comment on column people_overview.strength is 'Relationship strength in [0, 100] (relationships.strength).';
comment on column people_overview.strength_rank is 'Rank by strength, 1 = strongest (relationships.strength_rank).';
comment on column people_overview.tier is 'Dunbar-like layer by rank (relationships.tier).';
comment on column people_overview.trend is 'warming, stable or cooling (relationships.trend).';
comment on column people_overview.dormant is 'A strong tie gone quiet (relationships.dormant).';
comment on column people_overview.context is 'work, personal, both or unknown (relationships.context).';
comment on column people_overview.last_interaction_at is 'Last counted interaction, UTC (relationships.last_interaction_at).';
comment on column people_overview.days_since_last_interaction is 'Calendar days in the owner''s time zone from the last interaction to the build (relationships.days_since_last_interaction).';
comment on column people_overview.explanation is 'The few facts behind the score, in words (relationships.explanation).';

comment on column reconnect.person_id is 'The person (people.person_id).';
comment on column reconnect.display_name is 'The best name seen (people.display_name).';
comment on column reconnect.organization is 'Current organisation, as contact_organizations.organization tells it.';
comment on column reconnect.primary_email is 'The email address used most often: where to write (people.primary_email).';
comment on column reconnect.strength_at_last_contact is 'How strong the tie was right after the last conversation (relationships.strength_at_last_contact).';
comment on column reconnect.strength is 'Strength now, after the quiet time (relationships.strength).';
comment on column reconnect.last_interaction_at is 'Last counted interaction, UTC (relationships.last_interaction_at).';
comment on column reconnect.days_since_last_interaction is 'Calendar days in the owner''s time zone from the last interaction to the build (relationships.days_since_last_interaction).';
comment on column reconnect.last_conversation_at is 'Last message or meeting of at most three people, UTC: group threads, LinkedIn invitations and endorsements left out (relationships.last_conversation_at).';
comment on column reconnect.days_since_last_conversation is 'Calendar days in the owner''s time zone since the last conversation: how long the silence has lasted (relationships.days_since_last_conversation).';
comment on column reconnect.context is 'work, personal, both or unknown (relationships.context).';
comment on column reconnect.explanation is 'The few facts behind the score, in words (relationships.explanation).';

comment on column contact_organizations.person_id is 'The person (people.person_id).';
comment on column contact_organizations.organization is 'The card''s organisation, else the organisation most people with the same work domain name, else the work domain; the organisation the work domain''s people name when the person wrote from it (or was written to there) in the last half year and the card names another one. Null when none is known.';
comment on column contact_organizations.work_domain is 'The domain of the work (not personal mail provider) address last seen on an interaction, else of the primary email address when it is a work address; null otherwise.';

comment on column introductions.target_person_id is 'The person to be introduced to.';
comment on column introductions.target_name is 'Their name.';
comment on column introductions.target_organization is 'Their organisation (contact_organizations.organization): filter on it.';
comment on column introductions.owner_to_target_strength is 'The owner''s own tie to the target, in [0, 100]; 0 without one.';
comment on column introductions.via_person_id is 'A contact of the owner who knows the target.';
comment on column introductions.via_name is 'That contact''s name.';
comment on column introductions.owner_to_via_strength is 'Strength of the owner''s tie to the person in between, in [0, 100].';
comment on column introductions.via_to_target_strength is 'Strength of the tie between the person in between and the target (connections_between_contacts.strength).';
comment on column introductions.introduction_score is 'Geometric mean of the two links: an introduction needs both.';

comment on column organizations.organization is 'The organisation (contact_organizations.organization).';
comment on column organizations.is_owner_employer is 'True when one of the owner''s own work domains names it (the organisation most of that domain''s people give that spells the domain, else the one most of them give): the owner works or worked there. A colleague who moved on and still has the old address does not mark the new employer.';
comment on column organizations.people is 'People in the network at it.';
comment on column organizations.people_with_a_tie is 'Those with a relationship strength above 0.';
comment on column organizations.strongest_tie is 'The strongest relationship there, in [0, 100].';
comment on column organizations.closest_person is 'Name of the person with that strongest tie.';
comment on column organizations.closest_person_id is 'Their person_id.';
comment on column organizations.people_by_strength is 'Names of everyone there, strongest tie first.';

comment on column upcoming_meetings.interaction_id is 'The meeting occurrence (interactions.interaction_id).';
comment on column upcoming_meetings.starts_at is 'When it starts (UTC).';
comment on column upcoming_meetings.duration_minutes is 'Length in minutes.';
comment on column upcoming_meetings.title is 'Event title; null unless privacy.store_titles is enabled.';
comment on column upcoming_meetings.participant_count is 'Number of distinct participants, the owner included.';
comment on column upcoming_meetings.source is 'Source kind of the calendar (ics, caldav, google_calendar).';
comment on macro legal_form_pattern is 'The words of a legal form that end an organisation''s name (inc, ltd, gmbh, ...), as a regular expression alternation. Used by organization_spells_domain.';
comment on macro organization_letters is 'An organisation''s name in lower-case letters and digits only (Acme-Robotics, Inc. -> acmeroboticsinc).';
comment on macro organization_spells_domain is 'Whether an organisation''s name spells a label of a mail domain (Acme Analytics at acme.example, Acme Robotics at acme-robotics.io), or a label is the name and a legal suffix (Litware at litwareinc.com, but Meta not at metabase.com). Used by contact_organizations.';
comment on macro is_personal_mail_domain is 'Whether an email domain is a personal mail provider''s (gmail.com, t-online.de, comcast.net, ...): an address there names no employer. Used by contact_organizations; warehouse/sql/personal_mail.sql holds the list.';
