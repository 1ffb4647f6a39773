import datetime as dt

from framing_atlas.views.filters import Filters
from framing_atlas.views.view import View, parse_view, view_params

KNOWN = dict(outlets=["A (fictional)", "B (fictional)"], themes=["expansion", "none"],
             clusters=[0, 1, 2], languages=["en", "de"])


def test_round_trip():
    view = View(Filters(outlets=("B (fictional)",), since=dt.date(2026, 1, 2),
                        until=dt.date(2026, 2, 1), themes=("expansion", "none"), clusters=(2, 0),
                        text="red lines", languages=("de",), syndicated="once"),
                color="theme", window=(-1.5, 2.25, 0.125, 3.0))
    parsed, notes = parse_view(view_params(view), **KNOWN)
    assert parsed == view and notes == []
    assert view_params(view)["zoom"] == ["-1.5,2.25,0.125,3.0"]


def test_empty_view_has_no_parameters():
    assert view_params(View()) == {}
    assert parse_view({}, **KNOWN) == (View(), [])


def test_bad_parameters_are_ignored_with_notes():
    params = {"outlet": ["A (fictional)", "Nope"], "since": ["2026-13-01"], "until": ["x"],
              "cluster": ["1", "seven", "99"], "color": ["rainbow"], "utm_source": ["mail"],
              "theme": ["expansion"]}
    view, notes = parse_view(params, **KNOWN)
    assert view.filters == Filters(outlets=("A (fictional)",), themes=("expansion",),
                                   clusters=(1,))
    assert view.color == "outlet"
    assert notes == [
        "ignored unknown parameter 'utm_source'",
        "ignored cluster='seven': not in this atlas",
        "ignored cluster='99': not in this atlas",
        "ignored since='2026-13-01': not a date like 2026-01-31",
        "ignored until='x': not a date like 2026-01-31",
        "ignored color='rainbow': use one of outlet, cluster, theme",
        "ignored outlet='Nope': not in this atlas",
    ]


def test_reversed_dates_are_dropped():
    view, notes = parse_view({"since": ["2026-02-01"], "until": ["2026-01-01"]}, **KNOWN)
    assert view.filters.since is None and "is after" in notes[0]


def test_a_zoom_window_must_be_four_ordered_finite_numbers():
    for bad in ("1,2,3", "2,1,0,1", "0,1,1,0", "0,1,nan,1", "0,1,a,2", "0,inf,0,1"):
        view, notes = parse_view({"zoom": [bad]}, **KNOWN)
        assert view.window is None and notes == [
            f"ignored zoom={bad!r}: use four numbers x0,x1,y0,y1 with x0 < x1 and y0 < y1"]
    view, notes = parse_view({"zoom": ["0,1,-2,2e1"]}, **KNOWN)
    assert view.window == (0.0, 1.0, -2.0, 20.0) and notes == []
