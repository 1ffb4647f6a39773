from pathlib import Path

import pytest

from framing_atlas.errors import AtlasError
from framing_atlas.settings import load_settings


def test_defaults_toml_and_environment(tmp_path, monkeypatch):
    assert load_settings().model == "all-MiniLM-L6-v2"
    config = tmp_path / "mine.toml"
    config.write_text('seed = 7\nstore = "elsewhere"\n', encoding="utf-8")
    assert load_settings(config).seed == 7
    monkeypatch.setenv("FRAMING_ATLAS_SEED", "9")
    assert load_settings(config).seed == 9  # the environment wins over the file
    assert load_settings(config, seed=11).seed == 11


@pytest.mark.parametrize("overrides, message", [
    ({"min_dist": 2.0}, "min_dist must be between 0 and 1"),
    ({"target_words": 500}, "target_words must be ≥ 10 and ≤ max_words"),
    ({"noise": "drop"}, "noise"),
    ({"max_upload_mb": 0}, "max_upload_mb must be ≥ 1"),
    ({"ray_workers": 0}, "ray_workers must be ≥ 1"),
    ({"engine": "ray", "encoder": "onnx-int8"}, 'engine "ray" embeds with the torch encoder'),
    ({"ray_address": " "}, "ray_address must name a cluster"),
    ({"engine": "spark"}, "engine: Input should be 'local' or 'ray'"),
])
def test_bad_values_are_named(overrides, message):
    with pytest.raises(AtlasError, match=message):
        load_settings(**overrides)


def test_missing_or_unknown_settings_file(tmp_path):
    with pytest.raises(AtlasError, match="settings file not found"):
        load_settings(tmp_path / "nope.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("sede = 3\n", encoding="utf-8")
    with pytest.raises(AtlasError, match="sede"):
        load_settings(bad)


def test_private_addresses_are_refused_unless_allowed(monkeypatch):
    assert load_settings().allow_private_addresses is False
    monkeypatch.setenv("FRAMING_ATLAS_ALLOW_PRIVATE_ADDRESSES", "true")
    assert load_settings().allow_private_addresses is True


def test_the_config_file_and_relative_paths_are_read_against_the_base(tmp_path, monkeypatch):
    # issue 10: the dashboard's settings depended on the folder streamlit was started from.
    base = tmp_path / "app"
    base.mkdir()
    (base / "framing-atlas.toml").write_text('store = "mine"\nseed = 5\n', encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    settings = load_settings(base=base)
    assert settings.seed == 5 and settings.store == base / "mine"
    assert settings.themes_file == base / "data" / "themes.toml"
    monkeypatch.setenv("FRAMING_ATLAS_PAGE_CACHE", "/abs/cache")
    assert load_settings(base=base).page_cache == Path("/abs/cache")  # absolute stays as given
    assert load_settings().store == Path("data/store")  # without a base: the working folder


def test_the_encoder_is_chosen_in_the_file_or_the_environment(tmp_path, monkeypatch):
    # issue 12: the int8 ONNX encoder is a setting; torch stays the default.
    assert load_settings().encoder == "torch"
    assert load_settings().model_cache == Path("data/cache/models")
    config = tmp_path / "fast.toml"
    config.write_text('encoder = "onnx-int8"\n', encoding="utf-8")
    assert load_settings(config).encoder == "onnx-int8"
    monkeypatch.setenv("FRAMING_ATLAS_ENCODER", "torch")
    assert load_settings(config).encoder == "torch"
    with pytest.raises(AtlasError, match="encoder"):
        load_settings(encoder="onnx")
    with pytest.raises(AtlasError, match='"onnx-int8" runs on the CPU'):
        load_settings(encoder="onnx-int8", device="cuda")


def test_the_engine_is_local_unless_ray_is_asked_for(tmp_path, monkeypatch):
    settings = load_settings()
    assert (settings.engine, settings.ray_address, settings.ray_workers) == ("local", None, 2)
    config = tmp_path / "cluster.toml"
    config.write_text('engine = "ray"\nray_address = "auto"\nray_workers = 6\n', encoding="utf-8")
    assert (load_settings(config).engine, load_settings(config).ray_workers) == ("ray", 6)
    monkeypatch.setenv("FRAMING_ATLAS_RAY_ADDRESS", "ray://head.example:10001")
    assert load_settings(config).ray_address == "ray://head.example:10001"
