#!/usr/bin/env bash
# Makes sure a Docker engine answers: installs one when there is none (on
# Debian 12, Debian 13's docker.io 26 with buildx: the engine students have),
# starts dockerd in the background when it is not running, and waits until
# `docker info` answers.
#
#   scripts/engine.sh           ensure an engine (needs root to install or start)
#   ENGINE_WAIT_S=90 scripts/engine.sh
set -euo pipefail

log() { printf '[engine] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

answers() { timeout 10 docker info >/dev/null 2>&1; }

if answers; then
  log "a Docker engine answers ($(docker version --format '{{.Server.Version}}' 2>/dev/null || echo '?'))"
  exit 0
fi

if [ "$(id -u)" != 0 ]; then
  die "no Docker engine answers, and starting one needs root. Start Docker (sudo systemctl start docker, or Docker Desktop) and try again."
fi

# The engine students have is Docker 26-28 (BuildKit, buildx). On Debian 12 the
# current one comes from Debian 13's packages: a `trixie` source with an apt pin
# of 100 (nothing else moves), then docker.io, docker-cli and docker-buildx from
# it; bookworm's containerd, runc and tini satisfy them. DOCKERLINGS_ENGINE=legacy
# keeps Debian 12's docker.io 20.10 (the job that runs the smaller suite on it).
install_current_engine() {
  local mirror
  mirror=$(sed -n 's/^URIs: *\(http[^ ]*debian\)\/* *$/\1/p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -n 1)
  [ -n "$mirror" ] || mirror=$(sed -n 's/^deb \(http[^ ]*debian\)\/* bookworm .*/\1/p' /etc/apt/sources.list 2>/dev/null | head -n 1)
  [ -n "$mirror" ] || mirror=http://deb.debian.org/debian
  cat >/etc/apt/sources.list.d/dockerlings-trixie.sources <<SOURCES
Types: deb
URIs: $mirror
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
  cat >/etc/apt/preferences.d/dockerlings-trixie <<PIN
Package: *
Pin: release n=trixie
Pin-Priority: 100
PIN
  apt-get update -qq >/dev/null
  apt-get install -y -qq -t trixie docker.io docker-cli docker-buildx >/dev/null
}

codename=$(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}")
if ! command -v dockerd >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  if [ "$codename" = bookworm ] && [ "${DOCKERLINGS_ENGINE:-current}" != legacy ]; then
    log "no dockerd on this machine: installing Debian 13's docker.io 26 and docker-buildx"
    install_current_engine
  else
    log "no dockerd on this machine: installing the system's docker.io"
    apt-get update -qq >/dev/null
    apt-get install -y -qq docker.io >/dev/null
    if apt-cache show docker-buildx >/dev/null 2>&1; then apt-get install -y -qq docker-buildx >/dev/null || true; fi
  fi
fi

# A dockerd killed abruptly leaves its pid file, and the next one refuses to start.
if [ -f /var/run/docker.pid ]; then
  pid=$(cat /var/run/docker.pid 2>/dev/null || true)
  if [ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null; then
    log "removing a stale /var/run/docker.pid (pid ${pid:-?} is not running)"
    rm -f /var/run/docker.pid
  fi
fi
if [ -f /var/run/containerd/containerd.pid ]; then
  pid=$(cat /var/run/containerd/containerd.pid 2>/dev/null || true)
  if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then rm -f /var/run/containerd/containerd.pid; fi
fi

if ! pgrep -x dockerd >/dev/null 2>&1; then
  log "starting dockerd in the background (log: /var/log/dockerd.log)"
  setsid nohup dockerd >/var/log/dockerd.log 2>&1 < /dev/null &
fi

wait_s=${ENGINE_WAIT_S:-60}
for _ in $(seq 1 "$wait_s"); do
  if answers; then
    log "engine ready ($(docker version --format '{{.Server.Version}}' 2>/dev/null || echo '?'))"
    exit 0
  fi
  sleep 1
done
tail -n 20 /var/log/dockerd.log >&2 2>/dev/null || true
die "dockerd did not answer within ${wait_s} s; its log is above (/var/log/dockerd.log)"
