#!/usr/bin/env bash
# Response times (median, p99) of the web console's pages with N connected clients
# (10,000 by default; pass a count and requests per page). Builds the services if needed.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B install -DskipTests >/dev/null
cp=$(./mvnw -q -B -pl integration-tests dependency:build-classpath -Dmdep.outputFile=/dev/stdout -Dmdep.includeScope=test)
exec "${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java" -Dsuite.root="$PWD" \
  -cp "integration-tests/target/test-classes:$cp" dev.mqttsuite.it.bench.ConsolePageBenchmark "$@"
