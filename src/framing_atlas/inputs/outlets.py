"""Outlets from web addresses: an editable domain → name map, and a sensible default without one.

The map lives in a TOML file (data/outlets.toml)::

    [outlets]
    "rt.com" = "RT"
    "bbc.co.uk" = "BBC News"

A subdomain matches a mapped parent ("edition.cnn.com" → "CNN"). A domain that is not mapped
names itself, shortened to the registrable part ("news.example.co.uk" → "example.co.uk"), so
the same site gets one outlet name whether it came from a saved page, a feed or a URL list.
"""

from __future__ import annotations

import ipaddress
import logging
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit

from framing_atlas.errors import AtlasError

log = logging.getLogger(__name__)

# Prefixes that name a rendering of the site rather than a part of it.
_MIRROR_PREFIX = re.compile(r"^(?:www\d*|m|mobile|amp)\.")
# Second-level labels under a two-letter country code that are not a site of their own:
# "co.uk", "com.au", "gov.ua", "org.pl"... A full public-suffix list would be exact; for
# naming outlets this covers the news sites people bring.
_SECOND_LEVEL = frozenset("ac co com edu gen go gob gouv gov gv in ltd me mil ne net nhs nic "
                          "or org plc sch".split())
_HOST = re.compile(r"^(?:[\w-]+(?:\.[\w-]+)*|[0-9a-f:.]+)$")
_DOMAIN = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$")


def host_of(url: str) -> str:
    """The lowercased host of `url` without www./m./amp. prefixes; "" when it has none.

    A bare domain ("rt.com/news") is read as if it had a scheme.
    """
    url = url.strip()
    if not url:
        return ""
    if "://" not in url:
        url = "//" + url
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    host = host.rstrip(".").lower()
    if not _HOST.match(host):
        return ""
    while _MIRROR_PREFIX.match(host) and host.count(".") > 1:
        host = _MIRROR_PREFIX.sub("", host, count=1)
    return host


def registrable_domain(host: str) -> str:
    """The part of `host` a site registers: "news.example.co.uk" → "example.co.uk"."""
    host = host.rstrip(".").lower()
    try:
        ipaddress.ip_address(host.strip("[]"))
        return host
    except ValueError:
        pass
    labels = host.split(".")
    if len(labels) <= 2:
        return host
    keep = 3 if len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL else 2
    return ".".join(labels[-keep:])


def mapped_outlet(url: str, mapping: Mapping[str, str]) -> str | None:
    """The mapped name of `url`'s host or of its nearest mapped parent domain, else None."""
    host = host_of(url)
    labels = host.split(".") if host else []
    for start in range(len(labels)):
        name = mapping.get(".".join(labels[start:]))
        if name:
            return name
    return None


def outlet_for_url(url: str, mapping: Mapping[str, str]) -> str:
    """The outlet that published `url`: its mapped name, else its registrable domain ("" if none)."""
    return mapped_outlet(url, mapping) or registrable_domain(host_of(url))


def pick_outlet(*, url: str, named: str, mapping: Mapping[str, str], fallback: str = "") -> str:
    """One outlet name for an article, from the best evidence there is.

    A mapped domain wins, so one site keeps one name across pages, feeds and URL lists; then
    the name the page or feed gives itself (`named`: og:site_name, the feed title); then the
    url's domain; then `fallback` (a folder name, the feed's own domain).
    """
    named = " ".join(named.split())
    if _DOMAIN.match(named.lower()) and "." in named:
        # Some pages give their host as their name ("bbc.co.uk"): read it as an address.
        named = outlet_for_url(named, mapping)
    return (mapped_outlet(url, mapping) or named or registrable_domain(host_of(url))
            or fallback)


def read_outlet_map(path: Path) -> dict[str, str]:
    """Domain → outlet name from the [outlets] table of a TOML file, keys normalised."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise AtlasError("outlet map not found", file=path) from None
    except (tomllib.TOMLDecodeError, UnicodeError, OSError) as err:
        raise AtlasError(f"cannot read this outlet map: {err}", file=path) from None
    table = data.get("outlets")
    if not isinstance(table, dict):
        raise AtlasError('needs an [outlets] table of lines like "example.com" = "Example News"',
                         file=path)
    mapping: dict[str, str] = {}
    for key, name in table.items():
        if not isinstance(name, str) or not name.strip():
            raise AtlasError(f"outlet name for '{key}' must be non-empty text, got {name!r}",
                             file=path, field="outlets")
        domain = host_of(key)
        if not _DOMAIN.match(domain) or "." not in domain:
            raise AtlasError(f"'{key}' is not a domain like \"example.com\"", file=path,
                             field="outlets")
        mapping[domain] = " ".join(name.split())
    log.debug("read %d outlet names from %s", len(mapping), path)
    return mapping
