# syntax=docker/dockerfile:1
# A Python service written the careful way: every shell construct that a
# hand-made reader gets wrong, and nothing a linter should report.
ARG PYTHON_IMAGE=python:3.12-slim-bookworm
FROM ${PYTHON_IMAGE} AS base

SHELL ["/bin/bash", "-euxo", "pipefail", "-c"]
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1

RUN --mount=type=cache,target=/var/cache/apt,sharing=locked \
    --mount=type=cache,target=/var/lib/apt,sharing=locked \
    rm -f /etc/apt/apt.conf.d/docker-clean; \
    apt-get update; \
    apt-get install -y --no-install-recommends curl ca-certificates; \
    arch="$(dpkg --print-architecture | cut -d- -f2)"; \
    case "$arch" in \
        amd64|x86_64) tini_arch=amd64 ;; \
        arm64|aarch64) tini_arch=arm64 ;; \
        *) echo >&2 "unsupported: $arch"; exit 1 ;; \
    esac; \
    curl -fsSL -o /usr/local/bin/tini "https://github.com/krallin/tini/releases/download/v0.19.0/tini-${tini_arch}"; \
    chmod +x /usr/local/bin/tini

FROM base AS build
WORKDIR /src
COPY requirements.txt ./
RUN export PIP_NO_CACHE_DIR=1 \
    && python -m venv /venv \
    && /venv/bin/pip install -r requirements.txt \
    && ( cd /venv && find . -name '__pycache__' -prune -exec rm -rf {} + ) \
    && version="$(/venv/bin/python -c 'import sys; print(sys.version)' | head -n 1)" \
    && echo "built with $version"

RUN python3 <<'PY'
import os
# Not shell: `cd` and | in here are Python text.
print("cd /tmp | not a pipe", os.getcwd())
PY

FROM base
RUN useradd --system --uid 10001 --create-home app
WORKDIR /home/app
COPY --from=build --chown=app:app /venv /venv
COPY --chown=app:app app/ ./app/
USER app
EXPOSE 8000
HEALTHCHECK --interval=10s CMD ["/venv/bin/python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health')"]
ENTRYPOINT ["/usr/local/bin/tini", "--"]
CMD ["/venv/bin/python", "-m", "app"]
