-- Every phone number on a contact card, as written: what the region of numbers without a country code is
-- guessed from (normalise.phone_region).
select distinct trim(ident.value) as phone
from raw_contacts as r, unnest(r.identifiers) as t(ident)
where ident.kind = 'phone' and not coalesce(r.deleted, false);
