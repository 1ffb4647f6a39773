import numpy as np
import pandas as pd

from framing_atlas.pipeline.label import distinctive_terms, label_clusters


def test_distinctive_terms_by_hand():
    # "nato" appears in both groups; each group's own words are what set it apart.
    texts = pd.Series(["nato pipeline gas gas", "nato pipeline gas", "nato tanks missiles tanks"],
                      index=[0, 0, 1])
    terms = distinctive_terms(texts, top=3)
    assert terms[0][0] == "gas" and terms[1][0] == "tanks"
    assert "nato" not in terms[0][:2] and "nato" not in terms[1][:2]


def test_stop_words_never_label():
    texts = pd.Series(["he said that they would say it", "he said missiles"], index=[0, 1])
    terms = distinctive_terms(texts, top=5)
    assert terms[0] == [] and terms[1] == ["missiles"]


def test_labels_and_representatives():
    paragraphs = pd.DataFrame({
        "paragraph_id": ["a:0", "a:1", "a:2", "b:0", "b:1", "c:0"],
        "cluster": [0, 0, 0, 1, 1, -1],
        "outlier": [False, False, False, False, False, True],
        "text": ["sanctions energy prices", "sanctions gas prices", "prices sanctions oil",
                 "tanks missiles front", "tanks artillery front", "odd one"]})
    vectors = np.array([[1, 0], [0.8, 0.6], [0.6, 0.8], [0, 1], [0.28, 0.96], [0.71, 0.71]],
                       dtype=np.float32)
    clusters = label_clusters(paragraphs, vectors, n_terms=2, n_representatives=1).set_index("cluster")
    assert clusters.loc[-1, "label"] == "unclustered"
    assert clusters.loc[0, "label"].split(" · ")[0] in {"sanctions", "prices"}
    assert "tanks" in clusters.loc[1, "label"] and clusters.loc[1, "size"] == 2
    assert clusters.loc[0, "representatives"] == ["a:1"]  # nearest the centre of a:0, a:1 and a:2
