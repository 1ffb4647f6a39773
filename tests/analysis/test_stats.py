import math

import numpy as np
import pandas as pd
import pytest

from framing_atlas.errors import AtlasError
from framing_atlas.analysis.stats import (MIN_ARTICLES, N_PERMUTATIONS, adjust_p_values,
                                          bootstrap_shares, centroid_distance_matrix,
                                          centroid_distances, permutations_for, interval_labels,
                                          js_divergence, js_divergence_matrix, log_odds,
                                          resample_weights)
from framing_atlas.pipeline.neighbours import outlet_centroids


# log_odds ---------------------------------------------------------------------------------------

def fruit() -> pd.DataFrame:
    # A: apple apple banana (n_A = 3); B: banana cherry (n_B = 2). Corpus: apple 2, banana 2,
    # cherry 1, total 5.
    return pd.DataFrame({"outlet": ["A", "A", "B"],
                         "text": ["apple apple", "banana", "banana cherry"]})


def with_articles(paragraphs: pd.DataFrame) -> pd.DataFrame:
    """Each paragraph its own article, as the by-hand examples assume."""
    return paragraphs.assign(article_id=[f"a{i}" for i in range(len(paragraphs))])


def test_log_odds_by_hand_with_corpus_prior():
    # Default prior: a0 = corpus total = 5, so a_w = corpus count: apple 2, banana 2, cherry 1.
    # apple:  target (2+2)/(3+5-2-2) = 1 -> log 0;  rest (0+2)/(2+5-0-2) = 2/5
    #         delta = 0 - log(0.4) = 0.916291;  var = 1/4 + 1/2 = 0.75
    #         z = 0.916291/0.866025 = 1.058041
    # banana: target (1+2)/(3+5-1-2) = 3/5;  rest (1+2)/(2+5-1-2) = 3/4
    #         delta = log(0.6/0.75) = log 0.8 = -0.223144;  var = 1/3 + 1/3;  z = -0.273293
    # cherry: target (0+1)/(3+5-0-1) = 1/7;  rest (1+1)/(2+5-1-1) = 2/5
    #         delta = log((1/7)/(2/5)) = log(5/14) = -1.029619;  var = 1 + 1/2
    #         z = -1.029619/1.224745 = -0.840681
    table = log_odds(with_articles(fruit()), target="A", min_count=1, top=None)
    table = table.set_index("term").loc[["apple", "banana", "cherry"]]
    assert table["count_target"].tolist() == [2, 1, 0]
    assert table["count_rest"].tolist() == [0, 1, 1]
    assert table["log_odds"].tolist() == pytest.approx([-math.log(0.4), math.log(0.8),
                                                        math.log(5 / 14)], abs=1e-9)
    assert table["z_words"].tolist() == pytest.approx([1.058041, -0.273293, -0.840681], abs=1e-6)
    # The article-aware z never claims more than the word-level one.
    assert (table["z"].abs() <= table["z_words"].abs() + 1e-12).all()


def test_log_odds_by_hand_with_fixed_prior_size():
    # a0 = 10: a_w = 10 × share: apple 4, banana 4, cherry 2.
    # apple: target (2+4)/(3+10-2-4) = 6/7; rest (0+4)/(2+10-0-4) = 4/8
    #        delta = log((6/7)/(1/2)) = log(12/7) = 0.538997; var = 1/6 + 1/4
    #        z = 0.538997/0.645497 = 0.835010
    table = log_odds(with_articles(fruit()), target="A", min_count=1, top=None, prior_size=10)
    apple = table.set_index("term").loc["apple"]
    assert apple["log_odds"] == pytest.approx(math.log(12 / 7), abs=1e-9)
    assert apple["z_words"] == pytest.approx(math.log(12 / 7) / math.sqrt(1 / 6 + 1 / 4),
                                             abs=1e-9)


def repeated_word_corpus() -> pd.DataFrame:
    """Two fictional outlets of 20 one-paragraph articles of shared filler words. In Alder Post,
    one article repeats 'zeppelin' 20 times; 'harbour' appears once in each of 15 articles."""
    rng = np.random.default_rng(0)
    filler = "river stone cloud market window garden paper engine valley forest".split()
    rows = []
    for outlet in ("Alder Post (fictional)", "Birch Daily (fictional)"):
        for k in range(20):
            words = list(rng.choice(filler, size=60))
            if outlet.startswith("Alder"):
                words += ["zeppelin"] * 20 if k == 0 else []
                words += ["harbour"] if 1 <= k <= 15 else []
            rows.append({"article_id": f"{outlet[:5]}-{k}", "outlet": outlet,
                         "text": " ".join(words)})
    return pd.DataFrame(rows)


def test_a_word_one_article_repeats_is_not_distinctive():
    table = log_odds(repeated_word_corpus(), target="Alder Post (fictional)", min_count=1,
                     top=None).set_index("term")
    zeppelin, harbour = table.loc["zeppelin"], table.loc["harbour"]
    # Counting words as independent, the one article's 20 repeats look distinctive ...
    assert zeppelin["z_words"] > 1.96
    assert (zeppelin["articles_target"], zeppelin["articles_rest"]) == (1, 0)
    # ... resampling articles they do not, and the term is flagged as one article's.
    assert zeppelin["z"] < 1.96 and zeppelin["few_articles"]
    # A word 15 of the outlet's articles use once each is.
    assert harbour["z"] > 1.96 and not harbour["few_articles"]
    assert harbour["articles_target"] == 15
    assert table.index.get_loc("harbour") < table.index.get_loc("zeppelin")  # ranked by z


def test_log_odds_needs_each_article_in_one_group():
    paragraphs = repeated_word_corpus()
    paragraphs.loc[paragraphs.index[-1], "article_id"] = paragraphs["article_id"].iloc[0]
    with pytest.raises(AtlasError, match="more than one 'outlet'"):
        log_odds(paragraphs, target="Alder Post (fictional)")


def test_log_odds_keeps_both_ends_and_drops_rare_terms():
    paragraphs = with_articles(pd.DataFrame({
        "outlet": ["A"] * 3 + ["B"] * 3,
        "text": ["alpha beta gamma delta"] * 3 + ["omega sigma theta"] * 3}))
    table = log_odds(paragraphs, target="A", min_count=1, top=2)
    assert len(table) == 4 and (table["z"].diff().dropna() <= 0).all()
    assert set(table["term"][:2]) <= {"alpha", "beta", "gamma", "delta"}
    assert set(table["term"][2:]) <= {"omega", "sigma", "theta"}
    assert log_odds(paragraphs, target="A", min_count=4, top=None).empty  # each term used 3 times


def test_log_odds_uses_the_news_stop_words():
    paragraphs = with_articles(pd.DataFrame({"outlet": ["A", "B"],
                                             "text": ["officials said apple", "pear"]}))
    assert "said" not in log_odds(paragraphs, target="A", min_count=1)["term"].tolist()


@pytest.mark.parametrize("target, kwargs, message", [
    ("Z", {}, "no paragraphs of 'Z'"),
    ("A", {"prior_size": 0}, "prior_size must be > 0"),
])
def test_log_odds_says_what_is_wrong(target, kwargs, message):
    with pytest.raises(AtlasError, match=message):
        log_odds(with_articles(fruit()), target=target, **kwargs)


def test_log_odds_needs_another_group():
    with pytest.raises(AtlasError, match="nothing to compare"):
        log_odds(with_articles(fruit()).query("outlet == 'A'"), target="A")


# bootstrap_shares -------------------------------------------------------------------------------

def two_articles() -> pd.DataFrame:
    # Group g: article 1 has two paragraphs in category a, article 2 one in b.
    # Group h: a single article, one paragraph a, one b.
    return pd.DataFrame({"article_id": ["1", "1", "2", "3", "3"],
                         "outlet": ["g", "g", "g", "h", "h"],
                         "cluster": ["a", "a", "b", "a", "b"]})


def test_one_resample_count_is_every_bootstrap_default():
    import inspect

    from framing_atlas.analysis import axes, stats

    for function in (stats.bootstrap_shares, stats.log_odds, axes.axis_summary,
                     axes.effect_size):
        assert inspect.signature(function).parameters["n_boot"].default == stats.N_BOOT
    import app_data  # the pages' one reader takes no count, so a page cannot ask for another

    assert "n_boot" not in inspect.signature(app_data.shares_with_intervals).parameters


def test_resample_weights_count_draws_per_unit():
    weights = resample_weights(5, n_boot=200, rng=np.random.default_rng(0))
    assert weights.shape == (200, 5) and (weights.sum(axis=1) == 5).all()
    assert weights.mean() == pytest.approx(1.0)


def test_resampled_sums_hold_a_chunk_of_weights_and_draw_the_same_resamples():
    from framing_atlas.analysis.stats import resampled_sums

    values = np.arange(30, dtype=float).reshape(10, 3)
    whole = resample_weights(10, n_boot=50, rng=np.random.default_rng(3)) @ values
    chunked = resampled_sums(values, n_boot=50, rng=np.random.default_rng(3), cells=40)
    assert chunked.shape == (50, 3) and np.array_equal(whole, chunked)  # 4 resamples at a time


def test_bootstrap_shares_by_hand():
    # Share of a in g: 2 of 3 paragraphs = 2/3 (paragraph share, not the mean of the article
    # shares, which would be (1 + 0)/2). Resampling g's two articles with replacement:
    #   {1,1} → 4/4 = 1 (prob 1/4);  {1,2} or {2,1} → 2/3 (prob 1/2);  {2,2} → 0/2 = 0 (prob 1/4).
    # CDF: 0 → 0.25, 2/3 → 0.75, 1 → 1. A 40% interval (quantiles 0.30 and 0.70) is [2/3, 2/3];
    # a 95% interval (0.025 and 0.975) is [0, 1].
    # h has one article: every resample is that article, so a bootstrap would give a zero-width
    # interval; below min_articles there is no interval at all, only the share, flagged thin.
    narrow = bootstrap_shares(two_articles(), group_col="outlet", category_col="cluster",
                              n_boot=4000, level=0.4, min_articles=2)
    narrow = narrow.set_index(["group", "category"])
    assert narrow.loc[("g", "a"), "share"] == pytest.approx(2 / 3)
    assert narrow.loc[("g", "a"), ["low", "high"]].tolist() == pytest.approx([2 / 3, 2 / 3])
    assert narrow.loc[("g", "a"), "paragraphs"] == 2 and narrow.loc[("g", "a"), "articles"] == 2
    assert narrow.loc[("h", "b"), "share"] == pytest.approx(.5)
    assert narrow.loc[("h", "b"), ["low", "high"]].isna().all()
    assert narrow["thin"].to_dict() == {("g", "a"): False, ("g", "b"): False,
                                        ("h", "a"): True, ("h", "b"): True}
    wide = bootstrap_shares(two_articles(), group_col="outlet", category_col="cluster",
                            n_boot=4000, level=0.95, min_articles=2).set_index(
                                ["group", "category"])
    assert wide.loc[("g", "a"), ["low", "high"]].tolist() == pytest.approx([0, 1])
    assert wide.loc[("g", "b"), ["low", "high"]].tolist() == pytest.approx([0, 1])


def test_one_article_of_25_paragraphs_gets_no_interval():
    # The case: 10 of 25 paragraphs of one article → 40%, and a bootstrap over one
    # article would say [40%–40%]. Ten articles of 2–3 paragraphs get a real interval.
    one = pd.DataFrame({"article_id": "solo", "outlet": "Lone Wire (fictional)",
                        "cluster": ["a"] * 10 + ["b"] * 15})
    many = pd.DataFrame({"article_id": np.repeat([f"m{i}" for i in range(10)], 3)[:29],
                         "outlet": "Many Post (fictional)",
                         "cluster": (["a", "b", "b"] * 10)[:29]})
    many.loc[many["article_id"].isin(["m0", "m1", "m2"]), "cluster"] = "a"
    table = bootstrap_shares(pd.concat([one, many]), group_col="outlet",
                             category_col="cluster").set_index(["group", "category"])
    lone = table.loc[("Lone Wire (fictional)", "a")]
    assert lone["share"] == pytest.approx(0.4) and lone["articles"] == 1 and lone["thin"]
    assert np.isnan(lone["low"]) and np.isnan(lone["high"])
    other = table.loc[("Many Post (fictional)", "a")]
    assert other["articles"] == MIN_ARTICLES == 10 and not other["thin"]
    assert other["low"] < other["share"] < other["high"]
    assert bootstrap_shares(one, group_col="outlet", category_col="cluster",
                            min_articles=1)["low"].notna().all()  # the rule, not a failure


def test_interval_labels_never_show_an_interval_that_is_not_there():
    table = pd.DataFrame({"share": [0.4, 0.25, np.nan], "low": [np.nan, 0.125, np.nan],
                          "high": [np.nan, 0.375, np.nan]})
    assert interval_labels(table["share"], table["low"], table["high"]).tolist() == [
        "40% (too few articles)", "25% [12%–38%]", ""]


def test_bootstrap_shares_fill_missing_categories_and_repeat_with_seed():
    paragraphs = two_articles().assign(cluster=["a", "a", "a", "b", "b"])
    table = bootstrap_shares(paragraphs, group_col="outlet", category_col="cluster", n_boot=50,
                             min_articles=1)
    row = table.set_index(["group", "category"]).loc[("g", "b")]
    assert row[["paragraphs", "share", "low", "high"]].tolist() == [0, 0, 0, 0]
    again = bootstrap_shares(paragraphs, group_col="outlet", category_col="cluster", n_boot=50,
                             min_articles=1)
    pd.testing.assert_frame_equal(table, again)


def test_an_article_in_two_groups_is_an_error():
    paragraphs = two_articles().assign(outlet=["g", "h", "g", "h", "h"])
    with pytest.raises(AtlasError, match="article '1' has paragraphs in more than one 'outlet'"):
        bootstrap_shares(paragraphs, group_col="outlet", category_col="cluster")


# js_divergence_matrix ---------------------------------------------------------------------------

def test_js_divergence_by_hand():
    # Disjoint: 1 bit. Identical: 0.
    # P = (1/2, 1/2), Q = (1, 0): M = (3/4, 1/4)
    #   KL(P‖M) = ½ log2(½ / ¾) + ½ log2(½ / ¼) = ½(−0.584963) + ½(1) = 0.207519
    #   KL(Q‖M) = 1 · log2(1 / ¾) = 0.415037;  JSD = ½(0.207519 + 0.415037) = 0.311278
    assert js_divergence([1, 0], [0, 1]) == pytest.approx(1.0)
    assert js_divergence([2, 3], [4, 6]) == pytest.approx(0.0, abs=1e-12)
    assert js_divergence([1, 1], [5, 0]) == pytest.approx(0.311278, abs=1e-6)


def test_permutation_p_value_by_hand():
    # g: articles 1, 2 all in x; h: articles 3, 4 all in y; observed JSD = 1.
    # Dealing 4 articles into 2 + 2: 6 equally likely splits; only the observed one and its
    # mirror give JSD = 1 (the other 4 mix x and y equally: JSD = 0). So P(JSD ≥ 1) = 2/6 and
    # p = (1 + n/3) / (1 + n) ≈ 1/3.
    paragraphs = pd.DataFrame({"article_id": list("1234"), "outlet": list("gghh"),
                               "cluster": list("xxyy")})
    table = js_divergence_matrix(paragraphs, group_col="outlet", n_permutations=3000, seed=1)
    row = table.iloc[0]
    assert (row["group_a"], row["group_b"]) == ("g", "h")
    assert row["jsd"] == pytest.approx(1.0)
    assert row["p_value"] == pytest.approx(1 / 3, abs=0.03)
    assert (row["articles_a"], row["articles_b"]) == (2, 2)


def test_two_single_article_groups_can_never_be_significant():
    # With one article each, the only other split is the swap, which has the same JSD:
    # every permutation ties, so p = (1 + n) / (1 + n) = 1.
    paragraphs = pd.DataFrame({"article_id": ["1", "1", "2"], "outlet": ["g", "g", "h"],
                               "cluster": [0, 0, 1]})
    table = js_divergence_matrix(paragraphs, group_col="outlet", n_permutations=99)
    assert table["p_value"].tolist() == [1.0]


def test_permutations_move_whole_articles():
    # 40 articles per group, each of 10 paragraphs all in one cluster; g's articles lean to
    # cluster 0 (25 of 40), h's to 1 (25 of 40). If paragraphs were permuted one by one the
    # difference would look certain; dealing whole articles it is not (p well above 0.001).
    article = np.repeat(np.arange(80), 10)
    cluster = np.repeat(np.r_[np.zeros(25), np.ones(15), np.ones(25), np.zeros(15)], 10)
    paragraphs = pd.DataFrame({"article_id": article, "outlet": np.where(article < 40, "g", "h"),
                               "cluster": cluster.astype(int)})
    table = js_divergence_matrix(paragraphs, group_col="outlet", n_permutations=999, seed=0)
    assert 0.01 < table["p_value"].iloc[0] < 0.2


def test_js_matrix_lists_every_pair_once_and_repeats_with_seed():
    paragraphs = pd.DataFrame({"article_id": list("123456"), "outlet": list("aabbcc"),
                               "cluster": [0, 1, 0, 0, 1, 1]})
    table = js_divergence_matrix(paragraphs, group_col="outlet", n_permutations=49, seed=3)
    assert list(zip(table["group_a"], table["group_b"])) == [("a", "b"), ("a", "c"), ("b", "c")]
    # a = {0, 1}, b = {0, 0}, c = {1, 1} (one paragraph per article). a–b: every way of dealing
    # the four articles 2 + 2 puts the one "1" on one side, so every split has the observed JSD
    # and p = 1 exactly; a–c likewise. b–c is JSD 1 and only 2 of the 6 splits reach it:
    # p ≈ 1/3, far from 1 (its sd with 49 permutations is about 0.07).
    assert table["p_value"].tolist()[:2] == [1.0, 1.0]
    assert 0.1 < table["p_value"].iloc[2] < 0.6
    pd.testing.assert_frame_equal(table, js_divergence_matrix(paragraphs, group_col="outlet",
                                                              n_permutations=49, seed=3))


def test_holm_and_benjamini_hochberg_by_hand():
    # Sorted: 0.005, 0.01, 0.03, 0.04 (m = 4).
    # Holm: 4·0.005 = 0.02, 3·0.01 = 0.03, 2·0.03 = 0.06, 1·0.04 = 0.04 → running max
    #       0.02, 0.03, 0.06, 0.06.
    # BH:   0.005·4/1 = 0.02, 0.01·4/2 = 0.02, 0.03·4/3 = 0.04, 0.04·4/4 = 0.04 → running min
    #       from the largest: 0.02, 0.02, 0.04, 0.04.
    p = [0.01, 0.04, 0.03, 0.005]
    assert adjust_p_values(p, method="holm").tolist() == pytest.approx([0.03, 0.06, 0.06, 0.02])
    assert adjust_p_values(p, method="bh").tolist() == pytest.approx([0.02, 0.04, 0.04, 0.02])
    # Capped at 1; a missing p stays missing and does not count as a test.
    assert adjust_p_values([0.5, 0.4, np.nan], method="holm").tolist()[:2] == [0.8, 0.8]
    assert np.isnan(adjust_p_values([0.5, 0.4, np.nan], method="holm")[2])
    assert adjust_p_values([0.9, 0.6], method="holm").tolist() == [1.0, 1.0]
    assert adjust_p_values([], method="holm").size == 0
    with pytest.raises(AtlasError, match="method must be one of holm, bh"):
        adjust_p_values(p, method="bonferonni")


def test_benjamini_hochberg_agrees_with_scipy():
    from scipy.stats import false_discovery_control

    p = np.random.default_rng(0).uniform(0, 0.2, size=40)
    np.testing.assert_allclose(adjust_p_values(p, method="bh"), false_discovery_control(p))


def test_js_matrix_shows_raw_and_holm_adjusted_p_values():
    paragraphs = pd.DataFrame({"article_id": list("123456"), "outlet": list("aabbcc"),
                               "cluster": [0, 1, 0, 0, 1, 1]})
    table = js_divergence_matrix(paragraphs, group_col="outlet", n_permutations=49, seed=3)
    # Raw p: 1, 1, p_bc. Holm: p_bc is the smallest of 3, so × 3; the two 1s stay 1.
    assert table["p_holm"].tolist()[:2] == [1.0, 1.0]
    assert table["p_holm"].iloc[2] == pytest.approx(min(1.0, 3 * table["p_value"].iloc[2]))
    assert (table["p_holm"] >= table["p_value"]).all()


def test_enough_permutations_for_the_correction_to_reach_small_p():
    # 36 pairs (9 outlets): the smallest Holm p is 36 / (1 + n); for it to reach 0.005, n ≥ 7199.
    assert permutations_for(36) == 7199 and 36 / (1 + 7199) == pytest.approx(0.005)
    assert permutations_for(1) == N_PERMUTATIONS  # never fewer than the default
    assert permutations_for(10_000) == 9999  # bounded, so a page stays responsive


# centroid_distances -----------------------------------------------------------------------------

def test_centroid_distances_by_hand():
    # a: (1,0) and (0,1) → mean (½,½) → unit (0.7071, 0.7071); b: (1,0); c: (−1,0).
    # d(a,b) = 1 − 0.7071 = 0.292893; d(a,c) = 1 + 0.7071 = 1.707107; d(b,c) = 1 − (−1) = 2.
    vectors = np.array([[1, 0], [0, 1], [1, 0], [-1, 0]], dtype=np.float32)
    table = centroid_distances(vectors, ["a", "a", "b", "c"])
    assert table.index.tolist() == table.columns.tolist() == ["a", "b", "c"]
    expected = [[0, 1 - math.sqrt(.5), 1 + math.sqrt(.5)],
                [1 - math.sqrt(.5), 0, 2], [1 + math.sqrt(.5), 2, 0]]
    np.testing.assert_allclose(table.to_numpy(), expected, atol=1e-6)


def test_centroid_of_opposite_vectors_has_no_direction():
    table = centroid_distances(np.array([[1.0, 0], [-1.0, 0], [0, 1.0]]), ["a", "a", "b"])
    assert np.isnan(table.loc["a", "b"]) and table.loc["b", "b"] == 0


def two_outlets():
    paragraphs = pd.DataFrame({"paragraph_id": ["a", "b", "c", "d"],
                               "outlet": ["X", "X", "Y", "Y"]})
    vectors = np.array([[1, 0], [0, 1], [0.8, 0.6], [0.6, 0.8]], dtype=np.float32)
    return paragraphs, vectors


def test_outlet_centroid_distances_by_hand():
    paragraphs, vectors = two_outlets()
    centroids = outlet_centroids(paragraphs, vectors)
    assert centroids["paragraphs"].tolist() == [2, 2]
    distances = centroid_distance_matrix(centroids, pd.Series({"X": "X", "Y": "Y"}))
    # X's mean (0.5, 0.5) and Y's (0.7, 0.7) point the same way: distance 0.
    assert distances.loc["X", "Y"] == pytest.approx(0, abs=1e-9)
    one = centroid_distance_matrix(centroids, pd.Series({"X": "all", "Y": "all"}))
    assert one.shape == (1, 1)


def test_orthogonal_outlets_are_one_apart():
    paragraphs = pd.DataFrame({"paragraph_id": ["a", "b"], "outlet": ["X", "Y"]})
    centroids = outlet_centroids(paragraphs, np.array([[1.0, 0.0], [0.0, 1.0]]))
    distances = centroid_distance_matrix(centroids, pd.Series({"X": "X", "Y": "Y"}))
    assert distances.loc["X", "Y"] == pytest.approx(1.0)


def test_many_repeated_rows_are_resampled_together_with_the_same_distribution():
    from framing_atlas.analysis.stats import COMPRESS_FROM, resampled_sums

    rng = np.random.default_rng(5)
    n = COMPRESS_FROM * 2
    # Articles of 1 to 4 paragraphs, each paragraph on the theme or not: few distinct rows.
    totals = rng.integers(1, 5, n).astype(float)
    values = np.column_stack([totals, rng.binomial(totals.astype(int), 0.3)])
    compressed = resampled_sums(values, n_boot=4000, rng=np.random.default_rng(1))
    plain = resample_weights(n, n_boot=4000, rng=np.random.default_rng(1)) @ values
    assert compressed.shape == plain.shape == (4000, 2)
    assert (compressed[:, 0] == compressed[:, 0].round()).all()  # whole articles drawn
    share_c, share_p = compressed[:, 1] / compressed[:, 0], plain[:, 1] / plain[:, 0]
    # Same centre and spread (4000 resamples each: well within a few percent).
    assert share_c.mean() == pytest.approx(share_p.mean(), abs=5e-4)
    assert share_c.std() == pytest.approx(share_p.std(), rel=0.08)
    assert np.quantile(share_c, 0.975) == pytest.approx(np.quantile(share_p, 0.975), abs=2e-3)
