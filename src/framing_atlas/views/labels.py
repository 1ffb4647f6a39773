"""Theme labels as people see them: the CSV export, and each theme's detector in figures.

The export reads back with inputs.labels.read_label_file (a test checks the round trip), and
writes through views.filters.to_csv, so no label text runs as a spreadsheet formula.
"""

from __future__ import annotations

import pandas as pd

from framing_atlas.store import IN_THEME, LABEL_COLUMNS, LABELLED_AT, TEXT, TEXT_HASH, THEME
from framing_atlas.views.filters import to_csv

EXPORT_COLUMNS = [THEME, IN_THEME, TEXT, TEXT_HASH, LABELLED_AT]
MEASURES = ["precision", "recall", "f1"]
DESCRIPTION_ONLY = "description only: label paragraphs to train it"
# The summary's columns, in the order the CLI and the Themes page show them.
SUMMARY_COLUMNS = ["theme", "method", "source", "precision", "recall", "f1", "threshold",
                   "labels", "labels_in", "labels_out", "shipped", "people_in_build",
                   "people_in", "people_out", "note"]


def labels_csv(labels: pd.DataFrame) -> bytes:
    """The store's labels (store.LABEL_COLUMNS) as the CSV `labels import` reads back:
    theme, in_theme (1 in, 0 out), text, text_hash, labelled_at; by theme, oldest first."""
    table = labels[LABEL_COLUMNS].sort_values([THEME, LABELLED_AT], kind="stable")
    table = table.assign(**{IN_THEME: table[IN_THEME].astype(int)})
    return to_csv(table[EXPORT_COLUMNS].reset_index(drop=True))


def labels_shown(labels: pd.DataFrame) -> pd.DataFrame:
    """The labels as a table to read: theme, in or out, the paragraph, when; newest first."""
    table = labels.iloc[::-1]
    return pd.DataFrame({THEME: table[THEME].to_numpy(),
                         "judgement": table[IN_THEME].map({1: "in", 0: "out"}).to_numpy(),
                         "paragraph": table[TEXT].to_numpy(),
                         LABELLED_AT: table[LABELLED_AT].to_numpy(),
                         TEXT_HASH: table[TEXT_HASH].to_numpy()})


def labels_note(labels: pd.DataFrame) -> str:
    """How many labels people gave, in and out, over how many themes (one sentence)."""
    n_in = int(labels[IN_THEME].sum())
    themes = labels[THEME].nunique()
    return (f"{len(labels)} labels given by people ({n_in} in, {len(labels) - n_in} out) "
            f"for {themes} theme{'s' if themes != 1 else ''}")


def already_labelled(labels: pd.DataFrame, hashes: list[str], theme: str) -> tuple[int, int]:
    """How many of these paragraph texts people already marked in and out of `theme`."""
    mine = labels[(labels[THEME] == theme) & labels[TEXT_HASH].isin(set(hashes))]
    n_in = int(mine[IN_THEME].sum())
    return n_in, len(mine) - n_in


def other_themes(labels: pd.DataFrame, themes: list[str]) -> dict[str, int]:
    """Labels of themes not in `themes` (renamed or removed from the themes file), by theme:
    kept in the store, but no build learns from them."""
    other = labels.loc[~labels[THEME].isin(themes), THEME]
    return {str(k): int(v) for k, v in other.value_counts().sort_index().items()}


def judgements(labels: pd.DataFrame) -> dict[str, list[tuple[str, bool]]]:
    """text hash → the (theme, in?) judgements people gave that paragraph, by theme."""
    found: dict[str, list[tuple[str, bool]]] = {}
    for key, theme, inside in labels[[TEXT_HASH, THEME, IN_THEME]].sort_values(THEME).itertuples(
            index=False):
        found.setdefault(key, []).append((theme, bool(inside)))
    return found


def people_counts(labels: pd.DataFrame, themes: list[str]) -> pd.DataFrame:
    """Per theme (in `themes` order), how many paragraphs people marked in and out of it."""
    counts = (labels[labels[THEME].isin(themes)].groupby([THEME, IN_THEME]).size()
              .unstack(fill_value=0).reindex(index=themes, columns=[1, 0], fill_value=0))
    return pd.DataFrame({"people_in": counts[1].astype(int).to_numpy(),
                         "people_out": counts[0].astype(int).to_numpy()}, index=themes)


def theme_summary(document: dict, labels: pd.DataFrame) -> pd.DataFrame:
    """One row per theme of a build's themes document (store.read_document("themes")): how its
    detector works (classifier or description) and what it learnt from, its threshold, the
    labels its figures rest on (all, in, out, and of them people's), the labels of the shipped
    model it is or builds on, the people's labels in the store now, and its cross-validated precision, recall and F1 (None where its labels cannot tell)."""
    names = [t["name"] for t in document["themes"]]
    people = people_counts(labels, names)
    rows = []
    for theme in document["themes"]:
        detector = theme.get("detector") or {}
        method = detector.get("method", "description")
        n_labels, n_in = int(detector.get("n_labels", 0)), int(detector.get("n_positive", 0))
        n_user = int(detector.get("n_user", 0))
        rows.append({
            "theme": theme["name"], "method": method,
            "source": detector.get("source", "description" if method != "classifier" else ""),
            "threshold": float(detector.get("threshold", document.get("threshold", 0.0))),
            "labels": n_labels, "labels_in": n_in, "labels_out": n_labels - n_in,
            "shipped": int(detector.get("n_shipped", 0)), "people_in_build": n_user,
            "people_in": int(people.at[theme["name"], "people_in"]),
            "people_out": int(people.at[theme["name"], "people_out"]),
            **{m: detector.get(m) for m in MEASURES},
            "note": detector.get("note") or (DESCRIPTION_ONLY if method != "classifier" else "")})
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)


SHOWN_NAMES = {"labels": "labels (all)", "labels_in": "in", "labels_out": "out",
               "source": "learnt from", "shipped": "shipped model's labels",
               "people_in_build": "people's, in this build",
               "people_in": "people's in (now)", "people_out": "people's out (now)",
               "precision": "precision (CV)", "recall": "recall (CV)", "f1": "F1 (CV)"}


def summary_shown(summary: pd.DataFrame) -> pd.DataFrame:
    """theme_summary with the column names the Themes page shows."""
    return summary.rename(columns=SHOWN_NAMES)


def quality_long(summary: pd.DataFrame) -> pd.DataFrame:
    """theme_summary's precision, recall and F1 in long form (theme, measure, value) for a
    chart; a measure the labels cannot tell is left out."""
    long = summary.melt(id_vars=["theme"], value_vars=MEASURES, var_name="measure")
    return long.dropna(subset=["value"]).reset_index(drop=True)


def changed_since_build(summary: pd.DataFrame) -> list[str]:
    """Themes whose people's labels in the store are not as many as the build was trained on:
    a retrain would use them."""
    now = summary["people_in"] + summary["people_out"]
    return summary.loc[now != summary["people_in_build"], "theme"].tolist()


def summary_lines(summary: pd.DataFrame) -> list[str]:
    """theme_summary as lines for the terminal: one per theme."""
    def figure(value) -> str:
        return "–" if value is None or pd.isna(value) else f"{value:.2f}"

    lines = []
    for row in summary.itertuples(index=False):
        lines.append(
            f"{row.theme}: {row.method}"
            + (f", learnt from the {row.source}" if row.source and row.source != row.method else "")
            + f" (threshold {row.threshold:.3f}); "
            f"people's labels {row.people_in} in, {row.people_out} out; measured on "
            f"{row.labels} labels ({row.labels_in} in, {row.labels_out} out; "
            f"{row.people_in_build} people's"
            + (f"; the shipped model rests on {row.shipped}" if row.shipped else "")
            + "); cross-validated precision "
            f"{figure(row.precision)}, recall {figure(row.recall)}, F1 {figure(row.f1)}"
            + (f" · {row.note}" if row.note else ""))
    return lines
