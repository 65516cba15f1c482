#!/usr/bin/env bash
# Cross-broker routing against one broker, back to back on this machine: two brokers forming a cluster on 127.0.0.1,
# mqtt-load 1->1 at QoS 0 and QoS 1 as fast as possible with publisher and subscriber on the same broker, then with the
# subscriber on the other broker (every message crosses the gRPC stream). Prints one line per scenario.
#   scripts/bench-cluster.sh [--duration 10] [--no-build]
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
select_jdk
[ $build = 1 ] && ./mvnw -q -B package -DskipTests -pl broker-service,mqtt-load -am >/dev/null
work=$(mktemp -d /tmp/bench-cluster.XXXXXX)
results="$work/results.jsonl"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
load() { "$JAVA_HOME/bin/java" -Xmx1g -jar mqtt-load/target/mqtt-load.jar --quiet --json "$results" "$@" 2>/dev/null; }

hz1=$(free_port); hz2=$(free_port)
declare -a mqtt http pids
for i in 0 1; do
  mqtt[$i]=$(free_port); http[$i]=$(free_port)
  BROKER_MQTT_HOST=127.0.0.1 BROKER_MQTT_PORT=${mqtt[$i]} BROKER_WEBSOCKET_PORT=-1 BROKER_AUTH_ALLOW_ANONYMOUS=true BROKER_SYS_INTERVAL=0 \
    QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT=${http[$i]} BROKER_CLUSTER_ENABLED=true BROKER_CLUSTER_NODE_ID=bench-$((i + 1)) \
    BROKER_CLUSTER_NAME=bench-$$ BROKER_CLUSTER_PORT=$([ $i = 0 ] && echo "$hz1" || echo "$hz2") \
    BROKER_CLUSTER_GRPC_PORT=$(free_port) BROKER_CLUSTER_MEMBERS=127.0.0.1:$hz1,127.0.0.1:$hz2 BROKER_CLUSTER_JOIN_TIMEOUT=2s \
    "$JAVA_HOME/bin/java" -Xmx512m -jar broker-service/target/quarkus-app/quarkus-run.jar >"$work/broker-$((i + 1)).log" 2>&1 &
  pids[$i]=$!
done
trap 'kill ${pids[*]} 2>/dev/null || true' EXIT
for i in 0 1; do
  until curl -fs "http://127.0.0.1:${http[$i]}/q/metrics" 2>/dev/null | grep -q '^mqtt_cluster_peers_connected 1'; do
    sleep 0.5
  done
done
for qos in 0 1; do
  load --name "same broker 1-1 qos$qos max" --port "${mqtt[0]}" --qos "$qos" --duration "$duration"
  load --name "cross broker 1-1 qos$qos max" --port "${mqtt[0]}" --sub-port "${mqtt[1]}" --qos "$qos" \
    --duration "$duration"
done
python3 - "$results" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    keys = [k for k in r if k not in ("name",)]
    print(r["name"].ljust(30), " ".join(f"{k}={r[k]}" for k in keys if not isinstance(r[k], (dict, list))))
PY
echo "per-peer metrics of broker 1:"
curl -fs "http://127.0.0.1:${http[0]}/q/metrics" | grep -E '^mqtt_cluster_forward_(messages_total|dropped_total|rtt_seconds_(count|sum|max))'
