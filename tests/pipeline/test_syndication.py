"""Reprints, near-misses and repeats made of fictional wire copy."""

import numpy as np
import pandas as pd
import pytest

from framing_atlas.errors import AtlasError
from framing_atlas.pipeline.syndication import (find_syndicated, paragraph_tokens, paragraph_words,
                                                swaps_fact, syndication_groups)

from conftest import needs_real_data

WIRE = ("Officials in Karsk said on Tuesday that 14 drones had been shot down over the Kesh "
        "valley during the night. The statement accused the Norrland Federation of preparing a "
        "wider offensive before the spring thaw. Spokeswoman Anya Lenz told reporters that the "
        "harbour would stay closed to civilian ships for at least another week. Engineers were "
        "still repairing the damaged pumping station north of the city.")
REPRINT = ("MOSCOW (Fictional Wire) — Officials in Karsk stated on Tuesday that 14 drones had "
           "been shot down over the Kesh valley during the night.  The statement accused the "
           "Norrland Federation of preparing a wider offensive before the spring thaw. "
           "Spokeswoman Anya Lenz told reporters that the harbour would stay closed to civilian "
           "ships for at least another week.")  # one word changed, dateline, last sentence cut
REQUOTED = WIRE.replace("Spokeswoman Anya Lenz told reporters that the harbour",
                        "“The harbour,” Spokeswoman Anya Lenz told reporters,")
TEMPLATE = ("Officials in Lindholm said on Friday that 40 drones had been shot down over the "
            "Orlen coast during the night. The statement accused the Norrland Federation of "
            "preparing a wider offensive before the spring thaw. Spokeswoman Anya Lenz told "
            "reporters that the harbour would stay closed to civilian ships for at least another "
            "week. Engineers were still repairing the damaged pumping station north of the city.")
SAME_TOPIC = ("Drones over the Kesh valley have become a nightly ordeal for Karsk, where "
              "officials count the wreckage each Tuesday and the harbour stays closed to "
              "civilian ships. Spokeswoman Anya Lenz blames the Norrland Federation, which denies "
              "preparing any offensive, while engineers repair the pumping station.")
HOUSE_LINE = ("The Lantern Post is an independent fictional newspaper funded by its readers; "
              "support our reporting from the harbour and the valley with a monthly gift today.")


def frame(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["paragraph_id", "outlet", "text"])


@pytest.fixture
def paragraphs() -> pd.DataFrame:
    return frame([
        ("a:0", "Fictional Wire", WIRE),
        ("b:0", "Harbor Gazette", REPRINT),
        ("c:3", "Ridge Tribune", REQUOTED),
        ("d:1", "Lantern Post", TEMPLATE),
        ("e:2", "Ridge Tribune", SAME_TOPIC),
        ("f:9", "Lantern Post", HOUSE_LINE),
        ("g:9", "Lantern Post", HOUSE_LINE),
        ("h:0", "Harbor Gazette", "Too short to count as a copy."),
        ("i:0", "Ridge Tribune", "Too short to count as a copy."),
    ])


def test_reprints_with_edits_are_one_syndicated_group(paragraphs):
    found = find_syndicated(paragraphs).set_index("paragraph_id")
    group = found.loc["a:0", "syndication_group"]
    assert group >= 0
    assert found.loc[["b:0", "c:3"], "syndication_group"].tolist() == [group, group]
    assert found.loc[["a:0", "b:0", "c:3"], "syndicated"].all()


def test_near_misses_stay_apart(paragraphs):
    found = find_syndicated(paragraphs).set_index("paragraph_id")
    # Same template, other place, day and count: another report, though most words agree.
    assert found.loc["d:1", "syndication_group"] == -1
    # Same story and names in other words.
    assert found.loc["e:2", "syndication_group"] == -1


def test_an_outlet_repeating_itself_is_not_syndication(paragraphs):
    found = find_syndicated(paragraphs).set_index("paragraph_id")
    repeats = found.loc[["f:9", "g:9"]]
    assert repeats["syndication_group"].nunique() == 1 and repeats["syndication_group"].iloc[0] >= 0
    assert not repeats["syndicated"].any()


def test_short_paragraphs_are_left_out(paragraphs):
    found = find_syndicated(paragraphs).set_index("paragraph_id")
    assert found.loc[["h:0", "i:0"], "syndication_group"].tolist() == [-1, -1]
    assert not found.loc[["h:0", "i:0"], "syndicated"].any()
    lowered = find_syndicated(paragraphs, min_words=4).set_index("paragraph_id")
    assert lowered.loc["h:0", "syndicated"] and lowered.loc["i:0", "syndicated"]


def test_same_result_in_any_row_order_and_every_run(paragraphs):
    first = find_syndicated(paragraphs)
    again = find_syndicated(paragraphs)
    shuffled = find_syndicated(paragraphs.sample(frac=1, random_state=3))
    assert first.equals(again)
    by_id = shuffled.set_index("paragraph_id").loc[first["paragraph_id"]]
    assert by_id["syndication_group"].tolist() == first["syndication_group"].tolist()
    assert by_id["syndicated"].tolist() == first["syndicated"].tolist()
    # Groups are numbered by their first paragraph_id.
    assert first.set_index("paragraph_id").loc["a:0", "syndication_group"] == 0


def test_keeps_other_columns_and_rows(paragraphs):
    found = find_syndicated(paragraphs.assign(cluster=7))
    assert len(found) == len(paragraphs) and (found["cluster"] == 7).all()
    assert found["syndication_group"].dtype == "int64" and found["syndicated"].dtype == bool


def test_group_summary(paragraphs):
    groups = syndication_groups(find_syndicated(paragraphs))
    top = groups.iloc[0]
    assert top["n_outlets"] == 3 and top["paragraphs"] == 3
    assert top["outlets"] == "Fictional Wire, Harbor Gazette, Ridge Tribune"


def test_empty_and_missing_columns():
    empty = find_syndicated(frame([]))
    assert empty.empty and {"syndication_group", "syndicated"} <= set(empty.columns)
    with pytest.raises(AtlasError, match="needs column"):
        find_syndicated(pd.DataFrame({"paragraph_id": ["a"], "text": ["x"]}))


@pytest.mark.parametrize("options, message", [({"threshold": 0}, "threshold"),
                                              ({"containment": 1.5}, "containment"),
                                              ({"min_words": 2}, "min_words")])
def test_bad_options(paragraphs, options, message):
    with pytest.raises(AtlasError, match=message):
        find_syndicated(paragraphs, **options)


def test_words_and_fact_swaps():
    assert paragraph_words("KYIV, Ukraine (AP) — The U.N. said on Oct. 3 “no”.") == [
        "the", "un", "said", "on", "october", "3", "no"]
    assert paragraph_words("U.S officials") == paragraph_words("U.S. officials") == ["us", "officials"]
    words = "said the ministry on the radio that {} drones were shot down over {} last night"
    a = words.format("12", "Karsk").split()
    # One figure changed is a corrected reprint; a name, or a figure and a name, is not.
    assert not swaps_fact(a, words.format("40", "Karsk").split())
    assert swaps_fact(a, words.format("12", "Lindholm").split())
    assert swaps_fact(a, words.format("40", "Lindholm").split())
    assert not swaps_fact(a, words.format("12", "Karsk").split() + ["Extra", "Name"])
    assert not swaps_fact(a, words.format("twelve", "Karsk").split())


# Reprints as RT and Western outlets differ: another transliteration, or an updated toll.
SPELLED_UK = ("Officials in Kyiv said on Tuesday that President Zelenskyy would visit Kharkiv "
              "and the Donbas before travelling on to Odesa, where the harbour has been closed to "
              "civilian ships since the spring. The Harbor Gazette could not confirm the plan "
              "with the presidential office, which declined to comment on security grounds.")
SPELLED_RU = ("Officials in Kiev said on Tuesday that President Zelensky would visit Kharkov "
              "and the Donbass before travelling on to Odessa, where the harbour has been closed "
              "to civilian ships since the spring. The Harbor Gazette could not confirm the plan "
              "with the presidential office, which declined to comment on security grounds.")
TOLL = ("A rocket struck the railway station in the town on Wednesday morning, killing {} people "
        "and wounding dozens more, regional officials said. Rescue teams were still searching "
        "the rubble of the waiting hall in the afternoon, and the line to the coast was closed "
        "until further notice, the railway company said in a statement.")


def test_transliteration_reprint_is_grouped():
    found = find_syndicated(frame([("a:0", "Ridge Tribune", SPELLED_UK),
                                   ("b:0", "Lantern Post", SPELLED_RU)]))
    assert found["syndicated"].all()
    assert found["syndication_group"].nunique() == 1
    assert not swaps_fact(paragraph_tokens(SPELLED_UK), paragraph_tokens(SPELLED_RU))


def test_corrected_figure_is_grouped_but_two_changed_facts_are_not():
    first, update = TOLL.format("12"), TOLL.format("14")
    found = find_syndicated(frame([("a:0", "Ridge Tribune", first),
                                   ("b:0", "Lantern Post", update)]))
    assert found["syndicated"].all()
    # A second changed figure, or a changed name with it, is another report.
    other = update.replace("Wednesday", "Thursday")
    twice = update.replace("dozens more", "40 more")
    assert swaps_fact(paragraph_tokens(first), paragraph_tokens(other))
    assert swaps_fact(paragraph_tokens(first.replace("dozens", "30")), paragraph_tokens(twice))
    found = find_syndicated(frame([("a:0", "Ridge Tribune", first.replace("dozens", "30")),
                                   ("b:0", "Lantern Post", twice),
                                   ("c:0", "Harbor Gazette", other)]))
    assert (found["syndication_group"] == -1).all()
    # A paragraph holding only part of the other, with the figure changed, may be another
    # report reusing a sentence: a correction needs the rest of the paragraph to agree.
    part = update.split(". ")[0] + "."
    found = find_syndicated(frame([("a:0", "Ridge Tribune", first),
                                   ("b:0", "Lantern Post", part)]), min_words=8)
    assert (found["syndication_group"] == -1).all()


def test_check_facts_off_groups_template_reports(paragraphs):
    found = find_syndicated(paragraphs, check_facts=False).set_index("paragraph_id")
    assert found.loc["d:1", "syndication_group"] == found.loc["a:0", "syndication_group"] >= 0


def test_a_short_copy_inside_a_long_paragraph_is_proposed_and_grouped():
    # The short one is a quarter of the long one: Jaccard near 0.25, containment 1.
    lead = ("The regional governor said on Monday that the evacuation of the riverside "
            "districts would continue through the night and that buses would leave every hour "
            "from the central square.")
    rest = ("Volunteers handed out blankets and water at the square. Schools in the area will "
            "stay closed until the end of the week, the education office said. Farmers upstream "
            "reported that fields had been flooded for the second time this year. Engineers "
            "were inspecting the dam, which was built in the 1960s and last repaired a decade "
            "ago. The weather service expects more rain on Thursday.")
    found = find_syndicated(frame([("a:0", "Ridge Tribune", f"{lead} {rest}"),
                                   ("b:0", "Lantern Post", lead)]))
    assert found["syndicated"].all()


# --- bench/syndication.py: its metric code and its labelled real sample -----------------------

def test_bench_metrics():
    from bench.syndication import groups_by_key, pairwise_scores
    from bench.syndication_labels import exact_key, loose_key, score_decisions, wilson

    low, high = wilson(5, 10)
    assert round(low, 4) == 0.2366 and round(high, 4) == 0.7634
    assert wilson(10, 10)[1] == 1.0 and round(wilson(10, 10)[0], 4) == 0.7225
    assert round(wilson(0, 10)[1], 4) == 0.2775 and wilson(0, 0) == (0.0, 1.0)
    scores = score_decisions([True, True, True, False, False], [True, True, False, True, False])
    assert (scores["tp"], scores["fp"], scores["fn"], scores["tn"]) == (2, 1, 1, 1)
    assert scores["precision"] == scores["recall"] == round(2 / 3, 4)
    assert scores["precision_95"] == [round(v, 4) for v in wilson(2, 3)]
    assert score_decisions([False], [False])["precision"] is None
    # Pairs over groups: {a, b, c} true, predicted {a, b} and {c, d}: 1 of 3 true pairs found,
    # 1 false pair (c, d).
    precision, recall, true_pairs, false_pairs = pairwise_scores([0, 0, 0, 1], [5, 5, 6, 6])
    assert (precision, round(recall, 4), true_pairs, false_pairs) == (0.5, 0.3333, 3, 1)
    assert pairwise_scores([0, 1], [-1, -1]) == (1.0, 1.0, 0, 0)
    texts = ["The  U.N. said", "The U.N. said", "the UN said", "other"]
    assert groups_by_key(texts, exact_key) == [0, 0, -1, -1]
    assert groups_by_key(texts, loose_key)[2] == -1  # "un" is not "u n"
    assert loose_key("“No,” she said.") == loose_key("no she said")


def test_bench_rejects_a_bad_label(tmp_path):
    from bench.syndication_labels import LABEL_FIELDS, read_labels

    path = tmp_path / "pairs.csv"
    row = dict.fromkeys(LABEL_FIELDS, "1") | {"split": "tuning", "label": "maybe"}
    pd.DataFrame([row]).to_csv(path, index=False)
    with pytest.raises(ValueError, match="line 2: label must be"):
        read_labels(path)


@needs_real_data
def test_bench_real_sample_labels_load_and_hold_no_text():
    from bench.syndication_labels import LABELS, find_texts, read_labels

    labels = read_labels(LABELS)
    assert len(labels) >= 100 and set(labels["split"]) == {"tuning", "held-out"}
    assert {"copy", "not a copy"} == set(labels["label"]) and (labels["reason"] != "").all()
    # Find a few pairs again, one per corpus, from ../shared/data by row and hash.
    few = labels.groupby("corpus").head(1)
    found = find_texts(few)
    assert not found.missing and len(found.pairs) == len(few)
    stored = LABELS.read_text(encoding="utf-8")
    for text in found.pairs["text_a"].tolist() + found.pairs["text_b"].tolist():
        assert text[:60] not in stored


def test_candidate_pairs_are_those_datasketchs_lsh_index_gives():
    # The bands are matched by sorting the signature matrix instead of MinHashLSH's Python
    # insert and query loop: the same pairs, including buckets of three and more copies.
    from datasketch import MinHash, MinHashLSH

    from framing_atlas.pipeline.syndication import (_CANDIDATE_JACCARD, _LSH_WEIGHTS,
                                                    _candidate_pairs, _shingles)

    rng = np.random.default_rng(3)
    vocabulary = [f"word{i}" for i in range(300)]
    texts = []
    for _ in range(60):
        base = list(rng.choice(vocabulary, 40))
        texts.append(base)
        for _ in range(int(rng.integers(0, 4))):  # edited copies: a few words changed
            copy = list(base)
            for position in rng.choice(40, int(rng.integers(1, 12)), replace=False):
                copy[position] = str(rng.choice(vocabulary))
            texts.append(copy)
    shingles = [_shingles(words, 4) for words in texts]
    signatures = MinHash.bulk([[s.encode() for s in x] for x in shingles], num_perm=128, seed=1)
    lsh = MinHashLSH(threshold=_CANDIDATE_JACCARD, num_perm=128, weights=_LSH_WEIGHTS)
    for index, signature in enumerate(signatures):
        lsh.insert(index, signature)
    expected = sorted({(i, j) for i, signature in enumerate(signatures)
                       for j in lsh.query(signature) if j > i})
    pairs = _candidate_pairs(shingles, num_perm=128, seed=1)
    assert len(expected) > 60 and pairs == expected
