import numpy as np
import pandas as pd
import pytest

from framing_atlas.errors import AtlasError
from framing_atlas.pipeline.themes import (Theme, assign_themes, read_themes, score_themes,
                                           theme_centroids, train_detectors)


def test_project_themes_file_is_valid():
    themes, threshold = read_themes("data/themes.toml")
    assert [t.name for t in themes] == ["expansion", "escalation", "information_warfare"]
    assert all(len(t.description) >= 3 for t in themes) and threshold is not None


@pytest.mark.parametrize("content, message", [
    ("[[themes]]\nname = 'Bad Name'\ndescription = ['x']", "theme 1: name must be lower-case"),
    ("[[themes]]\nname = 'a'\ndescription = []", "theme 1 \\('a'\\): description must be"),
    ("[[themes]]\nname = 'a'\ndescription = ['x']\n[[themes]]\nname = 'a'\ndescription = ['y']",
     "theme 2: the name 'a' is used twice"),
    ("threshold = 3\n[[themes]]\nname = 'a'\ndescription = ['x']", "threshold must be"),
    ("title = 'no themes'", "no themes"),
    ("[[themes]\n", "not valid TOML"),
])
def test_bad_themes_files_say_what_is_wrong(tmp_path, content, message):
    path = tmp_path / "themes.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(AtlasError, match=message) as err:
        read_themes(path)
    assert str(path) in str(err.value)


def test_scores_and_threshold_by_hand():
    centroids = theme_centroids([np.array([[1.0, 0.0], [1.0, 0.0]]), np.array([[0.0, 1.0]])])
    vectors = np.array([[1, 0], [0.6, 0.8], [-1, 0]], dtype=np.float32)
    table = score_themes(vectors, centroids, ["a", "b"], threshold=0.5)
    assert table["score_a"].tolist() == pytest.approx([1.0, 0.6, -1.0], abs=1e-6)
    assert table["score_b"].tolist() == pytest.approx([0.0, 0.8, 0.0], abs=1e-6)
    assert table["theme"].tolist() == ["a", "b", "none"]


def test_a_theme_without_labels_is_detected_by_its_description(fake_encoder):
    themes = [Theme("arms", "arms", ("missiles tanks", "artillery drones")),
              Theme("talks", "talks", ("summit diplomacy negotiation",))]
    texts = ["missiles tanks artillery drones", "summit diplomacy negotiation", "weather report"]
    paragraphs = pd.DataFrame({"paragraph_id": ["a", "b", "c"], "text": texts})
    vectors = fake_encoder.encode(texts)
    detectors = train_detectors(themes, threshold=0.5, encoder=fake_encoder)
    assert [d.method for d in detectors] == ["description", "description"]
    assigned = assign_themes(paragraphs, vectors, detectors)
    centroids = theme_centroids([fake_encoder.encode(["missiles tanks", "artillery drones"]),
                                 fake_encoder.encode(["summit diplomacy negotiation"])])
    expected = score_themes(vectors, centroids, ["arms", "talks"], threshold=0.5)
    assert assigned.columns.tolist() == ["paragraph_id", "text", "score_arms", "has_arms",
                                         "score_talks", "has_talks", "theme"]
    pd.testing.assert_frame_equal(assigned[expected.columns], expected)
    assert assigned["theme"].tolist() == ["arms", "talks", "none"]
    assert assigned["has_arms"].tolist() == [True, False, False]


ARMS = "missiles tanks weapons deliveries artillery drones shells rockets".split()
TALKS = "summit diplomacy negotiation ceasefire envoy treaty mediation dialogue".split()
OTHER = "weather markets football harvest festival railway museum concert".split()


def texts_of(words, n, seed):
    rng = np.random.default_rng(seed)
    return [" ".join(rng.choice(words, 4, replace=False)) for _ in range(n)]


def test_a_shipped_model_is_used_until_its_theme_changes_or_people_teach_another(
        tmp_path, fake_encoder):
    from framing_atlas.pipeline.theme_model import (CHANGED, FROM_SHIPPED, Examples,
                                                    train_detector, write_shipped)
    from framing_atlas.store import IN_THEME, LABEL_COLUMNS, LABELLED_AT, TEXT, TEXT_HASH, THEME
    from framing_atlas.store import text_hash

    description = ("missiles tanks and artillery", "weapons deliveries")
    theme = Theme("arms", "arms", description)
    texts = texts_of(ARMS, 30, 1) + texts_of(TALKS + OTHER, 30, 2)
    truth = np.r_[np.ones(30), np.zeros(30)].astype(np.int8)
    vectors = fake_encoder.encode(texts)
    sentences = fake_encoder.encode(list(description))
    trained = train_detector("arms", sentences.mean(axis=0), Examples(
        vectors, truth, np.ones(60), np.full(60, "labelled", dtype=object)),
        description=sentences, default_threshold=0.3)
    path = tmp_path / "models.json"
    write_shipped(path, "fake", [trained], {"arms": (description, None)}, about="test")

    [as_shipped] = train_detectors([theme], threshold=0.3, encoder=fake_encoder, shipped=path)
    assert as_shipped.source == FROM_SHIPPED and as_shipped.n_labels == 60
    probe = texts_of(ARMS, 5, 3) + texts_of(OTHER, 5, 4)
    said = as_shipped.score(fake_encoder.encode(probe), probe) >= as_shipped.threshold
    assert said.tolist() == [True] * 5 + [False] * 5

    # Someone rewrote the description: the shipped model no longer answers for it.
    changed = Theme("arms", "arms", ("ceasefire talks",))
    [reworded] = train_detectors([changed], threshold=0.3, encoder=fake_encoder, shipped=path)
    assert reworded.method == "description" and reworded.note == CHANGED

    # People teach a different theme under the same name: their labels win.
    taught = texts_of(TALKS, 10, 5) + texts_of(ARMS + OTHER, 10, 6)
    labels = pd.DataFrame({TEXT_HASH: [text_hash(t) for t in taught], THEME: "arms",
                           IN_THEME: np.r_[np.ones(10), np.zeros(10)].astype(np.int8),
                           TEXT: taught, LABELLED_AT: "2026-11-30"})[LABEL_COLUMNS]
    [retaught] = train_detectors([theme], threshold=0.3, encoder=fake_encoder, shipped=path,
                                 labels=labels)
    assert retaught.source != FROM_SHIPPED and retaught.n_user == 20 and retaught.n_labels == 20
    probe = texts_of(TALKS, 5, 7) + texts_of(ARMS, 5, 8)
    said = retaught.score(fake_encoder.encode(probe), probe) >= retaught.threshold
    assert said.tolist() == [True] * 5 + [False] * 5
