"""Framing Atlas dashboard: page setup and navigation only."""

import streamlit as st

import app_data
import ui

app_data.release_memory()  # what the previous run freed, before this one allocates
ui.configure_page()
PAGES = [st.Page(path, title=title, icon=icon, url_path=path.removeprefix("pages/")[:-3],
                 default=(i == 0)) for i, (path, title, icon) in enumerate(ui.PAGES)]
st.navigation(PAGES, position="hidden").run()
