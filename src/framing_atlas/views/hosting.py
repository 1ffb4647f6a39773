"""What a hosted dashboard enforces beyond read-only: the optional admin password in front of
the controls that change data, and the upload size limit. Pure: the dashboard hands in its
secrets and the session's state, and draws the widgets itself.

The password lives in Streamlit's secrets (`.streamlit/secrets.toml`, or the secrets box of
Streamlit Community Cloud), never in framing-atlas.toml or the environment, so it is not
committed with the settings:

    [framing_atlas]
    admin_password = "..."
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping

from framing_atlas.errors import AtlasError

SECRETS_SECTION = "framing_atlas"
SECRETS_KEY = "admin_password"
MB = 1_000_000  # Streamlit's server.maxUploadSize counts megabytes of 10^6 bytes


def admin_password(secrets: Mapping) -> str | None:
    """The admin password `[framing_atlas] admin_password` of these secrets, or None when none
    is set (then nothing is gated). A value that is not a non-empty string is an error rather
    than no password, so a typo never leaves the data pages open."""
    section = secrets.get(SECRETS_SECTION)
    if section is None:
        return None
    if not isinstance(section, Mapping):
        raise AtlasError(f"[{SECRETS_SECTION}] must be a section of keys, e.g. "
                         f'{SECRETS_KEY} = "…"', file="secrets.toml")
    password = section.get(SECRETS_KEY)
    if password is None:
        return None
    if not isinstance(password, str) or not password.strip():
        raise AtlasError(f"[{SECRETS_SECTION}] {SECRETS_KEY} must be a non-empty string",
                         file="secrets.toml")
    return password


def password_matches(entered: str, expected: str) -> bool:
    """Whether `entered` is the password, compared in constant time (hmac.compare_digest), so
    the time a refusal takes does not tell how much of a guess was right."""
    return hmac.compare_digest(entered.encode("utf-8"), expected.encode("utf-8"))


def unlock_token(password: str) -> str:
    """What a session keeps once its user entered the password: a digest, not the password, so
    changing the password in the secrets locks every session unlocked with the old one."""
    return hashlib.sha256(b"framing-atlas unlock\0" + password.encode("utf-8")).hexdigest()


def may_edit(*, read_only: bool, password: str | None, token: str | None) -> bool:
    """Whether a session may upload, ingest, rebuild or edit: never when read-only; always when
    no password is set; else only with the token of the current password."""
    if read_only:
        return False
    if password is None:
        return True
    return token is not None and hmac.compare_digest(token, unlock_token(password))


def upload_limit_mb(setting_mb: int, server_mb: int | float | None) -> int:
    """The per-file upload limit the dashboard states and applies: the `max_upload_mb` setting,
    or Streamlit's server.maxUploadSize where that is lower (its widget refuses larger files
    before they arrive)."""
    return int(min(setting_mb, server_mb)) if server_mb else setting_mb


def upload_limit_note(limit_mb: int) -> str:
    """The sentence beside an uploader: the limit, and what to do with a larger file."""
    return (f"Up to {limit_mb} MB per file. For a larger file, upload a table compressed "
            "(.csv.gz, .jsonl.gz) or split into parts, or run `framing-atlas ingest FILE` where "
            "the store lives: the command line has no size limit.")


def check_upload_size(name: str, size: int, limit_mb: int) -> None:
    """Refuse a file over `limit_mb` (megabytes of 10^6 bytes), naming it and its size."""
    if size > limit_mb * MB:
        raise AtlasError(f"{size / MB:,.1f} MB is over this dashboard's upload limit of "
                         f"{limit_mb} MB: compress a table (.csv.gz), split the file into "
                         "parts, or run "
                         f"`framing-atlas ingest {name}` where the store lives (no size limit "
                         "there)", file=name)
