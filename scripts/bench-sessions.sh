#!/usr/bin/env bash
# Crash-safe sessions (issue 15), back to back on this machine, printed as Markdown tables:
#  1. 1->1 QoS 1 to a persistent subscriber (MQTT 3.1.1 Clean Session 0), online and offline-then-drain, for this
#     suite's broker with broker.session.persistence=file (fsync=batch, fsync=never) and =none, and for Mosquitto with
#     `persistence true`: msg/s and lost (acknowledged with PUBACK but never delivered);
#  2. recovery after kill -9 with 10^5 and 10^6 QoS 1 messages queued for an offline persistent session: the broker's
#     "Recovered ..." line and the time from the JVM's start until the MQTT listener accepts connections.
#   scripts/bench-sessions.sh [--duration 10] [--recovery "100000 1000000"] [--no-build]
set -euo pipefail
cd "$(dirname "$0")/.."
duration=10
recovery="100000 1000000"
build=true
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) duration=${2:?}; shift 2 ;;
    --recovery) recovery=${2?}; shift 2 ;;
    --no-build) build=false; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
. scripts/java-env.sh
select_jdk
command -v mosquitto >/dev/null || { echo "mosquitto is needed: apt-get install mosquitto" >&2; exit 1; }
if $build; then
  ./mvnw -q -B package -DskipTests -pl broker-service,mqtt-load -am >/dev/null
fi
work=$(mktemp -d /tmp/bench-sessions.XXXXXX)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
results="$work/results.jsonl"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
load() { "$JAVA_HOME/bin/java" -Xmx1g -jar mqtt-load/target/mqtt-load.jar --quiet --json "$results" "$@" 2>/dev/null; }
await_port() { # $1 port, $2 pid: waits until the port accepts, fails if the process died
  until (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null; do
    kill -0 "$2" 2>/dev/null || { echo "broker $2 exited; see $work" >&2; exit 1; }
    sleep 0.02
  done
}
stop_pid() { # $1 signal, $2 pid: signals and waits until the process is gone
  kill "-$1" "$2" 2>/dev/null || true
  while kill -0 "$2" 2>/dev/null; do sleep 0.05; done
}
# queues big enough that no limit drops or refuses anything in these runs (both brokers)
queue_env=(BROKER_SESSION_MAX_QUEUED_MESSAGES=5000000 BROKER_SESSION_MAX_QUEUED_BYTES=1073741824
  BROKER_SESSION_MAX_TOTAL_QUEUED_BYTES=2147483648)

# $1 label, $2 data dir, $3 persistence, $4 fsync, $5 port; prints the pid
start_ours() {
  env BROKER_MQTT_HOST=127.0.0.1 BROKER_MQTT_PORT="$5" BROKER_WEBSOCKET_PORT=-1 BROKER_AUTH_ALLOW_ANONYMOUS=true QUARKUS_HTTP_PORT="$(free_port)" \
    BROKER_SYS_INTERVAL=0 BROKER_SESSION_PERSISTENCE="$3" BROKER_SESSION_FSYNC="$4" BROKER_SESSION_DATA_DIR="$2" \
    "${queue_env[@]}" "$JAVA_HOME/bin/java" -Xmx3g -jar broker-service/target/quarkus-app/quarkus-run.jar \
    >>"$work/$1.log" 2>&1 &
  echo $!
}

scenarios() { # $1 label, $2 port
  load --name "$1 online" --port "$2" --qos 1 --clean-session false --duration "$duration"
  load --name "$1 offline" --port "$2" --qos 1 --offline --duration "$duration"
}

# ---- throughput ----------------------------------------------------------------------------------------------
for config in "file batch" "file never" "none batch"; do
  set -- $config
  label="ours persistence=$1"
  [ "$1" = file ] && label="$label fsync=$2"
  port=$(free_port)
  pid=$(start_ours "ours-$1-$2" "$work/data-$1-$2" "$1" "$2" "$port")
  await_port "$port" "$pid"
  scenarios "$label" "$port"
  stop_pid TERM "$pid"
done

mkdir -p "$work/mosquitto"
port=$(free_port)
cat >"$work/mosquitto.conf" <<CONF
listener $port 127.0.0.1
allow_anonymous true
persistence true
persistence_location $work/mosquitto/
max_queued_messages 5000000
log_dest file $work/mosquitto.log
CONF
chown -R mosquitto "$work" 2>/dev/null || true
mosquitto -c "$work/mosquitto.conf" &
mq_pid=$!
await_port "$port" "$mq_pid"
scenarios "mosquitto persistence true" "$port"
stop_pid TERM "$mq_pid"

# ---- recovery after kill -9 ----------------------------------------------------------------------------------
recovery_rows="$work/recovery.txt"
: >"$recovery_rows"
baseline_ms() { # time from the JVM's start to an accepting listener, with an empty data dir
  local port pid t0 t1
  port=$(free_port); t0=$(date +%s%N)
  pid=$(start_ours baseline "$work/data-empty" file batch "$port")
  await_port "$port" "$pid"; t1=$(date +%s%N)
  stop_pid TERM "$pid"
  echo $(( (t1 - t0) / 1000000 ))
}
empty=$(baseline_ms)
for n in $recovery; do
  data="$work/data-recovery-$n"
  port=$(free_port)
  pid=$(start_ours "recovery-$n" "$data" file batch "$port")
  await_port "$port" "$pid"
  load --name "fill $n" --port "$port" --qos 1 --offline --keep-queued --messages "$n"
  stop_pid KILL "$pid"
  disk=$(du -sb "$data/session-log" | cut -f1)
  mark=$(wc -l <"$work/recovery-$n.log")
  t0=$(date +%s%N)
  pid=$(start_ours "recovery-$n" "$data" file batch "$port")
  await_port "$port" "$pid"
  t1=$(date +%s%N)
  line=$(tail -n +"$((mark + 1))" "$work/recovery-$n.log" | grep -m1 -o 'Recovered .*' || echo "no Recovered line")
  stop_pid TERM "$pid"
  echo "| $n | $(( (t1 - t0) / 1000000 )) | $((disk / 1048576)) | $line |" >>"$recovery_rows"
done

# ---- report --------------------------------------------------------------------------------------------------
python3 - "$results" "$duration" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
print(f"1->1 QoS 1, 64-byte payloads, persistent subscriber (3.1.1 Clean Session 0), {sys.argv[2]} s per run\n")
print("| broker | subscriber | publish msg/s (PUBACKed) | delivery msg/s | acknowledged | lost | duplicates | p50 / p99 latency (online) |")
print("|---|---|---:|---:|---:|---:|---:|---:|")
for r in rows:
    if not r["name"].endswith(("online", "offline")):
        continue
    broker, mode = r["name"].rsplit(" ", 1)
    delivery = r["receiveRate"] if mode == "online" else r["drainRate"]
    lat = f'{r["p50us"]/1000:.1f} / {r["p99us"]/1000:.1f} ms' if mode == "online" else "–"
    what = "online" if mode == "online" else "offline, then drains"
    print(f'| {broker} | {what} | {r["sendRate"]:,.0f} | {delivery:,.0f} | {r["acked"]:,} | {r["lost"]:,} | {r["duplicates"]:,} | {lat} |')
PY
echo
echo "Recovery after kill -9 (ours, fsync=batch; an empty data dir starts listening after ${empty} ms):"
echo
echo "| queued QoS 1 messages | JVM start to listening (ms) | session log on disk (MiB) | broker's line |"
echo "|---:|---:|---:|---|"
cat "$recovery_rows"
echo
echo "load average before: $load_before, after: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores)"
echo "raw results and logs: $work"
