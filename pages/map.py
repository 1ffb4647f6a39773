"""Map: every paragraph as a dot, coloured by outlet, cluster or theme; select dots to read them."""

import plotly.graph_objects as go
import streamlit as st

import app_data
import ui
from framing_atlas.analysis.overview import cluster_centres
from framing_atlas.views.safe_text import plotly_literal

ctx = ui.page_setup()
st.title("Map of paragraphs")
ui.demo_note(ctx)
st.caption("Paragraphs that argue alike sit close together. Hover a dot to see it; draw a box "
           "or lasso around dots to read them below"
           + ("." if ctx.read_only else " and mark them in or out of a theme."))


def _keep_color() -> None:
    st.session_state["color"] = st.session_state.get("w_color") or "outlet"


st.session_state["w_color"] = ctx.view.color
st.segmented_control("Colour by", ["outlet", "cluster", "theme"], key="w_color",
                     on_change=_keep_color)
color = ctx.view.color
rows = app_data.text_of(ctx.rows)  # the hover shows text (pages/map.py is being redrawn)
ui.empty_note(rows)

labels = dict(zip(ctx.clusters["cluster"], ctx.clusters["label"]))
groups = (rows["cluster"].map(lambda c: f"{c}: {labels.get(c, '')}") if color == "cluster"
          else rows[color].astype(str))
figure = go.Figure()
for name in sorted(groups.unique()):
    part = rows[groups == name]
    # Plotly renders a few HTML tags in hover text: escaping keeps article text literal.
    hover = (part["outlet"].map(plotly_literal) + " · " +
             part["published"].dt.strftime("%Y-%m-%d").fillna("undated") + "<br>" +
             part["title"].fillna("").map(lambda t: plotly_literal(t, limit=90)) + "<br><i>" +
             part["text"].map(lambda t: plotly_literal(t, limit=160)) + "…</i>")
    figure.add_trace(go.Scattergl(x=part["x"], y=part["y"], mode="markers",
                                  name=plotly_literal(name, limit=48), customdata=part.index,
                                  hovertext=hover, hoverinfo="text",
                                  marker={"size": 5, "opacity": 0.75}))
centres = cluster_centres(rows)
for cluster_id, centre in centres.iterrows():
    if cluster_id >= 0:
        figure.add_annotation(x=centre.x, y=centre.y, showarrow=False, font={"size": 11},
                              text=plotly_literal(labels.get(cluster_id, "")),
                              bgcolor="rgba(255,255,255,0.75)")
figure.update_layout(height=640, margin={"l": 0, "r": 0, "t": 10, "b": 0}, dragmode="lasso",
                     legend={"itemsizing": "constant"}, xaxis={"visible": False},
                     yaxis={"visible": False})
event = st.plotly_chart(figure, key="map", on_select="rerun", selection_mode=("box", "lasso"))

points = event.selection.points if event and event.selection else []
picked = rows.loc[[p["customdata"] for p in points if "customdata" in p]] if points else None
if picked is not None and len(picked):
    st.subheader(f"{len(picked)} selected paragraphs")
    if not ctx.read_only:
        with st.container(border=True, key="teach_selection"):
            st.markdown("**Teach a theme** with this selection: say whether these paragraphs "
                        "are about a theme. A retrain (Themes page) learns from the labels.")
            ui.teach_panel(picked, ctx, key="teach_map")
    ui.download_rows(picked, ctx.clusters, key="download_selection",
                     label="Download the selection (CSV)")
    ui.read_paragraphs(picked, teach=ctx)
    with st.expander("The selection as a table"):
        ui.paragraph_table(picked, key="selected")
else:
    st.subheader(f"{len(rows)} paragraphs in view")
    if len(rows) <= 20:
        ui.read_paragraphs(rows, teach=ctx)
    else:
        st.caption("Select dots on the map (box or lasso) to read them here, or narrow the "
                   "filters to 20 paragraphs or fewer.")
ui.download_rows(rows, ctx.clusters, key="download_filtered",
                 label="Download all filtered paragraphs (CSV)")
