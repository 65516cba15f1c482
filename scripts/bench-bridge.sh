#!/usr/bin/env bash
# Throughput of a bridge: mqtt-load publishes to a source broker at full speed (1 -> 1, 64 B) and its subscriber reads
# on a Mosquitto on the far side of the bridge. Runs our broker + bridge-service, then, for reference, a Mosquitto
# with its own bridge, on the same machine. Usage: scripts/bench-bridge.sh [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/java-env.sh
select_jdk >/dev/null
seconds=${1:-10}
[ -f bridge-service/target/quarkus-app/quarkus-run.jar ] && [ -f mqtt-load/target/mqtt-load.jar ] \
  || ./mvnw -q -B package -DskipTests -pl broker-service,bridge-service,mqtt-load -am
work=$(mktemp -d /tmp/bench-bridge.XXXXXX)
chmod 777 "$work"
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
wait_port() { for _ in $(seq 1 200); do (echo >/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0; sleep 0.1; done; return 1; }
wait_http() { for _ in $(seq 1 300); do curl -fs -o /dev/null "http://127.0.0.1:$1$2" && return 0; sleep 0.1; done; return 1; }

far=$(free_port)
printf 'listener %s 127.0.0.1\nallow_anonymous true\nmax_queued_messages 1000000\n' "$far" >"$work/far.conf"
mosquitto -c "$work/far.conf" >"$work/far.log" 2>&1 & pids+=($!)
wait_port "$far"

load() { # name source-port qos
  "$JAVA_HOME/bin/java" -jar mqtt-load/target/mqtt-load.jar --name "$1" --port "$2" --sub-port "$far" \
    --sub-prefix edge/ --qos "$3" --duration "$seconds" --quiet --json "$work/results.jsonl" | tail -n 4
}

# ---- our broker + bridge-service
mqtt=$(free_port); http=$(free_port); bridge_http=$(free_port)
BROKER_MQTT_PORT=$mqtt BROKER_WEBSOCKET_PORT=-1 BROKER_MQTT_HOST=127.0.0.1 BROKER_AUTH_ALLOW_ANONYMOUS=true QUARKUS_HTTP_PORT=$http \
  "$JAVA_HOME/bin/java" -Xmx512m -jar broker-service/target/quarkus-app/quarkus-run.jar >"$work/broker.log" 2>&1 &
pids+=($!)
wait_http "$http" /q/health/ready
cat >"$work/bridges.properties" <<CONF
bridge.local.port=$mqtt
bridge.bridges.bench.remote.host=127.0.0.1
bridge.bridges.bench.remote.port=$far
bridge.bridges.bench.topics[0].filter=load/#
bridge.bridges.bench.topics[0].remote-prefix=edge/
bridge.bridges.bench.max-inflight=${BENCH_MAX_INFLIGHT:-100}
CONF
QUARKUS_CONFIG_LOCATIONS=$work/bridges.properties QUARKUS_HTTP_PORT=$bridge_http \
  "$JAVA_HOME/bin/java" -Xmx512m -jar bridge-service/target/quarkus-app/quarkus-run.jar >"$work/bridge.log" 2>&1 &
pids+=($!)
wait_http "$bridge_http" /q/health/ready
echo "== suite broker -> bridge-service -> Mosquitto"
load suite-bridge-qos0 "$mqtt" 0
load suite-bridge-qos1 "$mqtt" 1
curl -fs "http://127.0.0.1:$bridge_http/q/metrics" | grep -E '^bridge_(dropped|resent|forwarded)_total' || true

# ---- reference: Mosquitto with its own bridge
near=$(free_port)
printf 'listener %s 127.0.0.1\nallow_anonymous true\nconnection bench\naddress 127.0.0.1:%s\ntopic load/# out 1 "" edge/\n' \
  "$near" "$far" >"$work/near.conf"
mosquitto -c "$work/near.conf" >"$work/near.log" 2>&1 & pids+=($!)
wait_port "$near"
sleep 1 # the bridge connection (no readiness endpoint to wait on)
echo "== Mosquitto -> Mosquitto bridge -> Mosquitto"
load mosquitto-bridge-qos0 "$near" 0
load mosquitto-bridge-qos1 "$near" 1
echo "results: $work/results.jsonl"
