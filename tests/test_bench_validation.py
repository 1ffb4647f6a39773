"""bench/validation.py: folds grouped by outlet, a 1/k baseline, tuned beside untuned clusters."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"


@pytest.fixture(scope="module")
def validation():
    spec = importlib.util.spec_from_file_location("bench_validation", BENCH / "validation.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def outlet_styled(outlets_per_label: dict[str, int], *, seed: int = 0):
    """Paragraph vectors that carry their outlet's style and nothing of its label: each
    fictional outlet has its own direction, and its label is just which list it is in."""
    rng = np.random.default_rng(seed)
    rows, vectors = [], []
    for label, count in outlets_per_label.items():
        for o in range(count):
            style = rng.normal(size=64)
            for article in range(3):
                for paragraph in range(4):
                    rows.append({"outlet": f"{label} Courier {o} (fictional)", "label": label,
                                 "article_id": f"{label}-{o}-{article}"})
                    vectors.append(style + rng.normal(scale=0.3, size=64))
    return np.array(vectors), pd.DataFrame(rows)


def test_outlet_style_does_not_leak_into_the_group_score(validation):
    vectors, paragraphs = outlet_styled({"left": 10, "centre": 10, "right": 10})
    scores = validation.classify(vectors, paragraphs)
    # Folds split by article learn each outlet's style, which fixes its label here.
    assert scores["article_folds_leaky_balanced_accuracy"] > 0.9
    # Grouped by outlet, nothing about the label is left to learn: about chance.
    assert scores["balanced_accuracy"] < 0.6
    assert scores["chance_balanced_accuracy"] == pytest.approx(1 / 3, abs=1e-3)
    assert scores["majority_class_balanced_accuracy"] == pytest.approx(1 / 3, abs=1e-3)
    assert scores["outlets_per_label"] == {"centre": 10, "left": 10, "right": 10}


def test_a_group_of_one_outlet_gets_a_reason_not_a_leaky_figure(validation):
    vectors, paragraphs = outlet_styled({"RT": 1, "Western": 12})
    scores = validation.classify(vectors, paragraphs)
    assert "balanced_accuracy" not in scores
    assert "RT has 1" in scores["skipped"]
    assert scores["chance_balanced_accuracy"] == 0.5


def test_clusters_are_scored_tuned_and_untuned(validation):
    # One dense blob of 60% of the points and four small ones: the cap changes the answer.
    rng = np.random.default_rng(1)
    centres = [(0, 0), (8, 0), (0, 8), (8, 8), (-8, 0)]
    sizes = [300, 50, 50, 50, 50]
    space = np.vstack([rng.normal(c, 0.6, size=(n, 2)) for c, n in zip(centres, sizes)])
    truth = np.repeat(np.arange(5), sizes)
    result = validation.agreement(space, space, truth)
    assert result["tuned"]["max_cluster_share"] == validation.DEFAULTS["max_cluster_share"]
    assert result["untuned"]["max_cluster_share"] == 1.0
    assert result["untuned"]["largest_cluster_share"] == pytest.approx(0.6, abs=0.02)
    assert result["tuned"]["largest_cluster_share"] < result["untuned"]["largest_cluster_share"]
    assert result["kmeans_on_embeddings"]["k"] == 5


def test_readme_block_labels_tuned_and_untuned(validation):
    results = minimal_results()
    block = validation.readme_block(results)
    assert "tuned (`max_cluster_share` 0.25, the default): 0.440" in block
    assert "untuned (cap off): 0.380" in block
    assert "chosen partly on it" in block
    assert "held out" in block
    assert "chance 1/3 = 0.33" in block
    assert "not measured: RT is one outlet" in block


def minimal_results() -> dict:
    """A validation.json shaped like a real run's, with made-up figures."""
    clusters = {"tuned": {"max_cluster_share": 0.25, "clusters": 13, "ami": 0.44,
                          "largest_cluster_share": 0.2, "ami_noise_kept_as_own_label": 0.4,
                          "noise_share": 0.1},
                "untuned": {"max_cluster_share": 1.0, "clusters": 9, "ami": 0.38,
                            "largest_cluster_share": 0.5, "ami_noise_kept_as_own_label": 0.3,
                            "noise_share": 0.1}}
    axis = {"all": {"d": 0.5, "low": 0.2, "high": 0.8, "separates": True, "paragraphs": [9, 9]}}
    calibration = {"tests": 500, "false_positive_rate_article_permutation": 0.05,
                   "false_positive_rate_paragraph_permutation": 1.0}
    skipped = {"labels": 2, "outlets_per_label": {"RT": 1, "Western": 12},
               "chance_balanced_accuracy": 0.5, "majority_class_balanced_accuracy": 0.5,
               "skipped": "folds grouped by outlet need at least 5 outlets per label; RT has 1"}
    return {
        "grouped": {
            "ukraine_war_media_2022": {"articles": 300, "paragraphs": 900,
                                       "classification": skipped, "calibration": calibration,
                                       "axes": {"axis_nato": axis}},
            "zelenskyy_putin_press_releases": {
                "articles": 300, "paragraphs": 900, "calibration": calibration,
                "classification": {**skipped, "outlets_per_label": {"russia_presidency": 1,
                                                                    "ukraine_presidency": 1}},
                "axes": {"axis_weapons": axis}},
            "article_bias_nato": {
                "articles": 300, "paragraphs": 2000, "calibration": calibration,
                "classification": {"labels": 3, "outlets_per_label": {"left": 40, "center": 30,
                                                                      "right": 40},
                                   "chance_balanced_accuracy": 0.333,
                                   "majority_class_balanced_accuracy": 0.333,
                                   "balanced_accuracy": 0.36, "article_balanced_accuracy": 0.4,
                                   "article_folds_leaky_balanced_accuracy": 0.41},
                "topics": {"labels": 60, "label": "topic", **clusters,
                           "kmeans_on_embeddings": {"k": 60, "ami": 0.1},
                           "bertopic": {"available": False, "why": "not installed"}}},
        },
        "narratives": {"passages": 550, "narratives": 13, **clusters,
                       "kmeans_on_embeddings": {"k": 13, "ami": 0.4},
                       "bertopic": {"available": False, "why": "not installed"}},
    }
