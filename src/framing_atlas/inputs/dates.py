"""Dates of one file: ISO and common formats, numeric dates read in one order, imprecise dates named.

Pure functions on a column of strings; ingest turns what they find into row problems.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import pandas as pd
from dateutil import parser as dateparser

from framing_atlas.errors import AtlasError

DATE_ORDERS = ("auto", "dayfirst", "monthfirst")

# The dates a datetime64[ns] column can hold: 1677-09-21 to 2262-04-11.
FIRST_YEAR, LAST_YEAR = 1678, 2261
_NUMERIC_DATE = re.compile(r"^(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})(?!\d)(.*)$")
_YEAR = re.compile(r"^(\d{4})$")
_YEAR_MONTH = re.compile(r"^(\d{4})[-/.](\d{1,2})$")
_MONTH_YEAR = re.compile(r"^(\d{1,2})[-/.](\d{4})$")
_NAME_YEAR = re.compile(r"^([A-Za-z]+)\.?,?\s+(\d{4})$")
# Any of the four above, so the loop below visits only values that can match one of them.
_PARTIAL = "|".join(f"(?:{p.pattern})" for p in (_YEAR, _YEAR_MONTH, _MONTH_YEAR, _NAME_YEAR))
_HAS_YEAR = re.compile(r"(?<!\d)\d{4}(?!\d)")
_MONTHS = {name: i for i, names in enumerate(
    [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
     ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
     ("october", "oct"), ("november", "nov"), ("december", "dec")], start=1) for name in names}


@dataclass
class DateReading:
    """Parsed dates (naive UTC, NaT where none), why a given value is not a date, which values
    are imprecise ("year" or "month"), and how numeric dates were read (None: the file has none).
    """

    parsed: pd.Series
    why_not: pd.Series
    imprecise: pd.Series
    order_note: str | None = None


def _two_digit_year(year: str) -> int:
    number = int(year)
    return number if len(year) == 4 else (2000 + number if number < 70 else 1900 + number)


def read_dates(values: pd.Series, *, order: str = "auto", rows: pd.Series | None = None,
               unit: str = "row") -> DateReading:
    """Parse one file's dates: ISO and common formats, with or without time zone.

    Numeric dates (02/03/2022, also with . or -) are read in one order for the whole file:
    day first when some row needs it (13/01/2022) and no more rows need month first, else month
    first, or as `order` says; a row that contradicts the order used is not a date. A year alone
    (2022) or a month (2022-03, March 2022) is kept as its first day and marked imprecise. A
    value without a year (May) or outside the years 1678-2261 is not a date.
    """
    if order not in DATE_ORDERS:
        raise AtlasError(f"unknown date order '{order}': use one of {', '.join(DATE_ORDERS)}")
    values = values.astype(str).str.strip()
    rows = rows if rows is not None else pd.Series(range(1, len(values) + 1), index=values.index)
    why_not = pd.Series("", index=values.index, dtype=object)
    imprecise = pd.Series("", index=values.index, dtype=object)
    iso = values.copy()

    parts = values.str.extract(_NUMERIC_DATE)
    numeric = parts[0].notna() & ~((parts[1] == "-") & (parts[3].str.len() == 2))
    note = None
    if numeric.any():
        first, second = (pd.to_numeric(parts[0].where(numeric)),
                         pd.to_numeric(parts[2].where(numeric)))
        needs_day = numeric & (first > 12) & (second <= 12)
        needs_month = numeric & (second > 12) & (first <= 12)
        if order != "auto":
            dayfirst = order == "dayfirst"
        else:
            dayfirst = bool(needs_day.any()) and needs_day.sum() >= needs_month.sum()
        used, other = ("day/month", "month/day") if dayfirst else ("month/day", "day/month")
        evidence = needs_day if dayfirst else needs_month
        contradicts = needs_month if dayfirst else needs_day
        ambiguous = numeric & (first <= 12) & (second <= 12)
        example = values[ambiguous if ambiguous.any() else numeric].iloc[0]
        if order != "auto":
            note, reason = (f"dates like {example} read as {used} (as asked)",
                            f"{other}, but this file's dates are read {used} as asked")
        elif evidence.any():
            at = evidence.idxmax()
            note = f"dates like {example} read as {used} ({unit} {rows[at]} has {values[at]})"
            reason = f"{other}, but this file's dates are read {used}: {unit} {rows[at]} has " \
                     f"{values[at]}"
        else:
            note = f"dates like {example} read as {used} (no {unit} needs day/month: say " \
                   "day first if they are)"
            reason = ""
        if not (ambiguous | needs_day | needs_month).any():
            note = None  # only impossible ones like 31/31/2024: no order was used
        why_not[contradicts] = reason
        day, month = (first, second) if dayfirst else (second, first)
        good = numeric & ~contradicts
        for index in values.index[good]:
            iso[index] = (f"{_two_digit_year(parts.at[index, 3]):04d}-{int(month[index]):02d}-"
                          f"{int(day[index]):02d}{parts.at[index, 4]}")
        iso[numeric & contradicts] = ""

    # A year or a month alone is short ("September 2022" is the longest): only those are checked.
    short = ~numeric & (values.str.len() <= 14) & values.str.match(_PARTIAL)
    for index in values.index[short]:
        value = values[index]
        if match := _YEAR.match(value):
            iso[index], imprecise[index] = f"{match[1]}-01-01", "year"
        elif (match := _YEAR_MONTH.match(value)) and 1 <= int(match[2]) <= 12:
            iso[index], imprecise[index] = f"{match[1]}-{int(match[2]):02d}-01", "month"
        elif (match := _MONTH_YEAR.match(value)) and 1 <= int(match[1]) <= 12:
            iso[index], imprecise[index] = f"{match[2]}-{int(match[1]):02d}-01", "month"
        elif (match := _NAME_YEAR.match(value)) and match[1].lower() in _MONTHS:
            iso[index] = f"{match[2]}-{_MONTHS[match[1].lower()]:02d}-01"
            imprecise[index] = "month"

    parsed = pd.to_datetime(iso, errors="coerce", utc=True, format="ISO8601")
    parsed = parsed.dt.tz_convert("UTC").dt.tz_localize(None)
    years = parsed.dt.year
    outside = parsed.notna() & ((years < FIRST_YEAR) | (years > LAST_YEAR))
    parsed = parsed.where(~outside).astype("datetime64[ns]")
    why_not[outside] = f"outside the years {FIRST_YEAR}-{LAST_YEAR}"
    for index in values.index[parsed.isna() & (iso != "") & ~outside]:
        stamp, why = _parse_free(iso[index])
        if stamp is None:
            why_not[index] = why
        else:
            parsed[index] = stamp
    imprecise[parsed.isna()] = ""
    return DateReading(parsed, why_not.where(values != "", ""), imprecise, note)


def _parse_free(value: str) -> tuple[pd.Timestamp | None, str]:
    """A date in a free format (March 3, 2022 10:00 +02:00), or None and why not."""
    if not _HAS_YEAR.search(value):
        return None, "no year"
    try:
        stamp = dateparser.parse(value)
    except (ValueError, OverflowError, TypeError):
        return None, ""
    if stamp.tzinfo is not None:
        stamp = stamp.astimezone(dt.timezone.utc).replace(tzinfo=None)
    if not FIRST_YEAR <= stamp.year <= LAST_YEAR:
        return None, f"outside the years {FIRST_YEAR}-{LAST_YEAR}"
    return pd.Timestamp(stamp), ""


def parse_dates(values: pd.Series, *, order: str = "auto") -> pd.Series:
    """Parse ISO and common date formats, with or without time zone, to naive UTC; NaT if not a date."""
    return read_dates(values, order=order).parsed
