"""Widgets every page shares: the sidebar filters kept in the URL, safe text, table downloads."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from functools import cached_property
from typing import Callable
from urllib.parse import quote

import numpy as np
import pandas as pd
import streamlit as st

import app_data
from framing_atlas.errors import AtlasError
from framing_atlas.inputs.labels import labels_from_paragraphs
from framing_atlas.views.filters import Filters, export_table, filter_mask, to_csv
from framing_atlas.views.hosting import (check_upload_size, password_matches, unlock_token,
                                         upload_limit_note)
from framing_atlas.views.labels import already_labelled, judgements
from framing_atlas.views.safe_text import markdown_literal
from framing_atlas.store import NO_THEME, TEXT_HASH, Store
from framing_atlas.views.view import COLOR_CHOICES, View, parse_view, view_params


def keep_generated_downloads() -> None:
    """A download made on click stays servable until the clicking session's next full run.

    Streamlit (1.67) runs a download button's function when it is clicked and stores the file
    it returns under no session, and every script run of any session ends by deleting files no
    session refers to (the first run marks them, the second deletes). With many sessions, two
    runs can end between the click and the browser's fetch of the file, which then gets 404 and
    no file (bench/load.py, 20 sessions: one download of 159 actions). Here the generated file
    is also mapped to the session that clicked, at a coordinate of its own per button: it lives
    as a file handed to st.download_button during a run lives (until that session's next full
    run, and a later click of the same button replaces it), and a session that has ended keeps
    nothing. Idempotent; does nothing on a Streamlit without deferred downloads.
    """
    from streamlit.runtime.media_file_manager import MediaFileManager

    original = getattr(MediaFileManager, "execute_deferred", None)
    if original is None or getattr(original, "keeps_generated_file", False):
        return

    @functools.wraps(original)
    def execute_deferred(self, file_id: str) -> str:
        with self._lock:
            entry = self._deferred_callables.get(file_id)
        url = original(self, file_id)
        if entry is not None:
            generated = url.rsplit("/", 1)[-1].split(".", 1)[0]
            with self._lock:
                session = self._files_by_session_and_coord.get(entry["session_id"])
                if session is not None and generated in self._file_metadata:
                    session[f"{entry['coordinates']}:generated"] = generated
        return url

    execute_deferred.keeps_generated_file = True
    MediaFileManager.execute_deferred = execute_deferred


keep_generated_downloads()


@dataclass(frozen=True)
class Context:
    """What every page shows: the store, its tables, the view from the sidebar, the rows it keeps.

    `paragraphs` is the build's shared table (app_data.paragraphs: no text, never changed);
    `mask` says which of its rows the filters keep, and `rows` is those rows, cut only when a
    page asks (no copy at all when every row is kept). app_data.text_of gives rows their text.
    """

    store: Store
    is_demo: bool
    build_id: str
    paragraphs: pd.DataFrame
    clusters: pd.DataFrame
    themes: list[dict]
    view: View
    mask: np.ndarray
    # True when this session may not write: a read-only dashboard, or an admin password that
    # this session has not entered (app_data.may_edit).
    read_only: bool

    @property
    def theme_names(self) -> list[str]:
        return [t["name"] for t in self.themes]

    @cached_property
    def rows(self) -> pd.DataFrame:
        return self.paragraphs if self.mask.all() else self.paragraphs[self.mask]

    def mask_for(self, filters) -> np.ndarray:
        """The rows `filters` (views.view.Filters, e.g. the view's with one filter lifted) keep."""
        return view_mask(self.paragraphs, str(self.store.root), self.build_id, filters)

    def cut(self, columns, mask: np.ndarray | None = None) -> pd.DataFrame:
        """These columns (those the build has) of the rows `mask` keeps (the view's by default):
        a copy of only what a page uses, not of the whole table."""
        mask = self.mask if mask is None else mask
        table = self.paragraphs[[c for c in columns if c in self.paragraphs.columns]]
        return table if mask.all() else table[mask]


PAGES = [("pages/map.py", "Map", ":material/map:"),
         ("pages/compare.py", "Compare outlets", ":material/compare_arrows:"),
         ("pages/timeline.py", "Timeline", ":material/timeline:"),
         ("pages/framing.py", "Framing, with uncertainty", ":material/query_stats:"),
         ("pages/clusters.py", "Clusters", ":material/hub:"),
         ("pages/themes.py", "Themes", ":material/label:"),
         ("pages/data.py", "Data", ":material/database:")]
FILTER_KEYS = ("f_outlets", "f_since", "f_until", "f_themes", "f_clusters", "f_text", "f_languages",
               "f_syndicated")
SYNDICATED_LABELS = {"show": "show all", "once": "count once", "hide": "hide"}


def configure_page() -> None:
    # An emoji icon is drawn in the page (a data: URL); a :material/…: icon is fetched from
    # fonts.gstatic.com, a request off this machine on every page view.
    st.set_page_config(page_title="Framing Atlas", page_icon="🧭", layout="wide")
    # Streamlit's own table download skips to_csv's formula defusing: it is off in
    # .streamlit/config.toml, and here too for a start from another folder. The browser learns
    # the option when a run starts, hence the one rerun.
    if not st.get_option("client.disableDataExport"):
        st.set_option("client.disableDataExport", True)
        st.rerun()


def navigation() -> None:
    """Links to every page; the filters travel along in session state and the URL. Above the
    page, a build running in the background (job_status)."""
    configure_page()
    with st.sidebar:
        st.markdown("### Framing Atlas")
        for path, title, icon in PAGES:
            st.page_link(path, label=title, icon=icon)
        st.divider()
        admin_gate()
    job_status()


def job_status() -> None:
    """A background build on every page: its progress while it runs; once, that it finished
    (the page then shows the new build); why it stopped if it failed or died, with a button to
    start it again (its cached vectors are kept)."""
    from framing_atlas import jobs

    store, _ = app_data.active_store()
    job = app_data.build_job(store.root)
    if job is None:
        return
    if job.state == jobs.RUNNING:
        st.session_state[app_data.JOB_SEEN] = job.started
        job_progress(str(store.root), job.started)
    elif job.state == jobs.DONE and st.session_state.get(app_data.JOB_SEEN) == job.started:
        del st.session_state[app_data.JOB_SEEN]
        st.success(f"The background build finished: build {job.build_id} is shown now.")
    elif job.state in (jobs.FAILED, jobs.DIED):
        why = (f"stopped with an error: {markdown_literal(job.error or '')}"
               if job.state == jobs.FAILED else
               f"stopped before it finished (its process ended during "
               f"“{markdown_literal(job.message)}”)")
        st.warning(f"The background build started {job.started[:16].replace('T', ' ')} UTC "
                   f"{why}. The pages show the last finished build. The vectors it computed are "
                   "cached, so starting it again goes on from there.")
        if app_data.may_edit() and st.button("Start the build again", key="job_restart"):
            app_data.start_build(store.root)
            st.rerun()


@st.fragment(run_every=2.0)
def job_progress(root: str, started: str) -> None:
    """The running build's bar, read again every 2 s; when it ends, the whole page runs again
    (and shows the new build)."""
    from framing_atlas import jobs

    job = app_data.build_job(root)
    if job is None or job.started != started or job.state != jobs.RUNNING:
        st.rerun()
    st.progress(job.fraction, text=f"A build runs in the background (started "
                                   f"{started[11:16]} UTC): {job.message}. The pages show the "
                                   "last finished build until it is done; you can leave this page.")



def admin_gate() -> None:
    """The admin password field in the sidebar, when the secrets set one and the dashboard is
    not read-only: the pages' upload, rebuild and edit controls appear once it was entered in
    this session (app_data.may_edit); "Lock editing" hides them again."""
    if app_data.settings().read_only:
        return
    try:
        password = app_data.admin_password()
    except AtlasError as err:
        st.error(str(err))
        return
    if password is None:
        return
    if app_data.may_edit():
        st.caption("Editing is unlocked in this session.")
        st.button("Lock editing", key="admin_lock", on_click=lock_editing)
        return
    st.text_input("Admin password, to upload, rebuild or edit", type="password",
                  key="admin_password_entry", on_change=try_unlock)
    if st.session_state.get("admin_refused"):
        st.error("Wrong password: uploads, rebuilds and edits stay locked.")


def try_unlock() -> None:
    """The password field changed: unlock this session if it matches. The field is emptied
    either way, so the password itself is not kept in the session."""
    entered = st.session_state.get("admin_password_entry", "")
    st.session_state["admin_password_entry"] = ""
    try:
        password = app_data.admin_password()
    except AtlasError:
        password = None
    if not entered:
        return
    if password is not None and password_matches(entered, password):
        st.session_state[app_data.UNLOCKED] = unlock_token(password)
        st.session_state.pop("admin_refused", None)
    else:
        st.session_state["admin_refused"] = True


def lock_editing() -> None:
    st.session_state.pop(app_data.UNLOCKED, None)


def uploader(label: str, *, type: list[str], key: str):
    """A file uploader with the upload limit stated beside it. A file over the limit is refused
    with its name and size, and None is returned, so the page offers nothing to do with it."""
    limit = app_data.upload_limit_mb()
    upload = st.file_uploader(label, type=type, key=key)
    st.caption(upload_limit_note(limit))
    if upload is not None:
        try:
            check_upload_size(upload.name, upload.size, limit)
        except AtlasError as err:
            st.error(markdown_literal(str(err)))  # the file's name is the user's text
            return None
    return upload


def edits_off_note(what: str, *, plural: bool = True) -> str:
    """Why `what` (e.g. "Uploads, rebuilds and edits") is not offered in this session."""
    if app_data.settings().read_only:
        return f"{what} {'are' if plural else 'is'} off on this read-only dashboard."
    return (f"{what} {'need' if plural else 'needs'} the admin password: enter it in the "
            "sidebar.")


def page_setup() -> Context:
    """What each page calls first: navigation, the active build, the shared filters."""
    navigation()
    return load_context()


def load_context() -> Context:
    """Load the active build and draw the shared sidebar filters."""
    store, is_demo, build_id = app_data.load()
    root = str(store.root)
    paragraphs = app_data.paragraphs(root, build_id)
    clusters = app_data.named_clusters(root, build_id, app_data.names_version(store))
    themes = app_data.build_document(root, build_id, "themes")["themes"]
    view = sidebar_view(paragraphs, clusters, [t["name"] for t in themes], build_id)
    mask = view_mask(paragraphs, root, build_id, view.filters)
    return Context(store, is_demo, build_id, paragraphs, clusters, themes, view, mask,
                   not app_data.may_edit())


def view_mask(paragraphs: pd.DataFrame, root: str, build_id: str, filters) -> np.ndarray:
    """The rows of the shared table `filters` keep; a text search goes through the
    memory-mapped text (the table has none)."""
    return filter_mask(paragraphs, filters,
                       lambda text: app_data.text_matches(root, build_id, text))


def demo_note(ctx: Context) -> None:
    if ctx.is_demo:
        st.caption("Showing the bundled demo corpus: fictional outlets and articles written for "
                   "this project, not real news. Bring your own with `framing-atlas ingest`.")


def empty_note(rows: pd.DataFrame) -> None:
    """Stop the page with a sentence when the filters keep nothing."""
    if rows.empty:
        st.info("No paragraph matches these filters. Remove a filter in the sidebar to see more.")
        st.stop()


def _query() -> dict[str, list[str]]:
    return {name: st.query_params.get_all(name) for name in st.query_params}


def sidebar_view(paragraphs: pd.DataFrame, clusters: pd.DataFrame, theme_names: list[str],
                 build_id: str | None = None) -> View:
    """Draw the shared filters, seeded from the URL on first load; keep the URL in step."""
    outlets = sorted(paragraphs["outlet"].unique())
    cluster_ids = clusters["cluster"].tolist()
    labels = dict(zip(clusters["cluster"], clusters["label"]))
    languages = sorted(paragraphs["language"].unique()) if "language" in paragraphs else []
    if "view_seeded" not in st.session_state:
        view, notes = parse_view(_query(), outlets=outlets, themes=theme_names + [NO_THEME],
                                 clusters=cluster_ids, languages=languages)
        f = view.filters
        st.session_state.update({
            "f_outlets": list(f.outlets), "f_themes": list(f.themes),
            "f_clusters": list(f.clusters), "f_text": f.text, "color": view.color,
            "f_languages": list(f.languages), "f_syndicated": f.syndicated,
            "f_since": f.since, "f_until": f.until, "view_notes": notes, "view_seeded": True,
            # The link's zoom, for whichever build is current (a rebuild that reuses the map
            # keeps every coordinate).
            "map_window": (None, view.window) if view.window else None})
    # Re-assigning keeps filter values when the user moves to another page, where Streamlit
    # would otherwise drop the state of widgets it has not drawn yet.
    for key in FILTER_KEYS:
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]
    for note in st.session_state.get("view_notes", []):
        # A note quotes the link's own text: shown literally, never as a link or an image.
        st.sidebar.caption(f"⚠ link: {markdown_literal(note)}")

    dated = paragraphs["published"].dropna()
    low = dated.min().date() if len(dated) else dt.date.today()
    high = dated.max().date() if len(dated) else dt.date.today()
    with st.sidebar:
        st.header("Filters")
        st.multiselect("Outlets", outlets, key="f_outlets", placeholder="All outlets")
        c1, c2 = st.columns(2)
        c1.date_input("From", min_value=low, max_value=high, key="f_since")
        c2.date_input("To", min_value=low, max_value=high, key="f_until")
        st.multiselect("Themes", theme_names + [NO_THEME], key="f_themes", placeholder="All themes",
                       format_func=theme_name)
        st.multiselect("Clusters", cluster_ids, key="f_clusters", placeholder="All clusters",
                       format_func=cluster_namer(labels))
        st.text_input("Search text", key="f_text", placeholder="e.g. red lines")
        st.multiselect("Languages", languages, key="f_languages", placeholder="All languages")
        st.radio("Syndicated copies", list(SYNDICATED_LABELS), key="f_syndicated",
                 horizontal=True, format_func=SYNDICATED_LABELS.get,
                 help="Paragraphs that several outlets print (nearly) verbatim: wire copy, "
                      "reprints, long quotes. 'count once' keeps the earliest copy of each.")
    view = View(Filters(outlets=tuple(st.session_state.f_outlets),
                        since=st.session_state.f_since, until=st.session_state.f_until,
                        themes=tuple(st.session_state.f_themes),
                        clusters=tuple(int(c) for c in st.session_state.f_clusters),
                        text=st.session_state.f_text.strip(),
                        languages=tuple(st.session_state.f_languages),
                        syndicated=st.session_state.f_syndicated),
                color=st.session_state.get("color", "outlet")
                if st.session_state.get("color") in COLOR_CHOICES else "outlet",
                window=map_window(build_id))
    sync_url(view)
    return view


def map_window(build_id: str) -> tuple[float, float, float, float] | None:
    """The map's zoom window (x0, x1, y0, y1) in this session: set by "Zoom to the selection"
    for this build, or by a link's zoom parameter."""
    zoom = st.session_state.get("map_window")
    return zoom[1] if zoom and zoom[0] in (None, build_id) else None


def set_map_window(build_id: str, window: tuple[float, float, float, float] | None) -> None:
    """Zoom the map to `window` (None: the whole map); the link then carries it."""
    st.session_state["map_window"] = (
        None if window is None else (build_id, tuple(float(v) for v in window)))


def sync_url(view: View) -> None:
    wanted = view_params(view)
    if wanted != _query():
        st.query_params.from_dict(wanted)


# Functions handed to Streamlit (a widget's on_change, a download's data) live as long as the
# session, and with them whatever they refer to. A function defined in a page refers to the
# page's whole namespace (a million-row cut, at scale): they are defined here instead, holding
# only their arguments.
def keep_color() -> None:
    """The map's colour-by widget changed: the view (and the link) take its value."""
    st.session_state["color"] = st.session_state.get("w_color") or "outlet"


def download_shares(table: pd.DataFrame, rates, *, side: str, column: str = "group",
                    key: str, name: str) -> None:
    """The CSV of corrected_shares's table (quantify.export_shares with the detectors' error
    rates), its `column` named `side` and made the index; built when clicked."""
    from framing_atlas.analysis.quantify import export_shares

    download_table(lambda: export_shares(table, rates).rename(columns={column: side})
                   .set_index(side), key=key, name=name)


def deferred(function, *args):
    """function(*args) to be called later (a download's data), holding only its arguments."""
    return functools.partial(function, *args)


def export_bytes(rows: pd.DataFrame, clusters: pd.DataFrame) -> bytes:
    """The CSV `framing-atlas export` writes for these rows: their text is read here."""
    return to_csv(export_table(app_data.text_of(rows), clusters))


# A download changes nothing on the page, so its click starts no rerun ("ignore"). With one,
# under many sessions (bench/load.py, 20 at once) a click's rerun could drop the deferred
# function before Streamlit ran it ("Deferred file ... not found" in the server's log, and no
# file), and every download cost a whole run of the page's script.
NO_RERUN = "ignore"


def download_rows(rows: pd.DataFrame, clusters: pd.DataFrame, *, key: str,
                  label: str = "Download these paragraphs (CSV)") -> None:
    """The same rows and columns as `framing-atlas export` with the same filters, built only
    when the button is clicked (Streamlit calls `data` then), not on every rerun.

    Streamlit keeps that function for as long as the session lasts, with what it refers to:
    rows cut from the shared table are kept as their positions in it (4 bytes a row), not as
    a copy of the rows (about 150 bytes a row, so 150 MB a session at a million)."""
    st.download_button(label, deferred_export(rows, clusters), file_name="framing-atlas.csv",
                       mime="text/csv", key=key, on_click=NO_RERUN)


def deferred_export(rows: pd.DataFrame, clusters: pd.DataFrame):
    """export_bytes(rows, clusters) as a function of nothing, holding rows of the shared table
    by their positions only."""
    source = rows.attrs.get(app_data.SOURCE)
    if source is None:
        return lambda: export_bytes(rows, clusters)
    positions = rows.index.to_numpy(dtype=np.int32)
    return lambda: export_bytes(app_data.paragraphs(*source).iloc[positions], clusters)


def download_table(table: pd.DataFrame | Callable[[], pd.DataFrame], *, key: str,
                   name: str) -> None:
    """A table's CSV (its index a column), built when the button is clicked, not on every
    rerun; `table` may be a function that makes it, so the table too is made only then."""
    st.download_button("Download this table (CSV)",
                       lambda: to_csv((table() if callable(table) else table).reset_index()),
                       file_name=f"{name}.csv", mime="text/csv", key=key, on_click=NO_RERUN)


def table(frame: pd.DataFrame, *, key: str, name: str | None, **options) -> None:
    """The one place a page shows a table. Streamlit's own CSV export is off (it skips the
    formula defusing), so the download is this button with to_csv's file of the same cells.

    name=None only where the caller offers the export of these rows (download_rows) instead.
    """
    st.dataframe(frame, key=key, hide_index=True, width="stretch", **options)
    if name is not None:
        st.download_button("Download this table (CSV)", lambda: to_csv(frame),
                           file_name=f"{name}.csv", mime="text/csv", key=f"dl_{key}",
                           on_click=NO_RERUN)


def safe_url(url: object) -> str | None:
    """Only http(s) links are links; anything else (javascript:, data:) is dropped."""
    return url if isinstance(url, str) and url.lower().startswith(("http://", "https://")) else None


def read_paragraphs(rows: pd.DataFrame, *, limit: int = 20, teach: Context | None = None,
                    key: str = "read") -> None:
    """Paragraphs to read: outlet, date, title linking to the article (http/https only), full text.

    The text goes through st.text, so markdown, HTML and scripts inside it stay literal. With
    `teach` (and a writable dashboard) each paragraph says how people labelled it and offers to
    mark it in or out of a theme.
    """
    teaching = teach is not None and not teach.read_only and bool(teach.theme_names)
    given = (judgements(app_data.labels(str(teach.store.root),
                                        app_data.labels_version(teach.store)))
             if teaching else {})
    shown = app_data.text_of(rows, limit=limit)
    for row in shown.itertuples():
        day = row.published.strftime("%Y-%m-%d") if pd.notna(row.published) else "undated"
        title = markdown_literal(row.title or "(no title)")
        link = safe_url(row.url)
        heading = f"[{title}]({quote(link, safe=':/?&=#%@+,;~')})" if link else title
        copy = " · syndicated copy" if getattr(row, "syndicated", False) else ""
        with st.container(border=True):
            st.markdown(f"**{markdown_literal(row.outlet)}** · {day} · {heading}{copy}")
            st.text(row.text)
            if teaching:
                mine = given.get(row.text_hash, [])
                if mine:
                    st.caption("Labelled: " + " · ".join(
                        f"{'in' if inside else 'not in'} {markdown_literal(theme_name(theme))}"
                        for theme, inside in mine))
                with st.popover("Teach a theme", key=f"{key}_{row.Index}_teach"):
                    # The row as read (with its text and hash): nothing to read again.
                    teach_panel(shown.loc[[row.Index]], teach, key=f"{key}_{row.Index}",
                                compact=True)
    if len(rows) > limit:
        st.caption(f"… and {len(rows) - limit} more: narrow the filters, or download them.")


def paragraph_table(rows: pd.DataFrame, *, key: str, height: int = 400,
                    limit: int = 1000) -> None:
    """Paragraphs as plain text cells (never rendered as markdown or HTML), titles linking out:
    the first `limit` (their text is read for the table), the rest in the download beside it."""
    if len(rows) > limit:
        st.caption(f"The first {limit} of {len(rows)} paragraphs; download them all below.")
    rows = app_data.text_of(rows, limit=limit)
    shown = pd.DataFrame({
        "outlet": rows["outlet"], "date": rows["published"].dt.strftime("%Y-%m-%d"),
        "title": rows["title"], "link": rows["url"].map(safe_url), "paragraph": rows["text"],
        "cluster": rows["cluster"], "theme": rows["theme"],
        **({"syndicated": rows["syndicated"]} if "syndicated" in rows else {})})
    table(shown, key=key, name=None, height=height,  # download_rows beside it exports them
          column_config={"link": st.column_config.LinkColumn("link", display_text="open"),
                         "paragraph": st.column_config.TextColumn(width="large")})


def theme_name(theme: str) -> str:
    return theme.replace("_", " ")


def cluster_namer(labels: dict):
    """A widget's format_func naming cluster ids "id: label" (it holds only `labels`)."""
    return lambda cluster: f"{cluster}: {labels.get(cluster, '')}"


def row_namer(names: list[str]):
    """A widget's format_func naming row numbers by these names (it holds only `names`)."""
    return lambda i: names[i]


def teach_panel(rows: pd.DataFrame, ctx: Context, *, key: str, compact: bool = False) -> None:
    """Choose a theme and mark `rows` as in or out of it; the labels go to the store, beside the
    builds, and the next retrain (Themes page) or rebuild learns from them. Nothing when
    read-only."""
    if ctx.read_only or not ctx.theme_names or rows.empty:
        return
    note = st.session_state.pop(f"{key}_note", None)
    if note:  # what the click before the rerun saved
        st.success(note)
        st.page_link("pages/themes.py", label="Themes: retrain", icon=":material/label:")
    n = len(rows)
    what = "this paragraph" if n == 1 else f"{n} paragraphs"
    theme = st.selectbox("Theme", ctx.theme_names, key=f"{key}_theme", format_func=theme_name)
    shown = markdown_literal(theme_name(theme))
    n_in, n_out = already_labelled(app_data.labels(str(ctx.store.root),
                                                   app_data.labels_version(ctx.store)),
                                   app_data.text_of(rows, columns=(TEXT_HASH,))[TEXT_HASH]
                                   .tolist(), theme)
    if n_in + n_out and not compact:
        st.caption(f"{n_in + n_out} of them already marked for {shown} ({n_in} in, {n_out} "
                   "out): marking them again replaces that judgement.")
    left, right = st.columns(2)
    marked = None
    mark = "Mark " if compact else f"Mark {what} as "  # a popover has room for a few words
    if left.button(f"{mark}in {shown}", key=f"{key}_in"):
        marked = True
    if right.button(f"{mark}not in {shown}", key=f"{key}_out"):
        marked = False
    if marked is not None:
        total = app_data.save_labels(ctx.store,
                                     labels_from_paragraphs(app_data.text_of(rows), theme, marked))
        # A rerun, so every paragraph shown says how it is labelled now.
        st.session_state[f"{key}_note"] = (
            f"Marked {what} as {'in' if marked else 'not in'} {shown}; the store holds {total} "
            "labels. Retrain on the Themes page to teach the theme.")
        st.rerun()
