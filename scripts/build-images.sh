#!/usr/bin/env bash
# Builds the suite's container images locally: mqtt-suite/<service>:<version> (and :latest) from each module's
# src/main/docker/Dockerfile.jvm. The Dockerfiles name their usual public base images (debian:bookworm-slim,
# eclipse-temurin:25-jre); when those are not present and no registry is reachable, this script first makes
# equivalent local images under the same names: Debian bookworm (minbase) from debootstrap, plus a JRE made with
# jlink from the JDK that built the suite. Also builds mqtt-suite-test/mosquitto (Debian's Mosquitto) for the tests.
#
#   scripts/build-images.sh [--native] [--if-docker] [--auth-postgresql]   (DOCKER_HOST: a running engine)
#
# --native builds with the Maven native profile and Dockerfile.native (needs GraalVM/Mandrel: not available here).
# --if-docker does nothing (successfully) when no engine is reachable: the build of integration-tests calls it so.
# --auth-postgresql also builds mqtt-suite/auth-service:<version>-postgresql (the prod overlay's image; Quarkus fixes
# the database kind at build time).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
# shellcheck source=java-env.sh
. scripts/java-env.sh
select_jdk >/dev/null
services="broker-service auth-service retained-store-service bridge-service console-service"
version=$(sed -n 's|^  <version>\(.*\)</version>|\1|p' pom.xml | head -1)
native=false
if_docker=false
auth_postgresql=false
for arg in "$@"; do
  case "$arg" in
    --native) native=true ;;
    --auth-postgresql) auth_postgresql=true ;;
    --if-docker) if_docker=true ;;
    *) echo "unknown option: $arg" >&2; exit 2 ;;
  esac
done
log() { printf '[images] %s\n' "$*" >&2; }
have_image() { docker image inspect "$1" >/dev/null 2>&1; }
if ! command -v docker >/dev/null 2>&1 || ! docker version >/dev/null 2>&1; then
  if [ "$if_docker" = true ]; then
    log "no Docker engine reachable: images not built, container tests will be skipped"
    exit 0
  fi
  echo "no Docker engine (set DOCKER_HOST; scripts/docker-daemon.sh start DIR)" >&2
  exit 1
fi

work=$(mktemp -d /tmp/mqtt-suite-images.XXXXXX)
trap 'rm -rf "$work"' EXIT

# ---- base images ------------------------------------------------------------------------------------------------
if ! have_image debian:bookworm-slim && ! docker pull -q debian:bookworm-slim >/dev/null 2>&1; then
  log "making debian:bookworm-slim with debootstrap (minbase)"
  command -v debootstrap >/dev/null || { export DEBIAN_FRONTEND=noninteractive; apt-get install -y -qq debootstrap >/dev/null; }
  debootstrap --variant=minbase bookworm "$work/rootfs" http://deb.debian.org/debian >"$work/debootstrap.log" 2>&1 \
    || { tail -n 20 "$work/debootstrap.log" >&2; exit 1; }
  rm -rf "$work/rootfs/var/cache/apt/archives/"*.deb "$work/rootfs/var/lib/apt/lists/"*
  tar -C "$work/rootfs" -c . | docker import -c 'CMD ["bash"]' - debian:bookworm-slim >/dev/null
  rm -rf "$work/rootfs"
fi
jre_tag="eclipse-temurin:$(java_major "$JAVA_HOME")-jre"
if ! have_image "$jre_tag" && ! docker pull -q "$jre_tag" >/dev/null 2>&1; then
  log "making $jre_tag from $JAVA_HOME with jlink"
  mkdir -p "$work/jre-context"
  # every runtime module of the JDK except the development tools (JDK 25 links from its own run-time image)
  modules=$("$JAVA_HOME/bin/java" --list-modules | sed 's/@.*//' \
    | grep -v -E '^jdk\.(compiler|javadoc|jshell|jdeps|jlink|jpackage|jartool|jconsole|hotspot\.agent|jdi|jdwp\.agent|jstatd|internal\.(ed|jvmstat|le|opt))$' \
    | paste -sd, -)
  "$JAVA_HOME/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages \
    --compress=zip-6 --output "$work/jre-context/jre"
  rm -f "$work/jre-context/jre/lib/security/cacerts"
  cp -L "$JAVA_HOME/lib/security/cacerts" "$work/jre-context/jre/lib/security/cacerts"
  cat >"$work/jre-context/Dockerfile" <<'DOCKERFILE'
FROM debian:bookworm-slim
COPY jre /opt/java/openjdk
ENV JAVA_HOME=/opt/java/openjdk PATH=/opt/java/openjdk/bin:$PATH LANG=C.UTF-8
DOCKERFILE
  docker build -q --network host -t "$jre_tag" "$work/jre-context" >/dev/null
fi

# ---- the services -----------------------------------------------------------------------------------------------
if [ "$native" = true ]; then
  log "native build: ./mvnw package -Pnative (needs GraalVM/Mandrel native-image on this machine)"
  ./mvnw -q -B package -Pnative -DskipTests -pl "$(echo "$services" | tr ' ' ',')" -am
  dockerfile=Dockerfile.native
else
  missing=""
  for s in $services; do [ -f "$s/target/quarkus-app/quarkus-run.jar" ] || missing="$missing $s"; done
  if [ -n "$missing" ]; then
    log "packaging:$missing"
    ./mvnw -q -B package -DskipTests -pl "$(echo $missing | tr ' ' ',')" -am
  fi
  dockerfile=Dockerfile.jvm
fi
for s in $services; do
  tag="mqtt-suite/$s:$version"
  log "building $tag"
  docker build -q --network host -f "$s/src/main/docker/$dockerfile" -t "$tag" -t "mqtt-suite/$s:latest" "$s" >/dev/null
done

if [ "$auth_postgresql" = true ]; then
  log "building mqtt-suite/auth-service:$version-postgresql"
  ./mvnw -q -B package -DskipTests -pl auth-service -Dquarkus.datasource.db-kind=postgresql \
    -Dquarkus.package.output-directory=quarkus-app-postgresql
  docker build -q --network host -f auth-service/src/main/docker/Dockerfile.jvm \
    --build-arg APP_DIR=target/quarkus-app-postgresql -t "mqtt-suite/auth-service:$version-postgresql" auth-service >/dev/null
fi

# ---- test peer ----------------------------------------------------------------------------------------------------
if ! have_image mqtt-suite-test/mosquitto:2; then
  log "building mqtt-suite-test/mosquitto:2 (Debian's mosquitto package)"
  docker build -q --network host -t mqtt-suite-test/mosquitto:2 - >/dev/null <<'DOCKERFILE'
FROM debian:bookworm-slim
RUN apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends mosquitto \
    && rm -rf /var/lib/apt/lists/*
USER mosquitto
ENTRYPOINT ["/usr/sbin/mosquitto"]
DOCKERFILE
fi
docker images --format '{{.Repository}}:{{.Tag}}\t{{.Size}}' | grep -E '^mqtt-suite' >&2
