"""Outlet groups: compare kinds of outlets ("state media", "public service") instead of single ones.

Groups are read from a TOML file of [[groups]] blocks, each with a `name` and its `outlets`.
Each outlet belongs to at most one group, so every paragraph has exactly one group and shares,
tests and intervals stay well defined; to compare overlapping groupings, keep two files.
Outlet names match ignoring case and runs of spaces ("Report24  news" = "report24 News").
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import pandas as pd

from framing_atlas.errors import AtlasError, require_columns
from framing_atlas.tomlfiles import read_blocks
from framing_atlas.store import OUTLET

log = logging.getLogger(__name__)

GROUP = "group"


@dataclass(frozen=True)
class Group:
    name: str
    outlets: tuple[str, ...]


def outlet_key(name: str) -> str:
    """The form outlet names are matched in: case-folded, spaces collapsed."""
    return re.sub(r"\s+", " ", str(name)).strip().casefold()


def read_groups(path: Path) -> list[Group]:
    """Groups from a TOML file of [[groups]] blocks with name and outlets; says what is wrong where.

    A group needs at least one outlet; an outlet may be in one group only, and only once.
    """
    path = Path(path)
    data, entries = read_blocks(path, "groups", needs="name and outlets")
    groups: list[Group] = []
    owner: dict[str, str] = {}  # outlet key → group name
    for number, entry in enumerate(entries, start=1):
        where = f"group {number}"
        if not isinstance(entry, dict):
            raise AtlasError(f"{where}: must be a table with name and outlets", file=path)
        unknown = sorted(set(entry) - {"name", "outlets"})
        if unknown:
            raise AtlasError(f"{where}: unknown key(s) {', '.join(unknown)}; a group has only "
                             "name and outlets", file=path)
        name = entry.get("name")
        if not isinstance(name, str) or not name.strip():
            raise AtlasError(f"{where}: name must be non-empty text, got {name!r}", file=path)
        name = name.strip()
        if any(g.name == name for g in groups):
            raise AtlasError(f"{where}: the name '{name}' is used twice", file=path)
        where = f"{where} ('{name}')"
        outlets = entry.get("outlets")
        if not isinstance(outlets, list) or not outlets:
            raise AtlasError(f"{where}: outlets must be a non-empty list of outlet names "
                             "(an empty group compares nothing)", file=path)
        for outlet in outlets:
            if not isinstance(outlet, str) or not outlet.strip():
                raise AtlasError(f"{where}: outlet names must be non-empty text, got "
                                 f"{outlet!r}", file=path)
            key = outlet_key(outlet)
            if key in owner:
                other = owner[key]
                raise AtlasError(f"{where}: outlet '{outlet.strip()}' is already "
                                 + ("listed in this group" if other == name else
                                    f"in group '{other}'; an outlet may be in one group only"),
                                 file=path)
            owner[key] = name
        groups.append(Group(name, tuple(o.strip() for o in outlets)))
    return groups


def assign_groups(paragraphs: pd.DataFrame, groups: Sequence[Group], *,
                  outlet_col: str = OUTLET, rest: str | None = None) -> pd.Series:
    """Needs `outlet_col`; the group of each row, as a Series named `group` on the same index.

    An outlet in no group keeps its own name as its group (so nothing is silently lumped
    together), or gets `rest` (e.g. "other") when that is given. Listed outlets that do not
    occur in the data are logged, since they are usually misspelt.
    """
    require_columns(paragraphs, [outlet_col], stage="assign_groups")
    lookup = {outlet_key(o): g.name for g in groups for o in g.outlets}
    outlets = paragraphs[outlet_col].astype(str)
    keys = outlets.map(outlet_key)
    assigned = keys.map(lookup)
    found = set(keys)
    for group in groups:
        missing = [o for o in group.outlets if outlet_key(o) not in found]
        if missing:
            log.warning("group '%s': no rows for outlet(s) %s", group.name, ", ".join(missing))
    ungrouped = assigned.isna()
    clashes = set(outlets[ungrouped]) & {g.name for g in groups} if rest is None else set()
    if clashes:
        # Keeping its name would silently merge the outlet into the group of that name.
        raise AtlasError(f"outlet(s) {', '.join(sorted(clashes))} are in no group but have a "
                         "group's name: add them to a group or rename the group", field=outlet_col)
    fallback = outlets if rest is None else pd.Series(rest, index=paragraphs.index)
    return assigned.where(~ungrouped, fallback).astype(str).rename(GROUP)
