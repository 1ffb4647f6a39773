"""Timeline: each theme's share of every outlet's own output per day, week or month."""

from dataclasses import replace

import numpy as np
import plotly.graph_objects as go
import streamlit as st

import app_data
import ui
from framing_atlas.views.safe_text import plotly_literal
from framing_atlas.analysis.stats import MIN_ARTICLES, TOO_FEW
from framing_atlas.analysis.periods import FREQUENCIES, count_undated
from framing_atlas.analysis.theme_shares import (CORRECTION_CAPTION, ESTIMATE_NAMES,
                                                 detected_columns, overall_by_period,
                                                 shown_estimate, theme_notes, timeline_cells)

# Cells written in (counts and corrected share) up to this many; hover only beyond.
TEXT_CELLS = 600

ctx = ui.page_setup()
st.title("Themes over time")
ui.demo_note(ctx)
# A share is of everything the outlet published in the period, so the theme filter picks which
# theme to show rather than shrinking the denominator.
app_data.require_detections(ctx.paragraphs, ctx.theme_names)
root = str(ctx.store.root)
detected = detected_columns(ctx.theme_names)
rows = ctx.cut(["outlet", "published", "article_id", *detected],
               ctx.mask_for(replace(ctx.view.filters, themes=())))
ui.empty_note(rows)

c1, c2, c3, c4 = st.columns(4)
freq = c1.selectbox("Period", list(FREQUENCIES), index=1, key="tl_freq")
measure = c2.radio("Show", ["share", "count"], horizontal=True, key="tl_measure",
                   help="Share: the theme's part of each outlet's own paragraphs in the period, "
                        "so a prolific outlet does not drown the rest.")
wanted = c3.radio("Estimate", ["corrected", "raw"], horizontal=True, key="tl_estimate",
                  format_func=ESTIMATE_NAMES.get,
                  help="Corrected for error: the share with the theme detector's measured "
                       "misses and false alarms taken out. Raw: the share it marks.")
choices = ctx.theme_names
picked = [t for t in ctx.view.filters.themes if t in choices]
theme = c4.selectbox("Theme", choices, key="tl_theme",
                     index=choices.index(picked[0]) if picked else 0,
                     format_func=ui.theme_name)

undated = count_undated(rows)
if undated:
    st.caption(f"{undated} undated paragraphs are left out of the timeline.")
if undated == len(rows):
    st.info("No dated paragraph in this view.")
    st.stop()

# Each outlet × period's raw and corrected theme shares with 95% intervals, resampling whole
# articles (and, for the corrected ones, the labelled paragraphs too).
table = app_data.corrected_shares_by_period(
    rows, "outlet", freq, root, ctx.build_id,
    tuple(ctx.theme_names))
estimate = shown_estimate(table, theme, wanted)
notes = theme_notes(table)
if theme in notes:
    st.info(f"{ui.markdown_literal(theme.replace('_', ' '))}: {ui.markdown_literal(notes[theme])}"
            + ("; the raw share is shown." if estimate != wanted else ""))
cells = timeline_cells(table, theme=theme, estimate=estimate, measure=measure)
grid, thin = cells.grid.value, cells.grid.thin
hover = cells.hover.to_numpy()
# Words in every cell help while they can be read; past that the browser spends seconds laying
# out thousands of labels nobody can read, and the hover says the same.
written = grid.size <= TEXT_CELLS
text = cells.text.to_numpy()
x = [p.strftime("%Y-%m-%d") for p in grid.columns]
y = [plotly_literal(o) for o in grid.index]
shown = f"{estimate} {measure}"
hovertemplate = "%{y}<br>%{x}<br>" + shown + ": %{z}<br>%{customdata}<extra></extra>"


def heatmap(mask, **style):
    """The cells `mask` picks, with their hover text (and their words, when written in)."""
    words = {"text": np.where(mask, text, ""), "texttemplate": "%{text}"} if written else {}
    return go.Heatmap(z=grid.where(mask).to_numpy(dtype=float), x=x, y=y, **words,
                      customdata=np.where(mask, hover, ""), zmin=0,
                      zmax=1 if measure == "share" else None, hoverongaps=False,
                      hovertemplate=hovertemplate,
                      zhoverformat=".1%" if measure == "share" else ".1f", **style)


# A period with too few articles keeps its value, in grey: read, not compared. Each trace
# carries the hover text of its own cells only (the page sends half as much).
figure = go.Figure([
    heatmap(~thin.to_numpy(), colorscale="Reds",
            colorbar={"title": shown, "tickformat": ".0%" if measure == "share" else ""}),
    heatmap(thin.to_numpy(), colorscale="Greys", showscale=False)])
figure.update_layout(height=140 + 56 * len(grid), margin={"t": 10}, xaxis_type="category",
                     xaxis_title=f"{freq} starting", yaxis_title=None)
st.caption(f"Colour: the {shown} of '{theme.replace('_', ' ')}' in the outlet's paragraphs "
           f"that {freq}. "
           + ("Cells show" if written else f"With {grid.size:,} cells, too many to write in, "
              "the hover shows")
           + " paragraphs the detector marks / all paragraphs, and the "
           f"share corrected for error (corr.); a {freq} with fewer than {MIN_ARTICLES} of the "
           f"outlet's articles is marked '{TOO_FEW}', drawn in grey and gets no interval; hover "
           "any other cell for both shares' 95% intervals (bootstrap over the outlet's articles "
           "that period, and for the corrected share over the labelled paragraphs too), and the "
           f"downloaded table has them too. {CORRECTION_CAPTION}")
st.plotly_chart(figure, key="timeline")
ui.download_shares(table, app_data.error_rates(root, ctx.build_id), column="side",
                   side="outlet", key="dl_timeline", name=f"timeline-{freq}")

st.subheader("All themes, all outlets together")
overall = overall_by_period(table, estimate=estimate)
lines = go.Figure()
for name in ctx.theme_names:
    series = overall[overall["theme"] == name]
    lines.add_trace(go.Scatter(x=series["period"], y=series[measure], mode="lines+markers",
                               name=plotly_literal(name.replace("_", " "))))
lines.update_layout(height=320, margin={"t": 10}, yaxis_title=shown,
                    yaxis_tickformat=".0%" if measure == "share" else "")
st.caption(f"Each theme's {shown} across every outlet's paragraphs of the {freq} (a paragraph "
           "may carry several themes or none).")
st.plotly_chart(lines, key="timeline_all")
