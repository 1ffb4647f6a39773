"""Map: every paragraph as a dot, coloured by outlet, cluster or theme; select dots to read them."""

import html

import plotly.graph_objects as go
import streamlit as st

import app_data
import ui

store, is_demo, build_id = app_data.load()
paragraphs = app_data.paragraphs(str(store.root), build_id)
clusters = app_data.clusters(str(store.root), build_id)
themes = [t["name"] for t in app_data.build_document(str(store.root), build_id, "themes")["themes"]]

st.title("Map of paragraphs")
if is_demo:
    st.caption("Showing the bundled demo corpus: fictional outlets and articles written for this "
               "project. Ingest your own articles with `framing-atlas ingest`.")
view = ui.sidebar_view(paragraphs, clusters, themes)
rows = ui.filtered(paragraphs, view)

color = st.segmented_control("Colour by", ["outlet", "cluster", "theme"], key="f_color",
                             default=view.color) or "outlet"
if rows.empty:
    st.info("No paragraph matches these filters. Remove a filter in the sidebar to see more.")
    st.stop()

labels = dict(zip(clusters["cluster"], clusters["label"]))
groups = rows[color].astype(str) if color != "cluster" else rows["cluster"].map(
    lambda c: f"{c}: {labels.get(c, '')}")
figure = go.Figure()
for name, part in rows.groupby(groups, sort=True):
    hover = (part["outlet"].map(html.escape) + " · " +
             part["published"].dt.strftime("%Y-%m-%d").fillna("undated") + "<br>" +
             part["title"].fillna("").str.slice(0, 90).map(html.escape) + "<br><i>" +
             part["text"].str.slice(0, 160).map(html.escape) + "…</i>")
    figure.add_trace(go.Scattergl(x=part["x"], y=part["y"], mode="markers", name=str(name)[:40],
                                  customdata=part.index, hovertext=hover, hoverinfo="text",
                                  marker={"size": 5, "opacity": 0.75}))
centres = rows.groupby("cluster")[["x", "y"]].median()
for cluster_id, centre in centres.iterrows():
    if cluster_id >= 0:
        figure.add_annotation(x=centre.x, y=centre.y, text=html.escape(labels.get(cluster_id, "")),
                              showarrow=False, font={"size": 11},
                              bgcolor="rgba(255,255,255,0.7)")
figure.update_layout(height=650, margin={"l": 0, "r": 0, "t": 10, "b": 0}, dragmode="lasso",
                     legend={"itemsizing": "constant"}, xaxis={"visible": False},
                     yaxis={"visible": False})
event = st.plotly_chart(figure, key="map", on_select="rerun", selection_mode=("box", "lasso"))

points = event.selection.points if event and event.selection else []
picked = rows.loc[[p["customdata"] for p in points if "customdata" in p]] if points else rows.iloc[0:0]
st.subheader(f"{len(picked)} selected paragraphs" if len(picked) else
             f"{len(rows)} paragraphs in view: box- or lasso-select dots to read them")
if len(picked):
    ui.paragraph_table(picked, key="selected")
    ui.download_rows(picked, clusters, key="download_selection",
                     label="Download the selection (CSV)")
ui.download_rows(rows, clusters, key="download_filtered")
