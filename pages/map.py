"""Map: every paragraph as a dot, coloured by outlet, cluster or theme; select dots to read them."""

import base64

import plotly.graph_objects as go
import streamlit as st

import app_data
import ui
from framing_atlas.analysis.overview import cluster_centres
from framing_atlas.views.raster import (GREY, bounds, data_extent, points_in, render,
                                        selected_rows, selection_shapes)
from framing_atlas.views.safe_text import plotly_literal

# Above this many paragraphs in the window the map is an image drawn on the server: dots (with
# hover text) cost seconds a rerun at 100k and do not draw at all at 1M.
POINTS_LIMIT = 20_000

ctx = ui.page_setup()
st.title("Map of paragraphs")
ui.demo_note(ctx)
st.caption("Paragraphs that argue alike sit close together. Hover a dot to see it; draw a box "
           "or lasso around dots to read them below"
           + ("." if ctx.read_only else " and mark them in or out of a theme."))


# A build published while the page is open (`framing-atlas build`, a background build) is read
# by the next run, whatever caused it. Streamlit ties a chart's box or lasso to the figure it
# was drawn on, so one drawn on a map the new build changed arrives as no selection: the note
# (filled below, once the selection is known) says why, or it would vanish without a word
# (seen under load, bench/load.py).
drawn_from = st.session_state.get("map_build")
rebuilt = st.empty() if drawn_from is not None and drawn_from != ctx.build_id else None
st.session_state["map_build"] = ctx.build_id

st.session_state["w_color"] = ctx.view.color
st.segmented_control("Colour by", ["outlet", "cluster", "theme"], key="w_color",
                     on_change=ui.keep_color)
color = ctx.view.color
rows = ctx.rows  # no text: the dots' hovers and the readers fetch it for what they show
ui.empty_note(rows)

labels = dict(zip(ctx.clusters["cluster"], ctx.clusters["label"]))
# A zoom window (x0, x1, y0, y1): kept while the person explores, and in the share link.
window = ctx.view.window
shown = points_in(rows, box=window) if window else rows
as_image = len(shown) > POINTS_LIMIT


# A colour-by value as the legend names it.
colour_name = ui.cluster_namer(labels) if color == "cluster" else str


def colour_names(frame):
    """The colour-by value of each row as the legend names it (for the dots: at most
    POINTS_LIMIT rows)."""
    return frame[color].map(colour_name) if color == "cluster" else frame[color].astype(str)


def add_cluster_labels(figure, centres) -> None:
    for cluster_id, centre in centres.iterrows():
        if cluster_id >= 0:
            figure.add_annotation(x=centre.x, y=centre.y, showarrow=False, font={"size": 11},
                                  text=plotly_literal(labels.get(cluster_id, "")),
                                  bgcolor="rgba(255,255,255,0.75)")


def image_figure(frame, window):
    """Every row as one server-drawn image under empty axes in the same coordinates; the
    legend's entries carry the exact count behind each colour."""
    key = (ctx.build_id, ctx.view, len(frame))  # the view holds the filters, colour and zoom
    kept = st.session_state.get("map_raster")
    if kept and kept[0] == key:  # a selection or a click reruns the page: no redraw
        raster = kept[1]
    else:
        raster = render(frame, color, extent=window or data_extent(frame), name=colour_name)
        st.session_state["map_raster"] = (key, raster)
    x0, x1, y0, y1 = raster.extent
    figure = go.Figure()
    figure.add_layout_image(source="data:image/png;base64," + base64.b64encode(raster.png).decode(),
                            xref="x", yref="y", x=x0, y=y1, sizex=x1 - x0, sizey=y1 - y0,
                            xanchor="left", yanchor="top", sizing="stretch", layer="below")
    for name, colour, count in raster.legend:
        figure.add_trace(go.Scatter(x=[None], y=[None], mode="markers", hoverinfo="skip",
                                    name=f"{plotly_literal(name, limit=48)} · {count:,}",
                                    marker={"size": 9, "color": colour}))
    # The cluster centres as (invisible) points: hover names the cluster.
    figure.add_trace(go.Scatter(
        x=centres["x"], y=centres["y"], mode="markers", showlegend=False,
        marker={"size": 12, "opacity": 0}, hoverinfo="text",
        hovertext=[f"cluster {c}: {plotly_literal(labels.get(c, ''), limit=60)}"
                   for c in centres.index]))
    figure.update_xaxes(range=[x0, x1])
    figure.update_yaxes(range=[y0, y1])
    return figure, raster


def points_figure(frame):
    frame = app_data.text_of(frame)  # at most POINTS_LIMIT rows: their titles and texts
    groups = colour_names(frame)
    figure = go.Figure()
    for name in sorted(groups.unique()):
        part = frame[groups == name]
        # Plotly renders a few HTML tags in hover text: escaping keeps article text literal.
        hover = (part["outlet"].map(plotly_literal) + " · " +
                 part["published"].dt.strftime("%Y-%m-%d").fillna("undated") + "<br>" +
                 part["title"].fillna("").map(lambda t: plotly_literal(t, limit=90)) + "<br><i>" +
                 part["text"].map(lambda t: plotly_literal(t, limit=160)) + "…</i>")
        figure.add_trace(go.Scattergl(x=part["x"], y=part["y"], mode="markers",
                                      name=plotly_literal(name, limit=48), customdata=part.index,
                                      hovertext=hover, hoverinfo="text",
                                      marker={"size": 5, "opacity": 0.75}))
    if window:
        figure.update_xaxes(range=list(window[:2]))
        figure.update_yaxes(range=list(window[2:]))
    return figure


def download(frame, *, key: str, label: str) -> None:
    """The CSV is built when the button is clicked (ui.download_rows), not on every rerun."""
    ui.download_rows(frame, ctx.clusters, key=key, label=label)


centres = cluster_centres(shown)  # where each cluster's label goes (its median position)
if as_image:
    figure, raster = image_figure(shown, window)
    st.caption(f"{len(shown):,} paragraphs, more than {POINTS_LIMIT:,}: drawn as an image, each "
               "colour's exact count in the legend" + (f" (the {len(raster.legend) - 1} largest "
               "groups in colour, the rest grey)" if raster.legend[-1][1] == GREY else "")
               + ". Draw a box or lasso to read the paragraphs inside; zoom to a selection and "
               f"dots appear once {POINTS_LIMIT:,} or fewer remain.")
else:
    figure = points_figure(shown)
add_cluster_labels(figure, centres)
figure.update_layout(height=640, margin={"l": 0, "r": 0, "t": 10, "b": 0}, dragmode="lasso",
                     legend={"itemsizing": "constant"}, xaxis={"visible": False},
                     yaxis={"visible": False})
event = st.plotly_chart(figure, key="map", on_select="rerun", selection_mode=("box", "lasso"))

selection = event.selection if event and event.selection else None
boxes, lassos = selection_shapes(selection)
if as_image:  # the image has no dots to pick: the box or lasso selects, here on the server
    picked = selected_rows(shown, selection) if boxes or lassos else None
else:
    points = selection.points if selection else []
    picked = rows.loc[[p["customdata"] for p in points if "customdata" in p]] if points else None

if rebuilt is not None:
    rebuilt.info(f"The atlas was rebuilt since this map was drawn: it now shows build "
                 f"{ctx.build_id}." + ("" if picked is not None else " If you had drawn a box or "
                                       "lasso on the earlier map, draw it again."))

zoom_to = bounds(boxes, lassos)
left, right = st.columns(2)
if zoom_to and left.button("Zoom to the selection", key="map_zoom",
                           help="Narrow the map to the selected area; dots appear when few "
                                "paragraphs remain there."):
    ui.set_map_window(ctx.build_id, zoom_to)
    st.rerun()
if window:
    right.caption(f"Zoomed: {len(shown):,} of the {len(rows):,} filtered paragraphs are in the "
                  "window.")
    if right.button("Show the whole map", key="map_unzoom"):
        ui.set_map_window(ctx.build_id, None)
        st.rerun()

if picked is not None and len(picked):
    st.subheader(f"{len(picked)} selected paragraphs")
    if not ctx.read_only:
        with st.container(border=True, key="teach_selection"):
            st.markdown("**Teach a theme** with this selection: say whether these paragraphs "
                        "are about a theme. A retrain (Themes page) learns from the labels.")
            ui.teach_panel(picked, ctx, key="teach_map")
    download(picked, key="download_selection", label="Download the selection (CSV)")
    ui.read_paragraphs(picked, teach=ctx)
    with st.expander("The selection as a table"):
        ui.paragraph_table(picked, key="selected")  # the first rows; the download has them all
elif picked is not None:
    st.subheader("0 selected paragraphs")
    st.caption("The box or lasso holds no paragraph: draw it around coloured areas.")
else:
    st.subheader(f"{len(shown)} paragraphs in view")
    if len(shown) <= 20:
        ui.read_paragraphs(shown, teach=ctx)
    else:
        st.caption("Select dots on the map (box or lasso) to read them here, or narrow the "
                   "filters to 20 paragraphs or fewer.")
download(rows, key="download_filtered", label="Download all filtered paragraphs (CSV)")
