#!/usr/bin/env bash
# Runs the retained-store benchmark (10^6 topics by default; pass a count to change it) with the test classpath.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -pl retained-store-service -am test-compile -DskipTests >/dev/null
cp=$(./mvnw -q -B -pl retained-store-service dependency:build-classpath -Dmdep.outputFile=/dev/stdout -Dmdep.includeScope=test)
exec "${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java" -Xmx6g -XX:+UseParallelGC \
  -cp "retained-store-service/target/test-classes:retained-store-service/target/classes:$cp" \
  dev.mqttsuite.retained.bench.RetainedStoreBenchmark "$@"
