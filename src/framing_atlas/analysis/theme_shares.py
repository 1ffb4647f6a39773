"""Theme shares as Compare, Timeline and Framing show them: the raw share beside the share
corrected for the detector's measured error (quantify's tables), what each correction rests on
in plain words, and the Timeline's cells with both estimates.

The pages only draw what these functions return; the statistics are in quantify.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Mapping, Sequence

import numpy as np
import pandas as pd

from framing_atlas.analysis.periods import TimelineGrid, timeline_grid
from framing_atlas.analysis.quantify import (ESTIMATES, adjust_share, as_timeline, in_column,
                                             pick_estimate, side_by_side)
from framing_atlas.analysis.stats import TOO_FEW, interval_labels
from framing_atlas.errors import AtlasError
from framing_atlas.store import OUTLET, THEME

# How a chart's legend and hovers name the two estimates.
ESTIMATE_NAMES = {"raw": "raw", "corrected": "corrected for error"}
# A note quantify writes per group when clipping moved a corrected share; what is left is
# about the theme's rates, the same for every group.
_CLIPPED = re.compile(r"(?:^|; )clipped to [01]: [^;]*$")


def detected_columns(themes: Sequence[str]) -> list[str]:
    """The has_<theme> column of each theme, in order."""
    return [in_column(t) for t in themes]


def missing_detections(paragraphs: pd.DataFrame, themes: Sequence[str]) -> list[str]:
    """The themes whose has_<theme> column a build lacks (a build made before detection)."""
    return [t for t in themes if in_column(t) not in paragraphs.columns]


def detector_lines(themes: Sequence[Mapping[str, object]]) -> list[str]:
    """One plain sentence per theme of the build's themes.json (its "themes" list): what its
    corrected share rests on (how many labelled paragraphs its error rates were cross-validated
    on, its precision, recall and false-positive rate), or that it has none and shows its raw
    share only."""
    lines = []
    for theme in themes:
        name = str(theme["name"]).replace("_", " ")
        detector = theme.get("detector") or {}
        scored = len((detector.get("oof") or {}).get("score", []))
        if not scored:
            lines.append(f"{name}: no labelled paragraphs yet, so its error is not measured and "
                         "only the raw share is shown.")
            continue
        positives = detector.get("n_positive")
        on_theme = f" ({positives} on the theme)" if positives is not None else ""
        measured = [f"{label} {detector[key]:.0%}" for key, label in
                    (("precision", "precision"), ("recall", "recall")) if key in detector]
        if "fpr" in detector:
            measured.append(f"it marks {detector['fpr']:.1%} of the paragraphs off the theme")
        lines.append(f"{name}: {detector.get('method', 'detector')} detector, error rates "
                     f"cross-validated on {scored} labelled paragraphs{on_theme}"
                     + (f": {', '.join(measured)}." if measured else "."))
    return lines


CORRECTION_CAPTION = (
    "Raw: the share of the outlet's (or group's) paragraphs the theme's detector marks (a "
    "paragraph may carry several themes or none, so shares need not add up to 100%). Corrected "
    "for error: the same share with the detector's measured misses and false alarms taken out "
    "(adjusted classify-and-count: (raw − false-positive rate) / (true-positive rate − "
    "false-positive rate)), using error rates cross-validated on human-labelled paragraphs; it "
    "assumes the detector errs at the same rates in every outlet and period. Its 95% interval "
    "resamples both the articles and the labelled paragraphs, so it is wider than the raw one.")


def theme_notes(table: pd.DataFrame) -> dict[str, str]:
    """quantify's notes that concern a whole theme (no correction, or how often its resampled
    rates collapsed), theme → note, for themes that have one; clipping notes, which concern one
    group, are left to the hovers."""
    found: dict[str, str] = {}
    for theme, note in zip(table["theme"], table["note"]):
        about_theme = _CLIPPED.sub("", str(note)).strip()
        if about_theme and theme not in found:
            found[theme] = about_theme
    return found


def has_correction(table: pd.DataFrame, theme: str) -> bool:
    """Whether `theme` has a corrected share anywhere in quantify's table."""
    return bool(table.loc[table["theme"] == theme, "corrected"].notna().any())


def shown_estimate(table: pd.DataFrame, theme: str, wanted: str) -> str:
    """The estimate to draw for `theme`: `wanted`, or "raw" when the theme has no correction."""
    if wanted not in ESTIMATES:
        raise AtlasError(f"estimate must be one of {', '.join(ESTIMATES)}, got '{wanted}'")
    return wanted if wanted == "raw" or has_correction(table, theme) else "raw"


def with_both_labels(table: pd.DataFrame, *, fmt: str = "{:.1%}") -> pd.DataFrame:
    """quantify's table with `raw` and `corrected` texts ("12.5% [8.0%–17.1%]", "… (too few
    articles)", or "no correction") for hovers and cells."""
    corrected = interval_labels(table["corrected"], table["corrected_low"],
                                table["corrected_high"], fmt=fmt)
    return table.assign(
        raw=interval_labels(table["share"], table["low"], table["high"], fmt=fmt),
        corrected_text=corrected.where(table["corrected"].notna(), "no correction"))


def chart_rows(table: pd.DataFrame) -> pd.DataFrame:
    """quantify's table as the rows of a raw-beside-corrected chart: group × theme × estimate
    (side_by_side) with `estimate` named for the legend, `interval` (the estimate's own text),
    `raw` and `corrected_text` (both, for the hover), `mark` (the bar's text: too few articles,
    or no correction) and the error bar lengths `plus` and `minus` (0 without an interval)."""
    both = side_by_side(with_both_labels(table))
    no_value = both["share"].isna()
    mark = np.where(both["thin"].astype(bool), TOO_FEW, "")
    mark = np.where(no_value, "no correction", mark)
    return both.assign(
        estimate=both["estimate"].map(ESTIMATE_NAMES),
        interval=np.where(both["estimate"] == "raw", both["raw"], both["corrected_text"]),
        mark=mark,
        plus=(both["high"] - both["share"]).fillna(0.0),
        minus=(both["share"] - both["low"]).fillna(0.0))


def over_time(table: pd.DataFrame, *, theme: str, estimate: str) -> pd.DataFrame:
    """corrected_shares_by_period's rows of `theme` with `value`, `low`, `high` the estimate's,
    `raw` and `corrected_text` for the hover, `period` as yyyy-mm-dd, sorted by period (so
    error bars line up with their points)."""
    part = with_both_labels(table[table["theme"] == theme])
    picked = pick_estimate(part, estimate).rename(columns={"share": "value"})
    picked = picked.assign(period=pd.to_datetime(picked["period"]).dt.strftime("%Y-%m-%d"))
    return picked.sort_values(["period", "side"], kind="stable").reset_index(drop=True)


def overall_by_period(table: pd.DataFrame, *, estimate: str) -> pd.DataFrame:
    """All sides together, from corrected_shares_by_period's table: one row per period × theme
    with `count` and `share` of every paragraph of the period. The corrected share corrects the
    pooled raw share with the theme's rates (NaN without them); its count is share × paragraphs."""
    if estimate not in ESTIMATES:
        raise AtlasError(f"estimate must be one of {', '.join(ESTIMATES)}, got '{estimate}'")
    pooled = (table.groupby(["period", "theme"], sort=True)
              .agg(paragraphs=("paragraphs", "sum"), total=("total", "sum"),
                   tpr=("tpr", "first"), fpr=("fpr", "first")).reset_index())
    raw = pooled["paragraphs"] / pooled["total"]
    share = raw if estimate == "raw" else pd.Series(
        adjust_share(raw.to_numpy(), pooled["tpr"].to_numpy(dtype=float),
                     pooled["fpr"].to_numpy(dtype=float)), index=pooled.index)
    count = pooled["paragraphs"] if estimate == "raw" else share * pooled["total"]
    return pd.DataFrame({"period": pooled["period"], THEME: pooled["theme"], "count": count,
                         "total": pooled["total"], "share": share})


@dataclass(frozen=True)
class TimelineCells:
    """One theme's timeline in `estimate`: the grids (periods.TimelineGrid), each cell's text
    (paragraphs on the theme / all, and the corrected share where there is one) and its hover
    (both estimates with their intervals, and the articles), outlets × periods like the grids."""
    grid: TimelineGrid
    text: pd.DataFrame
    hover: pd.DataFrame
    estimate: str


def timeline_cells(table: pd.DataFrame, *, theme: str, estimate: str,
                   measure: str) -> TimelineCells:
    """corrected_shares_by_period's table (side = outlet) as the Timeline's heatmap of `theme`:
    colour by `measure` ("share" or "count") of `estimate`; every cell says both estimates."""
    grid = timeline_grid(as_timeline(table, estimate=estimate), theme=theme, measure=measure)
    part = with_both_labels(table[table["theme"] == theme], fmt="{:.0%}")
    counts = (part["paragraphs"].astype(int).astype(str) + "/"
              + part["total"].astype(int).astype(str))
    corrected = ("corr. " + part["corrected"].map(lambda v: f"{v:.0%}")).where(
        part["corrected"].notna(), "")
    text = counts + np.where(corrected != "", "<br>", "") + corrected
    text = text + np.where(part["thin"].astype(bool), f"<br>{TOO_FEW}", "")
    hover = ("raw: " + part["raw"] + "<br>corrected: " + part["corrected_text"]
             + "<br>paragraphs on theme / all: " + counts
             + "<br>articles: " + part["articles"].astype(int).astype(str)
             + np.where(part["thin"].astype(bool), f" ({TOO_FEW})", ""))
    cells = pd.DataFrame({OUTLET: part["side"], "period": part["period"], "text": text,
                          "hover": hover})

    def shaped(values: str) -> pd.DataFrame:
        return (cells.pivot(index=OUTLET, columns="period", values=values)
                .reindex(index=grid.value.index, columns=grid.value.columns).fillna(""))

    return TimelineCells(grid=grid, text=shaped("text"), hover=shaped("hover"),
                         estimate=estimate)
