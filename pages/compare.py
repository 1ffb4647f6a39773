"""Compare outlets: theme shares, outlet × cluster heatmap, frames within a theme, distinctive terms,
and two outlets' paragraphs on the same cluster side by side."""

import plotly.express as px
import plotly.graph_objects as go
import streamlit as st

import app_data
import ui
from framing_atlas.analysis.counterparts import closest_counterparts, shared_clusters, side_by_side
from framing_atlas.analysis.overview import share_grid, thin_sides
from framing_atlas.analysis.quantify import in_column
from framing_atlas.analysis.theme_shares import (CORRECTION_CAPTION, ESTIMATE_NAMES, chart_rows,
                                                 detected_columns, detector_lines, theme_notes)
from framing_atlas.analysis.sampling import article_sample, sample_note
from framing_atlas.views.safe_text import plotly_literal
from framing_atlas.analysis.stats import MIN_ARTICLES, TOO_FEW, interval_labels

ctx = ui.page_setup()
st.title("Compare outlets")
ui.demo_note(ctx)
# Only the columns this page uses, cut once: at a million paragraphs the whole table is
# hundreds of MB.
rows = ctx.cut(["paragraph_id", "article_id", "outlet", "published", "cluster", "theme",
                "syndicated", "text_hash", *detected_columns(ctx.theme_names)])
ui.empty_note(rows)
labels = dict(zip(ctx.clusters["cluster"], ctx.clusters["label"]))
thin = thin_sides(rows, side_col="outlet")
outlets = sorted(rows["outlet"].unique())
if thin:
    st.warning(f"Fewer than {MIN_ARTICLES} articles in this view for: "
               f"{', '.join(map(ui.markdown_literal, thin))}. Their shares are shown marked "
               f"'{TOO_FEW}', with no interval.")

def with_intervals(frame, category):
    """Shares of each outlet's paragraphs with 95% intervals resampling whole articles (none
    for an outlet with too few articles: its bars are marked instead)."""
    table = app_data.shares_with_intervals(frame, "outlet", category).rename(
        columns={"group": "outlet"})
    return table.assign(interval=interval_labels(table["share"], table["low"], table["high"],
                                                 fmt="{:.1%}"),
                        note=table["thin"].map({True: TOO_FEW, False: ""}))


def interval_text(table):
    return interval_labels(table["share"], table["low"], table["high"], sep="<br>")


root = str(ctx.store.root)
app_data.require_detections(rows, ctx.theme_names)
detected = detected_columns(ctx.theme_names)
base = rows[["outlet", "article_id", "theme", "cluster", *detected]]
st.subheader("Theme shares per outlet")
st.caption(f"Each outlet's share of paragraphs on each theme, raw and corrected for the "
           f"detector's measured error, with 95% intervals from a bootstrap over its articles; "
           f"an outlet with fewer than {MIN_ARTICLES} articles gets its shares marked "
           f"'{TOO_FEW}' and no interval. {CORRECTION_CAPTION}")
st.caption("  \n".join(ui.markdown_literal(line) for line in detector_lines(ctx.themes)))
theme_shares = app_data.corrected_shares(base[["outlet", "article_id", *detected]], "outlet",
                                         root, ctx.build_id, tuple(ctx.theme_names))
for name, note in theme_notes(theme_shares).items():
    st.info(f"{ui.markdown_literal(name.replace('_', ' '))}: {ui.markdown_literal(note)}")
bars = chart_rows(theme_shares)
# Outlet names are the sites' own text: Plotly shows them literally.
chart = px.bar(bars.assign(outlet=bars["group"].map(plotly_literal),
                           theme=bars["theme"].map(lambda t: plotly_literal(t.replace("_", " "))),
                           note=bars["note"].map(plotly_literal)),
               y="outlet", x="share", color="estimate", facet_col="theme", orientation="h",
               barmode="group", error_x="plus", error_x_minus="minus", text="mark",
               hover_data={"paragraphs": True, "articles": True, "raw": True,
                           "corrected_text": True, "note": True, "share": ":.1%",
                           "plus": False, "minus": False, "mark": False},
               labels={"corrected_text": "corrected", "estimate": "share"},
               category_orders={"estimate": list(ESTIMATE_NAMES.values()),
                                "theme": [plotly_literal(t.replace("_", " "))
                                          for t in ctx.theme_names]})
chart.for_each_annotation(lambda a: a.update(text=a.text.split("=", 1)[-1]))
# Every outlet in view has a row for every theme.
chart.update_layout(height=160 + 70 * len(outlets), yaxis_title=None, margin={"t": 30})
chart.update_xaxes(tickformat=".0%", title=None)
st.plotly_chart(chart, key="theme_shares")
ui.download_shares(theme_shares, app_data.error_rates(root, ctx.build_id), side="outlet",
                   key="dl_theme_shares", name="theme-shares")

st.subheader("Which clusters each outlet writes in")
st.caption("Share of each outlet's paragraphs in each cluster, with its 95% interval (none "
           "where the outlet has too few articles).")
cluster_shares = with_intervals(base, "cluster")
matrix = share_grid(cluster_shares, "share")
text = share_grid(cluster_shares.assign(text=interval_text(cluster_shares)), "text")
names = [plotly_literal(f"{c}: {labels.get(c, '')}", limit=40) for c in matrix.columns]
heat = go.Figure(go.Heatmap(z=matrix.to_numpy(), x=names,
                            y=[plotly_literal(o) for o in matrix.index],
                            text=text.to_numpy(), texttemplate="%{text}", colorscale="Blues",
                            colorbar={"title": "share", "tickformat": ".0%"},
                            hovertemplate="%{y}<br>%{x}<br>%{text}<extra></extra>"))
heat.update_layout(height=160 + 44 * len(matrix), margin={"t": 10})
st.plotly_chart(heat, key="cluster_heatmap")
ui.download_table(cluster_shares.set_index("outlet"), key="dl_cluster_shares",
                  name="cluster-shares")

st.subheader("Frames within a theme")
theme = st.selectbox("Theme", ctx.theme_names, key="compare_theme",
                     format_func=ui.theme_name)
# A paragraph is on the theme when the theme's detector marks it, whatever else it is about.
on_theme = base[base[in_column(theme)]]
if on_theme.empty:
    st.info(f"No paragraph on '{theme}' in this view.")
else:
    frames = with_intervals(on_theme, "cluster")
    frames = frames[frames["paragraphs"] > 0]
    frames["frame"] = frames["category"].map(lambda c: f"{c}: {labels.get(c, '')}"[:40])
    bars = px.bar(frames.assign(outlet=frames["outlet"].map(plotly_literal),
                                frame=frames["frame"].map(plotly_literal)),
                  y="outlet", x="share", color="frame", orientation="h", text="note",
                  hover_data={"paragraphs": True, "articles": True, "share": ":.1%",
                              "interval": True})
    bars.update_layout(height=120 + 40 * len(on_theme["outlet"].unique()), xaxis_tickformat=".0%",
                       yaxis_title=None, margin={"t": 10})
    st.caption(f"Of each outlet's paragraphs on {theme.replace('_', ' ')}, the share in each "
               "cluster; hover a segment for its 95% interval.")
    st.plotly_chart(bars, key="theme_frames")
    ui.download_table(frames.set_index("outlet"), key="dl_theme_frames", name=f"frames-{theme}")

st.subheader("Distinctive terms per outlet")
st.caption("Words and phrases frequent in one outlet's paragraphs and rare in the others' "
           "(class-based TF-IDF): a ranking, not a test, and a word one long article repeats can "
           "top it. The Framing page ranks terms with a bootstrap over articles and flags those "
           "few articles use.")
# Text is read for a sample of whole articles per outlet only: a million paragraphs' text would
# not fit in the server's memory, and a ranking does not need it.
sample, sampled = article_sample(rows[["outlet", "article_id"]], side_col="outlet")
if note := sample_note(sampled):
    st.caption(note)
terms = app_data.outlet_terms(app_data.text_of(sample[["outlet"]], columns=("text",)), top=10)
columns = st.columns(min(3, max(len(terms), 1)))
for i, (outlet, words) in enumerate(sorted(terms.items())):
    with columns[i % len(columns)]:
        st.markdown(f"**{ui.markdown_literal(outlet)}**")
        st.text(", ".join(words) if words else "(too little text)")

st.subheader("Two outlets on the same cluster")
if len(outlets) < 2:
    st.info("Pick at least two outlets in the sidebar (or none, for all) to compare them.")
else:
    c1, c2, c3 = st.columns(3)
    left = c1.selectbox("Left outlet", outlets, index=0, key="pair_left")
    right = c2.selectbox("Right outlet", outlets, index=1, key="pair_right")
    shared = shared_clusters(rows, left=left, right=right)
    if not shared:
        st.info(f"{ui.markdown_literal(left)} and {ui.markdown_literal(right)} share no cluster "
                "in this view.")
    else:
        cluster = c3.selectbox("Cluster", shared, key="pair_cluster",
                               format_func=ui.cluster_namer(labels))
        a, b = side_by_side(rows, cluster=cluster, left=left, right=right)
        l, r = st.columns(2)
        for column, outlet, part in ((l, left, a), (r, right, b)):
            with column:
                st.markdown(f"**{ui.markdown_literal(outlet)}**: {len(part)} paragraphs")
                ui.read_paragraphs(part, limit=8)

        st.markdown(f"**Closest counterparts**: each {ui.markdown_literal(left)} paragraph "
                    f"above beside the most similar paragraph {ui.markdown_literal(right)} "
                    "wrote (any cluster, among each paragraph's five closest in other outlets).")
        with_neighbours = app_data.text_of(a, columns=(*app_data.READING, "neighbours"))
        for paragraph, counterpart in closest_counterparts(with_neighbours, ctx.paragraphs,
                                                           outlet=right):
            l, r = st.columns(2)
            with l:
                ui.read_paragraphs(paragraph)
            with r:
                if counterpart is not None:
                    ui.read_paragraphs(counterpart)
                else:
                    st.caption(f"No paragraph of {ui.markdown_literal(right)} among its five "
                               "closest.")
