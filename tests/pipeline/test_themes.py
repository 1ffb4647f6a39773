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
