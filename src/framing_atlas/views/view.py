"""A dashboard view as URL query parameters and back: the filters, the colour-by choice and the
map's zoom window.

Unknown or malformed parameters are dropped with a note, so a mangled link still opens.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Iterable, Mapping

from framing_atlas.views.filters import SYNDICATED_MODES, Filters

COLOR_CHOICES = ("outlet", "cluster", "theme")
KNOWN = {"outlet", "since", "until", "theme", "cluster", "q", "color", "lang", "synd", "zoom"}
Window = tuple[float, float, float, float]  # the map's x0, x1, y0, y1


@dataclass(frozen=True)
class View:
    filters: Filters = field(default_factory=Filters)
    color: str = "outlet"
    window: Window | None = None  # the map zoomed to this part of it


def _window(value: str, notes: list[str]) -> Window | None:
    """zoom=x0,x1,y0,y1: four finite numbers with x0 < x1 and y0 < y1."""
    try:
        numbers = tuple(float(v) for v in value.split(","))
    except ValueError:
        numbers = ()
    if (len(numbers) != 4 or not all(math.isfinite(v) for v in numbers)
            or not (numbers[0] < numbers[1] and numbers[2] < numbers[3])):
        notes.append(f"ignored zoom={value!r}: use four numbers x0,x1,y0,y1 with x0 < x1 and "
                     "y0 < y1")
        return None
    return numbers  # type: ignore[return-value]


def _date(value: str, name: str, notes: list[str]) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        notes.append(f"ignored {name}={value!r}: not a date like 2026-01-31")
        return None


def _known(values: Iterable[str], allowed: set[str], name: str, notes: list[str]) -> tuple:
    kept = []
    for value in values:
        if value in allowed:
            kept.append(value)
        else:
            notes.append(f"ignored {name}={value!r}: not in this atlas")
    return tuple(dict.fromkeys(kept))


def parse_view(params: Mapping[str, list[str]], *, outlets: Iterable[str],
               themes: Iterable[str], clusters: Iterable[int],
               languages: Iterable[str] = ()) -> tuple[View, list[str]]:
    """The view a link describes, and a note for each parameter that had to be ignored."""
    notes: list[str] = []
    for name in params:
        if name not in KNOWN:
            notes.append(f"ignored unknown parameter {name!r}")

    def last(name: str) -> str | None:
        values = params.get(name) or []
        return values[-1] if values else None

    cluster_ids = []
    for value in params.get("cluster", []):
        try:
            cluster_ids.append(str(int(value)))
        except ValueError:
            cluster_ids.append(value)
    chosen_clusters = _known(cluster_ids, {str(c) for c in clusters}, "cluster", notes)
    since = _date(last("since"), "since", notes) if last("since") else None
    until = _date(last("until"), "until", notes) if last("until") else None
    if since and until and since > until:
        notes.append(f"ignored since/until: {since} is after {until}")
        since = until = None
    color = last("color") or "outlet"
    if color not in COLOR_CHOICES:
        notes.append(f"ignored color={color!r}: use one of {', '.join(COLOR_CHOICES)}")
        color = "outlet"
    syndicated = last("synd") or "show"
    if syndicated not in SYNDICATED_MODES:
        notes.append(f"ignored synd={syndicated!r}: use one of {', '.join(SYNDICATED_MODES)}")
        syndicated = "show"
    filters = Filters(outlets=_known(params.get("outlet", []), set(outlets), "outlet", notes),
                      since=since, until=until,
                      themes=_known(params.get("theme", []), set(themes), "theme", notes),
                      clusters=tuple(int(c) for c in chosen_clusters),
                      text=(last("q") or "")[:200],
                      languages=_known(params.get("lang", []), set(languages), "lang", notes),
                      syndicated=syndicated)
    window = _window(last("zoom"), notes) if last("zoom") else None
    return View(filters, color, window), notes


def view_params(view: View) -> dict[str, list[str]]:
    """Query parameters for a view; empty filters are left out so links stay short."""
    f = view.filters
    params: dict[str, list[str]] = {
        "outlet": list(f.outlets), "theme": list(f.themes),
        "cluster": [str(c) for c in f.clusters],
        "since": [f.since.isoformat()] if f.since else [],
        "until": [f.until.isoformat()] if f.until else [],
        "q": [f.text] if f.text else [],
        "color": [view.color] if view.color != "outlet" else [],
        "lang": list(f.languages),
        "synd": [f.syndicated] if f.syndicated != "show" else [],
        # repr: the shortest text that reads back as the same number, so the link reopens
        # exactly the window (a dot on its edge stays in or out).
        "zoom": [",".join(repr(float(v)) for v in view.window)] if view.window else [],
    }
    return {k: v for k, v in params.items() if v}
