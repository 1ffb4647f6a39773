"""Timeline: each theme's share of every outlet's own output per day, week or month."""

from dataclasses import replace

import numpy as np
import plotly.graph_objects as go
import streamlit as st

import app_data
import ui
from framing_atlas.views.filters import filter_paragraphs
from framing_atlas.views.safe_text import plotly_literal
from framing_atlas.analysis.stats import MIN_ARTICLES, TOO_FEW
from framing_atlas.analysis.periods import (FREQUENCIES, count_undated, overall_timeline,
                                            theme_timeline, timeline_grid, with_intervals)
from framing_atlas.store import NO_THEME

ctx = ui.page_setup()
st.title("Themes over time")
ui.demo_note(ctx)
# A share is of everything the outlet published in the period, so the theme filter picks which
# theme to show rather than shrinking the denominator.
rows = filter_paragraphs(ctx.paragraphs, replace(ctx.view.filters, themes=()))
ui.empty_note(rows)

c1, c2, c4 = st.columns(3)
freq = c1.selectbox("Period", list(FREQUENCIES), index=1, key="tl_freq")
measure = c2.radio("Show", ["share", "count"], horizontal=True, key="tl_measure",
                   help="Share: the theme's part of each outlet's own paragraphs in the period, "
                        "so a prolific outlet does not drown the rest.")
choices = ctx.theme_names + [NO_THEME]
picked = ctx.view.filters.themes
theme = c4.selectbox("Theme", choices, key="tl_theme",
                     index=choices.index(picked[0]) if picked else 0,
                     format_func=lambda t: t.replace("_", " "))

table = theme_timeline(rows, freq=freq)
undated = count_undated(rows)
if undated:
    st.caption(f"{undated} undated paragraphs are left out of the timeline.")
if table.empty:
    st.info("No dated paragraph in this view.")
    st.stop()

# 95% intervals of each outlet × period's theme shares, resampling whole articles.
table = with_intervals(table, app_data.shares_by_period(
    rows[["outlet", "published", "article_id", "theme"]], "outlet", "theme", freq))
cells = timeline_grid(table, theme=theme, measure=measure)
grid, counts, totals, thin = cells.value, cells.count, cells.total, cells.thin
text = np.where(thin.to_numpy() & totals.notna().to_numpy(),
                counts.fillna(0).astype(int).astype(str) + "/" +
                totals.fillna(0).astype(int).astype(str) + f"<br>{TOO_FEW}",
                counts.fillna(0).astype(int).astype(str) + "/" + totals.fillna(0).astype(int)
                .astype(str))
text = np.where(totals.isna().to_numpy(), "", text)
ranges = ("95% interval " + cells.low.map("{:.0%}".format) + "–" +
          cells.high.map("{:.0%}".format)).where(cells.low.notna(), f"{TOO_FEW} for an interval")
ranges = ("articles: " + cells.articles.fillna(0).astype(int).astype(str) + "<br>" +
          ranges).to_numpy()
x = [p.strftime("%Y-%m-%d") for p in grid.columns]
hover = ("%{y}<br>%{x}<br>" + measure + ": %{z}<br>paragraphs on theme / all: "
         "%{text}<br>%{customdata}<extra></extra>")
# A period with too few articles keeps its value, in grey: read, not compared.
figure = go.Figure([
    go.Heatmap(z=grid.where(~thin).to_numpy(dtype=float), x=x, y=[plotly_literal(o) for o in grid.index],
               text=np.where(thin.to_numpy(), "", text), texttemplate="%{text}",
               colorscale="Reds", customdata=ranges, zmin=0,
               zmax=1 if measure == "share" else None, hoverongaps=False,
               colorbar={"title": "share" if measure == "share" else "paragraphs",
                         "tickformat": ".0%" if measure == "share" else ""},
               hovertemplate=hover),
    go.Heatmap(z=grid.where(thin).to_numpy(dtype=float), x=x, y=[plotly_literal(o) for o in grid.index],
               text=np.where(thin.to_numpy(), text, ""), texttemplate="%{text}",
               colorscale="Greys", customdata=ranges, zmin=0,
               zmax=1 if measure == "share" else None, hoverongaps=False, showscale=False,
               hovertemplate=hover)])
figure.update_layout(height=140 + 42 * len(grid), margin={"t": 10}, xaxis_type="category",
                     xaxis_title=f"{freq} starting", yaxis_title=None)
st.caption(f"Cells show paragraphs on '{theme.replace('_', ' ')}' / all paragraphs of the "
           f"outlet that {freq}; a {freq} with fewer than {MIN_ARTICLES} of the outlet's "
           f"articles is marked '{TOO_FEW}', drawn in grey and gets no interval; hover any "
           "other cell for its 95% interval (bootstrap over the outlet's articles that period), "
           "and the downloaded table has it too.")
st.plotly_chart(figure, key="timeline")
ui.download_table(table.set_index("outlet"), key="dl_timeline", name=f"timeline-{freq}")

st.subheader("All themes, all outlets together")
overall = overall_timeline(table)
lines = go.Figure()
for name in sorted(overall["theme"].unique()):
    series = overall[overall["theme"] == name]
    lines.add_trace(go.Scatter(x=series["period"], y=series[measure], mode="lines+markers",
                               name=plotly_literal(name.replace("_", " "))))
lines.update_layout(height=320, margin={"t": 10},
                    yaxis_tickformat=".0%" if measure == "share" else "")
st.plotly_chart(lines, key="timeline_all")
