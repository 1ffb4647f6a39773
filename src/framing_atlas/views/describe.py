"""Describe a store in words: its outlets, dates, clusters, themes, last build, and the
articles that gave no paragraph (what `framing-atlas info` prints and the Data page shows)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from framing_atlas.pipeline.segment import REASONS, no_paragraph_note
from framing_atlas.store import (ARTICLE_ID, CLUSTER, OUTLET, PUBLISHED, REASON, THEME, TITLE, URL,
                                 Store)

NO_PARAGRAPH_LISTED = 5  # articles without a paragraph that `info` names; the manifest has all


def outlet_counts(articles: pd.DataFrame, paragraphs: pd.DataFrame | None) -> pd.DataFrame:
    """Per outlet: articles, paragraphs, first and last date, undated articles."""
    table = articles.groupby(OUTLET).agg(articles=(OUTLET, "size"), first=(PUBLISHED, "min"),
                                         last=(PUBLISHED, "max"),
                                         undated=(PUBLISHED, lambda s: int(s.isna().sum())))
    if paragraphs is not None:
        table.insert(1, "paragraphs", paragraphs.groupby(OUTLET).size())
        table["paragraphs"] = table["paragraphs"].fillna(0).astype(int)
    return table.sort_values("articles", ascending=False)


def describe_store(root: Path) -> str:
    """The store at `root` in words, as `framing-atlas info` prints it."""
    store = Store(Path(root))
    articles = store.read_articles()
    if articles.empty:
        return f"store {root}: no articles yet. Add some: framing-atlas ingest FILE --store {root}"
    manifest = store.manifest()
    paragraphs = store.read_table("paragraphs") if manifest else None
    lines = [f"store {root}: {len(articles)} articles from {articles[OUTLET].nunique()} outlets"]
    dated = articles[PUBLISHED].dropna()
    if len(dated):
        lines.append(f"dates: {dated.min():%Y-%m-%d} to {dated.max():%Y-%m-%d}"
                     f" ({int(articles[PUBLISHED].isna().sum())} undated)")
    counts = outlet_counts(articles, paragraphs)
    counts["first"] = counts["first"].dt.strftime("%Y-%m-%d").fillna("-")
    counts["last"] = counts["last"].dt.strftime("%Y-%m-%d").fillna("-")
    lines += ["", counts.to_string(), ""]
    if manifest is None:
        lines.append("not built yet: run framing-atlas build")
        return "\n".join(lines)
    clusters = store.read_table("clusters")
    lines.append(f"build {manifest['build_id']} ({manifest['model']}): "
                 f"{manifest['counts']['paragraphs']} paragraphs, "
                 f"{int((clusters[CLUSTER] >= 0).sum())} clusters")
    lines += no_paragraph_lines(manifest, store.builds_dir / manifest["build_id"])
    if manifest["counts"]["articles"] != len(articles):
        lines.append(f"note: {len(articles) - manifest['counts']['articles']} articles ingested "
                     "since this build: run framing-atlas build")
    lines.append("")
    lines.append("clusters:")
    for row in clusters.itertuples():
        lines.append(f"  {row.cluster:>3}  {row.size:>6}  {row.label}")
    lines.append("")
    lines.append("themes (paragraphs):")
    for name, n in paragraphs[THEME].value_counts().items():
        lines.append(f"  {name:<22} {n:>6}  {n / len(paragraphs):6.1%}")
    return "\n".join(lines)


def no_paragraph_table(manifest: dict) -> pd.DataFrame:
    """The articles that gave no paragraph in this build: article_id, outlet, title, url, reason."""
    record = manifest.get("no_paragraph") or {"articles": []}
    table = pd.DataFrame(record["articles"],
                         columns=[ARTICLE_ID, OUTLET, TITLE, URL, REASON])
    table[REASON] = table[REASON].map(lambda reason: REASONS.get(reason, "other"))
    return table


def no_paragraph_lines(manifest: dict, folder: Path) -> list[str]:
    """How many articles gave no paragraph and why, naming the first few; none if all gave some."""
    record = manifest.get("no_paragraph")
    if record is None:
        return ["(this build does not record which articles gave no paragraph: rebuild to see)"]
    if not record["count"]:
        return []
    lines = [no_paragraph_note(record["reasons"]) + ":"]
    for article in record["articles"][:NO_PARAGRAPH_LISTED]:
        reason = REASONS.get(article[REASON], "other")
        name = article.get(TITLE) or article.get(URL) or "(no title)"
        lines.append(f"  {_printable(article[ARTICLE_ID])}  {reason:<20}  "
                     f"{_printable(name)[:80]}")
    if record["count"] > NO_PARAGRAPH_LISTED:
        lines.append(f"  … and {record['count'] - NO_PARAGRAPH_LISTED} more, all listed in "
                     f"{folder / 'manifest.json'}")
    return lines


def _printable(text: object) -> str:
    # Titles come from the pages themselves: no escape sequence reaches the terminal.
    return "".join(ch if ch.isprintable() else " " for ch in str(text))
