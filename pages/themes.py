"""Themes: how each theme is detected and how well, the labels people gave, and a retrain."""

import tempfile
from pathlib import Path

import plotly.graph_objects as go
import streamlit as st

import app_data
import ui
from framing_atlas.errors import AtlasError
from framing_atlas.inputs.labels import read_label_file
from framing_atlas.pipeline.theme_model import FOLDS, MIN_POSITIVE
from framing_atlas.pipeline.themes import read_themes
from framing_atlas.store import TEXT, TEXT_HASH, THEME
from framing_atlas.views.labels import (MEASURES, changed_since_build, labels_csv, labels_note,
                                        labels_shown, other_themes, quality_long,
                                        summary_shown, theme_summary)
from framing_atlas.views.safe_text import markdown_literal, plotly_literal

ui.navigation()
settings = app_data.settings()
store, is_demo, build_id = app_data.load()
editable = app_data.may_edit()  # not read-only, and the admin password entered if one is set
root = str(store.root)
st.title("Themes")
if "themes_note" in st.session_state:  # what the last retrain or import did, across its rerun
    st.success(markdown_literal(st.session_state.pop("themes_note")))
st.caption("The three shipped themes come with a classifier trained on paragraphs read against "
           "data/codebook.md (weights only; see the README's *How the themes were validated*). "
           "A new theme starts from its description: a paragraph has it when its cosine "
           f"similarity to the description reaches the threshold. Once it has {MIN_POSITIVE} "
           f"labelled paragraphs in it and {MIN_POSITIVE} out of it (the labels people give "
           "here, on the Map or in the paragraph reader), a logistic regression on the paragraph "
           "vectors takes over (weighing whether the paragraph matches the theme's query, where "
           "that helps), with the threshold that maximises F1. People's labels also measure a "
           "shipped classifier on this corpus, and replace it when a classifier trained on them "
           "does better. Precision, recall and F1 are cross-validated "
           f"({FOLDS} folds) on the labels each theme rests on.")

document = app_data.build_document(root, build_id, "themes")
labels = app_data.labels(root, app_data.labels_version(store))
summary = theme_summary(document, labels)
changed = changed_since_build(summary)
if changed:
    st.warning("People's labels changed since this build for "
               + ", ".join(markdown_literal(t) for t in changed)
               + (": retrain to learn from them." if editable else "."))

quality = quality_long(summary)
if quality.empty:
    st.info("No theme has labels to measure it by yet: mark paragraphs in and out of a theme "
            "on the Map, then retrain.")
else:
    figure = go.Figure()
    for measure in MEASURES:
        part = quality[quality["measure"] == measure]
        figure.add_trace(go.Bar(x=part["theme"].map(plotly_literal), y=part["value"],
                                name={"f1": "F1"}.get(measure, measure),
                                text=part["value"].map(lambda v: f"{v:.2f}"),
                                textposition="outside"))
    figure.update_layout(barmode="group", height=360, yaxis={"range": [0, 1.1],
                                                             "title": "cross-validated"},
                         margin={"l": 0, "r": 0, "t": 10, "b": 0})
    st.plotly_chart(figure, key="theme_quality")
ui.table(summary_shown(summary), key="theme_summary", name="themes")
for row in summary.itertuples(index=False):
    if row.note:
        st.caption(f"**{markdown_literal(row.theme)}**: {row.note}.")


def retrain() -> None:
    """Rebuild the atlas in the background: with the same paragraphs the map is reused and only
    the themes (and what depends on them) are computed again, from cached vectors."""
    app_data.start_build(store.root)
    st.session_state["themes_note"] = ("Retraining in the background: the themes are trained "
                                       "again from the labels, and this page shows them when the "
                                       "build is done.")
    st.rerun()


if not editable:
    st.caption(ui.edits_off_note("Labelling, retraining and imports"))
elif st.button("Retrain themes", type="primary", key="retrain"):
    retrain()

st.header("People's labels")
if labels.empty:
    st.caption("Nobody has labelled a paragraph yet" + (
        "." if not editable else ": select dots on the Map and mark them in or out of "
                                       "a theme, or import a CSV below."))
else:
    shown = labels_shown(labels)
    st.caption(labels_note(labels) + ", newest first.")
    unused = other_themes(labels, [t["name"] for t in document["themes"]])
    if unused:
        st.warning("Labels of themes this build does not have are kept but not learnt from: "
                   + ", ".join(f"{markdown_literal(name)} ({count})"
                               for name, count in unused.items())
                   + ". Rename the theme back in the themes file, or remove them here.")
    ui.table(shown, key="labels_table", name=None,
             column_config={"paragraph": st.column_config.TextColumn(width="large")})
    st.download_button("Download the labels (CSV)", data=ui.deferred(labels_csv, labels),
                       file_name="theme-labels.csv", mime="text/csv", key="labels_download",
                       on_click=ui.NO_RERUN)
    if editable:
        chosen = st.multiselect(
            "Labels to remove", list(range(len(shown))), key="labels_remove_pick",
            placeholder="Choose labels",
            format_func=ui.row_namer([
                f"{theme} · {judgement} · {text_hash[:8]} · {' '.join(text.split())[:80]}"
                for theme, judgement, text_hash, text in zip(
                    shown[THEME], shown["judgement"], shown[TEXT_HASH], shown["paragraph"])]))
        if chosen and st.button(f"Remove {len(chosen)} labels", key="labels_remove"):
            removed = app_data.remove_labels(store, shown.iloc[chosen])
            st.session_state["themes_note"] = f"Removed {removed} labels. Retrain to apply."
            st.session_state.pop("labels_remove_pick", None)
            st.rerun()

if editable:
    st.subheader("Import labels")
    upload = ui.uploader("A CSV with columns theme, in_theme (1/0, yes/no or in/out) and "
                              "text or text_hash; other columns are ignored (the download "
                              "above reads back as it is)", type=["csv"], key="labels_upload")
    if upload is not None and st.button("Import labels", key="labels_import"):
        app_data.require_writable()
        folder = Path(tempfile.mkdtemp())
        path = folder / Path(upload.name).name
        path.write_bytes(upload.getvalue())
        paragraphs = app_data.text_of(app_data.paragraphs(root, build_id)[["outlet"]],
                                      columns=(TEXT, TEXT_HASH))
        try:
            themes, _ = read_themes(Path(settings.themes_file))
            report = read_label_file(path, [t.name for t in themes],
                                     texts=dict(zip(paragraphs[TEXT_HASH], paragraphs[TEXT])))
        except AtlasError as err:
            st.error(markdown_literal(str(err).replace(str(folder) + "/", "")))
            st.stop()
        for problem in report.problems[:20]:
            st.text("skipped: " + str(problem).replace(str(folder) + "/", ""))
        if len(report.problems) > 20:
            st.caption(f"… and {len(report.problems) - 20} more rows skipped.")
        if report.labels.empty:
            st.error(markdown_literal("No usable label in this file: " + report.summary()))
        else:
            total = app_data.save_labels(store, report.labels)
            st.session_state["themes_note"] = (report.summary() + f". The store holds {total} "
                                               "labels: retrain to learn from them.")
            if not report.problems:
                st.rerun()
            st.success(markdown_literal(st.session_state.pop("themes_note")))
