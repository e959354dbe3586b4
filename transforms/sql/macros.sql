-- Normalisation macros shared by every transform. Emails are compared in their canonical form:
-- lower-cased, googlemail folded into gmail, dots and +tags dropped where the provider ignores them.

create or replace macro email_domain(address) as
    case split_part(lower(trim(address)), '@', 2)
        when 'googlemail.com' then 'gmail.com'
        else split_part(lower(trim(address)), '@', 2)
    end;

create or replace macro email_canonical(address) as
    case
        when address is null or not regexp_full_match(trim(address), '[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+') then null
        when email_domain(address) = 'gmail.com' then
            replace(regexp_replace(split_part(lower(trim(address)), '@', 1), '\+.*$', ''), '.', '') || '@gmail.com'
        when email_domain(address) in (
            'outlook.com', 'hotmail.com', 'live.com', 'icloud.com', 'me.com', 'mac.com',
            'fastmail.com', 'fastmail.fm', 'protonmail.com', 'proton.me', 'pm.me'
        ) then
            regexp_replace(split_part(lower(trim(address)), '@', 1), '\+.*$', '') || '@' || email_domain(address)
        else lower(trim(address))
    end;

-- The profile slug of a LinkedIn URL, whatever the scheme, host or trailing path.
create or replace macro linkedin_slug(url) as
    nullif(lower(url_decode(regexp_extract(trim(url), 'linkedin\.com/(?:in|pub)/([^/?#\s]+)', 1))), '');

-- A name reduced for comparison: accents folded, case and punctuation dropped, spaces collapsed.
create or replace macro name_key(name) as
    nullif(trim(regexp_replace(regexp_replace(lower(strip_accents(coalesce(name, ''))), '[^\p{L}\p{N} ]', ' ', 'g'), '\s+', ' ', 'g')), '');

-- Whether the part after a name's comma is a suffix or a credential ("Jr.", "PhD", "MSPH", "MPAff"), not given
-- names: a word of the usual list, or a word of 3 to 6 letters ending in a capital or with two capitals in a row
-- (so not LaToya, JiHoon, DeAnn), when the name before the comma is not in capitals.
create or replace macro is_name_suffix(name, part) as
    regexp_full_match(trim(part),
        '(?i)(jr|sr|ii|iii|iv|phd|md|rn|mba|msc|bsc|cpa|cfa|esq|mph|llm|dds|dvm|pmp|mphil|dphil)\.?')
    or regexp_full_match(trim(part), '[A-Z][A-Za-z]{2,5}') and regexp_matches(trim(part), '[A-Z]$|[A-Z]{2}')
        and regexp_matches(split_part(name, ',', 1), '[a-z]');

-- A name with one comma: "Smith, Robert" or "Sandra Hwang, MSPH".
create or replace macro has_one_comma(name) as regexp_full_match(trim(name), '[^,@]+,\s*[^,@]+');

-- "Sandra Hwang, MSPH": a name, a comma, a credential.
create or replace macro ends_in_credential(name) as
    has_one_comma(name) and is_name_suffix(name, split_part(name, ',', 2));

-- The family name in capitals before the first names, as French and Asian mail writes it ("DUPONT Jean", "TAN Mei
-- Ling", "DE LA FONTAINE Marie-Claire"): three or more capitals in all, with a vowel, so not initials (HP Schäfer,
-- JRR), and then first names only. A company in capitals before a name ("UBS Anna Keller") is read the same way.
create or replace macro family_in_capitals_first(name) as
    regexp_extract(trim(name), '^((?:\p{Lu}[\p{Lu}''’-]+\s+)+)\p{Lu}\p{Ll}+(?:-\p{L}\p{Ll}+|\s+\p{Lu}\p{Ll}+)*$', 1);

-- The one family name in capitals between first names, as Singapore and Korean mail writes it ("Alvin TAY Boon
-- Huat", "Jay PARK Ji-hoon": an English name, the family name, the given names).
create or replace macro family_in_capitals_between(name) as
    regexp_extract(trim(name),
        '^\p{Lu}\p{Ll}+ (\p{Lu}[\p{Lu}''’-]+) \p{Lu}\p{Ll}+(?:-\p{Ll}+|[ -]\p{Lu}\p{Ll}+)*$', 1);

-- The words that lead into a family name: "van der" Berg, "de la" Fontaine, "de los" Santos, "do" Carmo, "bin" Jamal.
create or replace macro name_particles() as
    '(?:van|von|vom|zu|zur|der|den|de|del|della|da|das|do|dos|di|du|la|las|le|los|st|ter|ten'
    || '|bin|binti|binte|bint|ibn|al|el)';

create or replace macro is_name_particle(word) as regexp_full_match(word, name_particles());

-- "Smith, Robert", "DUPONT Jean" and "Alvin TAY Boon Huat" -> "Robert Smith", "Jean DUPONT" and "Alvin Boon Huat
-- TAY"; other names ("Sandra Hwang, MSPH") unchanged.
create or replace macro name_in_reading_order(name) as
    case
        when has_one_comma(name) and not ends_in_credential(name)
        then trim(split_part(name, ',', 2)) || ' ' || trim(split_part(name, ',', 1))
        when length(trim(family_in_capitals_first(name))) >= 3
            and regexp_matches(family_in_capitals_first(name), '[AEIOUYÀ-ÖØ-Ý]')
        then trim(substr(trim(name), length(family_in_capitals_first(name)) + 1)) || ' '
            || trim(family_in_capitals_first(name))
        when family_in_capitals_between(name) <> '' and not is_name_particle(lower(family_in_capitals_between(name)))
        then replace(trim(name), ' ' || family_in_capitals_between(name) || ' ', ' ') || ' '
            || family_in_capitals_between(name)
        else trim(name)
    end;

-- The name without the titles before it: "Dr. Max Bäumer", "Prof. Dr. Eva Roth", "Frau Anna Löffler" -> the name.
-- Written as titles are (not "MS Dhoni", "DR Horton").
create or replace macro without_titles(name) as
    regexp_replace(name, '^\s*((Dr|Prof|Mr|Mrs|Ms|Mx|Miss|Herr|Frau|Sir|Dame|Mme|Mlle)\.?\s+)+', '');

-- The name without a suffix or credential after its comma: "Sandra Hwang, MSPH" -> "Sandra Hwang".
create or replace macro without_name_suffix(name) as
    case when ends_in_credential(name) then trim(split_part(name, ',', 1)) else name end;

-- A name not written in one case: "Elizabeth Yamamoto", not "elizabeth yamamoto" or "BOB SMITH" as a mail client
-- got it. A script without case (山田太郎) is as written.
create or replace macro well_cased(name) as coalesce((name = lower(name)) = (name = upper(name)), false);

-- A display name that is only an address, or empty, is no name.
create or replace macro usable_name(name) as
    case when name is null or trim(name) = '' or name like '%@%' then null else trim(name) end;

-- Stable ids: a source record by where it came from and its key in that source; an interaction by
-- its channel and cross-source key (so the same message from two sources is one interaction).
create or replace macro record_uid(source, source_file, record_key) as
    md5(concat_ws('|', source, source_file, record_key));

create or replace macro interaction_id(channel, interaction_key) as
    substr(md5(channel || '|' || interaction_key), 1, 16);

-- Chinese, Japanese and Korean letters: a name written in them cannot be compared with a Latin spelling
-- (康弘 / Yasuhiro), nor turned into one without a dictionary.
create or replace macro in_cjk_script(name) as
    regexp_matches(name, '[\p{Han}\p{Hangul}\p{Hiragana}\p{Katakana}]');

-- The family name at the end of a full name, with its particles: "Ben van der Berg" -> "van der berg".
create or replace macro family_of(key) as
    regexp_extract(' ' || key, ' ((?:' || name_particles() || ' )*\S+)$', 1);

-- The family names of a family name given apart, each with the particles that lead into it: "freitas de oliveira"
-- -> freitas, de oliveira; "ruiz y castaneda" -> ruiz, castaneda (y, e and i join a father's and a mother's name).
create or replace macro family_name_units(key) as
    list_filter(regexp_extract_all(key, '(?:' || name_particles() || ' )*\S+'),
        lambda unit: unit not in ('y', 'e', 'i'));

-- A family name without the Spanish or Portuguese particle before it: "de souza" -> souza, "de la fuente" -> fuente.
-- Those are written with it and without; van Dijk and von Trotha keep theirs.
create or replace macro without_iberian_particle(unit) as
    regexp_replace(unit, '^(?:(?:de|da|das|do|dos|del) )(?:(?:la|las|los) )?', '');

-- The family names a person goes by: the whole, and each of up to four (Barajas Apodaca: the father's and the
-- mother's family name, people often use one; Santana Machado Macedo, Freitas de Oliveira), also without an
-- Iberian particle (de Souza, Souza). Not the words of one family name with a particle (van Dijk).
create or replace macro family_names_of(key) as
    [key]
    || case when len(string_split(key, ' ')) <= 4 and len(family_name_units(key)) > 1
        then family_name_units(key) else [] end
    || list_filter(list_transform(family_name_units(key), lambda unit: without_iberian_particle(unit)),
        lambda name: not list_has(family_name_units(key), name));

-- The same family name written another way: without its spaces (Al Mansoori / Almansoori, van Dijk / Vandijk) and,
-- in Malay and Arabic names, without bin or binti (Khairul Anuar bin Jamal / Khairul Anuar Jamal).
create or replace macro family_spellings_of(key) as
    list_distinct([replace(key, ' ', ''), regexp_replace(key, '^(bin|binti|binte|bint|ibn) ', '')]);

-- A name as it reads with its umlauts spelt out folded back (juergen -> jurgen, mueller -> muller), so it meets the
-- same name written with them, whose key drops the dots (Jürgen -> jurgen). Only before a consonant (not Chloe),
-- and only of `vowels`: first names leave out ae, which Michael has.
create or replace macro umlauts_folded(key, vowels) as
    regexp_replace(key, '([' || vowels || '])e([b-df-hj-np-tv-z])', '\1\2', 'g');
