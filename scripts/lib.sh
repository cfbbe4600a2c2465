# shellcheck shell=bash
# Shared helpers for the test-environment scripts. Source it; don't run it.
#
# Environment (all optional):
#   STACKTOP_TEST_PROJECT    compose project of the test stack   (default stacktop-test)
#   STACKTOP_TEST_HTTP_PORT  host port of the `healthy` service  (default 18080, bound to 127.0.0.1)

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STACK_DIR="$REPO_ROOT/tests/stack"
COMPOSE_FILE_PATH="$STACK_DIR/compose.yaml"
TARGET_DIR="${CARGO_TARGET_DIR:-$REPO_ROOT/target}"

export STACKTOP_TEST_PROJECT="${STACKTOP_TEST_PROJECT:-stacktop-test}"
export STACKTOP_TEST_HTTP_PORT="${STACKTOP_TEST_HTTP_PORT:-18080}"
# The fixture image every service of tests/stack/*.yaml runs (named there too).
# shellcheck disable=SC2034 # used by the scripts that source this file
FIXTURE_IMAGE="stacktop-test/busybox:latest"

# The legacy builder works everywhere we run (no buildx on these machines);
# asking for BuildKit without buildx is a hard error, so never ask for it.
export DOCKER_BUILDKIT=0

step() { printf '\n==> %s\n' "$*" >&2; }
info() { printf '    %s\n' "$*" >&2; }
die() {
    printf '\nERROR: %s\n' "$*" >&2
    exit 1
}

# Seconds since the epoch with sub-second precision, for timings in messages.
now() { date +%s.%N; }
elapsed_since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# Sets COMPOSE_CMD to the compose command, preferring the v2 plugin (`docker compose`) and
# falling back to v1 (`docker-compose`). Both understand tests/stack/compose.yaml.
COMPOSE_CMD=()
detect_compose() {
    if docker compose version >/dev/null 2>&1; then
        COMPOSE_CMD=(docker compose)
    elif command -v docker-compose >/dev/null 2>&1; then
        COMPOSE_CMD=(docker-compose)
    else
        die "neither 'docker compose' (v2) nor 'docker-compose' (v1) is available"
    fi
}

# compose_file FILE PROJECT ARGS... : runs compose on FILE under PROJECT.
compose_file() {
    local file="$1" project="$2"
    shift 2
    [ "${#COMPOSE_CMD[@]}" -gt 0 ] || detect_compose
    "${COMPOSE_CMD[@]}" -p "$project" -f "$file" "$@"
}

# compose PROJECT ARGS... : runs compose on the test stack file under PROJECT.
compose() { compose_file "$COMPOSE_FILE_PATH" "$@"; }

# Runs a privileged command: directly as root, else through passwordless sudo.
as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        sudo -n "$@"
    else
        die "need root to run: $* (run as root or configure passwordless sudo)"
    fi
}

deb_installed() {
    [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]
}

# Installs the Debian packages the test environment needs, only those missing.
ensure_packages() {
    local missing=()
    # docker.io brings both; a docker CLI from elsewhere in PATH is fine too.
    if ! command -v dockerd >/dev/null 2>&1 || ! command -v docker >/dev/null 2>&1; then
        missing+=(docker.io)
    fi
    # Compose v1: the tests read every compose folder with it too.
    command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
    # mmdebstrap fetches the compose v2 plugin (see ensure_compose_v2).
    if [ ! -x "$COMPOSE_V2_DIR/cli-plugins/docker-compose" ]; then
        command -v mmdebstrap >/dev/null 2>&1 || missing+=(mmdebstrap)
    fi
    deb_installed busybox-static || missing+=(busybox-static)
    command -v tmux >/dev/null 2>&1 || missing+=(tmux)
    # The PostgreSQL fixture image is built from the machine's PostgreSQL 15.
    [ -x /usr/lib/postgresql/15/bin/postgres ] || missing+=(postgresql)
    # The engine tests (tests/engines.rs): Podman's API service, socat as a
    # TLS endpoint, certificates made with openssl, an sshd of their own.
    command -v podman >/dev/null 2>&1 || missing+=(podman)
    command -v socat >/dev/null 2>&1 || missing+=(socat)
    command -v openssl >/dev/null 2>&1 || missing+=(openssl)
    [ -x /usr/sbin/sshd ] || missing+=(openssh-server)
    command -v ssh >/dev/null 2>&1 || missing+=(openssh-client)

    if [ "${#missing[@]}" -eq 0 ]; then
        info "all present (dockerd, docker CLI, compose, busybox-static, tmux, postgresql, podman, socat, openssl, openssh)"
        return
    fi
    info "installing: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    as_root apt-get update -q >&2 || die "apt-get update failed"
    as_root apt-get install -y -q --no-install-recommends "${missing[@]}" >&2 ||
        die "apt-get install ${missing[*]} failed"
}

# Compose v2 as a docker CLI plugin, in a folder of the build's own. This
# Debian release ships only v1; the next one ships v2, whose plugin is one
# static binary, taken out of a throwaway root filesystem without installing
# anything on the host. Point DOCKER_CONFIG at the folder to use it.
COMPOSE_V2_DIR="$TARGET_DIR/compose-v2"
ensure_compose_v2() {
    local plugin="$COMPOSE_V2_DIR/cli-plugins/docker-compose"
    if [ -x "$plugin" ] && DOCKER_CONFIG="$COMPOSE_V2_DIR" docker compose version >/dev/null 2>&1; then
        info "compose v2 plugin present ($(DOCKER_CONFIG="$COMPOSE_V2_DIR" docker compose version --short))"
        return
    fi
    local mirror scratch start
    mirror=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null)
    [ -n "$mirror" ] || mirror=$(awk '/^deb /{print $2; exit}' /etc/apt/sources.list 2>/dev/null)
    [ -n "$mirror" ] || die "no Debian mirror in the apt sources to fetch compose v2 from"
    scratch=$(mktemp -d)
    start=$(now)
    info "fetching the compose v2 plugin from Debian trixie"
    mmdebstrap --quiet --variant=essential --include=docker-compose trixie - "$mirror" </dev/null |
        tar -x -C "$scratch" ./usr/libexec/docker/cli-plugins/docker-compose ||
        die "could not fetch the compose v2 plugin"
    mkdir -p "$COMPOSE_V2_DIR/cli-plugins"
    mv "$scratch/usr/libexec/docker/cli-plugins/docker-compose" "$plugin"
    rm -rf "$scratch"
    DOCKER_CONFIG="$COMPOSE_V2_DIR" docker compose version >/dev/null ||
        die "the fetched compose v2 plugin does not run"
    info "compose v2 plugin ready after $(elapsed_since "$start") s"
}

# Makes sure a Docker engine answers. Reuses a running one; otherwise starts
# dockerd in the background with its log under target/. A dockerd started here
# is deliberately left running when the script ends: stopping it would kill
# every other container on the machine, and the next run reuses it.
ensure_engine() {
    if docker info >/dev/null 2>&1; then
        info "reusing the running Docker engine ($(docker version --format '{{.Server.Version}}' 2>/dev/null))"
        return
    fi
    command -v dockerd >/dev/null 2>&1 || die "dockerd is not installed"
    mkdir -p "$TARGET_DIR"
    local log="$TARGET_DIR/dockerd.log"
    info "docker info failed: starting dockerd (log: $log)"
    # setsid + nohup: the engine must outlive this script and its process group.
    as_root setsid nohup dockerd >"$log" 2>&1 </dev/null &
    local pid=$! start _ why="did not answer 'docker info' within 60 s"
    start=$(now)
    for _ in $(seq 1 120); do
        if docker info >/dev/null 2>&1; then
            info "dockerd (pid $pid) answered after $(elapsed_since "$start") s"
            return
        fi
        if ! kill -0 "$pid" 2>/dev/null; then
            why="exited before answering"
            break
        fi
        sleep 0.5
    done
    printf '%s\n' "---- last lines of $log ----" >&2
    tail -n 30 "$log" >&2 || true
    die "dockerd $why (log: $log)"
}

# container_of PROJECT SERVICE [NUMBER]: name of a compose container, found by labels.
container_of() {
    docker ps -a \
        --filter "label=com.docker.compose.project=$1" \
        --filter "label=com.docker.compose.service=$2" \
        --filter "label=com.docker.compose.container-number=${3:-1}" \
        --format '{{.Names}}' | head -n 1
}

# health_of CONTAINER: starting | healthy | unhealthy | none
health_of() {
    docker inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}' "$1" 2>/dev/null ||
        echo missing
}
