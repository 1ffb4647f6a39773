"""Framing Atlas dashboard: page setup and navigation only."""

import streamlit as st

st.set_page_config(page_title="Framing Atlas", page_icon="🧭", layout="wide")

pages = [
    st.Page("pages/map.py", title="Map", icon="🗺️", url_path="map", default=True),
]
st.navigation(pages).run()
