-- The words of a legal form that end an organisation's name and say nothing of which organisation it is
-- ("Harbour & Vale, Ltd.", litwareinc.com). One list for the build (company keys) and for the published views
-- (the organisation a mail domain names).
create or replace macro legal_form_pattern() as
    'inc|ltd|llc|gmbh|corp|corporation|co|company|plc|sa|ag|bv|limited|group|hq';
