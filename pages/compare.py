"""Compare outlets: theme shares, outlet × cluster heatmap, frames within a theme, distinctive terms,
and two outlets' paragraphs on the same cluster side by side."""

import plotly.express as px
import streamlit as st

import ui
from framing_atlas.compare import (MIN_PARAGRAPHS, outlet_terms, share_matrix, shares,
                                   side_by_side, theme_frames)

ctx = ui.page_setup()
st.title("Compare outlets")
ui.demo_note(ctx)
rows = ctx.rows
ui.empty_note(rows)
labels = dict(zip(ctx.clusters["cluster"], ctx.clusters["label"]))
totals = rows.groupby("outlet").size()
thin = sorted(totals[totals < MIN_PARAGRAPHS].index)
if thin:
    st.warning(f"Fewer than {MIN_PARAGRAPHS} paragraphs in this view for: "
               f"{', '.join(thin)}. Their shares rest on little data; read them with care.")

st.subheader("Theme shares per outlet")
st.caption("Each bar is one outlet's paragraphs in this view; the segments are the share on each "
           "theme ('none' = below the theme threshold).")
theme_shares = shares(rows, "theme")
chart = px.bar(theme_shares, y="outlet", x="share", color="theme", orientation="h",
               hover_data={"paragraphs": True, "outlet_total": True, "share": ":.1%"},
               text=theme_shares["share"].map(lambda v: f"{v:.0%}" if v >= 0.06 else ""))
chart.update_layout(height=120 + 40 * theme_shares["outlet"].nunique(), xaxis_tickformat=".0%",
                    yaxis_title=None, legend_title=None, margin={"t": 10})
st.plotly_chart(chart, key="theme_shares")
ui.download_table(theme_shares, key="dl_theme_shares", name="theme-shares")

st.subheader("Which clusters each outlet writes in")
matrix = share_matrix(rows, "cluster")
matrix.columns = [f"{c}: {labels.get(c, '')}"[:40] for c in matrix.columns]
heat = px.imshow(matrix, aspect="auto", color_continuous_scale="Blues", text_auto=".0%",
                 labels={"color": "share of outlet"})
heat.update_layout(height=160 + 36 * len(matrix), margin={"t": 10}, xaxis_title=None,
                   yaxis_title=None, coloraxis_colorbar_tickformat=".0%")
st.plotly_chart(heat, key="cluster_heatmap")
ui.download_table(shares(rows, "cluster"), key="dl_cluster_shares", name="cluster-shares")

st.subheader("Frames within a theme")
theme = st.selectbox("Theme", ctx.theme_names, key="compare_theme",
                     format_func=lambda t: t.replace("_", " "))
frames = theme_frames(rows, theme)
if frames.empty:
    st.info(f"No paragraph on '{theme}' in this view.")
else:
    frames["frame"] = frames["cluster"].map(lambda c: f"{c}: {labels.get(c, '')}"[:40])
    bars = px.bar(frames, y="outlet", x="share", color="frame", orientation="h",
                  hover_data={"paragraphs": True, "outlet_total": True, "share": ":.1%"})
    bars.update_layout(height=120 + 40 * frames["outlet"].nunique(), xaxis_tickformat=".0%",
                       yaxis_title=None, margin={"t": 10})
    st.caption(f"Of each outlet's paragraphs on {theme.replace('_', ' ')}, the share in each "
               "cluster.")
    st.plotly_chart(bars, key="theme_frames")
    ui.download_table(frames, key="dl_theme_frames", name=f"frames-{theme}")

st.subheader("Distinctive terms per outlet")
st.caption("Words and phrases frequent in one outlet's paragraphs and rare in the others' "
           "(class-based TF-IDF).")
terms = outlet_terms(rows, top=10)
columns = st.columns(min(3, max(len(terms), 1)))
for i, (outlet, words) in enumerate(sorted(terms.items())):
    with columns[i % len(columns)]:
        st.markdown(f"**{ui.markdown_literal(outlet)}**")
        st.text(", ".join(words) if words else "(too little text)")

st.subheader("Two outlets on the same cluster")
outlets = sorted(rows["outlet"].unique())
if len(outlets) < 2:
    st.info("Pick at least two outlets in the sidebar (or none, for all) to compare them.")
else:
    c1, c2, c3 = st.columns(3)
    left = c1.selectbox("Left outlet", outlets, index=0, key="pair_left")
    right = c2.selectbox("Right outlet", outlets, index=1, key="pair_right")
    both = rows[rows["outlet"].isin([left, right])].groupby("cluster")["outlet"].nunique()
    shared = [int(c) for c in both[both == 2].index]
    if not shared:
        st.info(f"{left} and {right} share no cluster in this view.")
    else:
        cluster = c3.selectbox("Cluster", shared, key="pair_cluster",
                               format_func=lambda c: f"{c}: {labels.get(c, '')}")
        a, b = side_by_side(rows, cluster=cluster, left=left, right=right)
        l, r = st.columns(2)
        for column, outlet, part in ((l, left, a), (r, right, b)):
            with column:
                st.markdown(f"**{ui.markdown_literal(outlet)}**: {len(part)} paragraphs")
                ui.read_paragraphs(part, limit=8)

        st.markdown(f"**Closest counterparts**: each {ui.markdown_literal(left)} paragraph "
                    f"above beside the most similar paragraph {ui.markdown_literal(right)} "
                    "wrote (any cluster, among each paragraph's five closest in other outlets).")
        by_id = ctx.paragraphs.set_index("paragraph_id")
        for paragraph in a.head(5).itertuples():
            matches = [n for n in (paragraph.neighbours if "neighbours" in a else [])
                       if n in by_id.index and by_id.at[n, "outlet"] == right]
            l, r = st.columns(2)
            with l:
                ui.read_paragraphs(a.loc[[paragraph.Index]])
            with r:
                if matches:
                    ui.read_paragraphs(by_id.loc[[matches[0]]].reset_index())
                else:
                    st.caption(f"No paragraph of {right} among its five closest.")
