#!/usr/bin/env bash
# The cluster benchmark of the cluster issue ("Tests and numbers"), back to back in one run on this machine:
#   - Mosquitto (Debian's package) on 127.0.0.1: 1->1 QoS 0 and QoS 1 flat out, the reference of the first target;
#   - one broker with the cluster off: the same 1->1 runs;
#   - three brokers forming a cluster on 127.0.0.1, gRPC between them under mutual TLS as shipped (a throw-away CA
#     and broker certificate made with openssl in the work directory, as ./suite up does):
#     1->1 with publisher and subscriber on broker 1 ("same node") and with the subscriber on broker 2 ("cross node"),
#     QoS 0 and 1 flat out and paced at 10,000 msg/s; fan-in (publishers on brokers 2 and 3, one subscriber on
#     broker 1); fan-out (one publisher on broker 1, subscribers on all three); RSS and heap used of every broker after
#     each scenario; a stalled peer (SIGSTOP of broker 3 while QoS 0, then QoS 1, publishers on broker 1 send to a
#     filter only broker 3's subscriber has): broker 1's per-peer window metrics and heap before and during the stall,
#     then SIGCONT.
# Prints one line per scenario and a summary with the two targets of the issue (cross-node QoS 1 throughput at least
# Mosquitto's single-node figure of the same run; p99 under 5 ms at a paced 10,000 msg/s cross-node), and writes a
# Markdown section (tables) to the work directory for docs/benchmarks.md.
#   scripts/bench-cluster.sh [--duration 10] [--stall 8] [--runs 3] [--quick] [--no-build]
# --quick: 3 s measured per scenario, one paced run, 4 s stall (a smoke run, about 3 minutes).
# BENCH_MAVEN_ARGS: extra Maven arguments for the build (e.g. "-o -Dmaven.repo.local=...").
set -euo pipefail
cd "$(dirname "$0")/.."
duration=10
stall=8
runs=3
build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) duration=${2:?}; shift 2 ;;
    --stall) stall=${2:?}; shift 2 ;;
    --runs) runs=${2:?}; shift 2 ;;
    --quick) duration=3; stall=4; runs=1; shift ;;
    --no-build) build=0; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
. scripts/java-env.sh
. scripts/bench-tls.sh
select_jdk
command -v mosquitto >/dev/null || { echo "mosquitto is needed: apt-get install mosquitto" >&2; exit 1; }
# shellcheck disable=SC2086 # BENCH_MAVEN_ARGS is a list of arguments
[ $build = 1 ] && ./mvnw -q -B ${BENCH_MAVEN_ARGS:-} package -DskipTests -pl broker-service,mqtt-load -am >/dev/null
work=$(mktemp -d /tmp/bench-cluster.XXXXXX)
results="$work/results.jsonl"   # mqtt-load's lines
memory="$work/memory.jsonl"     # RSS and heap of each broker after each scenario
stalls="$work/stall.jsonl"      # broker 1's per-peer metrics around the stall of broker 3
frames="$work/frames.jsonl"     # broker 1 -> 2 in the cross-node 1->1 runs: messages per frame, frame round trip
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
load() {
  "$JAVA_HOME/bin/java" -Xmx1g -jar mqtt-load/target/mqtt-load.jar --quiet --json "$results" "$@" >/dev/null 2>>"$work/load.err"
  # the last line is this scenario: print it short, with the machine's load average at its end
  python3 - "$results" "$(loadavg)" <<'PY'
import json, sys
r = json.loads(open(sys.argv[1]).read().splitlines()[-1])
print(f"{r['name']:<40} {r['receiveRate']:>9,.0f} msg/s delivered  sent {r['sent']:,} lost {r['lost']:,} "
      f"dup {r['duplicates']:,}  p50 {r['p50us'] / 1000:.2f} ms  p99 {r['p99us'] / 1000:.2f} ms  (load {sys.argv[2]})")
PY
}
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); $(uptime)" \
  | tee "$work/machine.txt"
echo "work directory (results, logs): $work"

declare -a pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do
    kill -CONT "$pid" 2>/dev/null || true
    kill "$pid" 2>/dev/null || true
  done
}
trap cleanup EXIT
stop_all() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  pids=()
}
wait_port() { until (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; do sleep 0.2; done; }

# ---- Mosquitto: the reference of the first target ------------------------------------------------------------
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
pids=($!)
wait_port "$mq_port"
for qos in 0 1; do
  load --name "mosquitto 1-1 qos$qos max" --port "$mq_port" --qos "$qos" --duration "$duration"
done
stop_all

# ---- one broker, cluster off ---------------------------------------------------------------------------------
single_port=$(free_port)
BROKER_MQTT_HOST=127.0.0.1 BROKER_MQTT_PORT=$single_port BROKER_WEBSOCKET_PORT=-1 BROKER_AUTH_ALLOW_ANONYMOUS=true \
  BROKER_SYS_INTERVAL=0 QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT=$(free_port) \
  "$JAVA_HOME/bin/java" -Xmx512m -jar broker-service/target/quarkus-app/quarkus-run.jar >"$work/broker-single.log" 2>&1 &
pids=($!)
wait_port "$single_port"
for qos in 0 1; do
  load --name "single broker 1-1 qos$qos max" --port "$single_port" --qos "$qos" --duration "$duration"
done
stop_all

# ---- three brokers in a cluster ------------------------------------------------------------------------------
# the internal certificates the cluster's gRPC streams need (mutual TLS, CN=broker as broker.cluster.allowed-peers)
tls="$work/tls"
bench_internal_tls "$tls"
declare -a mqtt http hz
for i in 1 2 3; do hz[$i]=$(free_port); mqtt[$i]=$(free_port); http[$i]=$(free_port); done
members=127.0.0.1:${hz[1]},127.0.0.1:${hz[2]},127.0.0.1:${hz[3]}
for i in 1 2 3; do
  # failure-timeout 60 s: the stall below (SIGSTOP) must show the window, not a node declared dead
  BROKER_MQTT_HOST=127.0.0.1 BROKER_MQTT_PORT=${mqtt[$i]} BROKER_WEBSOCKET_PORT=-1 BROKER_AUTH_ALLOW_ANONYMOUS=true \
    BROKER_SYS_INTERVAL=0 QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT=${http[$i]} BROKER_CLUSTER_ENABLED=true \
    BROKER_CLUSTER_NODE_ID=bench-$i BROKER_CLUSTER_NAME=bench-$$ BROKER_CLUSTER_PORT=${hz[$i]} \
    BROKER_CLUSTER_GRPC_PORT=$(free_port) BROKER_CLUSTER_MEMBERS=$members BROKER_CLUSTER_JOIN_TIMEOUT=5s \
    BROKER_CLUSTER_FAILURE_TIMEOUT=60s BROKER_INTERNAL_TLS_CERT="$tls/broker.crt" BROKER_INTERNAL_TLS_KEY="$tls/broker.key" \
    BROKER_INTERNAL_TLS_CA="$tls/ca.crt" \
    "$JAVA_HOME/bin/java" -Xmx512m -jar broker-service/target/quarkus-app/quarkus-run.jar >"$work/broker-$i.log" 2>&1 &
  pids[$i]=$!
done
for i in 1 2 3; do
  until curl -fs "http://127.0.0.1:${http[$i]}/q/metrics" 2>/dev/null | grep -q '^mqtt_cluster_peers_connected 2'; do
    kill -0 "${pids[$i]}" 2>/dev/null || { echo "broker $i stopped: $work/broker-$i.log" >&2; exit 1; }
    sleep 0.5
  done
done
echo "cluster of 3 formed (load $(loadavg))"

metrics() { curl -fs -m 10 "http://127.0.0.1:${http[$1]}/q/metrics" 2>/dev/null || true; }
heap_used() { # bytes of heap in use on broker $1, from the JVM's metrics
  metrics "$1" | awk '/^jvm_memory_used_bytes\{.*area="heap"/ {s += $NF} END {printf "%.0f\n", s}'
}
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
# RSS and heap used of each broker after scenario $1 (heap as the JVM reports it, no forced GC: what it holds now)
memory_after() {
  local i line="" json="{\"after\":\"$1\""
  for i in 1 2 3; do
    local rss heap
    rss=$(rss_kb "${pids[$i]}"); heap=$(heap_used "$i")
    json+=",\"rss$i\":$((rss * 1024)),\"heap$i\":${heap:-0}"
    line+=$(printf '  node %d RSS %4d MiB heap %4d MiB' "$i" $((rss / 1024)) $(( ${heap:-0} / 1048576 )))
  done
  echo "$json}" >>"$memory"
  echo "  memory after \"$1\":$line"
}
cluster_load() { # like load, then the memory of the three brokers
  local name=$2
  load "$@"
  memory_after "$name"
}

# broker 1's counters towards peer $1: messages acknowledged, frames acknowledged, sum of their round trips (s)
forward_of() {
  metrics 1 | awk -v p="peer=\"$1\"" 'index($0, p) && /^mqtt_cluster_forward_messages_total\{/ {m = $NF}
    index($0, p) && /^mqtt_cluster_forward_rtt_seconds_count\{/ {c = $NF}
    index($0, p) && /^mqtt_cluster_forward_rtt_seconds_sum\{/ {s = $NF}
    END {printf "%.0f %.0f %.6f\n", m, c, s}'
}
cross_load() { # cluster_load for a 1->1 broker 1 -> broker 2 run, then how broker 1 batched the forwarded messages
  local before after
  before=$(forward_of bench-2)
  cluster_load "$@"
  after=$(forward_of bench-2)
  python3 - "$2" "$before" "$after" <<'PY' | tee -a "$frames" | sed "s/^/  broker 1 -> bench-2: /"
import json, sys
b, a = ([float(x) for x in v.split()] for v in sys.argv[2:4])
messages, frames, rtt = a[0] - b[0], a[1] - b[1], a[2] - b[2]
print(json.dumps({"name": sys.argv[1], "messages": messages, "frames": frames,
                  "perFrame": messages / frames if frames else 0, "rttMs": 1000 * rtt / frames if frames else 0}))
PY
}
m1=${mqtt[1]} m2=${mqtt[2]} m3=${mqtt[3]}
for qos in 0 1; do
  cluster_load --name "same node 1-1 qos$qos max" --port "$m1" --qos "$qos" --duration "$duration"
  cross_load --name "cross node 1-1 qos$qos max" --port "$m1" --sub-port "$m2" --qos "$qos" --duration "$duration"
done
# paced: the second target; p99 varies from run to run on a shared machine, hence several runs
for run in $(seq 1 "$runs"); do
  for qos in 0 1; do
    cross_load --name "cross node 1-1 qos$qos 10000/s #$run" --port "$m1" --sub-port "$m2" --qos "$qos" \
      --rate 10000 --duration "$duration"
  done
  cluster_load --name "same node 1-1 qos1 10000/s #$run" --port "$m1" --qos 1 --rate 10000 --duration "$duration"
done
# fan-in: 10 publishers, five on broker 2 and five on broker 3, one wildcard subscriber on broker 1
for qos in 0 1; do
  cluster_load --name "fan-in 10 pubs on 2+3 -> 1 qos$qos max" --pub-ports "$m2,$m3" --sub-port "$m1" \
    --publishers 10 --wildcard --qos "$qos" --duration "$duration"
done
# fan-out: one publisher on broker 1, subscribers on all three brokers (one each; then 10 each, paced)
for qos in 0 1; do
  cluster_load --name "fan-out 1 -> 3 nodes qos$qos max" --port "$m1" --sub-ports "$m1,$m2,$m3" --subscribers 3 \
    --shared-topic --qos "$qos" --duration "$duration"
done
cluster_load --name "fan-out 1 -> 30 (10 per node) 1000/s" --port "$m1" --sub-ports "$m1,$m2,$m3" --subscribers 30 \
  --shared-topic --rate 1000 --duration "$duration"

# ---- a stalled peer ------------------------------------------------------------------------------------------
# broker 1's view of peer bench-3: one JSON object of its forward metrics and broker 1's heap (after a full GC)
peer_state() { # $1 QoS, $2 phase
  "$JAVA_HOME/bin/jcmd" "${pids[1]}" GC.run >/dev/null 2>&1 || true
  local heap
  heap=$(heap_used 1)
  metrics 1 | python3 -c '
import json, re, sys
want = {"mqtt_cluster_forward_queued": "queued", "mqtt_cluster_forward_inflight": "inflight",
        "mqtt_cluster_forward_messages_total": "forwarded", "mqtt_cluster_forward_dropped_total": "dropped"}
out = {"qos": int(sys.argv[1]), "phase": sys.argv[2], "heap": int(sys.argv[3] or 0)}
for line in sys.stdin:
    m = re.match(r"^(\w+)\{([^}]*)\} (\S+)", line)
    if m and m.group(1) in want and "peer=\"bench-3\"" in m.group(2):
        out[want[m.group(1)]] = float(m.group(3))
print(json.dumps(out))' "$1" "$2" "$heap" | tee -a "$stalls" | sed 's/^/  broker 1 -> bench-3: /'
}
forwarded_to_3() {
  metrics 1 | awk '/^mqtt_cluster_forward_messages_total\{.*peer="bench-3"/ {printf "%.0f\n", $NF; f = 1} END {if (!f) print 0}'
}
for qos in 0 1; do
  # ten publishers on broker 1, 10,000 msg/s in all, one subscriber on broker 3 (each publisher keeps up to 1,000
  # QoS 1 messages unacknowledged: together more than broker 1's window of 4,096 for the peer)
  start=$(forwarded_to_3)
  load --name "stalled peer qos$qos 10000/s" --port "$m1" --sub-port "$m3" --publishers 10 --shared-topic \
    --qos "$qos" --rate 10000 --warmup 1 --duration $((stall + 20)) &
  load_pid=$!
  until [ "$(forwarded_to_3)" -gt $((start + 5000)) ]; do sleep 0.2; done
  peer_state "$qos" before
  kill -STOP "${pids[3]}"
  echo "  SIGSTOP broker 3 for $stall s (load $(loadavg))"
  sleep "$stall"
  peer_state "$qos" stalled
  kill -CONT "${pids[3]}"
  echo "  SIGCONT broker 3"
  wait "$load_pid"
  peer_state "$qos" after
done
memory_after "stalled peer"
stop_all
echo "load average at the end: $(uptime)" | tee -a "$work/machine.txt"

python3 - "$results" "$memory" "$stalls" "$work/machine.txt" "$duration" "$stall" "$work/cluster-section.md" \
  "$frames" <<'PY'
import json, statistics, sys
results, memory, stalls, machine, duration, stall, section, frames = sys.argv[1:9]
rows = {}
for line in open(results):
    r = json.loads(line)
    rows[r["name"]] = r
mem = [json.loads(l) for l in open(memory)]
st = [json.loads(l) for l in open(stalls)]
md = []
md.append("| scenario | delivered msg/s | sent | lost | duplicates | p50 ms | p99 ms | p99.9 ms |")
md.append("|---|---:|---:|---:|---:|---:|---:|---:|")
for n, r in rows.items():
    md.append(f"| {n} | {r['receiveRate']:,.0f} | {r['sent']:,} | {r['lost']:,} | {r['duplicates']:,} | "
              f"{r['p50us'] / 1000:.2f} | {r['p99us'] / 1000:.2f} | {r['p999us'] / 1000:.2f} |")
md.append("")
md.append("| after scenario | node 1 RSS / heap MiB | node 2 RSS / heap MiB | node 3 RSS / heap MiB |")
md.append("|---|---:|---:|---:|")
for m in mem:
    cells = [f"{m['rss%d' % i] / 2**20:,.0f} / {m['heap%d' % i] / 2**20:,.0f}" for i in (1, 2, 3)]
    md.append(f"| {m['after']} | " + " | ".join(cells) + " |")
md.append("")
md.append("| QoS | broker 1 -> bench-3 | queued | in flight | forwarded (acked) | dropped | heap after GC MiB |")
md.append("|---:|---|---:|---:|---:|---:|---:|")
for s in st:
    md.append(f"| {s['qos']} | {s['phase']} | {s.get('queued', 0):,.0f} | {s.get('inflight', 0):,.0f} | "
              f"{s.get('forwarded', 0):,.0f} | {s.get('dropped', 0):,.0f} | {s['heap'] / 2**20:,.0f} |")
md.append("")
md.append("| cross-node run | messages 1 -> 2 | frames | messages per frame | mean frame round trip ms |")
md.append("|---|---:|---:|---:|---:|")
for line in open(frames):
    f = json.loads(line)
    md.append(f"| {f['name']} | {f['messages']:,.0f} | {f['frames']:,.0f} | {f['perFrame']:.1f} | {f['rttMs']:.2f} |")

print("\n=== summary ===")
print(open(machine).read().strip())
mq = rows.get("mosquitto 1-1 qos1 max", {}).get("receiveRate", 0)
cross = rows.get("cross node 1-1 qos1 max", {}).get("receiveRate", 0)
verdicts = []
v1 = "met" if cross >= mq > 0 else "NOT met"
verdicts.append(f"target 1, cross-node QoS 1 throughput >= Mosquitto single-node QoS 1 (same run): {v1} "
                f"({cross:,.0f} vs {mq:,.0f} msg/s, {cross / mq if mq else 0:.2f}x)")
for qos in (0, 1):
    paced = [r for n, r in rows.items() if n.startswith(f"cross node 1-1 qos{qos} 10000/s")]
    if not paced:
        continue
    p99s = [r["p99us"] / 1000 for r in paced]
    med = statistics.median(p99s)
    kept_rate = all(r["receiveRate"] >= 9500 for r in paced)
    v = "met" if med < 5 and kept_rate else "NOT met"
    verdicts.append(f"target 2, p99 < 5 ms at a paced 10,000 msg/s cross-node, QoS {qos}: {v} "
                    f"(p99 per run {', '.join(f'{p:.2f}' for p in p99s)} ms, median {med:.2f} ms; "
                    "delivered " + ", ".join(f"{r['receiveRate']:,.0f}" for r in paced) + " msg/s)")
for v in verdicts:
    print(v)
md += ["", *("- " + v for v in verdicts)]
open(section, "w").write("\n".join(md) + "\n")
print(f"tables: {section}")
PY
