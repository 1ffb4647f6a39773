import inspect

import numpy as np
import pandas as pd
import pytest

from conftest import FakeEncoder, make_articles
from framing_atlas.pipeline import build
from framing_atlas.pipeline.build import Stages, build_atlas
from framing_atlas.errors import AtlasError
from framing_atlas.inputs.ingest import ingest
from framing_atlas.store import Store


def ingest_frames(store_dir, *frames, tmp_path):
    store = Store(store_dir)
    paths = []
    for i, frame in enumerate(frames):
        path = tmp_path / f"input-{store_dir.name}-{i}.csv"
        frame.to_csv(path, index=False)
        paths.append(path)
    merged, _ = ingest(paths, store.read_articles())
    store.write_articles(merged)
    return store


def map_of(store: Store) -> pd.DataFrame:
    return (store.read_table("paragraphs").set_index("paragraph_id")[["x", "y", "cluster", "theme"]]
            .sort_index())


def test_build_writes_every_table(tmp_path, articles, settings_for, fake_encoder):
    store = ingest_frames(tmp_path / "s", articles, tmp_path=tmp_path)
    manifest = build_atlas(settings_for(store.root), encoder=fake_encoder)
    paragraphs = store.read_table("paragraphs")
    clusters = store.read_table("clusters")
    assert len(paragraphs) == manifest["counts"]["paragraphs"] == 4 * len(articles)
    assert {"outlet", "published", "title", "url", "text", "x", "y", "cluster", "outlier",
            "theme", "score_expansion", "score_escalation",
            "score_information_warfare"} <= set(paragraphs.columns)
    assert set(paragraphs["cluster"]) == set(clusters["cluster"])
    assert manifest["counts"]["clusters"] >= 2
    assert set(manifest["libraries"]) >= {"umap-learn", "sentence-transformers", "numpy"}
    assert manifest["parameters"]["seed"] == 42 and len(manifest["input_hash"]) == 40
    assert store.manifest()["build_id"] == manifest["build_id"]


def test_themes_follow_the_paragraph_topics(tmp_path, articles, settings_for, fake_encoder):
    store = ingest_frames(tmp_path / "s", articles, tmp_path=tmp_path)
    build_atlas(settings_for(store.root), encoder=fake_encoder)
    paragraphs = store.read_table("paragraphs")
    missiles = paragraphs[paragraphs["text"].str.count("missiles|tanks|nuclear") >= 8]
    assert (missiles["theme"] == "escalation").mean() > 0.8


def test_same_input_same_map_in_any_order_or_split(tmp_path, articles, settings_for):
    a = ingest_frames(tmp_path / "a", articles, tmp_path=tmp_path)
    b = ingest_frames(tmp_path / "b", articles.sample(frac=1, random_state=3), tmp_path=tmp_path)
    c = ingest_frames(tmp_path / "c", articles.iloc[10:], articles.iloc[:10], tmp_path=tmp_path)
    for store in (a, b, c):
        build_atlas(settings_for(store.root), encoder=FakeEncoder())
    first = map_of(a)
    build_atlas(settings_for(a.root, n_neighbors=9), encoder=FakeEncoder())  # force a new map
    build_atlas(settings_for(a.root), encoder=FakeEncoder())
    pd.testing.assert_frame_equal(map_of(a), first)
    pd.testing.assert_frame_equal(map_of(b), first)
    pd.testing.assert_frame_equal(map_of(c), first)


def test_incremental_build_embeds_only_new_paragraphs(tmp_path, settings_for):
    old, new = make_articles(6, seed=1), make_articles(2, seed=2)
    new["url"] = new["url"] + "-new"
    store = ingest_frames(tmp_path / "s", old, tmp_path=tmp_path)
    encoder = FakeEncoder()
    first = build_atlas(settings_for(store.root), encoder=encoder)
    assert first["counts"]["embedded"] == first["counts"]["paragraphs"]
    ingest_frames(tmp_path / "s", new, tmp_path=tmp_path)
    encoder.encoded = 0
    second = build_atlas(settings_for(store.root), encoder=encoder)
    added = second["counts"]["paragraphs"] - first["counts"]["paragraphs"]
    assert added == 4 * len(new)
    assert second["counts"]["embedded"] == added == encoder.encoded  # theme sentences were cached


def test_editing_themes_reassigns_without_embedding(tmp_path, articles, settings_for,
                                                     themes_file):
    store = ingest_frames(tmp_path / "s", articles, tmp_path=tmp_path)
    build_atlas(settings_for(store.root), encoder=FakeEncoder())
    before = store.read_table("paragraphs")
    themes_file.write_text(themes_file.read_text().replace("threshold = 0.2", "threshold = 0.99"))
    encoder = FakeEncoder()
    manifest = build_atlas(settings_for(store.root), encoder=encoder)
    after = store.read_table("paragraphs")
    assert encoder.encoded == 0 and manifest["map_reused"]
    assert (before["theme"] != "none").any() and (after["theme"] == "none").all()
    np.testing.assert_array_equal(before["x"], after["x"])


def test_failed_build_leaves_previous_build_readable(tmp_path, articles, settings_for):
    store = ingest_frames(tmp_path / "s", articles, tmp_path=tmp_path)
    build_atlas(settings_for(store.root), encoder=FakeEncoder())
    before = store.read_table("paragraphs")
    ingest_frames(tmp_path / "s", make_articles(2, seed=9).assign(url=lambda f: f.url + "-x"),
                  tmp_path=tmp_path)

    class Broken:
        def encode(self, sentences, **kwargs):
            raise KeyboardInterrupt  # as if the user pressed Ctrl-C mid-build

    with pytest.raises(KeyboardInterrupt):
        build_atlas(settings_for(store.root), encoder=Broken())
    pd.testing.assert_frame_equal(store.read_table("paragraphs"), before)


def test_build_without_articles_says_what_to_do(tmp_path, settings_for):
    with pytest.raises(AtlasError, match="no articles in this store yet: run `framing-atlas "
                                         "ingest FILE`"):
        build_atlas(settings_for(tmp_path / "empty"), encoder=FakeEncoder())


def short_articles() -> pd.DataFrame:
    """Three short articles that each make one paragraph, then an empty and a boilerplate one."""
    texts = {"Claim": "NATO will place missiles in Port Averly.",
             "Heading": "Harbour bridge of Port Averly will never reopen, say engineers",
             "Short": "The vote was close.",
             "Blank": "\u200b\u200b",
             "Only furniture": "Read more: Harbour fees rise again"}
    return pd.DataFrame([{"outlet": "Harbor Gazette (fictional)", "published": "2026-01-05",
                          "title": title, "url": f"https://harbor.example/short-{i}", "text": text}
                         for i, (title, text) in enumerate(texts.items())])


def test_short_articles_are_built_and_those_that_gave_none_are_recorded(
        tmp_path, articles, settings_for, fake_encoder):
    short = short_articles()
    store = ingest_frames(tmp_path / "s", articles, short, tmp_path=tmp_path)
    assert len(store.read_articles()) == len(articles) + 5
    manifest = build_atlas(settings_for(store.root), encoder=fake_encoder)
    paragraphs = store.read_table("paragraphs")
    for text in short["text"][:3]:
        assert (paragraphs["text"] == text).sum() == 1
    assert manifest["counts"]["paragraphs"] == 4 * len(articles) + 3
    record = manifest["no_paragraph"]
    assert record["count"] == 2 and record["reasons"] == {"empty": 1, "boilerplate": 1}
    ids = store.read_articles().set_index("title")["article_id"]
    assert record["articles"] == sorted(
        [{"article_id": ids["Blank"], "outlet": "Harbor Gazette (fictional)", "title": "Blank",
          "url": "https://harbor.example/short-3", "reason": "empty"},
         {"article_id": ids["Only furniture"], "outlet": "Harbor Gazette (fictional)",
          "title": "Only furniture", "url": "https://harbor.example/short-4",
          "reason": "boilerplate"}], key=lambda a: a["article_id"])
    assert store.manifest()["no_paragraph"] == record


def test_build_of_only_empty_and_boilerplate_articles_says_why(tmp_path, settings_for):
    store = ingest_frames(tmp_path / "s", short_articles().iloc[3:], tmp_path=tmp_path)
    with pytest.raises(AtlasError, match="2 articles gave no paragraph: 1 empty after cleaning, "
                                         "1 only boilerplate"):
        build_atlas(settings_for(store.root), encoder=FakeEncoder())


STAGES = ["segment", "language", "copies", "embed", "project", "cluster", "label", "teach", "themes",
          "axes", "neighbours", "centroids", "write"]


def test_each_stage_is_reported_as_it_starts_and_ends_and_timed(tmp_path, articles,
                                                                 settings_for, fake_encoder):
    store = ingest_frames(tmp_path / "s", articles, tmp_path=tmp_path)
    seen = []
    manifest = build_atlas(settings_for(store.root), encoder=fake_encoder,
                           progress=lambda done, total, what: seen.append((done, total, what)))
    edges = [(done, what.split(":")[0]) for done, total, what in seen if total == 1]
    assert edges == [(edge, stage) for stage in STAGES for edge in (0, 1)]
    assert list(manifest["timings"]) == STAGES[:-1] + ["total"]  # written before the write
    assert all(seconds >= 0 for seconds in manifest["timings"].values())
    assert seen[-1][2] == f"write: build {manifest['build_id']}"
    steps = [what for done, total, what in seen if total > 1 and what.startswith("project:")]
    assert steps[0].startswith("project: nearest neighbours of")
    assert any(what.startswith("project: UMAP to 2-D") for what in steps)
    paragraphs = store.read_table("paragraphs")
    assert {"language", "syndicated", "syndication_group", "neighbours"} <= set(paragraphs.columns)
    assert not [c for c in paragraphs.columns if c.startswith("space_")]  # working columns


def test_stages_run_reports_with_the_stage_name_and_times_it():
    seen = []
    stages = Stages(lambda done, total, what: seen.append((done, total, what)))
    result = stages.run("cluster", lambda frame, *, k: frame.assign(cluster=k),
                        pd.DataFrame({"x": [1.0, 2.0]}), k=3)
    stages.within("embed")(2, 5, "embedding")
    assert result["cluster"].tolist() == [3, 3]
    assert seen == [(0, 1, "cluster: HDBSCAN"), (1, 1, "cluster: 1 clusters"),
                    (2, 5, "embed: embedding")]
    assert list(stages.timings) == ["cluster"] and list(stages.total()) == ["cluster", "total"]


def test_every_stage_says_what_it_needs_and_takes_its_options_by_keyword():
    from framing_atlas.pipeline.axes import place_on_axes
    from framing_atlas.pipeline.cluster import cluster_paragraphs
    from framing_atlas.pipeline.label import label_clusters
    from framing_atlas.pipeline.language import add_language
    from framing_atlas.pipeline.neighbours import add_neighbours, outlet_centroids
    from framing_atlas.pipeline.project import project_paragraphs
    from framing_atlas.pipeline.syndication import find_syndicated
    from framing_atlas.pipeline.themes import assign_themes

    stages = [build.segmented, add_language, find_syndicated, project_paragraphs,
              cluster_paragraphs, build.map_paragraphs, build.reuse_map, label_clusters,
              assign_themes, place_on_axes, add_neighbours, outlet_centroids]
    for stage in stages:
        assert stage.__doc__.startswith("Needs "), stage.__name__
        parameters = inspect.signature(stage).parameters.values()
        assert next(iter(parameters)).name in ("articles", "paragraphs"), stage.__name__
        options = [p.name for p in parameters if p.default is not inspect.Parameter.empty]
        keyword_only = [p.name for p in parameters if p.kind is inspect.Parameter.KEYWORD_ONLY]
        assert set(options) <= set(keyword_only), stage.__name__



def test_labels_teach_a_theme_on_rebuild_without_embedding_or_moving_the_map(
        tmp_path, articles, settings_for):
    from framing_atlas.store import IN_THEME, LABEL_COLUMNS, LABELLED_AT, TEXT, TEXT_HASH, THEME

    store = ingest_frames(tmp_path / "s", articles, tmp_path=tmp_path)
    build_atlas(settings_for(store.root), encoder=FakeEncoder())
    before = store.read_table("paragraphs")
    themes = {t["name"]: t["detector"] for t in store.read_document("themes")["themes"]}
    assert themes["escalation"]["method"] == "description"
    # A person marks 8 paragraphs about weapons as in "escalation" and 8 others as out.
    weapons = before["text"].str.contains("missiles")
    picked = pd.concat([before[weapons].head(8), before[~weapons].head(8)])
    store.save_labels(pd.DataFrame({
        TEXT_HASH: picked["text_hash"], THEME: "escalation",
        IN_THEME: [1] * 8 + [0] * 8, TEXT: picked["text"], LABELLED_AT: "2026-11-30"})[LABEL_COLUMNS])
    encoder = FakeEncoder()
    manifest = build_atlas(settings_for(store.root), encoder=encoder)
    after = store.read_table("paragraphs")
    detector = {t["name"]: t["detector"] for t in store.read_document("themes")["themes"]}
    assert detector["escalation"]["method"] == "classifier"
    assert detector["escalation"]["n_user"] == 16 and detector["escalation"]["precision"] > 0.5
    assert detector["expansion"]["method"] == "description"
    assert encoder.encoded == 0 and manifest["map_reused"]  # labels' vectors come from the cache
    np.testing.assert_array_equal(before["x"], after["x"])
    assert after["has_escalation"][weapons.to_numpy()].mean() > 0.8
    # The labels stay in the store through further builds.
    build_atlas(settings_for(store.root), encoder=FakeEncoder())
    assert len(store.read_labels()) == 16


def test_added_articles_are_placed_and_the_earlier_map_keeps_every_place_and_cluster(
        tmp_path, settings_for):
    # issue 12: adding 1% more articles moved every dot and renumbered the clusters.
    old = make_articles(12, seed=1)
    store = ingest_frames(tmp_path / "s", old, tmp_path=tmp_path)
    first = build_atlas(settings_for(store.root), encoder=FakeEncoder())
    before = map_of(store)
    assert first["map"] == {"laid_out": len(before), "placed": 0, "placed_share": 0.0,
                            "relayout_advised": False}
    one = make_articles(1, seed=2).assign(url=lambda f: f.url + "-new")
    ingest_frames(tmp_path / "s", one, tmp_path=tmp_path)
    second = build_atlas(settings_for(store.root), encoder=FakeEncoder())
    after = map_of(store)
    pd.testing.assert_frame_equal(after.loc[before.index, ["x", "y", "cluster"]],
                                  before[["x", "y", "cluster"]])
    new = after.index.difference(before.index)
    assert 0 < len(new) < 0.1 * len(after)
    assert set(after.loc[new, "cluster"]) <= set(before["cluster"])
    placed = store.read_table("paragraphs").set_index("paragraph_id")["placed"]
    assert placed[new].all() and not placed[before.index].any()
    assert second["map"]["placed"] == len(new) and not second["map"]["relayout_advised"]
    # Placed on top of placed: the share grows until a fresh layout is advised.
    ingest_frames(tmp_path / "s", make_articles(3, seed=3).assign(url=lambda f: f.url + "-more"),
                  tmp_path=tmp_path)
    third = build_atlas(settings_for(store.root), encoder=FakeEncoder())
    added = third["counts"]["paragraphs"] - second["counts"]["paragraphs"]
    assert third["map"]["placed"] == len(new) + added and third["map"]["relayout_advised"]
    # --relayout: the whole map afresh, the same as a first build of the same articles.
    fresh = build_atlas(settings_for(store.root), encoder=FakeEncoder(), relayout=True)
    assert fresh["map"]["placed"] == 0 and "placed" not in store.read_table("paragraphs")
    other = ingest_frames(tmp_path / "o", old, one,
                          make_articles(3, seed=3).assign(url=lambda f: f.url + "-more"),
                          tmp_path=tmp_path)
    build_atlas(settings_for(other.root), encoder=FakeEncoder())
    pd.testing.assert_frame_equal(map_of(store), map_of(other))


def test_a_rebuild_reruns_languages_and_themes_only_for_new_paragraphs(tmp_path, settings_for,
                                                                      monkeypatch):
    # issue 12: +1% articles re-detected every paragraph's language and re-scored every theme.
    old = make_articles(12, seed=1)
    one = make_articles(1, seed=2).assign(url=lambda f: f.url + "-new")
    store = ingest_frames(tmp_path / "s", old, tmp_path=tmp_path)
    first = build_atlas(settings_for(store.root), encoder=FakeEncoder())
    seen = {}

    def counting(stage):
        def run(paragraphs, *args, **options):
            seen[stage.__name__] = len(paragraphs)
            return stage(paragraphs, *args, **options)
        return run

    monkeypatch.setattr(build, "add_language", counting(build.add_language))
    monkeypatch.setattr(build, "assign_themes", counting(build.assign_themes))
    ingest_frames(tmp_path / "s", one, tmp_path=tmp_path)
    manifest = build_atlas(settings_for(store.root), encoder=FakeEncoder())
    added = manifest["counts"]["paragraphs"] - first["counts"]["paragraphs"]
    assert 0 < added and seen == {"add_language": added, "assign_themes": added}
    # Vectors of another encoder: every paragraph is scored again (its language is kept).
    seen.clear()
    switched = build_atlas(settings_for(store.root, encoder="onnx-int8"), encoder=FakeEncoder())
    assert seen == {"assign_themes": switched["counts"]["paragraphs"]}
    # The same columns, in the same order, as a build that computed every paragraph afresh.
    other = ingest_frames(tmp_path / "o", old, one, tmp_path=tmp_path)
    monkeypatch.undo()
    build_atlas(settings_for(other.root), encoder=FakeEncoder())
    ours, theirs = store.read_table("paragraphs"), other.read_table("paragraphs")
    columns = [c for c in theirs if c == "language" or c.startswith(("score_", "has_", "theme"))]
    assert [c for c in ours if c in columns] == columns
    pd.testing.assert_frame_equal(ours.set_index("paragraph_id").sort_index()[columns],
                                  theirs.set_index("paragraph_id").sort_index()[columns])
