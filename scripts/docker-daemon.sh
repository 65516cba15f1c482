#!/usr/bin/env bash
# A private Docker engine for the container images and the Testcontainers tests, without touching the host's
# networking: no bridge network, no iptables rules; containers use the host network (127.0.0.1) only.
#
#   scripts/docker-daemon.sh start <dir>   installs docker.io if needed, starts dockerd, prints its DOCKER_HOST
#   scripts/docker-daemon.sh stop <dir>
set -euo pipefail
action=${1:?start|stop}
dir=${2:?a work directory for the engine}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
sock="$dir/docker.sock"

case "$action" in
  start)
    if ! command -v dockerd >/dev/null 2>&1; then
      echo "installing docker.io" >&2
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq >&2 || apt-get update -qq >&2
      apt-get install -y -qq docker.io >/dev/null
    fi
    if [ -S "$sock" ] && DOCKER_HOST="unix://$sock" docker version >/dev/null 2>&1; then
      echo "unix://$sock"
      exit 0
    fi
    nohup dockerd --data-root "$dir/data" --exec-root "$dir/exec" --pidfile "$dir/dockerd.pid" \
      -H "unix://$sock" --bridge=none --iptables=false --ip-masq=false >"$dir/dockerd.log" 2>&1 &
    for _ in $(seq 1 100); do
      if DOCKER_HOST="unix://$sock" docker version >/dev/null 2>&1; then
        echo "unix://$sock"
        exit 0
      fi
      sleep 0.2
    done
    echo "dockerd did not start; see $dir/dockerd.log" >&2
    tail -n 20 "$dir/dockerd.log" >&2
    exit 1
    ;;
  stop)
    if [ -f "$dir/dockerd.pid" ]; then
      pid=$(cat "$dir/dockerd.pid")
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    fi
    ;;
  *) echo "usage: $0 start|stop <dir>" >&2; exit 2 ;;
esac
