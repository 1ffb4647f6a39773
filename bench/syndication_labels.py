"""The syndication benchmark's labelled real pairs: drawing candidates, finding them, scoring.

Labels live in bench/labels/syndication_pairs.csv and name each side of a pair by corpus, the
0-based data row of its article in ../shared/data/<corpus>/articles.csv.gz, the article's url
and the sha1 (store.text_hash) of the paragraph's text after `segment` with default settings.
No article text is kept in the project; the texts are found again from ../shared/data.
See bench/labels/README.md for how the candidates were drawn.
"""

from __future__ import annotations

import csv
import math
import random
import re
import sys
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))

from framing_atlas.pipeline.segment import segment  # noqa: E402
from framing_atlas.store import text_hash  # noqa: E402
from framing_atlas.pipeline.syndication import (_shingles, _similarity,  # noqa: E402
                                                find_syndicated, paragraph_words)

SHARED = ROOT.parent / "shared" / "data"
LABELS = ROOT / "bench" / "labels" / "syndication_pairs.csv"
# Corpora with outlets (semeval2023_task3 has none, so no pair there spans two outlets).
CORPORA = ("ukraine_war_media_2022", "zelenskyy_putin_press_releases", "disinfo_narratives",
           "article_bias_nato", "gdelt_five_country_ukraine")
# Jaccard bands of the 4-word shingle sets; candidates are drawn evenly from each.
BANDS = ((0.2, 0.3), (0.3, 0.4), (0.4, 0.5), (0.5, 0.7), (0.7, 0.9), (0.9, 1.01))
LABEL_FIELDS = ["pair", "split", "band", "corpus", "row_a", "url_a", "outlet_a", "hash_a",
                "row_b", "url_b", "outlet_b", "hash_b", "jaccard", "containment", "label",
                "reason"]
COPY, NOT_COPY = "copy", "not a copy"


def corpus_rows(corpus: str, shared: Path = SHARED) -> pd.DataFrame:
    """The corpus file as strings, one row per data row, `row` = its 0-based position."""
    raw = pd.read_csv(shared / corpus / "articles.csv.gz", dtype=str, keep_default_na=False)
    return raw.assign(row=range(len(raw)))


def segment_rows(rows: pd.DataFrame) -> pd.DataFrame:
    """Paragraphs of the given corpus rows (default segmentation) with row, outlet, url, hash."""
    articles = pd.DataFrame({"article_id": rows["row"].map(lambda r: f"{r:06d}"),
                             "text": rows["text"]})
    paragraphs = segment(articles)
    by_id = rows.assign(article_id=articles["article_id"].values).set_index("article_id")
    return paragraphs.assign(
        row=paragraphs["article_id"].map(by_id["row"]).astype(int).values,
        outlet=paragraphs["article_id"].map(by_id["outlet"]).values,
        url=paragraphs["article_id"].map(by_id["url"]).values,
        hash=paragraphs["text"].map(text_hash).values)


def draw_candidates(*, per_band: int = 22, seed: int = 9, min_words: int = 12,
                    shared: Path = SHARED) -> list[dict]:
    """Cross-outlet paragraph pairs with shingle Jaccard ≥ 0.2, drawn evenly over BANDS.

    In each corpus, paragraphs of ≥ min_words words are shingled as the detector does (4-word
    shingles of paragraph_words); MinHash LSH (threshold 0.2, 128 permutations, seed 1) proposes
    pairs of distinct texts, and identical texts pair with each other. A pair is kept when some
    copy of each text comes from a different outlet (one such pair of copies is chosen at
    random). Per band, corpora take turns, each drawing at random from its own candidates,
    until the band holds `per_band` pairs; within a band, pairs alternate between the tuning
    and the held-out half.
    """
    from datasketch import MinHash, MinHashLSH

    rng = random.Random(seed)
    pools: dict[int, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for corpus in CORPORA:
        paragraphs = segment_rows(corpus_rows(corpus, shared))
        occurrences: dict[str, list[int]] = defaultdict(list)
        for index, text in enumerate(paragraphs["text"]):
            words = paragraph_words(text)
            if len(words) >= min_words:
                occurrences[" ".join(words)].append(index)
        keys = list(occurrences)
        shingles = [_shingles(k.split(" "), 4) for k in keys]
        signatures = MinHash.bulk([[s.encode() for s in sh] for sh in shingles], num_perm=128,
                                  seed=1)
        lsh = MinHashLSH(threshold=0.2, num_perm=128)
        with lsh.insertion_session() as session:
            for index, signature in enumerate(signatures):
                session.insert(index, signature, check_duplication=False)
        pairs = {(i, j) for i, sig in enumerate(signatures) for j in lsh.query(sig) if j > i}
        pairs = [(i, j) for i, j in sorted(pairs)] + [(i, i) for i in range(len(keys))]
        outlets = paragraphs["outlet"].tolist()
        for i, j in pairs:
            options = [(a, b) for a in occurrences[keys[i]] for b in occurrences[keys[j]]
                       if (i != j or a < b) and outlets[a] != outlets[b]]
            if not options:
                continue
            jaccard, contained = _similarity(shingles[i], shingles[j])
            band = next((n for n, (lo, hi) in enumerate(BANDS) if lo <= jaccard < hi), None)
            if band is None:
                continue
            a, b = sorted(options)[0] if len(options) == 1 else rng.choice(sorted(options))
            side = paragraphs.iloc[[a, b]]
            pools[band][corpus].append({
                "corpus": corpus, "jaccard": round(jaccard, 3),
                "containment": round(contained, 3),
                **{f"{field}_{s}": side.iloc[k][field] for k, s in enumerate("ab")
                   for field in ("row", "url", "outlet", "hash")}})
    drawn = []
    for band in range(len(BANDS)):
        corpora = sorted(pools[band])
        chosen: list[dict] = []
        while len(chosen) < per_band and any(pools[band][c] for c in corpora):
            for corpus in corpora:
                pool = pools[band][corpus]
                if pool and len(chosen) < per_band:
                    chosen.append(pool.pop(rng.randrange(len(pool))))
        for k, pair in enumerate(chosen):
            lo, hi = BANDS[band]
            drawn.append({"pair": len(drawn) + 1, "split": "tuning" if k % 2 == 0 else "held-out",
                          "band": f"{lo:.1f}-{min(hi, 1.0):.1f}", **pair, "label": "",
                          "reason": ""})
    return drawn


def write_labels(pairs: list[dict], path: Path = LABELS) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=LABEL_FIELDS)
        writer.writeheader()
        writer.writerows(pairs)


if __name__ == "__main__":
    write_labels(draw_candidates(), Path(sys.argv[1]) if len(sys.argv) > 1 else LABELS)


# --- reading the labels back and scoring them -------------------------------------------------

@dataclass
class Labelled:
    """Labelled pairs whose two texts were found again, and those that were not (with why)."""

    pairs: pd.DataFrame  # the label columns plus text_a, text_b
    missing: list[str]


def read_labels(path: Path = LABELS) -> pd.DataFrame:
    """The label file, checked: every pair is labelled `copy` or `not a copy` and has a split."""
    labels = pd.read_csv(path, dtype=str, keep_default_na=False)
    absent = [field for field in LABEL_FIELDS if field not in labels.columns]
    if absent:
        raise ValueError(f"{path.name}: missing columns {', '.join(absent)}")
    for index, row in labels.iterrows():
        line = index + 2
        if row["label"] not in (COPY, NOT_COPY):
            raise ValueError(f"{path.name}: line {line}: label must be '{COPY}' or "
                             f"'{NOT_COPY}', not {row['label']!r}")
        if row["split"] not in ("tuning", "held-out"):
            raise ValueError(f"{path.name}: line {line}: split must be 'tuning' or 'held-out'")
    return labels


def find_texts(labels: pd.DataFrame, shared: Path = SHARED) -> Labelled:
    """Each side's paragraph text, found again by corpus, row and text hash."""
    found: dict[tuple[str, int, str], str] = {}
    for corpus in sorted(labels["corpus"].unique()):
        mine = labels[labels["corpus"] == corpus]
        wanted = set(mine["row_a"].astype(int)) | set(mine["row_b"].astype(int))
        rows = corpus_rows(corpus, shared)
        for paragraph in segment_rows(rows[rows["row"].isin(wanted)]).itertuples():
            found[(corpus, paragraph.row, paragraph.hash)] = paragraph.text
    texts_a, texts_b, missing, keep = [], [], [], []
    for index, row in labels.iterrows():
        sides = [found.get((row["corpus"], int(row[f"row_{s}"]), row[f"hash_{s}"])) for s in "ab"]
        if None in sides:
            side = "ab"[sides.index(None)]
            missing.append(f"pair {row['pair']}: {row['corpus']} row {row[f'row_{side}']} has no "
                           f"paragraph with hash {row[f'hash_{side}'][:10]} "
                           "(segmentation changed?)")
            continue
        keep.append(index)
        texts_a.append(sides[0])
        texts_b.append(sides[1])
    pairs = labels.loc[keep].assign(text_a=texts_a, text_b=texts_b).reset_index(drop=True)
    return Labelled(pairs, missing)


def exact_key(text: str) -> str:
    """Plain exact matching: the text after Unicode normalisation and collapsing white space."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def loose_key(text: str) -> str:
    """Exact matching after lowercasing and dropping punctuation."""
    return " ".join(re.findall(r"\w+", unicodedata.normalize("NFKC", text).casefold()))


def detector_says_copy(text_a: str, text_b: str, **options) -> bool:
    """find_syndicated's decision for two paragraphs from two outlets, on their own."""
    pair = pd.DataFrame({"paragraph_id": ["a", "b"], "outlet": ["A", "B"],
                         "text": [text_a, text_b]})
    groups = find_syndicated(pair, **options)["syndication_group"].tolist()
    return groups[0] >= 0 and groups[0] == groups[1]


METHODS = {
    "detector": lambda a, b: detector_says_copy(a, b),
    "MinHash alone (fact-swap check off)": lambda a, b: detector_says_copy(a, b,
                                                                            check_facts=False),
    "exact match": lambda a, b: exact_key(a) == exact_key(b),
    "exact after lowercasing, no punctuation": lambda a, b: loose_key(a) == loose_key(b),
}


def wilson(successes: int, total: int, z: float = 1.96) -> tuple[float, float]:
    """Wilson score interval of a proportion (95% by default); (0, 1) when total is 0."""
    if total == 0:
        return 0.0, 1.0
    share = successes / total
    centre = (share + z * z / (2 * total)) / (1 + z * z / total)
    half = z * math.sqrt(share * (1 - share) / total + z * z / (4 * total * total)) / (
        1 + z * z / total)
    return max(0.0, centre - half), min(1.0, centre + half)


def score_decisions(truth: list[bool], said: list[bool]) -> dict:
    """Counts, precision and recall with Wilson 95% intervals (None when undefined)."""
    tp = sum(t and s for t, s in zip(truth, said))
    fp = sum(s and not t for t, s in zip(truth, said))
    fn = sum(t and not s for t, s in zip(truth, said))
    tn = len(truth) - tp - fp - fn
    result: dict = {"pairs": len(truth), "copies": tp + fn, "tp": tp, "fp": fp, "fn": fn,
                    "tn": tn}
    for name, hits, total in (("precision", tp, tp + fp), ("recall", tp, tp + fn)):
        result[name] = round(hits / total, 4) if total else None
        result[f"{name}_95"] = [round(v, 4) for v in wilson(hits, total)] if total else None
    return result


def score_real_sample(pairs: pd.DataFrame) -> dict:
    """Each method's scores on the tuning half, the held-out half and all labelled pairs."""
    truth = (pairs["label"] == COPY).tolist()
    results: dict = {}
    for name, says_copy in METHODS.items():
        said = [says_copy(a, b) for a, b in zip(pairs["text_a"], pairs["text_b"])]
        results[name] = {
            part: score_decisions([t for t, k in zip(truth, keep) if k],
                                  [s for s, k in zip(said, keep) if k])
            for part, keep in (("tuning", (pairs["split"] == "tuning").tolist()),
                               ("held-out", (pairs["split"] == "held-out").tolist()),
                               ("all", [True] * len(pairs)))}
        results[name]["errors"] = [
            {"pair": int(p), "split": split, "label": label, "reason": reason}
            for p, split, label, reason, t, s in zip(pairs["pair"], pairs["split"],
                                                     pairs["label"], pairs["reason"], truth, said)
            if t != s]
    return results
