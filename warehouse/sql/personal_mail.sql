-- Personal mail providers: an address at one of them says nothing of an employer. One list for the build (company
-- names from addresses, personal contacts, the work or personal context of a tie) and for the published views
-- (a contact's organisation). Whole consumer domains, so an ISP's or a telecom's own staff (att.com, orange.com)
-- and a university's mail.<school> keep their employer; `[a-z.]+` only after names no employer writes from.
create or replace macro is_personal_mail_domain(domain) as regexp_full_match(lower(domain), '(' ||
    -- international
    'gmail\.com|googlemail\.com|(yahoo|ymail|hotmail|outlook|aol|yandex|gmx)\.[a-z.]+|rocketmail\.com'
    || '|live\.(com|[a-z]{2}|co\.[a-z]{2}|com\.[a-z]{2})|msn\.com|icloud\.com|me\.com|mac\.com|proton\.me'
    || '|protonmail\.(com|ch)'
    || '|pm\.me|tuta\.(io|com)|tutanota\.(com|de)'
    || '|fastmail\.(com|fm)|hey\.com|zohomail\.[a-z]+|mail\.(com|ru)|duck\.com|ya\.ru|rambler\.ru'
    -- Germany, Austria, Switzerland
    || '|web\.de|t-online\.de|posteo\.(de|net)|mailbox\.org|freenet\.de|arcor\.de|online\.de|bluewin\.ch|aon\.at'
    -- France, Italy, Spain, Benelux, Nordics, Central Europe
    || '|orange\.fr|wanadoo\.fr|laposte\.net|sfr\.fr|free\.fr|libero\.it|virgilio\.it|tiscali\.it|alice\.it'
    || '|telefonica\.net|terra\.es|telenet\.be|skynet\.be|ziggo\.nl|kpnmail\.nl|hetnet\.nl|home\.nl|planet\.nl'
    || '|telia\.com|seznam\.cz|wp\.pl|o2\.pl|interia\.pl|onet\.pl'
    -- UK, North America, Australia
    || '|btinternet\.com|sky\.com|virginmedia\.com|talktalk\.net|ntlworld\.com|comcast\.net|verizon\.net|att\.net'
    || '|sbcglobal\.net|bellsouth\.net|charter\.net|cox\.net|earthlink\.net|shaw\.ca|rogers\.com|sympatico\.ca'
    || '|videotron\.ca|telus\.net|bigpond\.(com|net\.au)|optusnet\.com\.au'
    -- Asia, the Gulf, Latin America
    || '|qq\.com|163\.com|126\.com|sina\.(com|cn)|naver\.com|daum\.net|hanmail\.net|rediffmail\.com'
    || '|singnet\.com\.sg|pacific\.net\.sg|starhub\.net\.sg|emirates\.net\.ae|eim\.ae|omantel\.net\.om'
    || '|vsnl\.(com|net)|bsnl\.in|tm\.net\.my|streamyx\.com|pldtdsl\.net|netvigator\.com|biglobe\.ne\.jp'
    || '|nifty\.com|docomo\.ne\.jp|ezweb\.ne\.jp|softbank\.ne\.jp|uol\.com\.br|bol\.com\.br|terra\.com\.br'
    || '|prodigy\.net\.mx|speedy\.com\.ar|fibertel\.com\.ar'
    || ')');
