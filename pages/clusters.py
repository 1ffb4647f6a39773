"""Clusters: label, size, outlets, dates, keywords and representative paragraphs; rename a cluster."""

import pandas as pd
import streamlit as st

import app_data
import ui
from framing_atlas.errors import AtlasError
from framing_atlas.analysis.cluster_names import save_name
from framing_atlas.analysis.overview import cluster_overview, paragraphs_per_outlet

ctx = ui.page_setup()
st.title("Clusters")
ui.demo_note(ctx)
# The overview needs three columns; the chosen cluster's members get every column (for the
# readers and the download), cut from the shared table for them alone.
rows = ctx.cut(["cluster", "outlet", "published"])
ui.empty_note(rows)

clusters = ctx.clusters.set_index("cluster")
overview = cluster_overview(rows, ctx.clusters)
ui.table(overview, key="cluster_overview", name="clusters")

chosen = st.selectbox("Cluster", overview["cluster"].tolist(), key="cluster_pick",
                      format_func=ui.cluster_namer(clusters["label"].to_dict()))
info = clusters.loc[chosen]
members = ctx.paragraphs[ctx.mask & (ctx.paragraphs["cluster"] == chosen).to_numpy()]
st.subheader(f"{chosen}: {ui.markdown_literal(info['label'])}")
c1, c2 = st.columns([2, 1])
with c1:
    st.markdown("**Keywords**")
    st.text(", ".join(info["keywords"]) or "(none)")
    st.markdown("**Most representative paragraphs**")
    # The representatives by position in the build's table (those still in it, in order).
    found = pd.Index(ctx.paragraphs["paragraph_id"]).get_indexer(list(info["representatives"]))
    ui.read_paragraphs(ctx.paragraphs.iloc[found[found >= 0]])
with c2:
    st.markdown("**Outlets in this cluster (in view)**")
    st.bar_chart(paragraphs_per_outlet(members), horizontal=True, height=260)
    if ctx.read_only:
        st.caption(ui.edits_off_note("Renaming", plural=False))
    else:
        with st.form("rename", border=True):
            name = st.text_input("Rename this cluster", value=info["label"] if info["named"]
                                 else "", placeholder=info["label"], key="rename_text",
                                 help="Kept across rebuilds while the cluster persists. "
                                      "Empty: back to the automatic label.")
            if st.form_submit_button("Save name"):
                app_data.require_writable()
                try:
                    save_name(ctx.store.root, ctx.paragraphs, int(chosen), name)
                except AtlasError as err:
                    st.error(str(err))
                    st.stop()
                st.rerun()
st.markdown(f"**All {len(members)} paragraphs of this cluster in view**")
ui.read_paragraphs(members, limit=10)
with st.expander("As a table"):
    ui.paragraph_table(members, key="cluster_members", height=320)
ui.download_rows(members, ctx.clusters, key="dl_cluster_rows")
