"""The admin password and the upload limit (views/hosting.py), without Streamlit."""

import pytest

from framing_atlas.errors import AtlasError
from framing_atlas.views.hosting import (admin_password, check_upload_size, may_edit,
                                         password_matches, unlock_token, upload_limit_mb,
                                         upload_limit_note)


def test_the_password_is_read_from_its_secrets_section():
    assert admin_password({}) is None
    assert admin_password({"framing_atlas": {}}) is None
    assert admin_password({"other": {"admin_password": "x"}}) is None
    assert admin_password({"framing_atlas": {"admin_password": "harbor-key"}}) == "harbor-key"


@pytest.mark.parametrize("secrets", [{"framing_atlas": {"admin_password": ""}},
                                     {"framing_atlas": {"admin_password": "  "}},
                                     {"framing_atlas": {"admin_password": 1234}},
                                     {"framing_atlas": "harbor-key"}])
def test_a_malformed_password_is_an_error_not_an_open_door(secrets):
    with pytest.raises(AtlasError, match="secrets.toml"):
        admin_password(secrets)


def test_passwords_compare_exactly():
    assert password_matches("harbor-key", "harbor-key")
    assert not password_matches("harbor-ke", "harbor-key")
    assert not password_matches("Harbor-key", "harbor-key")
    assert not password_matches("", "harbor-key")
    assert password_matches("clé ünïcode", "clé ünïcode")


def test_who_may_edit():
    token = unlock_token("harbor-key")
    assert may_edit(read_only=False, password=None, token=None)  # nothing configured: open
    assert not may_edit(read_only=True, password=None, token=None)
    assert not may_edit(read_only=True, password="harbor-key", token=token)
    assert not may_edit(read_only=False, password="harbor-key", token=None)
    assert may_edit(read_only=False, password="harbor-key", token=token)
    # A new password locks the sessions unlocked with the old one.
    assert not may_edit(read_only=False, password="ridge-key", token=token)
    assert "harbor-key" not in token


def test_the_upload_limit_is_the_lower_of_the_setting_and_streamlits():
    assert upload_limit_mb(50, 200) == 50
    assert upload_limit_mb(50, 20) == 20
    assert upload_limit_mb(50, None) == 50
    assert "Up to 50 MB per file" in upload_limit_note(50)
    assert "framing-atlas ingest FILE" in upload_limit_note(50)


def test_a_file_over_the_limit_is_named_with_its_size():
    check_upload_size("harbor.csv", 50_000_000, 50)  # exactly at the limit: taken
    with pytest.raises(AtlasError) as err:
        check_upload_size("harbor.csv", 73_400_000, 50)
    assert str(err.value).startswith("harbor.csv: 73.4 MB is over this dashboard's upload "
                                     "limit of 50 MB")
    assert "framing-atlas ingest harbor.csv" in str(err.value)
