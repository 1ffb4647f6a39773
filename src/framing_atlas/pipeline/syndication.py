"""Paragraphs that several outlets print verbatim or nearly so: wire copy, reprints, long quotes.

Each paragraph becomes a set of word shingles (runs of a few words, after lowercasing, dropping
punctuation and an opening wire dateline such as "MOSCOW (AP) —", with one spelling for the
common transliterations of Ukrainian and Russian names: Kyiv/Kiev, Zelenskyy/Zelensky).
MinHash signatures and LSH (datasketch) find candidate pairs without comparing every pair; each
candidate pair is then checked exactly. It matches when the Jaccard similarity of the shingle
sets reaches `threshold`, or when most of the shorter paragraph is inside the longer one
(`containment`: a trimmed copy, or paragraph breaks that fall elsewhere), and when the two do
not swap a key fact: aligned word by word, a name replaced by another inside the shared text,
or more than one figure changed ("12 drones over the port on Monday" / "40 drones over the
port on Friday"), marks another report from the same template, not a copy. One changed figure
between paragraphs that are otherwise the same text (Jaccard ≥ `threshold`; "killing 12" /
"killing 14") is a corrected or updated reprint, and matches. Matching paragraphs are joined
into groups, closest pairs first, never joining two paragraphs whose facts disagree. A group
is *syndicated* when it spans two or more outlets; an outlet repeating its own paragraph forms
a group that is not.

bench/syndication.py measures this on a constructed set and on pairs from real corpora labelled
by reading them (bench/labels/).
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections import defaultdict
from difflib import SequenceMatcher

import numpy as np
import pandas as pd
from datasketch import MinHash, MinHashLSH

from framing_atlas.errors import AtlasError, require_columns
from framing_atlas.store import (N_OUTLETS, OUTLET, OUTLETS, PARAGRAPH_ID, PARAGRAPHS,
                                 SYNDICATED, SYNDICATION_GROUP, TEXT, Progress)

log = logging.getLogger(__name__)

# LSH only proposes pairs; this low bar lets it propose the pairs that containment accepts
# (a paragraph printed inside one four times its length has a Jaccard similarity near 0.25,
# which a bar of 0.3 missed about half the time).
_CANDIDATE_JACCARD = 0.2
_LSH_WEIGHTS = (0.2, 0.8)  # missing a pair costs more than checking one too many

# "MOSCOW (AP) — ", "KYIV, Ukraine (AP) — ", "LONDON, March 3 (Reuters) - ",
# "BRUSSELS — ": the city in capitals, or any capitalised city followed by an agency.
_CAPS_CITY = r"[A-Z][A-Z'’.\-]+(?:\s[A-Z][A-Z'’.\-]+){0,3}"
_ANY_CITY = r"[A-Z][\w'’.\-]+(?:\s[A-Z][\w'’.\-]+){0,3}"
_DATELINE = re.compile(
    rf"^\s*(?:{_CAPS_CITY}(?:,[^()—–\n]{{1,40}}?)?\s*(?:\([^()\n]{{1,40}}\))?"
    rf"|{_ANY_CITY}(?:,[^()—–\n]{{1,40}}?)?\s*\([^()\n]{{1,40}}\))\s*[—–-]{{1,2}}\s+")
# Dotted acronyms stay one word ("U.N." = "UN"); everything else is runs of letters and digits.
_TOKEN = re.compile(r"[^\W\d_](?:\.[^\W\d_])+\.?|\w+")
# Spellings that say the same thing: "Oct." is "October", "Tues" is "Tuesday".
_SAME_WORD = {short: full for full in (
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday").split()
    for short in (full[:3], full[:4])}
_SAME_WORD.update({"sept": "september", "tues": "tuesday", "thur": "thursday",
                   "thurs": "thursday"})
# One spelling for the transliterations outlets use for the same place or person (Russian-based
# and older English ones on the right of each entry). Reprints between RT and Western outlets
# differ in exactly these; without this they read as swapped names.
_TRANSLITERATIONS = {
    "kyiv": "kiev", "zelenskyy": "zelensky zelenskiy zelenskii zelenski zelenskyi",
    "kharkiv": "kharkov", "donbas": "donbass", "odesa": "odessa", "lviv": "lvov",
    "mykolaiv": "nikolaev nikolayev mykolayiv", "luhansk": "lugansk",
    "zaporizhzhia": "zaporozhye zaporozhe zaporizhia zaporizhzhya zaporozhzhia",
    "chernihiv": "chernigov", "dnipro": "dnepr", "dnipropetrovsk": "dnepropetrovsk",
    "zhytomyr": "zhitomir", "rivne": "rovno", "vinnytsia": "vinnitsa vinnytsya",
    "chornobyl": "chernobyl", "sievierodonetsk": "severodonetsk syevyerodonetsk",
    "lysychansk": "lisichansk", "sloviansk": "slavyansk slovyansk", "izium": "izyum",
    "kupiansk": "kupyansk", "berdiansk": "berdyansk", "enerhodar": "energodar",
    "vuhledar": "ugledar", "avdiivka": "avdeevka avdeyevka", "horlivka": "gorlovka",
    "makiivka": "makeevka makeyevka", "chernivtsi": "chernovtsy", "uzhhorod": "uzhgorod",
    "ternopil": "ternopol", "khmelnytskyi": "khmelnitsky khmelnytsky", "cherkasy": "cherkassy",
    "kremenchuk": "kremenchug", "irpin": "irpen", "hostomel": "gostomel",
    "yanukovych": "yanukovich", "klitschko": "klychko", "zaluzhnyi": "zaluzhny zaluzhniy",
    "podolyak": "podoliak", "arestovych": "arestovich", "shmyhal": "shmygal",
    "shoigu": "shoygu", "navalny": "navalnyy", "nebenzia": "nebenzya",
    "kiriyenko": "kirienko", "naftogaz": "naftohaz", "energoatom": "enerhoatom",
    "ukrenergo": "ukrenerho", "hryvnia": "hryvna grivna"}
_SAME_WORD.update({variant: spelling for spelling, variants in _TRANSLITERATIONS.items()
                   for variant in variants.split()})
# Capitalised because they start a sentence, not because they name something.
_NOT_NAMES = frozenset("a an and as at but by for from he her his i if in it its mr mrs ms dr "
                       "of on or she so that the their them then there these they this those "
                       "to we what when where which while who with you".split())
# A differing stretch longer than this is a rewritten clause, not a swapped fact.
_SWAP_MAX_WORDS = 6
# Shared runs at least this long hold an alignment; shorter ones ("the", "said on") turn up
# between any two texts.
_SOLID_WORDS = 3


def paragraph_tokens(text: str) -> list[str]:
    """Words as written (case kept), without an opening wire dateline or punctuation."""
    text = _DATELINE.sub("", text, count=1)
    return _TOKEN.findall(unicodedata.normalize("NFKC", text))


def paragraph_words(text: str) -> list[str]:
    """The words that decide whether two paragraphs are copies: no dateline, case or punctuation."""
    return [_canonical(token) for token in paragraph_tokens(text)]


def find_syndicated(paragraphs: pd.DataFrame, *, threshold: float = 0.5,
                    containment: float = 0.65, min_words: int = 12, shingle_words: int = 4,
                    num_perm: int = 128, seed: int = 1, check_facts: bool = True,
                    progress: Progress | None = None) -> pd.DataFrame:
    """Needs paragraph_id, outlet, text; adds `syndication_group` (-1 = none) and `syndicated`.

    Two paragraphs of at least `min_words` words match when the Jaccard similarity of their
    `shingle_words`-word shingles is ≥ `threshold`, or when ≥ `containment` of the shorter
    one's shingles are in the longer one (0.65, chosen on the tuning half of the labelled real
    pairs in bench/labels: one edited word removes up to four shingles, so two thirds of the
    words shared is about 0.65 of the shingles), unless one swaps a number or a name of the other
    (`check_facts=False` skips that check: MinHash alone, the benchmark's ablation).
    Groups are numbered in the order of their first paragraph_id, so the same paragraphs give
    the same groups in any row order. `syndicated` is true for a group spanning ≥ 2 outlets.
    """
    require_columns(paragraphs, [PARAGRAPH_ID, OUTLET, TEXT], stage="syndication")
    _check_options(threshold=threshold, containment=containment, min_words=min_words,
                   shingle_words=shingle_words, num_perm=num_perm)

    def report(done: int, what: str) -> None:
        if progress:
            progress(done, 4, what)

    report(0, "shingling paragraphs")
    texts = paragraphs[TEXT].fillna("").astype(str).tolist()
    # Identical paragraphs are compared once: wire copy can repeat hundreds of times.
    rows_of: dict[str, list[int]] = defaultdict(list)
    for row, text in enumerate(texts):
        words = paragraph_words(text)
        if len(words) >= min_words:
            rows_of[" ".join(words)].append(row)
    keys = list(rows_of)
    shingles = [_shingles(key.split(" "), shingle_words) for key in keys]

    report(1, "hashing paragraphs")
    pairs = _candidate_pairs(shingles, num_perm=num_perm, seed=seed)

    report(2, "checking candidate pairs")
    tokens: dict[int, list[str]] = {}

    def tokens_of(index: int) -> list[str]:
        if index not in tokens:
            tokens[index] = paragraph_tokens(texts[rows_of[keys[index]][0]])
        return tokens[index]

    matches: list[tuple[float, int, int]] = []
    conflicts: dict[int, set[int]] = defaultdict(set)
    for i, j in pairs:
        jaccard, contained = _similarity(shingles[i], shingles[j])
        if jaccard < threshold and contained < containment:
            continue
        # A changed figure passes as a correction only between paragraphs that are otherwise
        # the same text; one holding a part of the other may reuse a sentence in another report.
        if check_facts and swaps_fact(tokens_of(i), tokens_of(j),
                                      allow_correction=jaccard >= threshold):
            conflicts[i].add(j)
            conflicts[j].add(i)
        else:
            matches.append((jaccard, i, j))

    report(3, "grouping")
    # Closest pairs join first, and a group takes in no paragraph whose facts disagree with one
    # of its members: a trimmed copy must not bridge two reports made from one template.
    matches.sort(key=lambda match: (-match[0], match[1], match[2]))
    parent = list(range(len(keys)))
    members = {index: [index] for index in range(len(keys))}
    for _, i, j in matches:
        a, b = _find(parent, i), _find(parent, j)
        if a == b or any(conflicts[x] & set(members[b]) for x in members[a] if conflicts[x]):
            continue
        root, other = min(a, b), max(a, b)
        parent[other] = root
        members[root] += members.pop(other)

    ids = paragraphs[PARAGRAPH_ID].astype(str).tolist()
    outlets = paragraphs[OUTLET].fillna("").astype(str).tolist()
    group_rows = [[row for index in indices for row in rows_of[keys[index]]]
                  for indices in members.values()]
    groups = sorted((rows for rows in group_rows if len(rows) > 1),
                    key=lambda rows: min(ids[r] for r in rows))
    group = np.full(len(paragraphs), -1, dtype=np.int64)
    syndicated = np.zeros(len(paragraphs), dtype=bool)
    for number, rows in enumerate(groups):
        group[rows] = number
        syndicated[rows] = len({outlets[r] for r in rows}) > 1
    report(4, "done")
    log.info("syndication: %d candidate pairs, %d matched, %d refused for swapped facts, "
             "%d groups, %d paragraphs in groups spanning several outlets", len(pairs),
             len(matches), sum(map(len, conflicts.values())) // 2, len(groups),
             int(syndicated.sum()))
    return paragraphs.assign(**{SYNDICATION_GROUP: group, SYNDICATED: syndicated})


def swaps_fact(a: list[str], b: list[str], *, allow_correction: bool = True) -> bool:
    """True when, inside the text two paragraphs share, a name or more than one figure differs.

    The words are aligned (after _canonical, so a transliteration is no difference). Runs of at
    least three shared words (or shared up to either end) hold the alignment; a short stretch
    between two of them that differs on both sides is a swap. A swap of capitalised words that
    are not merely sentence starts on both sides is a swapped name. Swapped numbers are a
    corrected figure when there is one (the same correction may recur), each side holding one
    number there; two different figures changed, or a name with them, is another report
    (with `allow_correction=False`, any changed figure is). Text one side has and the other
    lacks (a trimmed sentence, a paragraph break elsewhere, an added credit) is no swap.
    """
    words_a, words_b = [_canonical(t) for t in a], [_canonical(t) for t in b]
    blocks = SequenceMatcher(None, words_a, words_b, autojunk=False).get_opcodes()

    def solid(block: tuple[str, int, int, int, int]) -> bool:
        tag, i1, i2, j1, j2 = block
        at_edge = (i1 == 0 and j1 == 0) or (i2 == len(a) and j2 == len(b))
        return tag == "equal" and (i2 - i1 >= _SOLID_WORDS or at_edge)

    # Stretches between solid shared runs; a short shared word inside one ("on") belongs to it.
    held = [k for k, block in enumerate(blocks) if solid(block)]
    corrections: set[tuple[str, str]] = set()
    for left, right in zip(held, held[1:]):
        if right == left + 1:
            continue
        i1, j1 = blocks[left][2], blocks[left][4]
        i2, j2 = blocks[right][1], blocks[right][3]
        if not (i2 > i1 and j2 > j1) or max(i2 - i1, j2 - j1) > _SWAP_MAX_WORDS:
            continue
        side_a, side_b = a[i1:i2], b[j1:j2]
        if _has_name(side_a) and _has_name(side_b):
            return True
        numbers_a, numbers_b = _numbers(words_a[i1:i2]), _numbers(words_b[j1:j2])
        if numbers_a and numbers_b:
            if len(numbers_a) > 1 or len(numbers_b) > 1:
                return True
            corrections.add((numbers_a[0], numbers_b[0]))
    return len(corrections) > (1 if allow_correction else 0)


def syndication_groups(paragraphs: pd.DataFrame) -> pd.DataFrame:
    """Needs syndication_group, outlet, text; one row per group: size, outlets, first text."""
    require_columns(paragraphs, [SYNDICATION_GROUP, OUTLET, TEXT], stage="syndication_groups")
    grouped = paragraphs[paragraphs[SYNDICATION_GROUP] >= 0].groupby(SYNDICATION_GROUP)
    return pd.DataFrame({
        PARAGRAPHS: grouped.size(),
        OUTLETS: grouped[OUTLET].agg(lambda o: ", ".join(sorted(set(map(str, o))))),
        N_OUTLETS: grouped[OUTLET].nunique(),
        TEXT: grouped[TEXT].first(),
    }).reset_index().sort_values([N_OUTLETS, PARAGRAPHS], ascending=False,
                                 kind="stable").reset_index(drop=True)


def _canonical(token: str) -> str:
    word = token.replace(".", "").casefold()
    return _SAME_WORD.get(word, word)


def _numbers(tokens: list[str]) -> list[str]:
    return [token for token in tokens if any(ch.isdigit() for ch in token)]


def _has_name(tokens: list[str]) -> bool:
    return any(token[:1].isupper() and token.casefold() not in _NOT_NAMES for token in tokens)


def _check_options(*, threshold: float, containment: float, min_words: int, shingle_words: int,
                   num_perm: int) -> None:
    problems = []
    if not 0.0 < threshold <= 1.0:
        problems.append("threshold must be > 0 and ≤ 1")
    if not 0.0 < containment <= 1.0:
        problems.append("containment must be > 0 and ≤ 1")
    if not 1 <= shingle_words <= 10:
        problems.append("shingle_words must be between 1 and 10")
    if min_words < shingle_words:
        problems.append("min_words must be ≥ shingle_words")
    if num_perm < 16:
        problems.append("num_perm must be ≥ 16")
    if problems:
        raise AtlasError("; ".join(problems))


def _shingles(words: list[str], size: int) -> frozenset[str]:
    return frozenset(" ".join(words[i:i + size]) for i in range(len(words) - size + 1))


def _candidate_pairs(shingles: list[frozenset[str]], *, num_perm: int,
                     seed: int) -> list[tuple[int, int]]:
    """Pairs (i < j) whose MinHash signatures share an LSH band, sorted.

    datasketch's MinHashLSH chooses the bands (its optimal split of `num_perm` for the
    threshold and weights) and defines a candidate: two signatures equal on every value of some
    band. Its index inserts and queries one signature and one band at a time in Python, which
    was half the stage's time; here each band's equal slices are found at once by sorting the
    signature matrix, which gives the same pairs (tested against MinHashLSH).
    """
    if len(shingles) < 2:
        return []
    # A minimum does not depend on the order the shingles come in, so sets are fine here.
    signatures = MinHash.bulk([[s.encode("utf-8") for s in shingle_set]
                               for shingle_set in shingles], num_perm=num_perm, seed=seed)
    matrix = np.stack([signature.hashvalues for signature in signatures])
    lsh = MinHashLSH(threshold=_CANDIDATE_JACCARD, num_perm=num_perm, weights=_LSH_WEIGHTS)
    n, found = len(matrix), []
    for band in range(lsh.b):
        block = np.ascontiguousarray(matrix[:, band * lsh.r:(band + 1) * lsh.r])
        keys = block.view(np.dtype((np.void, block.dtype.itemsize * lsh.r))).ravel()
        order = np.argsort(keys, kind="stable")
        ordered = keys[order]
        starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
        sizes = np.diff(np.r_[starts, n])
        for start, size in zip(starts[sizes > 1], sizes[sizes > 1]):
            members = order[start:start + size]  # ascending: the sort is stable
            i, j = np.triu_indices(size, k=1)
            found.append(members[i].astype(np.int64) * n + members[j])
    if not found:
        return []
    codes = np.unique(np.concatenate(found))
    return list(zip((codes // n).tolist(), (codes % n).tolist()))


def _similarity(a: frozenset[str], b: frozenset[str]) -> tuple[float, float]:
    """Jaccard similarity, and the share of the smaller set found in the larger."""
    shared = len(a & b)
    if not shared:
        return 0.0, 0.0
    return shared / (len(a) + len(b) - shared), shared / min(len(a), len(b))


def _find(parent: list[int], i: int) -> int:
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i
