#!/usr/bin/env bash
# Replicated persistent sessions (docs/adr/0017), back to back on this machine: two brokers forming a cluster on
# 127.0.0.1, mqtt-load 1->1 QoS 1 to a persistent subscriber (Clean Session 0) on broker 1, online and
# offline-then-drain, with broker.cluster.replication.enabled=true and =false (session log off in both, so the
# difference is the replica's cost). Prints one line per scenario and the replication metrics.
#   scripts/bench-replication.sh [--duration 10] [--no-build]
set -euo pipefail
cd "$(dirname "$0")/.."
duration=10
build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) duration=${2:?}; shift 2 ;;
    --no-build) build=0; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
. scripts/java-env.sh
. scripts/bench-tls.sh
select_jdk
[ $build = 1 ] && ./mvnw -q -B package -DskipTests -pl broker-service,mqtt-load -am >/dev/null
work=$(mktemp -d /tmp/bench-replication.XXXXXX)
results="$work/results.jsonl"
bench_internal_tls "$work/tls" # the cluster streams under mutual TLS, as shipped
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
load() { "$JAVA_HOME/bin/java" -Xmx1g -jar mqtt-load/target/mqtt-load.jar --quiet --json "$results" "$@" 2>/dev/null; }
declare -a mqtt http pids
trap 'kill ${pids[*]} 2>/dev/null || true' EXIT

run() { # $1 true|false: replication
  local hz1 hz2 i
  hz1=$(free_port); hz2=$(free_port)
  for i in 0 1; do
    mqtt[$i]=$(free_port); http[$i]=$(free_port)
    BROKER_MQTT_HOST=127.0.0.1 BROKER_MQTT_PORT=${mqtt[$i]} BROKER_WEBSOCKET_PORT=-1 BROKER_AUTH_ALLOW_ANONYMOUS=true \
      BROKER_SYS_INTERVAL=0 BROKER_SESSION_PERSISTENCE=none BROKER_SESSION_MAX_QUEUED_MESSAGES=5000000 \
      BROKER_SESSION_MAX_QUEUED_BYTES=1073741824 BROKER_SESSION_MAX_TOTAL_QUEUED_BYTES=2147483648 \
      QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT=${http[$i]} BROKER_CLUSTER_ENABLED=true \
      BROKER_CLUSTER_NODE_ID=bench-$((i + 1)) BROKER_CLUSTER_NAME=bench-$$-$1 \
      BROKER_CLUSTER_PORT=$([ $i = 0 ] && echo "$hz1" || echo "$hz2") BROKER_CLUSTER_GRPC_PORT=$(free_port) \
      BROKER_CLUSTER_MEMBERS=127.0.0.1:$hz1,127.0.0.1:$hz2 BROKER_CLUSTER_JOIN_TIMEOUT=2s \
      BROKER_CLUSTER_REPLICATION_ENABLED=$1 env $(bench_tls_env "$work/tls") \
      "$JAVA_HOME/bin/java" -Xmx1g -jar broker-service/target/quarkus-app/quarkus-run.jar \
      >"$work/broker-$1-$((i + 1)).log" 2>&1 &
    pids[$i]=$!
  done
  for i in 0 1; do
    until curl -fs "http://127.0.0.1:${http[$i]}/q/metrics" 2>/dev/null | grep -q '^mqtt_cluster_peers_connected 1'; do
      kill -0 "${pids[$i]}" 2>/dev/null || { echo "broker $((i + 1)) stopped: $work/broker-$1-$((i + 1)).log" >&2; exit 1; }
      sleep 0.5
    done
  done
  load --name "replication=$1 qos1 persistent online" --port "${mqtt[0]}" --qos 1 --clean-session false \
    --duration "$duration"
  load --name "replication=$1 qos1 persistent offline" --port "${mqtt[0]}" --qos 1 --offline --duration "$duration"
  echo "replication metrics of broker 1 (replication=$1):"
  curl -fs "http://127.0.0.1:${http[0]}/q/metrics" | grep -E '^mqtt_cluster_replication_' || true
  kill "${pids[@]}"; wait "${pids[@]}" 2>/dev/null || true
}
run false
run true
python3 - "$results" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    keys = [k for k in r if k not in ("name",)]
    print(r["name"].ljust(42), " ".join(f"{k}={r[k]}" for k in keys if not isinstance(r[k], (dict, list))))
PY
