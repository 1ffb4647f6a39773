"""Reading the user-editable TOML files (themes, axes, groups) with errors that say what to fix."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from pathlib import Path

from framing_atlas.errors import AtlasError

NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


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


def named_blocks(entries: list, *, kind: str, path: Path,
                 example: str) -> Iterator[tuple[str, str, object]]:
    """(where, name, block) for each [[kind]] block, "where" being "kind N" for messages, each
    name checked by block_name against the blocks before it."""
    seen: set[str] = set()
    for number, entry in enumerate(entries, start=1):
        where = f"{kind} {number}"
        yield where, block_name(entry, where=where, seen=seen, path=path, example=example), entry


def block_name(entry: object, *, where: str, seen: set[str], path: Path, example: str) -> str:
    """A block's `name`: lower-case, digits or _, and not used by an earlier block."""
    name = entry.get("name") if isinstance(entry, dict) else None
    if not isinstance(name, str) or not NAME.match(name):
        raise AtlasError(f"{where}: name must be lower-case letters, digits or _ "
                         f"(e.g. '{example}'), got {name!r}", file=path)
    if name in seen:
        raise AtlasError(f"{where}: the name '{name}' is used twice", file=path)
    seen.add(name)
    return name
