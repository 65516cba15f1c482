#!/usr/bin/env bash
# Runs the standard load scenarios against this suite's broker and against Mosquitto (Debian's package) back to back
# on this machine, and writes docs/benchmarks.md (table, ratios, machine, conditions) and docs/benchmarks.svg.
#   scripts/bench-compare.sh [--duration 10]
set -euo pipefail
cd "$(dirname "$0")/.."
duration=10
[ "${1:-}" = "--duration" ] && duration=${2:?}
. scripts/java-env.sh
select_jdk
command -v mosquitto >/dev/null || { echo "mosquitto is needed: apt-get install mosquitto" >&2; exit 1; }
./mvnw -q -B package -DskipTests -pl broker-service,mqtt-load -am >/dev/null
work=$(mktemp -d /tmp/bench.XXXXXX)
results="$work/results.jsonl"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
load() { "$JAVA_HOME/bin/java" -Xmx1g -jar mqtt-load/target/mqtt-load.jar --quiet --json "$results" "$@" 2>/dev/null; }

scenarios() {
  local broker=$1 port=$2 pid=$3
  load --name "$broker 1-1 qos0 max" --port "$port" --qos 0 --duration "$duration"
  load --name "$broker 1-1 qos1 max" --port "$port" --qos 1 --duration "$duration"
  load --name "$broker fan-out 1-100 1000/s" --port "$port" --subscribers 100 --shared-topic --rate 1000 --duration "$duration"
  load --name "$broker fan-in 100-1 wildcard max" --port "$port" --publishers 100 --wildcard --duration "$duration"
  load --name "$broker 1-1 qos0 20000/s" --port "$port" --qos 0 --rate 20000 --duration "$duration"
  load --name "$broker 1-1 qos1 20000/s" --port "$port" --qos 1 --rate 20000 --duration "$duration"
  load --name "$broker 10000 idle connections" --port "$port" --connections 10000 --hold 5 --broker-pid "$pid"
}

# ---- this suite's broker (anonymous: protocol benchmark; retained in memory) --------------------------------
ours_port=$(free_port)
BROKER_MQTT_HOST=127.0.0.1 BROKER_MQTT_PORT=$ours_port BROKER_AUTH_ALLOW_ANONYMOUS=true QUARKUS_HTTP_PORT=$(free_port) \
  BROKER_SYS_INTERVAL=0 "$JAVA_HOME/bin/java" -Xmx512m -jar broker-service/target/quarkus-app/quarkus-run.jar \
  >"$work/broker.log" 2>&1 &
ours_pid=$!
until (exec 3<>/dev/tcp/127.0.0.1/$ours_port) 2>/dev/null; do sleep 0.2; done
scenarios ours "$ours_port" "$ours_pid"
kill "$ours_pid"; wait "$ours_pid" 2>/dev/null || true

# ---- Mosquitto at its defaults (plus a listener and anonymous access) ---------------------------------------
mq_port=$(free_port)
cat >"$work/mosquitto.conf" <<CONF
listener $mq_port 127.0.0.1
allow_anonymous true
persistence false
log_dest file $work/mosquitto.log
max_connections -1
CONF
chown -R mosquitto "$work" 2>/dev/null || true
mosquitto -c "$work/mosquitto.conf" &
mq_pid=$!
until (exec 3<>/dev/tcp/127.0.0.1/$mq_port) 2>/dev/null; do sleep 0.2; done
scenarios mosquitto "$mq_port" "$mq_pid"
kill "$mq_pid"; wait "$mq_pid" 2>/dev/null || true

python3 scripts/bench-report.py "$results" docs/benchmarks.md docs/benchmarks.svg "$duration"
echo "results: $results -> docs/benchmarks.md"
