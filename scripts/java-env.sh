#!/usr/bin/env bash
# Sourced by .ci/run and ./suite: picks a JDK >= 21 (JAVA_HOME, then the system's JVM directory) and exports it.
java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}' | cut -d. -f1
}

select_jdk() {
  local candidate major
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-2[1-9]-jdk-amd64 \
      /usr/lib/jvm/java-2[1-9]-openjdk-amd64 /usr/lib/jvm/*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] || continue
    major=$(java_major "$candidate" || echo 0)
    if [ "${major:-0}" -ge 21 ] 2>/dev/null; then
      export JAVA_HOME="$candidate"
      export PATH="$JAVA_HOME/bin:$PATH"
      return 0
    fi
  done
  echo "no JDK >= 21 found (looked at \$JAVA_HOME and /usr/lib/jvm/*); install Temurin 21+ and set JAVA_HOME" >&2
  return 1
}
