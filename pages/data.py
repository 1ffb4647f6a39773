"""Data: what is loaded, add articles and rebuild, edit the themes."""

import tempfile
from pathlib import Path

import streamlit as st

import app_data
import ui
from framing_atlas.errors import AtlasError
from framing_atlas.inputs.dates import DATE_ORDERS
from framing_atlas.inputs.ingest import ColumnMap, WebOptions, ingest
from framing_atlas.inputs.rows import (DOCUMENT_SUFFIXES, FEED_SUFFIXES, LIST_SUFFIXES,
                                       SAVED_PAGE_SUFFIXES, SUFFIXES)
from framing_atlas.inputs.outlets import read_outlet_map
from framing_atlas.store import Store, write_text
from framing_atlas.pipeline.segment import no_paragraph_note
from framing_atlas.views.describe import no_paragraph_table, outlet_counts
from framing_atlas.pipeline.axes import read_axes
from framing_atlas.analysis.groups import read_groups
from framing_atlas.analysis.overview import side_count
from framing_atlas.pipeline.themes import read_themes

ui.navigation()
settings = app_data.settings()
store, is_demo = app_data.active_store()
st.title("Data")
manifest = store.manifest()
if settings.read_only and manifest is None:
    st.info(app_data.no_atlas_read_only(store))
elif is_demo:
    st.caption("The dashboard shows the bundled demo corpus of fictional outlets until the store "
               f"`{settings.store}` holds articles."
               + ("" if settings.read_only else " Adding articles here starts your own store."))

articles = store.read_articles()
c1, c2, c3, c4 = st.columns(4)
c1.metric("Articles", f"{len(articles):,}")
c2.metric("Outlets", side_count(articles, "outlet") if len(articles) else 0)
c3.metric("Paragraphs", f"{manifest['counts']['paragraphs']:,}" if manifest else "not built")
c4.metric("Clusters", manifest["counts"]["clusters"] if manifest else "–")
if manifest:
    dated = articles["published"].dropna()
    span = f"{dated.min():%Y-%m-%d} to {dated.max():%Y-%m-%d}" if len(dated) else "no dates"
    st.caption(f"Store `{store.root}` · dates {span} · last build {manifest['created'][:19]} "
               f"UTC · model {manifest['model']}")
    if manifest["counts"]["articles"] != len(articles):
        st.warning("Articles were added since the last build: rebuild to see them.")
    no_paragraph = manifest.get("no_paragraph")
    if no_paragraph is None:
        st.caption("This build does not record which articles gave no paragraph: rebuild to see.")
    elif no_paragraph["count"]:
        # The note is numbers and fixed words; titles go only into the table, as literal text.
        st.info(no_paragraph_note(no_paragraph["reasons"]) + ". Only articles that are empty "
                "or nothing but boilerplate (links, credits, share lines) give none.")
        with st.expander(f"Articles without a paragraph ({no_paragraph['count']:,})"):
            ui.table(no_paragraph_table(manifest), key="no_paragraph",
                     name="articles-without-paragraph")
if len(articles):
    counts = outlet_counts(articles, app_data.paragraphs(str(store.root), manifest["build_id"])
                           if manifest else None)
    ui.table(counts.reset_index(), key="outlet_counts", name="outlets")
elif app_data.may_edit():  # the upload below is offered
    st.info("No articles yet. Upload a CSV, JSONL or Parquet file below, or run "
            "`framing-atlas ingest FILE`.")


INGEST_REPORT = "ingest_report"
# While a background build runs, the buttons that would start another (or wait for its lock).
BUSY = "A build is running: this is possible again when it is done."
building = getattr(app_data.build_job(Path(settings.store)), "state", None) == "running"


def show_ingest_report() -> None:
    for line in st.session_state[INGEST_REPORT]:
        st.text(line)


def run_build(target) -> None:
    """Start the build in the background: it goes on whatever this page does next."""
    job = app_data.start_build(target.root)
    st.success("Build started in the background: its progress shows at the top of every page, "
               "and the pages show it when it is done. You can leave this page.")
    ui.job_progress(str(target.root), job.started)


st.header("Add articles")
if not app_data.may_edit():
    st.caption(ui.edits_off_note("Uploads, rebuilds and edits"))
else:
    upload = ui.uploader("A table with one article per row (columns outlet, published, "
                              "title, url, text), saved pages (.html or a .zip of them), a feed "
                              "(.xml), a list of links (.txt), an article as plain text or "
                              "Markdown (.txt, .md), a LexisNexis / Nexis Uni export (.txt, "
                              ".docx), or a .zip of articles and exports",
                              type=sorted({s.lstrip(".").split(".")[-1] for s in SUFFIXES
                                           + SAVED_PAGE_SUFFIXES + FEED_SUFFIXES + LIST_SUFFIXES
                                           + DOCUMENT_SUFFIXES}),
                              key="upload")
    c1, c2, c3 = st.columns(3)
    text_col = c1.text_input("Text column", "text", key="text_col")
    outlet_col = c2.text_input("Outlet column", "outlet", key="outlet_col")
    date_order = c3.selectbox("Dates like 02/03/2022", DATE_ORDERS, key="date_order",
                              format_func={"auto": "day/month if a row needs it",
                                           "dayfirst": "day/month",
                                           "monthfirst": "month/day"}.get)
    default_outlet = st.text_input("Outlet for articles that name none (a text file without "
                                   "an 'Outlet:' line)", "", key="default_outlet")
    if upload is not None and st.button("Ingest and rebuild", type="primary", key="ingest",
                                        disabled=building, help=BUSY if building else None):
        app_data.require_writable()
        target = Store(settings.store)  # uploads go to the user's store, never the demo
        folder = Path(tempfile.mkdtemp())
        path = folder / Path(upload.name).name
        path.write_bytes(upload.getvalue())
        try:
            outlets = (read_outlet_map(settings.outlets_file)
                       if Path(settings.outlets_file).is_file() else {})
            with target.writing("an ingest from the Data page"):  # read, merge, write
                web = WebOptions(outlet_map=outlets, cache_dir=settings.page_cache,
                                 per_host_interval=settings.fetch_interval,
                                 allow_private_addresses=settings.allow_private_addresses)
                merged, report = ingest([path], target.read_articles(),
                                        columns=ColumnMap(text=text_col, outlet=outlet_col,
                                                          date_order=date_order,
                                                          default_outlet=(default_outlet.strip()
                                                                          or None)),
                                        web=web)
                if report.kept == 0:
                    raise AtlasError("no usable row in this file: " + report.summary())
                target.write_articles(merged)
        except AtlasError as err:
            st.error(str(err).replace(str(folder) + "/", ""))
            st.stop()
        # Kept for the session: the build's end reruns the page, and the report stays readable.
        st.session_state[INGEST_REPORT] = [report.summary().replace(str(folder) + "/", "")] + [
            ("note: " if problem.reason.startswith("kept") else "skipped: ")
            + str(problem).replace(str(folder) + "/", "") for problem in report.problems[:20]]
        show_ingest_report()
        run_build(target)
    elif INGEST_REPORT in st.session_state:
        show_ingest_report()
    if len(articles) and st.button("Rebuild now", key="rebuild", disabled=building,
                                   help=BUSY if building else None):
        run_build(store)

def settings_file_editor(title: str, path: Path, check, *, key: str, help_text: str,
                         rebuild: bool) -> None:
    """Show an editable TOML file; save it only when `check` accepts it (then maybe rebuild)."""
    st.header(title)
    current = path.read_text(encoding="utf-8") if path.exists() else ""
    if not app_data.may_edit():
        st.code(current, language="toml")
        return
    edited = st.text_area(f"{path}: {help_text}", current, height=360, key=f"{key}_text")
    label = f"Save {key} and rebuild" if rebuild else f"Save {key}"
    if st.button(label, key=f"save_{key}", disabled=rebuild and building,
                 help=BUSY if rebuild and building else None):
        app_data.require_writable()
        trial = Path(tempfile.mkdtemp()) / path.name
        trial.write_text(edited, encoding="utf-8")
        try:
            check(trial)
        except AtlasError as err:
            st.error(str(err).replace(str(trial), path.name))
            st.stop()
        write_text(edited, path)  # atomic: a crash never leaves half a file
        if rebuild:
            run_build(store)
        else:
            st.success("Saved.")


settings_file_editor("Themes", Path(settings.themes_file), read_themes, key="themes",
                     help_text="each theme is a few sentences; a rebuild re-scores every "
                               "paragraph without re-embedding", rebuild=True)
settings_file_editor("Frame axes", Path(settings.axes_file), read_axes, key="axes",
                     help_text="each axis has two poles of a few sentences; a rebuild "
                               "re-embeds only these sentences", rebuild=True)
settings_file_editor("Outlet groups", Path(settings.groups_file), read_groups, key="groups",
                     help_text="named groups of outlets for the Framing page; no rebuild needed",
                     rebuild=False)
