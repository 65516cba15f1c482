#!/usr/bin/env bash
# The broker's packet fuzzer (security issue #16, ADR 0013): mutations of valid MQTT 3.1.1 and 5.0 packets of every
# type behind a valid CONNECT, checked for crashes, ERROR/exception log records, uncaught exceptions, connections left
# open and heap growth. The normal test build runs 10^5 packets; this script runs the long run (10^7 by default).
#   scripts/fuzz.sh [--packets 10000000] [--seed 16] [--threads 4] [-- extra Maven arguments, e.g. -o]
# The report: broker-service/target/fuzz-report.txt (packets/s, mutants, findings, heap before/after GC).
set -euo pipefail
cd "$(dirname "$0")/.."
packets=10000000
seed=16
threads=4
while [ $# -gt 0 ]; do
  case "$1" in
    --packets) packets=${2:?}; shift 2 ;;
    --seed) seed=${2:?}; shift 2 ;;
    --threads) threads=${2:?}; shift 2 ;;
    --) shift; break ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
. scripts/java-env.sh
select_jdk
./mvnw -B "$@" -pl broker-service -am test -Dtest=PacketFuzzTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dfuzz.packets="$packets" -Dfuzz.seed="$seed" -Dfuzz.threads="$threads" -Dsurefire.timeout=0
echo
head -n 1 broker-service/target/fuzz-report.txt
