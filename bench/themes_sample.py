"""The themes benchmark's sampling frame: draw paragraphs to label, show them, check the labels.

    python bench/themes_sample.py                       # draw the frame (about 1-2 minutes)
    python bench/themes_sample.py --show 1 > /tmp/batch1.txt
    python bench/themes_sample.py --check               # validate the filled label files

The frame (bench/labels/themes_sample.csv) names each paragraph by corpus, the 0-based data row
of its article in ../shared/data/<corpus>/articles.csv.gz, its position after `segment` with
default settings (the article's text alone, article id = the row) and the sha1 of its text
(store.text_hash). No article text is kept in the project. Labels live in one file per batch,
bench/labels/themes_labels_batch<N>.csv (sample_id, expansion, escalation,
information_warfare, note), so three readers edit three files and merge without conflicts;
`read_labels()` joins them to the frame. See bench/labels/THEMES.md and data/codebook.md.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))

from framing_atlas.pipeline.embed import embed, load_encoder  # noqa: E402
from framing_atlas.pipeline.segment import segment  # noqa: E402
from framing_atlas.pipeline.themes import embed_themes, read_themes, score_themes  # noqa: E402
from framing_atlas.store import VectorCache, text_hash  # noqa: E402

SHARED = ROOT.parent / "shared" / "data"
LABELS_DIR = ROOT / "bench" / "labels"
FRAME = LABELS_DIR / "themes_sample.csv"
# Pool size per cell, for weighting sample figures back to the pool.
POOL_COUNTS = LABELS_DIR / "themes_pool_counts.csv"
THEMES_FILE = ROOT / "data" / "themes.toml"
MODEL = "all-MiniLM-L6-v2"
CACHE = Path(tempfile.gettempdir()) / "framing-atlas-themes-sample-cache"
# English corpora with outlets about NATO, Russia and Ukraine. semeval2023_task3 is left out:
# six languages (a reader cannot code them all), no outlets to stratify by.
CORPORA = ("ukraine_war_media_2022", "zelenskyy_putin_press_releases", "disinfo_narratives",
           "article_bias_nato", "gdelt_five_country_ukraine")
THEME_NAMES = ("expansion", "escalation", "information_warfare")
# Bands of the highest centroid score (the score the build assigns a theme by, at 0.3).
BANDS = ((-1.0, 0.2, "<0.2"), (0.2, 0.3, "0.2-0.3"), (0.3, 0.4, "0.3-0.4"), (0.4, 2.0, ">=0.4"))
SEED = 15
POOL_PER_CORPUS = 600
SAMPLE_SIZE = 660
BATCHES = 3
# The topic supplement (draw_supplement): paragraphs not in the first sample, drawn from a fresh
# pool per corpus within broad topic strata, so that themes the score bands found rarely
# (expansion above all) have enough positives to train and test on.
# The second supplement adds information warfare, the theme with fewest positives after the
# first, and paragraphs with none of the topic words (the cases a keyword query cannot find).
SUPPLEMENTS = {
    "topic supplement": {"seed": 16, "quota": {"expansion": 180, "escalation": 90,
                                               "information_warfare": 90},
                         "batches": (4, 5, 6)},
    "topic supplement 2": {"seed": 17, "quota": {"information_warfare": 180, "other": 60},
                           "batches": (7, 8)},
    # Drawn after the detection method was frozen: every paragraph is a test paragraph, never
    # used for any choice (see THEMES.md, "Fresh test set").
    "fresh test": {"seed": 18, "quota": {"expansion": 90, "escalation": 90,
                                         "information_warfare": 90, "other": 90},
                   "batches": (9, 10, 11), "split": "test"},
}
SUPPLEMENT_POOL_PER_CORPUS = 3000
SUPPLEMENT_COUNTS = {"topic supplement": LABELS_DIR / "themes_supplement_counts.csv",
                     "topic supplement 2": LABELS_DIR / "themes_supplement2_counts.csv",
                     "fresh test": LABELS_DIR / "themes_test_counts.csv"}
# Broad topic words, deliberately wider than any query for the theme: a paragraph enters the
# first stratum whose words it contains (in this order), else "other" (not sampled).
TOPICS = {
    "expansion": r"\b(?:NATO|North Atlantic|alliance|membership|accession|enlarg\w*|eastward|"
                 r"Finland|Sweden|neutral\w*)\b",
    "escalation": r"\b(?:missiles?|strikes?|shelling|offensive|weapons?|tanks?|artillery|"
                  r"nuclear|mobili[sz]\w*|drones?|escalat\w*|retaliat\w*|red lines?|"
                  r"air defen[cs]e|troops|military)\b",
    "information_warfare": r"\b(?:propaganda|disinformation|misinformation|fakes?|censor\w*|"
                           r"journalists?|media|broadcast\w*|Sputnik|RT|narratives?|trolls?|"
                           r"bots?|hack\w*|information|fact-check\w*|deepfakes?|"
                           r"social network\w*|YouTube|Facebook|Twitter|Telegram|TikTok)\b",
}
FRAME_FIELDS = ["sample_id", "batch", "split", "stage", "topic", "corpus", "row", "url", "outlet",
                "position",
                "hash", "band", "nearest", "theme", *[f"score_{t}" for t in THEME_NAMES]]
LABEL_FIELDS = ["sample_id", *THEME_NAMES, "note"]


def labels_path(batch: int) -> Path:
    return LABELS_DIR / f"themes_labels_batch{batch}.csv"


def corpus_rows(corpus: str) -> pd.DataFrame:
    raw = pd.read_csv(SHARED / corpus / "articles.csv.gz", dtype=str, keep_default_na=False)
    return raw.assign(row=range(len(raw)))


def segment_rows(corpus: str, rows: pd.DataFrame) -> pd.DataFrame:
    """Paragraphs of the given rows (default segmentation) with corpus, row, outlet, url, hash."""
    articles = pd.DataFrame({"article_id": rows["row"].map(lambda r: f"{r:06d}"),
                             "text": rows["text"]})
    paragraphs = segment(articles)
    by_id = rows.assign(article_id=articles["article_id"].values).set_index("article_id")
    ids = paragraphs["article_id"]
    return paragraphs.assign(
        corpus=corpus, row=ids.map(by_id["row"]).astype(int).values,
        outlet=ids.map(by_id["outlet"]).values, url=ids.map(by_id["url"]).values,
        hash=paragraphs["text"].map(text_hash).values)


def draw_pool(rng: random.Random) -> pd.DataFrame:
    """Per corpus, articles in random order are segmented until POOL_PER_CORPUS distinct
    paragraph texts are collected; a text printed twice (syndication) enters once."""
    pools = []
    for corpus in CORPORA:
        rows = corpus_rows(corpus)
        order = list(range(len(rows)))
        rng.shuffle(order)
        seen: set[str] = set()
        parts = []
        for start in range(0, len(order), 100):
            part = segment_rows(corpus, rows.iloc[order[start:start + 100]])
            part = part[~part["hash"].isin(seen)].drop_duplicates("hash")
            seen.update(part["hash"])
            parts.append(part)
            if len(seen) >= POOL_PER_CORPUS:
                break
        pool = pd.concat(parts, ignore_index=True)
        keep = sorted(rng.sample(range(len(pool)), min(POOL_PER_CORPUS, len(pool))))
        pools.append(pool.iloc[keep])
    return pd.concat(pools, ignore_index=True)


def score_pool(pool: pd.DataFrame) -> pd.DataFrame:
    """Scores as the build computes them: cached unit vectors against the themes' centroids."""
    themes, threshold = read_themes(THEMES_FILE)
    names = [t.name for t in themes]
    if tuple(names) != THEME_NAMES:
        sys.exit(f"{THEMES_FILE}: expected themes {THEME_NAMES}, found {tuple(names)}")
    encoder = load_encoder(MODEL)
    cache = VectorCache(CACHE / MODEL)
    vectors, computed = embed(pool["text"].tolist(), encoder=encoder, cache=cache,
                              progress=lambda d, t, what: print(f"  {what} {d}/{t}",
                                                                file=sys.stderr))
    print(f"embedded {computed} paragraphs, {len(pool) - computed} from the cache",
          file=sys.stderr)
    centroids = embed_themes(themes, encoder=encoder, cache=cache)
    scores = score_themes(vectors, centroids, names,
                          threshold=0.3 if threshold is None else threshold)
    pool = pd.concat([pool.reset_index(drop=True), scores], axis=1)
    score_cols = [f"score_{t}" for t in THEME_NAMES]
    top = pool[score_cols].max(axis=1)
    pool["nearest"] = pool[score_cols].idxmax(axis=1).str.removeprefix("score_")
    pool["band"] = ""
    for low, high, name in BANDS:
        pool.loc[(top >= low) & (top < high), "band"] = name
    return pool


def draw_sample(pool: pd.DataFrame, rng: random.Random) -> pd.DataFrame:
    """Cells are corpus x band x nearest theme; cells take turns drawing one paragraph each
    until SAMPLE_SIZE, so a small cell gives what it has and the others fill the rest. Within a
    cell the next paragraph comes from the least-drawn outlet and article (ties at random)."""
    cells: dict[tuple, list[int]] = defaultdict(list)
    for i, key in enumerate(zip(pool["corpus"], pool["band"], pool["nearest"])):
        cells[key].append(i)
    for members in cells.values():
        rng.shuffle(members)
    keys = sorted(cells)
    outlets, articles = Counter(), Counter()
    chosen: list[int] = []
    while len(chosen) < SAMPLE_SIZE and any(cells.values()):
        for key in keys:
            if not cells[key] or len(chosen) >= SAMPLE_SIZE:
                continue
            members = cells[key]
            best = min(range(len(members)), key=lambda j: (
                articles[(pool.at[members[j], "corpus"], pool.at[members[j], "row"])],
                outlets[(pool.at[members[j], "corpus"], pool.at[members[j], "outlet"])], j))
            i = members.pop(best)
            chosen.append(i)
            articles[(pool.at[i, "corpus"], pool.at[i, "row"])] += 1
            outlets[(pool.at[i, "corpus"], pool.at[i, "outlet"])] += 1
    sample = pool.iloc[chosen].copy()
    # Held-out and batch are dealt in turn within each cell (in a random order), so both are
    # stratified like the sample: every fourth paragraph of a cell is held out, and batches
    # take turns over the cells' paragraphs, each split separately.
    sample["draw"] = [rng.random() for _ in range(len(sample))]
    sample = sample.sort_values(["corpus", "band", "nearest", "draw"], kind="stable")
    sample["split"] = (spec["split"] if "split" in spec else
                       np.where(np.arange(len(sample)) % 4 == 3, "held-out", "tuning"))
    sample = sample.sort_values(["split", "corpus", "band", "nearest", "draw"], kind="stable")
    sample["batch"] = np.arange(len(sample)) % BATCHES + 1
    sample = sample.sort_values(["batch", "draw"], kind="stable").reset_index(drop=True)
    sample["sample_id"] = [f"t{i + 1:04d}" for i in range(len(sample))]
    return sample


def write_frame(sample: pd.DataFrame) -> None:
    LABELS_DIR.mkdir(parents=True, exist_ok=True)
    frame = sample.copy()
    for t in THEME_NAMES:
        frame[f"score_{t}"] = frame[f"score_{t}"].map(lambda s: f"{s:.4f}")
    frame["stage"] = "score bands"
    frame["topic"] = topic_of(frame["text"])
    frame[FRAME_FIELDS].to_csv(FRAME, index=False, lineterminator="\n")
    write_label_files(frame, range(1, BATCHES + 1))


def write_label_files(frame: pd.DataFrame, batches) -> None:
    """An empty labels file per batch (ids only), unless it exists already."""
    for batch in batches:
        path = labels_path(batch)
        if path.exists():
            print(f"{path.name} exists, left as it is", file=sys.stderr)
            continue
        ids = frame.loc[frame["batch"].astype(int) == batch, "sample_id"]
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(LABEL_FIELDS)
            writer.writerows([[i, "", "", "", ""] for i in ids])


def read_frame() -> pd.DataFrame:
    return pd.read_csv(FRAME, dtype=str, keep_default_na=False)


def topic_of(texts: pd.Series) -> pd.Series:
    """The first TOPICS stratum whose words a paragraph contains, else "other"."""
    topic = pd.Series("other", index=texts.index)
    for name in reversed(list(TOPICS)):
        topic[texts.str.contains(TOPICS[name], regex=True)] = name
    return topic


def draw_supplement(stage: str) -> None:
    """Append the topic supplement to the frame: per corpus a fresh pool of paragraphs (articles
    in random order, texts not already in the frame), put in topic strata; each topic's quota is
    drawn in turns over the corpora (least-drawn article first), then held out and batched as
    the first sample was. Leaves existing rows and label files as they are."""
    frame = read_frame()
    if (frame["stage"] == stage).any():
        sys.exit(f"the frame already holds the {stage}")
    spec = SUPPLEMENTS[stage]
    rng = random.Random(spec["seed"])
    taken = set(frame["hash"])
    pools = []
    for corpus in CORPORA:
        rows = corpus_rows(corpus)
        order = list(range(len(rows)))
        rng.shuffle(order)
        seen: set[str] = set(taken)
        parts, n = [], 0
        for start in range(0, len(order), 200):
            part = segment_rows(corpus, rows.iloc[order[start:start + 200]])
            part = part[~part["hash"].isin(seen)].drop_duplicates("hash")
            seen.update(part["hash"])
            parts.append(part)
            n += len(part)
            if n >= SUPPLEMENT_POOL_PER_CORPUS:
                break
        pools.append(pd.concat(parts, ignore_index=True).head(SUPPLEMENT_POOL_PER_CORPUS))
    pool = pd.concat(pools, ignore_index=True)
    pool["topic"] = topic_of(pool["text"])
    cells: dict[tuple, list[int]] = defaultdict(list)
    for i, key in enumerate(zip(pool["topic"], pool["corpus"])):
        cells[key].append(i)
    for members in cells.values():
        rng.shuffle(members)
    articles: Counter = Counter()
    chosen: list[int] = []
    for topic, quota in spec["quota"].items():
        got = 0
        while got < quota and any(cells[(topic, c)] for c in CORPORA):
            for corpus in CORPORA:
                members = cells[(topic, corpus)]
                if not members or got >= quota:
                    continue
                best = min(range(len(members)), key=lambda j: (
                    articles[(corpus, pool.at[members[j], "row"])], j))
                i = members.pop(best)
                chosen.append(i)
                articles[(corpus, pool.at[i, "row"])] += 1
                got += 1
    sample = score_pool(pool.iloc[chosen].reset_index(drop=True))
    sample["stage"] = stage
    sample["draw"] = [rng.random() for _ in range(len(sample))]
    sample = sample.sort_values(["topic", "corpus", "draw"], kind="stable")
    sample["split"] = (spec["split"] if "split" in spec else
                       np.where(np.arange(len(sample)) % 4 == 3, "held-out", "tuning"))
    sample = sample.sort_values(["split", "topic", "corpus", "draw"], kind="stable")
    sample["batch"] = [spec["batches"][i % len(spec["batches"])] for i in range(len(sample))]
    sample = sample.sort_values(["batch", "draw"], kind="stable").reset_index(drop=True)
    sample["sample_id"] = [f"t{len(frame) + i + 1:04d}" for i in range(len(sample))]
    for t in THEME_NAMES:
        sample[f"score_{t}"] = sample[f"score_{t}"].map(lambda s: f"{s:.4f}")
    out = pd.concat([frame, sample[FRAME_FIELDS].astype(str)], ignore_index=True)
    out[FRAME_FIELDS].to_csv(FRAME, index=False, lineterminator="\n")
    write_label_files(sample, spec["batches"])
    counts = pool.groupby(["corpus", "topic"]).size().rename("pool").reset_index()
    drawn = sample.groupby(["corpus", "topic"]).size().rename("sample").reset_index()
    counts.merge(drawn, how="left").fillna({"sample": 0}).astype({"sample": int}).to_csv(
        SUPPLEMENT_COUNTS[stage], index=False, lineterminator="\n")
    print(f"supplement pool {len(pool)}; drawn {len(sample)}")
    print(pd.crosstab(sample["corpus"], sample["topic"], margins=True).to_string())
    print(pd.crosstab(sample["batch"], sample["split"], margins=True).to_string())


def find_texts(frame: pd.DataFrame) -> dict[str, str]:
    """sample_id -> paragraph text, found again from ../shared by corpus, row and hash."""
    texts: dict[str, str] = {}
    for corpus, group in frame.groupby("corpus"):
        rows = corpus_rows(corpus)
        wanted = sorted({int(r) for r in group["row"]})
        paragraphs = segment_rows(corpus, rows.iloc[wanted])
        by_key = {(r, h): t for r, h, t in zip(paragraphs["row"], paragraphs["hash"],
                                               paragraphs["text"])}
        for sid, row, digest in zip(group["sample_id"], group["row"], group["hash"]):
            if (int(row), digest) in by_key:
                texts[sid] = by_key[(int(row), digest)]
    return texts


def show(batch: int) -> None:
    """Each paragraph of a batch for a reader; scores and the assigned theme are not shown, so
    the reading is blind to what the method said."""
    frame = read_frame()
    frame = frame[frame["batch"] == str(batch)]
    if frame.empty:
        sys.exit(f"no batch {batch} in {FRAME}")
    texts = find_texts(frame)
    print(f"# Batch {batch}: {len(frame)} paragraphs. Label in {labels_path(batch).relative_to(ROOT)}"
          " (1/0 per theme, rules in data/codebook.md).\n")
    for _, item in frame.iterrows():
        where = f"{item['corpus']} row {item['row']} paragraph {item['position']}"
        print(f"=== {item['sample_id']}  |  {item['outlet'] or '(no outlet)'}  |  {where}")
        if item["url"]:
            print(f"    {item['url']}")
        print(texts.get(item["sample_id"], "(NOT FOUND: segmentation changed; note it and skip)"))
        print()


def read_labels(check_texts: bool = True) -> tuple[pd.DataFrame, list[str]]:
    """The frame joined with all batches' labels (ints 0/1), and the problems found."""
    frame = read_frame()
    problems: list[str] = []
    parts = []
    for batch in sorted(frame["batch"].astype(int).unique()):
        path = labels_path(batch)
        name = path.relative_to(ROOT)
        if not path.exists():
            problems.append(f"{name}: missing")
            continue
        labels = pd.read_csv(path, dtype=str, keep_default_na=False)
        absent = [c for c in LABEL_FIELDS if c not in labels.columns]
        if absent:
            problems.append(f"{name}: columns missing: {', '.join(absent)}")
            continue
        expected = set(frame.loc[frame["batch"] == str(batch), "sample_id"])
        for line, item in enumerate(labels.itertuples(index=False), start=2):
            sid = item.sample_id.strip()
            if sid not in expected:
                problems.append(f"{name}: row {line}: sample_id '{sid}' is not in batch {batch}")
            for t in THEME_NAMES:
                value = getattr(item, t).strip()
                if value not in ("0", "1"):
                    problems.append(f"{name}: row {line}: column '{t}': "
                                    f"expected 1 or 0, got '{value}'")
        ids = labels["sample_id"].str.strip()
        for sid in sorted(set(ids[ids.duplicated()])):
            problems.append(f"{name}: sample_id '{sid}' appears more than once")
        for sid in sorted(expected - set(ids)):
            problems.append(f"{name}: sample_id '{sid}' has no row")
        parts.append(labels.assign(sample_id=ids))
    labels = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=LABEL_FIELDS)
    joined = frame.merge(labels.drop_duplicates("sample_id"), on="sample_id", how="left")
    if check_texts:
        found = find_texts(frame)
        for sid in frame["sample_id"]:
            if sid not in found:
                problems.append(f"sample_id '{sid}': paragraph no longer found in ../shared "
                                "(segmentation changed?)")
    for t in THEME_NAMES:
        joined[t] = pd.to_numeric(joined[t], errors="coerce")
    return joined, problems


def check() -> None:
    joined, problems = read_labels()
    for problem in problems[:200]:
        print(problem)
    if len(problems) > 200:
        print(f"... and {len(problems) - 200} more")
    done = joined[list(THEME_NAMES)].notna().all(axis=1)
    print(f"{int(done.sum())}/{len(joined)} paragraphs fully labelled; "
          + ", ".join(f"{t}: {int(joined[t].eq(1).sum())}" for t in THEME_NAMES))
    sys.exit(1 if problems else 0)


def draw() -> None:
    rng = random.Random(SEED)
    pool = score_pool(draw_pool(rng))
    sample = draw_sample(pool, rng)
    write_frame(sample)
    counts = pool.groupby(["corpus", "band", "nearest"]).size().rename("pool").reset_index()
    drawn = sample.groupby(["corpus", "band", "nearest"]).size().rename("sample").reset_index()
    counts.merge(drawn, how="left").fillna({"sample": 0}).astype({"sample": int}).to_csv(
        POOL_COUNTS, index=False, lineterminator="\n")
    print(f"pool {len(pool)} paragraphs; sample {len(sample)} -> {FRAME.relative_to(ROOT)}")
    print(pd.crosstab(sample["corpus"], sample["band"], margins=True).to_string())
    print(pd.crosstab(sample["nearest"], sample["band"], margins=True).to_string())
    print(pd.crosstab(sample["batch"], sample["split"], margins=True).to_string())
    print("pool:")
    print(pd.crosstab(pool["corpus"], pool["band"], margins=True).to_string())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", type=int, metavar="BATCH", help="print a batch for reading")
    parser.add_argument("--check", action="store_true", help="validate the filled label files")
    parser.add_argument("--supplement", choices=list(SUPPLEMENTS),
                        help="append a topic supplement to the frame (once each)")
    args = parser.parse_args()
    if args.supplement:
        draw_supplement(args.supplement)
    elif args.show is not None:
        show(args.show)
    elif args.check:
        check()
    else:
        draw()


if __name__ == "__main__":
    main()
