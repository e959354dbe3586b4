"""LinkedIn profile URLs: the scheme some files leave out, and the slug that names a profile."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit


def with_scheme(url: str) -> str:
    """`www.linkedin.com/in/x` (as Endorser Public Url writes it) becomes `https://www.linkedin.com/in/x`."""
    return url if "://" in url else f"https://{url}"


def profile_slug(url: str) -> str | None:
    """The lower-cased slug of a `/in/<slug>` profile URL, None for any other URL."""
    try:
        path = urlsplit(with_scheme(url)).path
    except ValueError:  # "http://[oops": not a URL at all
        return None
    parts = [part for part in path.split("/") if part]
    if len(parts) >= 2 and parts[0].lower() == "in":
        return unquote(parts[1]).lower()
    return None


def profile_key(url: str | None, name: str | None) -> str:
    """A key for a person that survives re-exports: the slug, else the URL, else the name, lower-cased."""
    if url:
        return profile_slug(url) or url.lower()
    return f"name:{name or ''}".lower()


def full_name(first: str | None, last: str | None) -> str | None:
    return " ".join(part for part in (first, last) if part) or None
