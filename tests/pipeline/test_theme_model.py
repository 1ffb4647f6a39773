"""Theme detectors: description first, then a classifier taught by labels."""

import numpy as np
import pytest

from framing_atlas.errors import AtlasError
from framing_atlas.pipeline.theme_model import (BUNDLED, USER, Examples, best_threshold, detect,
                                                read_bundled, rates, train_detector,
                                                write_bundled)


def unit(x):
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


def labelled(n, *, dim=16, share=0.3, seed=0, direction=0):
    """n unit vectors; the theme's paragraphs lean along axis `direction`."""
    rng = np.random.default_rng(seed)
    truth = (rng.random(n) < share).astype(np.int8)
    x = rng.normal(size=(n, dim))
    x[:, direction] += 4.0 * truth
    return unit(x), truth


def examples(vectors, truth, source=USER):
    return Examples(vectors, truth, np.ones(len(truth)), np.full(len(truth), source, dtype=object))


def test_best_threshold_maximises_f1_between_two_scores():
    score = np.array([0.9, 0.8, 0.7, 0.2, 0.1])
    truth = np.array([1, 1, 0, 1, 0])
    threshold = best_threshold(score, truth)
    said = score >= threshold
    assert 0.1 < threshold < 0.2 or 0.7 < threshold < 0.8
    f1 = rates(score, truth, np.ones(5), threshold)["f1"]
    assert f1 == pytest.approx(max(rates(score, truth, np.ones(5), t)["f1"]
                                   for t in (0.05, 0.15, 0.25, 0.75, 0.85, 0.95)))
    assert said.sum() >= 2


def test_rates_by_hand_and_weighted_error_rates():
    score = np.array([0.9, 0.9, 0.1, 0.9, 0.1])
    truth = np.array([1, 1, 1, 0, 0])
    weight = np.array([1.0, 1.0, 2.0, 1.0, 3.0])
    out = rates(score, truth, weight, 0.5)
    assert out["precision"] == pytest.approx(2 / 3) and out["recall"] == pytest.approx(2 / 3)
    assert out["tpr"] == pytest.approx(2 / 4) and out["fpr"] == pytest.approx(1 / 4)
    assert rates(np.zeros(0), np.zeros(0), np.zeros(0), 0.5)["f1"] is None


def test_too_few_labels_keep_the_description():
    vectors, truth = labelled(40, share=0.1, seed=1)
    assert 0 < truth.sum() < 5
    centroid = unit(np.eye(16)[[0]])[0]
    detector = train_detector("t", centroid, examples(vectors, truth), default_threshold=0.3)
    assert detector.method == "description" and detector.threshold == 0.3
    np.testing.assert_allclose(detector.score(vectors), vectors @ centroid, rtol=1e-6)
    # Its error rates still come from the labels there are.
    assert detector.n_labels == 40 and len(detector.oof_score) == 40


def test_enough_labels_train_a_classifier_with_cross_validated_quality():
    vectors, truth = labelled(300, seed=2)
    centroid = unit(np.eye(16)[[0]])[0]
    detector = train_detector("t", centroid, examples(vectors, truth), default_threshold=0.3)
    quality = detector.quality()
    assert detector.method == "classifier" and detector.n_positive == int(truth.sum())
    assert quality["precision"] > 0.8 and quality["recall"] > 0.8
    assert 0 <= quality["fpr"] < 0.1 < 0.8 < quality["tpr"]
    doc = detector.document()
    assert len(doc["oof"]["score"]) == 300 and doc["method"] == "classifier"
    # The same labels give the same detector (seeded folds).
    again = train_detector("t", centroid, examples(vectors, truth), default_threshold=0.3)
    assert again.threshold == detector.threshold
    np.testing.assert_array_equal(again.coef, detector.coef)


def test_a_new_theme_starts_from_its_description_and_improves_with_labels():
    # The description points half-way between the theme's direction and an unrelated one, so on
    # its own it flags many paragraphs that are not about the theme.
    test_vectors, test_truth = labelled(400, seed=3)
    description = unit(np.array([[0.6, 1.0] + [0.0] * 14]))
    centroid = description[0]
    plain = train_detector("new", centroid, Examples.empty(16), default_threshold=0.3)
    taught_vectors, taught_truth = labelled(200, seed=4)
    taught = train_detector("new", centroid, examples(taught_vectors, taught_truth),
                            description=description, default_threshold=0.3)

    def f1(detector):
        return rates(detector.score(test_vectors), test_truth, np.ones(400),
                     detector.threshold)["f1"]

    assert plain.method == "description" and taught.method == "classifier"
    assert f1(taught) > f1(plain) + 0.15


def test_detect_gives_several_themes_or_none_and_the_widest_margin_as_theme():
    vectors, truth = labelled(200, seed=5)
    centroid = unit(np.eye(16)[[0]])[0]
    a = train_detector("a", centroid, examples(vectors, truth), default_threshold=0.3)
    b = train_detector("b", unit(np.eye(16)[[1]])[0], Examples.empty(16), default_threshold=-1.0)
    table = detect(vectors, [a, b])
    assert table["has_b"].all()  # threshold −1: every paragraph
    assert table.columns.tolist() == ["score_a", "has_a", "score_b", "has_b", "theme"]
    none = detect(vectors, [train_detector("c", centroid, Examples.empty(16),
                                           default_threshold=1.01)])
    assert (none["theme"] == "none").all() and not none["has_c"].any()


def test_bundled_examples_round_trip_without_text(tmp_path):
    vectors, truth = labelled(30, seed=6)
    path = tmp_path / "model.parquet"
    write_bundled(path, [f"h{i}" for i in range(30)], vectors, np.full(30, 2.0),
                  {"alpha": truth, "beta": 1 - truth})
    read = read_bundled(path, ["alpha", "gamma"])
    assert list(read) == ["alpha"]
    np.testing.assert_allclose(read["alpha"].vectors, vectors)
    assert (read["alpha"].truth == truth).all() and (read["alpha"].source == BUNDLED).all()
    assert read_bundled(tmp_path / "absent.parquet", ["alpha"]) == {}
    (tmp_path / "bad.parquet").write_bytes(b"not parquet")
    with pytest.raises(AtlasError, match="cannot read the bundled theme examples"):
        read_bundled(tmp_path / "bad.parquet", ["alpha"])


def test_the_query_feature_is_kept_only_where_cross_validation_says_it_helps():
    rng = np.random.default_rng(7)
    vectors, _ = labelled(300, seed=7)
    # The theme is exactly "matches the query": the vectors carry no trace of it.
    hits = rng.random(300) < 0.3
    truth = hits.astype(np.int8)
    centroid = unit(np.eye(16)[[0]])[0]
    with_hits = Examples(vectors, truth, np.ones(300), np.full(300, USER, dtype=object), hits)
    detector = train_detector("q", centroid, with_hits, query="NATO", default_threshold=0.3)
    assert detector.query == "NATO" and detector.quality()["f1"] > 0.95
    texts = np.where(hits, "NATO said", "nobody said")
    assert (detector.score(vectors, texts) >= detector.threshold).tolist() == hits.tolist()
    # Where the vectors already tell the theme, the simpler model (no query) is kept.
    vectors, truth = labelled(300, seed=8)
    noise = Examples(vectors, truth, np.ones(300), np.full(300, USER, dtype=object),
                     rng.random(300) < 0.5)
    assert train_detector("q", centroid, noise, query="NATO", default_threshold=0.3).query is None
