-- Personal mail providers: an address at one of them says nothing of an employer. One list for the build (company
-- names from addresses, personal contacts, the work or personal context of a tie) and for the published views
-- (a contact's organisation). Matched on the domain's first label, so gmx.de, gmx.at and gmx.net are one; words a
-- company could own too (free, online, home) are left out.
create or replace macro is_personal_mail_domain(domain) as regexp_matches(lower(domain), '^(' ||
    -- international
    'gmail|googlemail|yahoo|ymail|rocketmail|hotmail|outlook|live|msn|icloud|me|mac|aol|proton|protonmail|pm|tuta'
    || '|tutanota|fastmail|hey|zoho|mail|duck|yandex|ya|rambler|gmx'
    -- Germany, Austria, Switzerland
    || '|web|t-online|posteo|mailbox|freenet|arcor|1und1|bluewin|a1'
    -- France, Italy, Spain, Benelux, Nordics, Central Europe
    || '|orange|wanadoo|laposte|sfr|libero|virgilio|tiscali|telefonica|telenet|skynet|ziggo|kpnmail'
    || '|hetnet|telia|seznam|wp|o2|interia|onet'
    -- UK, North America, Australia
    || '|btinternet|sky|virginmedia|talktalk|ntlworld|comcast|verizon|att|sbcglobal|bellsouth|charter|cox|earthlink'
    || '|shaw|rogers|sympatico|videotron|telus|bigpond|optusnet'
    -- Asia
    || '|qq|163|126|sina|naver|daum|hanmail|rediffmail'
    || ')\.');
