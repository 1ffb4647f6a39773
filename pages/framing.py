"""Framing: how sure is each comparison? Shares with intervals, divergence with p-values,
distinctive terms by log-odds, and positions on frame axes, by outlet or outlet group."""

import plotly.express as px
import plotly.graph_objects as go
import streamlit as st

import app_data
import ui
from framing_atlas.errors import AtlasError
from framing_atlas.analysis.divergence import (divergence_input, divergence_matrix, pair_count,
                                               side_centroid_distances)
from framing_atlas.analysis.groups import assign_groups, read_groups
from framing_atlas.analysis.overview import article_count, side_count
from framing_atlas.analysis.periods import count_undated
from framing_atlas.analysis.sampling import article_sample, sample_note
from framing_atlas.analysis.quantify import export_shares
from framing_atlas.analysis.theme_shares import (CORRECTION_CAPTION, ESTIMATE_NAMES, chart_rows,
                                                 detected_columns, detector_lines, over_time,
                                                 shown_estimate, theme_notes)
from framing_atlas.views.safe_text import plotly_literal
from framing_atlas.analysis.stats import (MIN_ARTICLES, MIN_TERM_ARTICLES, TOO_FEW, interval_labels,
                                          permutations_for)

ctx = ui.page_setup()
st.title("Framing, with uncertainty")
ui.demo_note(ctx)
st.caption("Intervals are 95% bootstrap intervals that resample whole articles (paragraphs of one "
           "article are not independent). A comparison whose intervals overlap is not settled by "
           f"this data; a wide interval means few articles. A side with fewer than {MIN_ARTICLES} "
           f"articles gets its value marked '{TOO_FEW}' and no interval.")
# Only the columns this page uses: `assign` below copies what it is given, and at a million
# paragraphs the whole table is hundreds of MB.
rows = ctx.cut([c for c in ctx.paragraphs.columns
                if c in ("outlet", "article_id", "theme", "cluster", "published")
                or c.startswith(("has_", "axis_"))])
ui.empty_note(rows)

settings = app_data.settings()
by = st.segmented_control("Compare", ["outlets", "groups"], default="outlets", key="fr_by")
if by == "groups":
    try:
        groups = read_groups(settings.groups_file)
    except AtlasError as err:
        st.error(f"{err}. Define outlet groups in {settings.groups_file}.")
        st.stop()
    rows = rows.assign(group=assign_groups(rows, groups).to_numpy())
    st.caption(f"Groups from {settings.groups_file}; outlets in no group stand alone.")
else:
    rows = rows.assign(group=rows["outlet"])
if side_count(rows, "group") < 2:
    st.info("Pick at least two outlets (or groups) to compare: remove the outlet filter.")
    st.stop()


def shares_with_intervals(frame, category):
    return app_data.shares_with_intervals(frame, "group", category)


def with_labels(table, value, *, percent=True):
    """The table with an `interval` text for hovers and a `note` marking too-few-article rows."""
    return table.assign(interval=interval_labels(table[value], table["low"], table["high"],
                                                 fmt="{:.1%}" if percent else "{:+.3f}"),
                        note=table["thin"].map({True: TOO_FEW, False: ""}))


def interval_chart(table, *, y, x="share", color=None, key, percent=True, hover=()):
    if "interval" not in table:  # theme_shares.chart_rows brings its own, and its marks
        table = with_labels(table, x, percent=percent)
    # Outlet and group names are the sites' and users' own text: Plotly shows them literally.
    shown = table.assign(**{c: table[c].map(plotly_literal) for c in (y, color) if c})
    figure = px.scatter(shown, x=x, y=y, color=color, text="note",
                        error_x=table["high"] - table[x], error_x_minus=table[x] - table["low"],
                        hover_data={c: True for c in ("articles", "paragraphs", "interval",
                                                      *hover) if c in table})
    figure.update_traces(textposition="middle right")
    if color:  # the colours' points side by side on each row, not on top of each other
        figure.update_traces(orientation="h")
        figure.update_layout(scattermode="group", scattergap=0.5)
    # One row per side: the table is of one category (or axis).
    figure.update_layout(height=140 + 34 * len(table), margin={"t": 10},
                         xaxis_tickformat=".0%" if percent else "", yaxis_title=None)
    st.plotly_chart(figure, key=key)


root = str(ctx.store.root)
app_data.require_detections(rows, ctx.theme_names)
detected = detected_columns(ctx.theme_names)
base = rows[["group", "article_id", "theme", "cluster", *detected] +
            [c for c in rows.columns if c.startswith("axis_")]]

st.subheader("Theme shares, with intervals")
st.caption(CORRECTION_CAPTION)
st.caption("  \n".join(ui.markdown_literal(line) for line in detector_lines(ctx.themes)))
theme_table = app_data.corrected_shares(base[["group", "article_id", *detected]], "group", root,
                                        ctx.build_id, tuple(ctx.theme_names))
thin = sorted(theme_table.loc[theme_table["thin"], "group"].unique())
if thin:
    st.warning(f"Fewer than {MIN_ARTICLES} articles for {', '.join(map(ui.markdown_literal, thin))}: "
               f"their shares are marked '{TOO_FEW}' and get no interval.")
theme = st.selectbox("Theme", ctx.theme_names, key="fr_theme",
                     format_func=ui.theme_name)
notes = theme_notes(theme_table)
if theme in notes:
    st.info(f"{ui.markdown_literal(theme.replace('_', ' '))}: {ui.markdown_literal(notes[theme])}")
points = chart_rows(theme_table[theme_table["theme"] == theme])
interval_chart(points.assign(note=points["mark"]), y="group", color="estimate",
               key="fr_theme_chart", hover=("raw", "corrected_text"))
ui.download_shares(theme_table, app_data.error_rates(root, ctx.build_id), side="group",
                   key="dl_fr_themes", name="theme-shares-ci")

st.subheader("Cluster shares, with intervals")
labels = dict(zip(ctx.clusters["cluster"], ctx.clusters["label"]))
cluster_table = shares_with_intervals(base, "cluster")
cluster = st.selectbox("Cluster", sorted(cluster_table["category"].unique()), key="fr_cluster",
                       format_func=ui.cluster_namer(labels))
interval_chart(cluster_table[cluster_table["category"] == cluster], y="group",
               key="fr_cluster_chart")
ui.download_table(cluster_table.set_index("group"), key="dl_fr_clusters",
                  name="cluster-shares-ci")

st.subheader("How different are their clusters?")
tested, tested_notes = divergence_input(base[["group", "article_id", "cluster"]],
                                        side_col="group")
n_pairs = pair_count(side_count(tested, "group"))
permutations = permutations_for(n_pairs)
st.caption("Jensen–Shannon divergence of each pair's cluster distributions (0 = same mix, 1 = no "
           f"cluster in common), with a permutation test ({permutations} shuffles of whole "
           "articles between the two). Each cell shows the raw p and the p adjusted with Holm's "
           f"method for testing all {n_pairs} pairs at once: read a pair as different only when "
           "its Holm p is small (below 0.05, say); then the chance that even one such pair is a "
           "chance finding is under 5%. The smallest Holm p possible here is "
           f"{n_pairs / (1 + permutations):.3f}.")
for note in tested_notes:
    st.caption(ui.markdown_literal(note))
pairs = app_data.divergence(tested, "group", permutations)
square = divergence_matrix(pairs)
names, matrix = square.names, square.jsd
text = (matrix.round(2).astype(str) + "<br>p=" + square.p_value.round(3).astype(str)
        + "<br>Holm p=" + square.p_holm.round(3).astype(str))
shown = [plotly_literal(n) for n in names]
heat = go.Figure(go.Heatmap(z=matrix.to_numpy(), x=shown, y=shown, text=text.to_numpy(),
                            texttemplate="%{text}", colorscale="Purples", zmin=0,
                            hovertemplate="%{y} vs %{x}<br>JSD %{text}<extra></extra>"))
heat.update_layout(height=160 + 40 * len(names), margin={"t": 10})
st.plotly_chart(heat, key="fr_divergence")
ui.download_table(pairs.set_index("group_a"), key="dl_fr_divergence", name="divergence")

centroids = app_data.table(str(ctx.store.root), ctx.build_id, "centroids")
if centroids is not None:
    distances = side_centroid_distances(centroids, rows, side_col="group")
    st.caption("Cosine distance between the sides' mean paragraph vectors (whole corpus, all "
               "dates): 0 = the same average content.")
    cd = px.imshow(distances.rename(index=plotly_literal, columns=plotly_literal),
                   text_auto=".3f", color_continuous_scale="Greens", aspect="auto")
    cd.update_layout(height=160 + 40 * len(distances), margin={"t": 10})
    st.plotly_chart(cd, key="fr_centroids")
    ui.download_table(distances, key="dl_fr_centroids", name="centroid-distances")

st.subheader("Distinctive terms")
st.caption("Terms ranked by z: the weighted log-odds ratio with an informative Dirichlet prior "
           "(Monroe, Colaresi and Quinn 2008) over a standard error from a bootstrap over "
           "articles, so a word that one article repeats counts as little evidence. Positive z = "
           "used more by the chosen side than by all others. A ranking, not a test: with "
           "thousands of terms, some scores above 1.96 arise by chance. Grey: a term fewer than "
           f"{MIN_TERM_ARTICLES} of that side's articles use.")
target = st.selectbox("Side", sorted(base["group"].unique(), key=str), key="fr_target")
target_articles = article_count(base, side_col="group", side=target)
if target_articles < MIN_ARTICLES:
    st.warning(f"{ui.markdown_literal(target)} has {target_articles} article(s) in this view "
               f"({TOO_FEW}): its terms say what those articles are about, not how the side "
               "writes.")
# The one table that needs the paragraphs' text: read for a sample of whole articles per side
# only (a million paragraphs' text would not fit in the server's memory).
sample, sampled = article_sample(base[["group", "article_id"]], side_col="group")
if note := sample_note(sampled, side="side"):
    st.caption(note)
texts = app_data.text_of(sample, columns=("text",))
terms = app_data.distinctive_terms(texts, "group", target).sort_values("z")
lean = terms["z"].gt(0).map({True: "chosen side", False: "the others"})
chart = px.bar(terms.assign(term=terms["term"].map(plotly_literal)), x="z", y="term", orientation="h",
               color=lean.where(~terms["few_articles"], "few articles"),
               color_discrete_map={"chosen side": "#c0392b", "the others": "#2471a3",
                                   "few articles": "#aaaaaa"},
               hover_data=["count_target", "count_rest", "articles_target", "articles_rest",
                           "z_words"])
chart.update_layout(height=140 + 18 * len(terms), margin={"t": 10}, yaxis_title=None,
                    legend_title_text=None)
st.plotly_chart(chart, key="fr_terms")
ui.download_table(terms.set_index("term"), key="dl_fr_terms", name="distinctive-terms")

axes = app_data.build_document(str(ctx.store.root), ctx.build_id, "axes").get("axes", [])
if axes:
    from framing_atlas.analysis.axes import axis_summary

    st.subheader("Frame axes")
    st.caption("Each paragraph's position between two poles described in data/axes.toml "
               "(cosine with the direction from one pole's centre to the other's). Negative leans "
               "to the left pole, positive to the right one.")
    for axis in axes:
        summary = axis_summary(base, group_col="group", axis=axis["name"])
        st.markdown(f"**{ui.markdown_literal(axis['label'])}**: ← "
                    f"{ui.markdown_literal(axis['a']['label'])} · "
                    f"{ui.markdown_literal(axis['b']['label'])} →")
        interval_chart(summary, x="mean", y="group", key=f"fr_axis_{axis['name']}",
                       percent=False)
        ui.download_table(summary.set_index("group"), key=f"dl_fr_axis_{axis['name']}",
                          name=f"axis-{axis['name']}")

st.subheader("Over time, with intervals")
c1, c2, c3 = st.columns(3)
freq = c1.selectbox("Period", ["month", "week"], key="fr_freq")
measures = [f"theme: {t}" for t in ctx.theme_names] + [f"axis: {a['name']}" for a in axes]
measure = c2.selectbox("Measure", measures, key="fr_measure")
kind, name = measure.split(": ", 1)
wanted = c3.radio("Estimate", ["corrected", "raw"], horizontal=True, key="fr_estimate",
                  format_func=ESTIMATE_NAMES.get, disabled=kind != "theme",
                  help="For a theme: its share corrected for the detector's measured error, or "
                       "the raw share the detector marks.")
if count_undated(rows) == len(rows):
    st.info("No dated paragraph in this view.")
else:
    timed = base.assign(published=rows["published"])
    if kind == "theme":
        by_period = app_data.corrected_shares_by_period(
            timed[["group", "published", "article_id", *detected]], "group", freq, root,
            ctx.build_id, tuple(ctx.theme_names))
        estimate = shown_estimate(by_period, name, wanted)
        if estimate != wanted:
            st.info(f"No corrected share for {ui.markdown_literal(name.replace('_', ' '))} "
                    f"({ui.markdown_literal(notes.get(name, ''))}): the raw share is shown.")
        table = over_time(by_period, theme=name, estimate=estimate)
        hover = ["articles", "paragraphs", "raw", "corrected_text"]
        download = export_shares(by_period[by_period["theme"] == name],
                                 app_data.error_rates(root, ctx.build_id))
        axis_title = f"{name.replace('_', ' ')}: {estimate} share"
    else:
        table = app_data.axis_by_period(timed, "group", name, freq).rename(
            columns={"mean": "value"})
        table = table.assign(period=table["period"].dt.strftime("%Y-%m-%d")).sort_values(
            "period")
        hover = ["articles", "paragraphs", "interval"]
        axis_title = measure
    # Sorted by period, so the error bars line up with the points they belong to.
    table = with_labels(table, "value", percent=kind == "theme")
    if kind != "theme":
        download = table
    figure = px.line(table.assign(side=table["side"].map(plotly_literal)), x="period", y="value",
                     color="side", markers=True, error_y=table["high"] - table["value"],
                     error_y_minus=table["value"] - table["low"], text="note",
                     hover_data=hover, labels={"corrected_text": "corrected"})
    figure.update_traces(textposition="top center")
    figure.update_layout(height=380, margin={"t": 10}, yaxis_title=axis_title,
                         yaxis_tickformat=".0%" if kind == "theme" else "")
    st.plotly_chart(figure, key="fr_over_time")
    ui.download_table(download.set_index("side"), key="dl_fr_over_time", name="over-time")
