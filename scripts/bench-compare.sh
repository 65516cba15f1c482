#!/usr/bin/env bash
# Runs the standard load scenarios against this suite's broker and against Mosquitto (Debian's package) back to back
# on this machine, and writes docs/benchmarks.md (table, ratios, machine, conditions) and docs/benchmarks.svg.
#   scripts/bench-compare.sh [--duration 10] [--before DIR]
# --before DIR: also runs our scenarios with the jars built in DIR (a checkout of an earlier commit, built with
# `./mvnw package -DskipTests -pl broker-service,auth-service,mqtt-load -am`), back to back in the same run, so that a
# change is measured before and after on the same machine; the report then has a "before" column.
set -euo pipefail
cd "$(dirname "$0")/.."
duration=10
before=""
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) duration=${2:?}; shift 2 ;;
    --before) before=$(cd "${2:?}" && pwd); shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
. scripts/java-env.sh
select_jdk
command -v mosquitto >/dev/null || { echo "mosquitto is needed: apt-get install mosquitto" >&2; exit 1; }
./mvnw -q -B package -DskipTests -pl broker-service,auth-service,mqtt-load -am >/dev/null
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
  # the paced runs decide the p99 targets and vary from run to run on 2 cores: three of each
  for run in 1 2 3; do
    load --name "$broker 1-1 qos0 20000/s #$run" --port "$port" --qos 0 --rate 20000 --duration "$duration"
    load --name "$broker 1-1 qos1 20000/s #$run" --port "$port" --qos 1 --rate 20000 --duration "$duration"
  done
  load --name "$broker 10000 idle connections" --port "$port" --connections 10000 --hold 5 --broker-pid "$pid"
  load --name "$broker fan-in 100-1 qos1 max" --port "$port" --publishers 100 --wildcard --qos 1 --duration "$duration"
  load --name "$broker overload 100-1 qos1 60s" --port "$port" --publishers 100 --wildcard --qos 1 --duration 60
  heap_after "$broker" "$pid"
}

# the broker's heap after the overload run (JVM only): used after a full GC, and whether it ran out of memory
heap_after() {
  if [ "$1" != mosquitto ]; then
    "$JAVA_HOME/bin/jcmd" "$2" GC.run >/dev/null 2>&1 || true
    "$JAVA_HOME/bin/jcmd" "$2" GC.heap_info 2>/dev/null | head -3 >"$work/heap-after-overload-$1.txt" || true
    grep -c OutOfMemoryError "$work/broker.log" >"$work/oom-count-$1.txt" || true
  fi
}

# connection storm with user name and password: ours asks the auth-service (gRPC) at every CONNECT, Mosquitto reads
# its password file; the same credentials for every connection (a reconnect storm of one fleet's gateway account)
auth_storm() {
  # one unmeasured storm first: the JVM's JIT and the broker's decision cache warm up, as in a running system
  "$JAVA_HOME/bin/java" -Xmx1g -jar mqtt-load/target/mqtt-load.jar --quiet --name warm-up --port "$2" \
    --connections 10000 --hold 0 --username bench --password bench-secret-1 >/dev/null 2>&1 || true
  load --name "$1 10000 connections with password auth" --port "$2" --connections 10000 --hold 3 \
    --username bench --password bench-secret-1 --broker-pid "$3"
}

# ---- this suite's broker (anonymous: protocol benchmark; retained in memory) --------------------------------
# $1 = name in the results (ours, before), $2 = the checkout whose jars run
protocol_runs() {
  local name=$1 home=$2 port
  port=$(free_port)
  BROKER_MQTT_HOST=127.0.0.1 BROKER_MQTT_PORT=$port BROKER_WEBSOCKET_PORT=-1 BROKER_AUTH_ALLOW_ANONYMOUS=true QUARKUS_HTTP_PORT=$(free_port) \
    BROKER_SYS_INTERVAL=0 "$JAVA_HOME/bin/java" -Xmx512m -jar "$home/broker-service/target/quarkus-app/quarkus-run.jar" \
    >"$work/broker.log" 2>&1 &
  local pid=$!
  until (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null; do sleep 0.2; done
  scenarios "$name" "$port" "$pid"
  kill "$pid"; wait "$pid" 2>/dev/null || true
}
[ -n "$before" ] && protocol_runs before "$before"
protocol_runs ours "$PWD"

# ---- this suite's broker with the auth-service in the loop ---------------------------------------------------
auth_runs() {
local name=$1 home=$2
auth_http=$(free_port)
rm -rf "$work/auth"
AUTH_DATA_DIR="$work/auth" AUTH_ADMIN_PASSWORD=bench-admin QUARKUS_HTTP_PORT=$auth_http QUARKUS_HTTP_HOST=127.0.0.1 \
  "$JAVA_HOME/bin/java" -Xmx512m -jar "$home/auth-service/target/quarkus-app/quarkus-run.jar" >"$work/auth.log" 2>&1 &
auth_pid=$!
until curl -fs -o /dev/null "http://127.0.0.1:$auth_http/q/health/ready"; do sleep 0.3; done
curl -fs -u admin:bench-admin -H 'Content-Type: application/json' "http://127.0.0.1:$auth_http/api/v1/roles" \
  -d '{"name":"bench","priority":1,"rules":[{"effect":"ALLOW","action":"PUBLISH","pattern":"load/#"},{"effect":"ALLOW","action":"SUBSCRIBE","pattern":"load/#"}]}' >/dev/null
curl -fs -u admin:bench-admin -H 'Content-Type: application/json' "http://127.0.0.1:$auth_http/api/v1/users" \
  -d '{"username":"bench","password":"bench-secret-1","roles":["bench"]}' >/dev/null
ours_port=$(free_port)
BROKER_MQTT_HOST=127.0.0.1 BROKER_MQTT_PORT=$ours_port BROKER_WEBSOCKET_PORT=-1 BROKER_AUTH_BACKEND=service QUARKUS_HTTP_PORT=$(free_port) \
  QUARKUS_GRPC_CLIENTS_AUTH_PORT=$auth_http BROKER_SYS_INTERVAL=0 \
  "$JAVA_HOME/bin/java" -Xmx512m -jar "$home/broker-service/target/quarkus-app/quarkus-run.jar" >"$work/broker-auth.log" 2>&1 &
ours_pid=$!
until (exec 3<>/dev/tcp/127.0.0.1/$ours_port) 2>/dev/null; do sleep 0.2; done
auth_storm "$name" "$ours_port" "$ours_pid"
kill "$ours_pid" "$auth_pid"; wait "$ours_pid" "$auth_pid" 2>/dev/null || true
}
[ -n "$before" ] && auth_runs before "$before"
auth_runs ours "$PWD"

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

# ---- Mosquitto with a password file --------------------------------------------------------------------------
mosquitto_passwd -b -c "$work/passwords" bench bench-secret-1
chown mosquitto "$work/passwords" 2>/dev/null || true
mq_port=$(free_port)
cat >"$work/mosquitto-auth.conf" <<CONF
listener $mq_port 127.0.0.1
allow_anonymous false
password_file $work/passwords
persistence false
log_dest file $work/mosquitto-auth.log
max_connections -1
CONF
mosquitto -c "$work/mosquitto-auth.conf" &
mq_pid=$!
until (exec 3<>/dev/tcp/127.0.0.1/$mq_port) 2>/dev/null; do sleep 0.2; done
auth_storm mosquitto "$mq_port" "$mq_pid"
kill "$mq_pid"; wait "$mq_pid" 2>/dev/null || true
for name in before ours; do
  [ -f "$work/heap-after-overload-$name.txt" ] || continue
  echo "$name: heap after the overload run (after a full GC):"; cat "$work/heap-after-overload-$name.txt"
  echo "$name: OutOfMemoryError lines in the broker's log: $(cat "$work/oom-count-$name.txt" 2>/dev/null || echo 0)"
done

python3 scripts/bench-report.py "$results" docs/benchmarks.md docs/benchmarks.svg "$duration"
echo "results: $results -> docs/benchmarks.md"
