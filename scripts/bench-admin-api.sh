#!/usr/bin/env bash
# The broker admin API under 10,000 connected clients (docs/adr/0015-broker-admin-api.md): starts the broker alone,
# holds N MQTT 3.1.1 connections with mqtt-load's storm mode, then times GET /api/v1/clients?page=..&size=50 (random
# pages, keep-alive HTTP, one request at a time) and a filtered listing (q + state: a walk of every session), and
# prints median and p99 in milliseconds. Nothing is asserted: numbers for the README and the ADR.
#   scripts/bench-admin-api.sh [--clients 10000] [--requests 1000] [--no-build]
set -euo pipefail
cd "$(dirname "$0")/.."
clients=10000
requests=1000
build=true
while [ $# -gt 0 ]; do
  case "$1" in
    --clients) clients=${2:?}; shift 2 ;;
    --requests) requests=${2:?}; shift 2 ;;
    --no-build) build=false; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
. scripts/java-env.sh
select_jdk
if $build; then
  ./mvnw -q -B package -DskipTests -pl broker-service,mqtt-load -am >/dev/null
fi
work=$(mktemp -d /tmp/bench-admin-api.XXXXXX)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
mqtt_port=$(free_port)
http_port=$(free_port)
password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
env BROKER_MQTT_HOST=127.0.0.1 BROKER_MQTT_PORT="$mqtt_port" BROKER_WEBSOCKET_PORT=-1 BROKER_AUTH_ALLOW_ANONYMOUS=true \
  QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT="$http_port" BROKER_SYS_INTERVAL=0 BROKER_SESSION_DATA_DIR="$work/data" \
  BROKER_ADMIN_PASSWORD="$password" BROKER_MQTT_MAX_CONNECTIONS_PER_ADDRESS=$((clients + 100)) \
  "$JAVA_HOME/bin/java" -Xmx1g -jar broker-service/target/quarkus-app/quarkus-run.jar >"$work/broker.log" 2>&1 &
broker=$!
load=""
trap 'kill $broker ${load} 2>/dev/null || true' EXIT
until (exec 3<>/dev/tcp/127.0.0.1/"$mqtt_port") 2>/dev/null; do
  kill -0 "$broker" 2>/dev/null || { echo "broker exited; see $work/broker.log" >&2; exit 1; }
  sleep 0.1
done
"$JAVA_HOME/bin/java" -Xmx1g -jar mqtt-load/target/mqtt-load.jar --quiet --port "$mqtt_port" --connections "$clients" \
  --hold 3600 --broker-pid "$broker" >"$work/load.log" 2>&1 &
load=$!
python3 - "$http_port" "$password" "$clients" "$requests" <<'PY'
import base64, http.client, json, random, statistics, sys, time
port, password, clients, requests = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
auth = {"Authorization": "Basic " + base64.b64encode(("admin:" + password).encode()).decode()}
conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
def get(path):
    conn.request("GET", path, headers=auth)
    r = conn.getresponse()
    body = r.read()
    if r.status != 200:
        raise SystemExit(f"{path}: {r.status} {body[:200]}")
    return json.loads(body)
deadline = time.time() + 600
while get("/api/v1/overview")["connections"] < clients:
    if time.time() > deadline:
        raise SystemExit("the clients did not all connect within 10 minutes")
    time.sleep(1)
def timed(paths):
    ms = []
    for p in paths:
        t = time.perf_counter()
        get(p)
        ms.append((time.perf_counter() - t) * 1000)
    ms.sort()
    return statistics.median(ms), ms[min(len(ms) - 1, int(len(ms) * 0.99))]
pages = clients // 50
timed(["/api/v1/clients?page=%d&size=50" % random.randrange(pages) for _ in range(100)])  # warm-up
runs = [
    ("GET /api/v1/clients?page=<random>&size=50",
     ["/api/v1/clients?page=%d&size=50" % random.randrange(pages) for _ in range(requests)]),
    ("GET /api/v1/clients?q=storm-1&state=connected&page=<0..9>&size=50 (walks every session)",
     ["/api/v1/clients?q=storm-1&state=connected&page=%d&size=50" % random.randrange(10) for _ in range(requests // 5)]),
    ("GET /api/v1/overview", ["/api/v1/overview"] * (requests // 5)),
]
print(f"| request ({clients} clients connected) | requests | median ms | p99 ms |")
print("|---|---|---|---|")
for name, paths in runs:
    median, p99 = timed(paths)
    print(f"| {name} | {len(paths)} | {median:.2f} | {p99:.2f} |")
PY
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); logs in $work"
