"""Embed the demo corpus once, so a fresh clone's first start need not.

    python data/demo/make_vectors.py

Writes data/demo/vectors.parquet: the bundled model's vector for every paragraph of
articles.csv (as segmented with the default settings) and every sentence of data/themes.toml and data/axes.toml,
in the embedding cache's own format. Run it again after changing the demo corpus, the
segmentation or the default themes (tests/test_demo.py says when it is stale).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "src"))

from framing_atlas.pipeline.demo import demo_texts  # noqa: E402
from framing_atlas.pipeline.embed import embed, load_encoder  # noqa: E402
from framing_atlas.settings import load_settings  # noqa: E402
from framing_atlas.store import Store  # noqa: E402


def main() -> None:
    settings = load_settings()
    data = HERE.parents[1] / "data"
    texts = demo_texts(HERE / "articles.csv", data / "themes.toml", data / "axes.toml", settings)
    cache = Store(Path(tempfile.mkdtemp())).vector_cache(settings.model)
    embed(texts, encoder=load_encoder(settings.model), cache=cache, chunk=len(texts))
    (part,) = cache.folder.glob("part-*.parquet")
    part.replace(HERE / "vectors.parquet")
    print(f"wrote {len(texts)} vectors to {HERE / 'vectors.parquet'}")


if __name__ == "__main__":
    main()
