"""ui.py's own mechanics that AppTest cannot reach (the server's handling of downloads)."""

from __future__ import annotations

from unittest import mock

import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.runtime.media_file_storage import MediaFileStorageError
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

import ui


def clicked_download(manager: MediaFileManager, session: str) -> str:
    """A session's deferred download button, clicked: the generated file's name in storage."""
    with mock.patch("streamlit.runtime.media_file_manager._get_session_id",
                    return_value=session):
        manager.add_deferred(lambda: b"a,b\n1,2\n", "text/csv", "1.5", file_name="x.csv")
        # The placeholder the button holds, as the browser sends it back on a click.
        placeholder = manager._files_by_session_and_coord[session]["1.5"]
    return manager.execute_deferred(placeholder).rsplit("/", 1)[-1]


def other_sessions_run(manager: MediaFileManager, times: int = 2) -> None:
    """Each script run of any session ends with this (streamlit's script_runner)."""
    for _ in range(times):
        manager.remove_orphaned_files()


def test_a_generated_download_outlives_other_sessions_runs():
    ui.keep_generated_downloads()  # done on import; a second call changes nothing
    storage = MemoryMediaFileStorage("/media")
    manager = MediaFileManager(storage)
    name = clicked_download(manager, "reader")
    other_sessions_run(manager)  # the browser's fetch comes after two other runs
    assert storage.get_file(name).content == b"a,b\n1,2\n"


def test_it_goes_once_its_session_runs_again_or_ends():
    storage = MemoryMediaFileStorage("/media")
    manager = MediaFileManager(storage)
    name = clicked_download(manager, "reader")
    manager.clear_session_refs("reader")  # the session's next full run starts, or it ends
    other_sessions_run(manager)
    with pytest.raises(MediaFileStorageError):
        storage.get_file(name)


def test_without_it_the_file_is_gone_before_the_browser_fetches_it():
    """What the protection is for: Streamlit's own execute_deferred, unwrapped."""
    storage = MemoryMediaFileStorage("/media")
    manager = MediaFileManager(storage)
    with mock.patch.object(MediaFileManager, "execute_deferred",
                           MediaFileManager.execute_deferred.__wrapped__):
        name = clicked_download(manager, "reader")
    other_sessions_run(manager)
    with pytest.raises(MediaFileStorageError):
        storage.get_file(name)
