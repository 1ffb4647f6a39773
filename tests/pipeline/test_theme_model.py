"""Theme detectors: description first, then a classifier taught by labels."""

import numpy as np
import pytest

from framing_atlas.errors import AtlasError
from framing_atlas.pipeline.theme_model import (FROM_BOTH, FROM_PEOPLE, FROM_SHIPPED, USER,
                                                Examples, best_threshold, choose, detect,
                                                rates, read_shipped, shipped_detector,
                                                train_detector, write_shipped)


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


def ship(tmp_path, detector, description=("a sentence",), query=None):
    """Write `detector` as a shipped model and read it back."""
    path = tmp_path / "models.json"
    write_shipped(path, "fake", [detector], {detector.name: (description, query)}, about="test")
    return path, read_shipped(path, 16)[detector.name]


def test_a_shipped_model_round_trips_as_weights_without_vectors_or_text(tmp_path):
    vectors, truth = labelled(300, seed=6)
    centroid = unit(np.eye(16)[[0]])[0]
    trained = train_detector("alpha", centroid, examples(vectors, truth), default_threshold=0.3)
    path, shipped = ship(tmp_path, trained, description=("one", "two"))
    # It scores as the detector it was written from, and keeps its out-of-fold results.
    np.testing.assert_allclose(1 / (1 + np.exp(-shipped.logit(vectors, None))),
                               trained.score(vectors), rtol=1e-5)
    assert shipped.threshold == trained.threshold and shipped.n_labels == 300
    np.testing.assert_array_equal(shipped.oof_truth, truth)
    assert shipped.matches(["one", "two"], None) and not shipped.matches(["one"], None)
    # No vector of any example in it: the weights and one score per example, nothing else.
    text = path.read_text()
    assert '"vector' not in text and "hash" not in text and len(text) < 40_000
    assert read_shipped(path, 32) == {}  # another model's vectors: not used
    assert read_shipped(tmp_path / "absent.json", 16) == {}
    (tmp_path / "bad.json").write_text('{"themes": {"alpha": {"coef": [1]}}}')
    with pytest.raises(AtlasError, match="cannot read the shipped theme models"):
        read_shipped(tmp_path / "bad.json", 16)


def with_logit(shipped, vectors, truth):
    return Examples(vectors, truth, np.ones(len(truth)), np.full(len(truth), USER, dtype=object),
                    None, shipped.logit(vectors, None))


def test_people_s_labels_measure_the_shipped_model_and_replace_it_only_when_they_teach_more(
        tmp_path):
    vectors, truth = labelled(300, seed=9)
    centroid = unit(np.eye(16)[[0]])[0]
    _, shipped = ship(tmp_path, train_detector("alpha", centroid, examples(vectors, truth),
                                               default_threshold=0.3))
    # No labels: the shipped model as it is, its own threshold and out-of-fold results.
    alone = shipped_detector(shipped, centroid, Examples.empty(16))
    assert alone.source == FROM_SHIPPED and alone.threshold == shipped.threshold
    assert alone.n_labels == 300 and alone.n_user == 0 and alone.n_shipped == 300
    # People's labels of the same theme join its out-of-fold results.
    same_v, same_t = labelled(40, seed=10, share=0.5)
    same = with_logit(shipped, same_v, same_t)
    measured = shipped_detector(shipped, centroid, same)
    assert measured.n_labels == 340 and measured.n_user == 40
    np.testing.assert_allclose(measured.score(same_v), 1 / (1 + np.exp(-same.logit)), rtol=1e-5)
    trained = train_detector("alpha", centroid, same, base=shipped, default_threshold=0.3)
    assert choose(measured, trained, same) is measured  # it already reads them right
    # People whose theme is another direction: the shipped model misses it, their labels win.
    other_v, other_t = labelled(80, seed=11, share=0.5, direction=3)
    other = with_logit(shipped, other_v, other_t)
    measured = shipped_detector(shipped, centroid, other)
    trained = train_detector("alpha", centroid, other, base=shipped, default_threshold=0.3)
    chosen = choose(measured, trained, other)
    assert chosen is trained and chosen.source in (FROM_PEOPLE, FROM_BOTH)
    assert chosen.n_labels == 80 and chosen.n_user == 80 and chosen.quality()["f1"] > 0.9
    assert (chosen.score(other_v) >= chosen.threshold).mean() > 0.3


def test_a_recalibration_of_the_shipped_logit_is_tried_first(tmp_path):
    vectors, truth = labelled(300, seed=12)
    centroid = unit(np.eye(16)[[0]])[0]
    _, shipped = ship(tmp_path, train_detector("alpha", centroid, examples(vectors, truth),
                                               default_threshold=0.3))
    v, t = labelled(60, seed=13, share=0.5)
    detector = train_detector("alpha", centroid, with_logit(shipped, v, t), base=shipped,
                              default_threshold=0.3)
    # The shipped logit alone already separates them: the simplest model that does is kept.
    assert not detector.uses_vectors and detector.base is shipped and len(detector.coef) == 1
    assert detector.source == FROM_BOTH and detector.n_shipped == 300
    assert detector.document()["uses_shipped_logit"] and detector.quality()["f1"] > 0.95


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


def test_the_shipped_models_are_those_of_the_project_s_themes():
    """data/theme_models answers for data/themes.toml as it stands: edit a shipped theme and
    this says to run `python bench/themes.py --bundle` again."""
    from pathlib import Path

    from framing_atlas.pipeline.theme_model import shipped_path
    from framing_atlas.pipeline.themes import read_themes

    root = Path(__file__).resolve().parents[2]
    themes, _ = read_themes(root / "data" / "themes.toml")
    shipped = read_shipped(shipped_path(root / "data" / "theme_models", "all-MiniLM-L6-v2"), 384)
    assert sorted(shipped) == sorted(t.name for t in themes)
    for theme in themes:
        model = shipped[theme.name]
        assert model.matches(theme.description, theme.query), (
            f"{theme.name}: description or query changed since the shipped model was trained")
        assert model.n_labels == 1260 and len(model.oof_score) == 1260
