#!/usr/bin/env bash
# A 3-node LeaderlessActors cluster on 127.0.0.1 without Docker: three node processes, each with its own SQLite file.
#
#   src/LeaderlessActors.Node/local-cluster.sh start     build once, start the nodes, wait until each answers /health
#   src/LeaderlessActors.Node/local-cluster.sh status    each node's /health
#   src/LeaderlessActors.Node/local-cluster.sh stop      SIGTERM: each node leaves the cluster and exits
#
# Remoting ports 4053-4055, HTTP ports 8081-8083 (BASE_PORT / BASE_HTTP_PORT move them). Data, logs and pids live in
# DATA_ROOT (default ./leaderless-data). Every node lists all three as seeds, so any of them can restart and rejoin.
set -euo pipefail
cd "$(dirname "$0")/../.."

NODES=3
BASE_PORT="${BASE_PORT:-4053}"
BASE_HTTP_PORT="${BASE_HTTP_PORT:-8081}"
DATA_ROOT="${DATA_ROOT:-$PWD/leaderless-data}"
DLL=src/LeaderlessActors.Node/bin/Release/net10.0/LeaderlessActors.Node.dll

seeds() {
  local list=() i
  for ((i = 0; i < NODES; i++)); do list+=("127.0.0.1:$((BASE_PORT + i))"); done
  (IFS=,; echo "${list[*]}")
}

healthy() { curl -fsS "http://127.0.0.1:$1/health" >/dev/null 2>&1; }

start() {
  dotnet build src/LeaderlessActors.Node -c Release -v quiet -nologo >/dev/null
  mkdir -p "$DATA_ROOT"
  local i
  for ((i = 1; i <= NODES; i++)); do
    if [ -f "$DATA_ROOT/node$i.pid" ] && kill -0 "$(cat "$DATA_ROOT/node$i.pid")" 2>/dev/null; then
      echo "node$i is already running (pid $(cat "$DATA_ROOT/node$i.pid"))"; continue
    fi
    dotnet "$DLL" --hostname 127.0.0.1 --port $((BASE_PORT + i - 1)) --http-port $((BASE_HTTP_PORT + i - 1)) \
      --seeds "$(seeds)" --data-dir "$DATA_ROOT/node$i" >"$DATA_ROOT/node$i.log" 2>&1 &
    echo $! >"$DATA_ROOT/node$i.pid"
    echo "node$i: pid $!, http://127.0.0.1:$((BASE_HTTP_PORT + i - 1)), log $DATA_ROOT/node$i.log"
  done
  for ((i = 1; i <= NODES; i++)); do
    local tries=0
    until healthy $((BASE_HTTP_PORT + i - 1)); do
      tries=$((tries + 1))
      if [ $tries -gt 120 ] || ! kill -0 "$(cat "$DATA_ROOT/node$i.pid")" 2>/dev/null; then
        echo "node$i did not become healthy; last lines of its log:" >&2
        tail -n 20 "$DATA_ROOT/node$i.log" >&2
        exit 1
      fi
      sleep 0.5
    done
  done
  echo "cluster up: curl http://127.0.0.1:$BASE_HTTP_PORT/cluster"
}

stop() {
  local i pid
  for ((i = 1; i <= NODES; i++)); do
    [ -f "$DATA_ROOT/node$i.pid" ] || continue
    pid="$(cat "$DATA_ROOT/node$i.pid")"
    kill -TERM "$pid" 2>/dev/null && echo "node$i: leaving (pid $pid)"
  done
  for ((i = 1; i <= NODES; i++)); do
    [ -f "$DATA_ROOT/node$i.pid" ] || continue
    pid="$(cat "$DATA_ROOT/node$i.pid")"
    local waited=0
    while kill -0 "$pid" 2>/dev/null; do
      waited=$((waited + 1))
      if [ $waited -gt 150 ]; then echo "node$i: no exit after 30 s, killing it" >&2; kill -KILL "$pid" 2>/dev/null || true; fi
      sleep 0.2
    done
    rm -f "$DATA_ROOT/node$i.pid"
  done
}

status() {
  local i
  for ((i = 1; i <= NODES; i++)); do
    printf 'node%s: ' "$i"
    curl -sS "http://127.0.0.1:$((BASE_HTTP_PORT + i - 1))/health" 2>/dev/null || printf 'not answering'
    echo
  done
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|status|stop" >&2; exit 2 ;;
esac
