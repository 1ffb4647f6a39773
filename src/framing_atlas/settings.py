"""One settings object: defaults here, overridden by framing-atlas.toml, then by FRAMING_ATLAS_* variables."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import ValidationError, model_validator
from pydantic_settings import (BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict,
                               TomlConfigSettingsSource)

from framing_atlas.errors import AtlasError

DEFAULT_MODEL = "all-MiniLM-L6-v2"
CONFIG_FILE = "framing-atlas.toml"


class Settings(BaseSettings):
    """Everything a build or the dashboard can be told; stages get plain values from it."""

    model_config = SettingsConfigDict(env_prefix="FRAMING_ATLAS_", toml_file=CONFIG_FILE,
                                      extra="forbid")

    # Where things live.
    store: Path = Path("data/store")
    themes_file: Path = Path("data/themes.toml")
    # The themes' shipped classifiers (trained by bench/themes.py --bundle on bench/labels, read
    # against data/codebook.md): <folder>/<model>.json, used when it exists for the build's model.
    theme_models: Path = Path("data/theme_models")
    axes_file: Path = Path("data/axes.toml")  # frame axes: two poles of sentences each
    groups_file: Path = Path("data/groups.toml")  # named groups of outlets
    demo_corpus: Path = Path("data/demo/articles.csv")
    demo_store: Path = Path("data/demo/store")
    outlets_file: Path = Path("data/outlets.toml")  # domain → outlet name, for pages and feeds
    page_cache: Path = Path("data/cache/pages")  # fetched pages, never fetched twice
    fetch_interval: float = 1.0  # seconds between two requests to one site
    # Links in uploads and feeds may not reach loopback, private or link-local addresses (the
    # machine's own network, cloud metadata) unless this is set.
    allow_private_addresses: bool = False

    # Embedding: a sentence-transformers name or path; the default is the bundled offline copy.
    model: str = DEFAULT_MODEL
    batch_size: int = 64
    device: str = "cpu"
    # "onnx-int8": the same model as a dynamically quantized int8 ONNX graph on the CPU (faster,
    # vectors close to but not equal to the fp32 ones; cached and mapped apart from them). The
    # graph is exported once from the local model into model_cache.
    encoder: Literal["torch", "onnx-int8"] = "torch"
    model_cache: Path = Path("data/cache/models")

    # Who runs the embedding: this process ("local"), or Ray Data ("ray"): a pool of ray_workers
    # actors of one CPU each, on the cluster at ray_address ("auto", "host:6379",
    # "ray://host:10001") or on a Ray started for the build on this machine when unset. Ray
    # reads and writes Parquet in ray_work_dir (default: <store>/work), which every node must
    # reach: a shared folder mounted at the same path, or s3://bucket/prefix.
    engine: Literal["local", "ray"] = "local"
    ray_address: str | None = None
    ray_workers: int = 2
    ray_work_dir: str | None = None

    # Segmentation.
    min_chars: int = 60
    target_words: int = 100
    max_words: int = 150

    # Projection and clustering; the same seed gives the same map.
    seed: int = 42
    n_neighbors: int = 15
    min_dist: float = 0.1
    cluster_dims: int = 5
    min_cluster_size: int | None = None  # None: scales with the corpus (see cluster.auto_min_cluster_size)
    min_samples: int | None = None
    max_cluster_share: float = 0.25  # no cluster holds more than this share of the paragraphs
    noise: Literal["keep", "nearest"] = "nearest"

    # Labels and themes.
    label_terms: int = 4
    representatives: int = 3
    theme_threshold: float = 0.3

    # Dashboard: a public hosted link sets this so nobody can upload, rebuild or edit.
    read_only: bool = False
    # Largest file the Data and Themes pages take, in MB (10^6 bytes); Streamlit's own
    # server.maxUploadSize (.streamlit/config.toml) caps it too. The CLI has no limit.
    max_upload_mb: int = 50

    @classmethod
    def settings_customise_sources(cls, settings_cls: type[BaseSettings],
                                   init_settings: PydanticBaseSettingsSource,
                                   env_settings: PydanticBaseSettingsSource,
                                   dotenv_settings: PydanticBaseSettingsSource,
                                   file_secret_settings: PydanticBaseSettingsSource,
                                   ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, env_settings, TomlConfigSettingsSource(settings_cls))

    @model_validator(mode="after")
    def _check(self) -> "Settings":
        problems = []
        if self.batch_size < 1:
            problems.append("batch_size must be ≥ 1")
        if self.encoder == "onnx-int8" and self.device != "cpu":
            problems.append('encoder "onnx-int8" runs on the CPU: set device = "cpu" or '
                            'encoder = "torch"')
        if self.engine == "ray" and self.encoder != "torch":
            problems.append('engine "ray" embeds with the torch encoder: set encoder = "torch" '
                            'for a Ray build')
        if self.ray_workers < 1:
            problems.append("ray_workers must be ≥ 1")
        if self.ray_address is not None and not self.ray_address.strip():
            problems.append("ray_address must name a cluster (auto, host:6379, "
                            "ray://host:10001) or be left unset for a local Ray")
        if not 20 <= self.min_chars <= 2000:
            problems.append("min_chars must be between 20 and 2000")
        if not 10 <= self.target_words <= self.max_words:
            problems.append("target_words must be ≥ 10 and ≤ max_words")
        if self.n_neighbors < 2:
            problems.append("n_neighbors must be ≥ 2")
        if not 0.0 <= self.min_dist <= 1.0:
            problems.append("min_dist must be between 0 and 1")
        if not 2 <= self.cluster_dims <= 50:
            problems.append("cluster_dims must be between 2 and 50")
        if self.min_cluster_size is not None and self.min_cluster_size < 2:
            problems.append("min_cluster_size must be ≥ 2")
        if not -1.0 <= self.theme_threshold <= 1.0:
            problems.append("theme_threshold is a cosine similarity: between -1 and 1")
        if self.label_terms < 1 or self.representatives < 1:
            problems.append("label_terms and representatives must be ≥ 1")
        if self.max_upload_mb < 1:
            problems.append("max_upload_mb must be ≥ 1")
        if problems:
            raise ValueError("; ".join(problems))
        return self


def config_file(base: Path | None = None) -> Path:
    """Where the settings file is looked for: framing-atlas.toml in `base` (default: the
    working folder)."""
    return Path(CONFIG_FILE) if base is None else Path(base) / CONFIG_FILE


def load_settings(config: Path | None = None, *, base: Path | None = None,
                  **overrides: object) -> Settings:
    """Settings from defaults, a TOML file (framing-atlas.toml or `config`), the environment, then overrides.

    With `base`, the settings file and every relative path (given anywhere) are read against
    that folder, so the result does not depend on the working folder: the dashboard passes its
    own folder. Without it they are relative to the working folder, as a command line expects.
    """
    if base is not None:
        base = Path(base).resolve()
        config = base / config if config is not None else None
    if config is not None and not Path(config).is_file():
        raise AtlasError("settings file not found", file=config)
    if base is not None and config is None:
        config = config_file(base)  # optional, as framing-atlas.toml is without a base
    try:
        if config is not None:
            class _FromFile(Settings):
                model_config = SettingsConfigDict(toml_file=str(config))
            settings = _FromFile(**{k: v for k, v in overrides.items() if v is not None})
        else:
            settings = Settings(**{k: v for k, v in overrides.items() if v is not None})
    except ValidationError as err:
        lines = [f"{'.'.join(map(str, e['loc'])) or 'settings'}: {e['msg']}" for e in err.errors()]
        raise AtlasError("invalid settings: " + "; ".join(lines), file=config) from None
    if base is None:
        return settings
    paths = {name: base / value for name, value in settings if isinstance(value, Path)
             and not value.is_absolute()}
    return settings.model_copy(update=paths)
