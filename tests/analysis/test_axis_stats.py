import numpy as np
import pandas as pd
import pytest

from framing_atlas.analysis.axes import axis_summary, effect_size
from framing_atlas.errors import AtlasError


def summary_frame() -> pd.DataFrame:
    # g: article 1 has positions 0.2 and 0.4, article 2 has 1.0; h: one article, 0.0 and −0.5.
    return pd.DataFrame({"article_id": ["1", "1", "2", "3", "3"],
                         "outlet": ["g", "g", "g", "h", "h"],
                         "axis_nato": [0.2, 0.4, 1.0, 0.0, -0.5]})


def test_axis_summary_by_hand():
    # g: mean of paragraphs = (0.2 + 0.4 + 1.0)/3 = 0.5333. Resampling its 2 articles:
    #   {1,1} → (0.6+0.6)/4 = 0.3 (1/4);  {1,2} → (0.6+1.0)/3 = 0.5333 (1/2);  {2,2} → 1.0 (1/4).
    #   40% interval (0.30, 0.70 quantiles) = [0.5333, 0.5333]; 95% interval = [0.3, 1.0].
    # h: one article → every resample is the same, a zero-width interval that would claim
    # certainty: below min_articles there is no interval, only the mean, flagged thin.
    narrow = axis_summary(summary_frame(), group_col="outlet", axis="nato", n_boot=4000,
                          level=0.4, min_articles=2).set_index("group")
    assert narrow.loc["g", ["mean", "low", "high"]].tolist() == pytest.approx([1.6 / 3] * 3)
    assert narrow.loc["g", ["paragraphs", "articles"]].tolist() == [3, 2]
    assert narrow.loc["h", "mean"] == pytest.approx(-0.25)
    assert narrow.loc["h", ["low", "high"]].isna().all()
    assert narrow["thin"].to_dict() == {"g": False, "h": True}
    wide = axis_summary(summary_frame(), group_col="outlet", axis="axis_nato", n_boot=4000,
                        level=0.95, min_articles=2).set_index("group")
    assert wide.loc["g", ["low", "high"]].tolist() == pytest.approx([0.3, 1.0])


def test_cohens_d_by_hand():
    # a = 1,2,3: mean 2, variance (n−1) 1; b = 3,4,5: mean 4, variance 1.
    # pooled SD = √((2·1 + 2·1)/(3+3−2)) = 1; d = (2 − 4)/1 = −2.
    # a = 0,0,2,2: mean 1, SS 4; b = 0,1: mean 0.5, SS 0.5; pooled SD = √(4.5/4) = 1.0607;
    # d = 0.5/1.0607 = 0.471405.
    assert effect_size([1, 2, 3], [3, 4, 5], n_boot=10).d == pytest.approx(-2.0)
    assert effect_size([0, 0, 2, 2], [0, 1], n_boot=10).d == pytest.approx(0.471405, abs=1e-6)


def test_effect_size_interval_resamples_articles():
    # Each side is one article: every article-level resample is the data itself, so the
    # interval shrinks to d = −2. Resampling single values, it does not.
    a, b = [1.0, 2.0, 3.0], [3.0, 4.0, 5.0]
    by_article = effect_size(a, b, n_boot=200, a_articles=["x"] * 3, b_articles=["y"] * 3)
    assert (by_article.low, by_article.high) == pytest.approx((-2.0, -2.0))
    by_value = effect_size(a, b, n_boot=200, seed=1)
    assert by_value.high - by_value.low > 0.5
    assert (by_value.n_a, by_value.n_b) == (3, 3)


def test_effect_size_interval_covers_a_known_difference():
    rng = np.random.default_rng(0)
    a, b = rng.normal(0.5, 1, 400), rng.normal(0.0, 1, 400)
    effect = effect_size(a, b, n_boot=500, seed=2)
    assert effect.low < effect.d < effect.high and effect.low < 0.5 < effect.high


def test_effect_size_needs_two_values_each():
    with pytest.raises(AtlasError, match="at least 2 values"):
        effect_size([1.0], [1.0, 2.0])
