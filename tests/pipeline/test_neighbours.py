import numpy as np
import pandas as pd

from framing_atlas.pipeline.neighbours import cross_outlet_neighbours


def setup():
    paragraphs = pd.DataFrame({"paragraph_id": ["a", "b", "c", "d"],
                               "outlet": ["X", "X", "Y", "Y"]})
    vectors = np.array([[1, 0], [0, 1], [0.8, 0.6], [0.6, 0.8]], dtype=np.float32)
    return paragraphs, vectors


def test_neighbours_come_from_other_outlets_most_similar_first():
    paragraphs, vectors = setup()
    found = cross_outlet_neighbours(paragraphs, vectors, k=2)
    # a=(1,0): c scores 0.8, d 0.6; b=(0,1): d 0.8, c 0.6; c: a 0.8, b 0.6; d: b 0.8, a 0.6
    assert found.tolist() == [["c", "d"], ["d", "c"], ["a", "b"], ["b", "a"]]
