"""The deployment files: Dockerfile, .dockerignore, compose.yaml, the upload limit in
.streamlit/config.toml, and the image's command serving a store read-only.

No Docker engine runs where these tests run (`docker build` needs one), so the Dockerfile is
read here and its steps are run without Docker: its environment and command serve a built store
on loopback and its own HEALTHCHECK command asks the server; the slow test runs its optional
demo bake step. The README's Deploy section says what was run by hand in a clean venv.
"""

from __future__ import annotations

import fnmatch
import os
import re
import shlex
import socket
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest
import yaml

from conftest import ROOT
from framing_atlas.settings import Settings, load_settings
from framing_atlas.store import Store

HEALTH = "/_stcore/health"
PORT = "8501"


def instructions(path: Path = ROOT / "Dockerfile") -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) in order: comments dropped, continued lines joined."""
    steps: list[tuple[str, str]] = []
    current = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip().startswith("#") or (not line.strip() and not current):
            continue
        current += line.rstrip()
        if current.endswith("\\"):
            current = current[:-1] + " "
            continue
        word, _, rest = current.strip().partition(" ")
        steps.append((word.upper(), " ".join(rest.split())))
        current = ""
    return steps


def args_of(name: str) -> list[str]:
    return [rest for word, rest in instructions() if word == name]


def env_of_image() -> dict[str, str]:
    """The ENV the image's command runs with (KEY=VALUE pairs of every ENV instruction)."""
    env: dict[str, str] = {}
    for rest in args_of("ENV"):
        for pair in shlex.split(rest):
            key, _, value = pair.partition("=")
            env[key] = value
    return env


def exec_form(rest: str) -> list[str]:
    import json

    return json.loads(rest)


def requirement_lines() -> list[str]:
    lines = (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
    return [line.split("#", 1)[0].strip() for line in lines
            if line.split("#", 1)[0].strip()]


def test_the_base_is_slim_python_of_the_supported_version():
    [base] = args_of("FROM")
    image, _, tag = base.partition(":")
    assert image == "python" and tag.endswith("-slim"), base
    assert tag.removesuffix("-slim") == "3.11"  # the README's "tested on 3.11"


def test_the_server_runs_as_a_user_that_is_not_root():
    steps = instructions()
    last = max(i for i, (word, _) in enumerate(steps) if word == "CMD")
    users = [rest for word, rest in steps[:last] if word == "USER"]
    assert users and users[-1].split(":")[0] not in ("root", "0")
    created = " ".join(rest for word, rest in steps if word == "RUN")
    assert "useradd" in created and users[-1] in created


def test_the_command_serves_app_py_on_8501_on_every_interface():
    [command] = args_of("CMD")
    assert exec_form(command) == ["streamlit", "run", "app.py", "--server.address=0.0.0.0",
                                  f"--server.port={PORT}"]
    assert args_of("EXPOSE") == [PORT]


def test_the_healthcheck_asks_streamlits_health_endpoint_with_python():
    [check] = args_of("HEALTHCHECK")
    options, _, command = check.partition(" CMD ")
    assert "--interval=" in options and "--start-period=" in options
    probe = exec_form(command)
    assert probe[:2] == ["python", "-c"]  # slim has no curl
    assert f"http://localhost:{PORT}{HEALTH}" in probe[2]


def test_the_image_is_read_only_and_reads_the_store_at_data_store(monkeypatch):
    env = env_of_image()
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    settings = load_settings(base=ROOT)  # as the dashboard reads them
    assert settings.read_only is True
    assert settings.store == Path("/data/store")
    assert "/data/store" in " ".join(args_of("RUN"))  # made, and owned by the user


def test_torch_is_the_cpu_build_of_the_requirements_pin():
    pin = next(line for line in requirement_lines() if line.startswith("torch=="))
    [torch] = [rest for rest in args_of("RUN") if "torch==" in rest]
    assert re.search(rf"pip install --index-url \S+/whl/cpu {re.escape(pin)}$", torch), torch
    steps = [rest for word, rest in instructions() if word == "RUN"]
    assert steps.index(torch) < next(i for i, r in enumerate(steps) if "-r " in r)


def test_every_requirements_line_is_installed():
    steps = instructions()
    copied = next(i for i, (word, rest) in enumerate(steps)
                  if word == "COPY" and rest.split()[0] == "requirements.txt")
    [(at, install)] = [(i, rest) for i, (word, rest) in enumerate(steps)
                       if word == "RUN" and "requirements.txt" in rest]
    assert at > copied
    # grep -v 'PATTERN' requirements.txt > FILE && pip install -r FILE
    dropped = re.search(r"grep -v '([^']+)' requirements\.txt > (\S+)", install)
    assert dropped and f"pip install -r {dropped.group(2)}" in install, install
    left_out = [line for line in requirement_lines() if re.search(dropped.group(1), line)]
    assert left_out and all(line.startswith("-e ") for line in left_out)
    project = next(i for i, (word, rest) in enumerate(steps) if word == "COPY"
                   and rest == ". .")
    later = " && ".join(rest for word, rest in steps[project:] if word == "RUN")
    for line in left_out:  # the project itself, once its source is copied
        assert f"pip install --no-deps {line}" in later, line


def ignored(path: str, patterns: list[str]) -> bool:
    """Whether .dockerignore leaves `path` (relative, with /) out of the build context: a
    pattern matches the path or a folder above it; "**/" matches at any depth."""
    parts = path.split("/")
    prefixes = ["/".join(parts[:i]) for i in range(1, len(parts) + 1)]
    for pattern in patterns:
        if pattern.startswith("**/"):
            if any(fnmatch.fnmatch(part, pattern[3:]) for part in parts):
                return True
        elif any(fnmatch.fnmatch(prefix, pattern) for prefix in prefixes):
            return True
    return False


def test_dockerignore_keeps_the_app_and_leaves_out_history_stores_and_secrets():
    patterns = [line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()
                if line.strip() and not line.startswith("#")]
    assert not any(p.startswith("!") for p in patterns)  # the simple reading above suffices
    needed = ["app.py", "app_data.py", "ui.py", "pages/map.py", "src/framing_atlas/store.py",
              "requirements.txt", "pyproject.toml", "README.md", ".streamlit/config.toml",
              "data/themes.toml", "data/theme_models", "data/demo/articles.csv"]
    assert [p for p in needed if ignored(p, patterns)] == []
    left_out = [".git/HEAD", "data/store/articles.parquet", "data/demo/store/current.json",
                "data/cache/pages/x.html", ".streamlit/secrets.toml",
                "src/framing_atlas/__pycache__/store.cpython-311.pyc", "tests/test_deploy.py"]
    assert [p for p in left_out if not ignored(p, patterns)] == []


def compose_service() -> dict:
    services = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))["services"]
    assert len(services) == 1
    return next(iter(services.values()))


def test_compose_runs_the_image_read_only_with_the_store_and_the_healthcheck():
    service = compose_service()
    assert service["build"] == "."
    assert f"{PORT}:{PORT}" in service["ports"]
    env = {key: str(value) for key, value in service["environment"].items()}
    assert Settings.model_validate({"read_only": env["FRAMING_ATLAS_READ_ONLY"]}).read_only
    [volume] = service["volumes"]
    source, target, mode = volume.split(":")
    assert target == env["FRAMING_ATLAS_STORE"] == env_of_image()["FRAMING_ATLAS_STORE"]
    assert source == "./data/store" and mode == "ro"  # where `framing-atlas build` writes
    assert source.removeprefix("./") == str(Settings().store)
    [check] = args_of("HEALTHCHECK")
    assert service["healthcheck"]["test"] == ["CMD", *exec_form(check.partition(" CMD ")[2])]


def test_the_stated_upload_limit_is_the_one_streamlit_enforces():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] == Settings().max_upload_mb == 50
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    deploy = readme[readme.index("## Deploy"):]
    assert "50 MB" in deploy and "maxUploadSize" in deploy and "max_upload_mb" in deploy


# The image's command, without Docker ---------------------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(p): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in [folder, *sorted(folder.rglob("*"))]}


def health_probe(port: int) -> subprocess.CompletedProcess:
    """The Dockerfile's own HEALTHCHECK command, asking this port."""
    [check] = args_of("HEALTHCHECK")
    probe = exec_form(check.partition(" CMD ")[2])
    assert probe[0] == "python"
    code = probe[2].replace(f"localhost:{PORT}", f"127.0.0.1:{port}")
    return subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=30)


def serve_as_the_image(store: Path, tmp_path: Path) -> None:
    """The image's CMD and ENV on a free loopback port (not every interface: tests stay on
    127.0.0.1), with FRAMING_ATLAS_STORE pointing at `store`: the HEALTHCHECK command must
    pass within the start period, and the store is not written."""
    env = {**os.environ, **env_of_image(), "FRAMING_ATLAS_STORE": str(store),
           "NUMBA_CACHE_DIR": str(tmp_path / "numba")}
    [command] = args_of("CMD")
    port = free_port()
    argv = [a.replace("--server.address=0.0.0.0", "--server.address=127.0.0.1")
             .replace(f"--server.port={PORT}", f"--server.port={port}")
            for a in exec_form(command)]
    assert argv[0] == "streamlit"
    before = snapshot(store)
    with open(tmp_path / "streamlit.log", "wb") as log:
        server = subprocess.Popen([sys.executable, "-m", *argv], cwd=ROOT, env=env,
                                  stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 60  # the HEALTHCHECK's start period
            while True:
                probe = health_probe(port)
                if probe.returncode == 0 or time.monotonic() > deadline:
                    break
                assert server.poll() is None, (tmp_path / "streamlit.log").read_text()
                time.sleep(1)
            assert probe.returncode == 0, probe.stderr.decode()[-2000:]
            # A page's address answers too (the app's HTML; its script runs in a session).
            from urllib.request import urlopen

            with urlopen(f"http://127.0.0.1:{port}/clusters", timeout=10) as page:
                assert page.status == 200 and b"<noscript>" in page.read()
        finally:
            server.terminate()
            server.wait(timeout=30)
    # Stopped: the same command now fails, as Docker's health check would.
    assert health_probe(port).returncode != 0
    assert snapshot(store) == before


def test_the_image_command_serves_a_built_store_read_only(atlas_store, tmp_path):
    serve_as_the_image(atlas_store, tmp_path)


@pytest.mark.slow
def test_the_demo_bake_step_builds_a_store_the_image_serves(tmp_path):
    """`--build-arg BAKE_DEMO=1`: the Dockerfile's own bake commands (with /data/store moved
    into tmp_path), run from the project folder as from /app, then served as the image does."""
    [bake] = [rest for rest in args_of("RUN") if "BAKE_DEMO" in rest]
    commands = re.search(r"then (.+?); fi$", bake).group(1)
    store = tmp_path / "store"
    commands = commands.replace("/data/store", str(store))
    bin_dir = Path(sys.executable).parent
    env = {**os.environ, **env_of_image(), "FRAMING_ATLAS_STORE": str(store),
           "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run(["sh", "-c", commands], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=1800)
    assert done.returncode == 0, done.stderr[-3000:]
    assert Store(store).current_build() is not None
    serve_as_the_image(store, tmp_path)


def test_the_server_spends_no_run_on_watching_files_or_a_full_collection():
    """Under 20 sessions (bench/load.py) the file watcher's walk over the loaded modules and the
    full garbage collection after each run held the interpreter half the server's time."""
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["fileWatcherType"] == "none"
    assert config["runner"]["postScriptGC"] is False
