"""Framing Atlas dashboard: page setup, navigation and the shared sidebar; pages do the rest."""

import streamlit as st

import ui

st.set_page_config(page_title="Framing Atlas", page_icon="🧭", layout="wide")

pages = [
    st.Page("pages/map.py", title="Map", icon="🗺️", url_path="map", default=True),
    st.Page("pages/compare.py", title="Compare outlets", icon="⚖️", url_path="compare"),
    st.Page("pages/timeline.py", title="Timeline", icon="📈", url_path="timeline"),
    st.Page("pages/clusters.py", title="Clusters", icon="🧩", url_path="clusters"),
    st.Page("pages/data.py", title="Data", icon="🗄️", url_path="data"),
]
page = st.navigation(pages)
if page.url_path != "data":  # the Data page must open even before anything is built
    ui.load_context()
page.run()
