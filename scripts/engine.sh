#!/usr/bin/env bash
# Makes sure a Docker engine answers: installs Debian's docker.io when there is
# no engine at all, starts dockerd in the background when it is not running,
# and waits until `docker info` answers.
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

if ! command -v dockerd >/dev/null 2>&1; then
  log "no dockerd on this machine: installing Debian's docker.io"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq docker.io >/dev/null
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
