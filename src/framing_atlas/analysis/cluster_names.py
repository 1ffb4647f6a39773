"""Cluster names a user gave, kept across rebuilds wherever the cluster persists.

A name is saved with the ids of the cluster's paragraphs. After a rebuild, a cluster inherits a
name when more than half of the two clusters' paragraphs together are shared (Jaccard > 0.5),
so a cluster that merely shifted keeps its name and one that split or vanished does not.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from framing_atlas.errors import AtlasError
from framing_atlas.store import CLUSTER, PARAGRAPH_ID, Store, write_json

MIN_OVERLAP = 0.5
CLUSTER_NAMES_FILE = "cluster_names.json"  # in the store folder, kept across builds


def read_names(root: Path) -> list[dict]:
    path = Path(root) / CLUSTER_NAMES_FILE
    if not path.exists():
        return []
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except ValueError as err:
        raise AtlasError(f"cluster names file is damaged ({err}); delete it to start afresh",
                         file=path) from None


def save_name(root: Path, paragraphs: pd.DataFrame, cluster: int, name: str) -> None:
    """Name `cluster` (an empty name removes the user's name and restores the automatic label)."""
    members = sorted(paragraphs.loc[paragraphs[CLUSTER] == cluster, PARAGRAPH_ID])
    if not members:
        raise AtlasError(f"there is no cluster {cluster} in this build")
    name = " ".join(name.split())[:80]
    with Store(Path(root)).writing("naming a cluster"):
        kept = [n for n in read_names(root)
                if _overlap(set(n["members"]), set(members)) <= MIN_OVERLAP]
        if name:
            kept.append({"name": name, "members": members})
        write_json(kept, Path(root) / CLUSTER_NAMES_FILE)


def _overlap(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def apply_names(clusters: pd.DataFrame, paragraphs: pd.DataFrame, names: list[dict]) -> pd.DataFrame:
    """Clusters with `label` replaced by a saved name where one matches; `named` marks them."""
    clusters = clusters.copy()
    clusters["named"] = False
    if not names:
        return clusters
    members = paragraphs.groupby(CLUSTER)[PARAGRAPH_ID].agg(set)
    taken: set[int] = set()
    for entry in names:
        saved = set(entry["members"])
        best, score = None, 0.0
        for cluster_id, ids in members.items():
            overlap = _overlap(saved, ids)
            if overlap > score and cluster_id not in taken:
                best, score = cluster_id, overlap
        if best is not None and score > MIN_OVERLAP:
            taken.add(best)
            row = clusters[CLUSTER] == best
            clusters.loc[row, "label"] = entry["name"]
            clusters.loc[row, "named"] = True
    return clusters
