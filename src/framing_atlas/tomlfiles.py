"""Reading the user-editable TOML files (themes, axes, groups) with errors that say what to fix."""

from __future__ import annotations

import tomllib
from pathlib import Path

from .errors import AtlasError


def read_blocks(path: Path, key: str, *, needs: str) -> tuple[dict, list]:
    """The whole file and its list of [[key]] blocks; AtlasError naming the file otherwise."""
    path = Path(path)
    if not path.is_file():
        raise AtlasError(f"{key} file not found (copy data/{key}.toml from the project)",
                         file=path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as err:
        raise AtlasError(f"not valid TOML: {err}", file=path) from None
    entries = data.get(key)
    if not isinstance(entries, list) or not entries:
        raise AtlasError(f"no {key}: add at least one [[{key}]] block with {needs}", file=path)
    return data, entries
