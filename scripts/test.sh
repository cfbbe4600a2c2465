#!/usr/bin/env bash
# THE test command: sets up everything the tests need, runs them, cleans up.
#
#   scripts/test.sh [extra args for cargo test...]
#
# 1. installs missing Debian packages (docker.io, docker-compose, busybox-static, tmux,
#    postgresql, mmdebstrap; podman, socat, openssl and openssh for the engine tests,
#    which start their own Podman service, TLS endpoint, sshd and private dockerds),
#    and takes the compose v2 plugin from Debian trixie
# 2. makes sure a Docker engine answers (starts dockerd if needed, and leaves it running)
# 3. builds the fixture images (only when missing or changed)
# 4. builds the release binary and the tests
# 5. brings up the test stack (tests/stack/compose.yaml), waits for its health
#    states, and runs `cargo test --all-targets`
# 6. always tears the stack down (containers, network, volumes) on exit
#
# Exported to the tests:
#   STACKTOP_TEST_PROJECT       compose project name (default stacktop-test)
#   STACKTOP_TEST_HTTP_PORT     127.0.0.1 port of the `healthy` service (default 18080)
#   STACKTOP_TEST_REDIS_PORT    127.0.0.1 port of the `redis` service (default 16379)
#   STACKTOP_TEST_PG_PORT       127.0.0.1 port of the `postgres` service (default 15432)
#   STACKTOP_TEST_API_PORT      127.0.0.1 port of `api` (default 18082)
#   STACKTOP_TEST_FAILING_PORT  127.0.0.1 port of `failing-api` (default 18083)
#   STACKTOP_TEST_RABBIT_PORT   127.0.0.1 port of RabbitMQ's management API (default 18672)
#   STACKTOP_TEST_AMQP_PORT     127.0.0.1 port of RabbitMQ's AMQP (default 18673)
#   STACKTOP_TEST_PROMETHEUS_PORT 127.0.0.1 port of Prometheus (default 19090)
#   STACKTOP_TEST_COMPOSE_FILE  absolute path of tests/stack/compose.yaml
#   STACKTOP_BIN                absolute path of the release binary (for end-to-end tests)
#   STACKTOP_TEST_COMPOSE_V2    DOCKER_CONFIG folder holding the compose v2 plugin
#
# Use another project name and port while the default stack is in use:
#   STACKTOP_TEST_PROJECT=stacktop-mine STACKTOP_TEST_HTTP_PORT=18181 \
#     STACKTOP_TEST_PG_PORT=15442 scripts/test.sh
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

HEALTH_TIMEOUT_SECS=60
export STACKTOP_TEST_PG_PORT="${STACKTOP_TEST_PG_PORT:-15432}"

teardown() {
    local status=$?
    step "Tearing down the test stack '$STACKTOP_TEST_PROJECT' (the Docker engine keeps running)"
    if docker info >/dev/null 2>&1 && [ "${#COMPOSE_CMD[@]}" -gt 0 ]; then
        compose "$STACKTOP_TEST_PROJECT" --profile bench down --volumes --remove-orphans --timeout 5 \
            >/dev/null 2>&1 || info "warning: tearing down the stack failed"
    fi
    if [ "$status" -eq 0 ]; then
        step "All done: tests passed"
    else
        printf '\nFAILED (exit %s)\n' "$status" >&2
    fi
    exit "$status"
}

wait_for_health() {
    local project="$1" start
    start=$(now)
    local deadline=$((SECONDS + HEALTH_TIMEOUT_SECS))
    local healthy unhealthy h u
    healthy=$(container_of "$project" healthy)
    unhealthy=$(container_of "$project" unhealthy)
    [ -n "$healthy" ] || die "no container for service 'healthy' in project $project"
    [ -n "$unhealthy" ] || die "no container for service 'unhealthy' in project $project"
    while :; do
        h=$(health_of "$healthy")
        u=$(health_of "$unhealthy")
        if [ "$h" = healthy ] && [ "$u" = unhealthy ]; then
            info "healthy is healthy, unhealthy is unhealthy after $(elapsed_since "$start") s"
            return
        fi
        if [ "$SECONDS" -ge "$deadline" ]; then
            docker ps -a --filter "label=com.docker.compose.project=$project" \
                --format '{{.Names}}  {{.Status}}' >&2
            die "after ${HEALTH_TIMEOUT_SECS} s: $healthy is '$h' (want healthy), $unhealthy is '$u' (want unhealthy)"
        fi
        sleep 0.5
    done
}

# ---- Redis ------------------------------------------------------------------
# The Redis fixture image is built from this machine's redis-server, and
# readiness is checked with redis-cli (both from the redis-server package; the
# host's own Redis service need not run).
export STACKTOP_TEST_REDIS_PORT="${STACKTOP_TEST_REDIS_PORT:-16379}"
REDIS_PASSWORD=redis-secret

ensure_redis_packages() {
    if command -v redis-server >/dev/null 2>&1 && command -v redis-cli >/dev/null 2>&1; then
        info "redis-server and redis-cli present"
        return
    fi
    info "installing: redis-server"
    export DEBIAN_FRONTEND=noninteractive
    as_root apt-get update -q >&2 || die "apt-get update failed"
    as_root apt-get install -y -q --no-install-recommends redis-server >&2 ||
        die "apt-get install redis-server failed"
}

# Waits until the stack's redis answers PING on its published port.
wait_for_redis() {
    local start reply=""
    start=$(now)
    local deadline=$((SECONDS + HEALTH_TIMEOUT_SECS))
    while [ "$SECONDS" -lt "$deadline" ]; do
        reply=$(REDISCLI_AUTH="$REDIS_PASSWORD" redis-cli -h 127.0.0.1 -p "$STACKTOP_TEST_REDIS_PORT" \
            ping 2>&1 || true)
        if [ "$reply" = PONG ]; then
            info "redis answers on 127.0.0.1:$STACKTOP_TEST_REDIS_PORT after $(elapsed_since "$start") s"
            return
        fi
        sleep 0.2
    done
    die "redis did not answer PING on 127.0.0.1:$STACKTOP_TEST_REDIS_PORT within ${HEALTH_TIMEOUT_SECS} s (last reply: $reply)"
}
# ---- end of Redis -----------------------------------------------------------

# ---- HTTP services: the apps, RabbitMQ's management API, Prometheus ---------
export STACKTOP_TEST_API_PORT="${STACKTOP_TEST_API_PORT:-18082}"
export STACKTOP_TEST_FAILING_PORT="${STACKTOP_TEST_FAILING_PORT:-18083}"
export STACKTOP_TEST_RABBIT_PORT="${STACKTOP_TEST_RABBIT_PORT:-18672}"
export STACKTOP_TEST_AMQP_PORT="${STACKTOP_TEST_AMQP_PORT:-18673}"
export STACKTOP_TEST_PROMETHEUS_PORT="${STACKTOP_TEST_PROMETHEUS_PORT:-19090}"

# The status code of GET http://127.0.0.1:PORT/PATH (optionally as USER:PASS),
# with bash's /dev/tcp only: nothing to install. 000 when nothing answers.
http_status() {
    local port="$1" path="$2" credentials="${3:-}" auth="" line
    [ -n "$credentials" ] && auth="Authorization: Basic $(printf '%s' "$credentials" | base64 -w0)"$'\r\n'
    # In a subshell: a server still starting may close the connection before
    # the request is written, and the SIGPIPE then ends the subshell only.
    line=$(
        exec 2>/dev/null 3<>"/dev/tcp/127.0.0.1/$port" || exit 0
        printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n%s\r\n' "$path" "$auth" >&3
        read -r -t 5 reply <&3 && printf '%s' "$reply"
    ) || line=""
    [ -n "$line" ] || { echo 000; return; }
    line=${line#HTTP/* }
    echo "${line:0:3}" | grep -E '^[0-9]{3}$' || echo 000
}

# Waits until GET on a published port answers `want`.
wait_for_http() {
    local what="$1" port="$2" path="$3" want="$4" credentials="${5:-}" start got=""
    start=$(now)
    local deadline=$((SECONDS + HEALTH_TIMEOUT_SECS))
    while [ "$SECONDS" -lt "$deadline" ]; do
        got=$(http_status "$port" "$path" "$credentials")
        if [ "$got" = "$want" ]; then
            info "$what answers $want on 127.0.0.1:$port$path after $(elapsed_since "$start") s"
            return
        fi
        sleep 0.3
    done
    die "$what did not answer $want on 127.0.0.1:$port$path within ${HEALTH_TIMEOUT_SECS} s (last: $got)"
}

wait_for_http_services() {
    wait_for_http api "$STACKTOP_TEST_API_PORT" /health 200
    wait_for_http failing-api "$STACKTOP_TEST_FAILING_PORT" /cgi-bin/health 503
    wait_for_http prometheus "$STACKTOP_TEST_PROMETHEUS_PORT" /-/ready 200
    wait_for_http rabbitmq "$STACKTOP_TEST_RABBIT_PORT" /api/overview 200 app:rabbit-secret
}
# ---- end of HTTP services ---------------------------------------------------
# ---- PostgreSQL: wait until the server accepts connections -----------------
# The host's pg_isready (the postgresql package, also used to build the image)
# asks through the published port, so the port mapping is checked too.
wait_for_postgres() {
    local start deadline answer=""
    start=$(now)
    deadline=$((SECONDS + HEALTH_TIMEOUT_SECS))
    until answer=$(/usr/lib/postgresql/15/bin/pg_isready -h 127.0.0.1 \
        -p "$STACKTOP_TEST_PG_PORT" -t 2 2>&1); do
        if [ "$SECONDS" -ge "$deadline" ]; then
            docker logs --tail 20 "$(container_of "$STACKTOP_TEST_PROJECT" postgres)" >&2 || true
            die "postgres did not accept connections on 127.0.0.1:$STACKTOP_TEST_PG_PORT within ${HEALTH_TIMEOUT_SECS} s ${answer}"
        fi
        sleep 0.5
    done
    info "postgres accepts connections after $(elapsed_since "$start") s"
}

step "Checking packages"
ensure_packages
ensure_redis_packages

step "Checking compose v2"
ensure_compose_v2
# Every compose command of the run, the tests' and stacktop's, uses v2; the
# tests that need v1 or no CLI choose so themselves.
export DOCKER_CONFIG="$COMPOSE_V2_DIR"
export STACKTOP_TEST_COMPOSE_V2="$COMPOSE_V2_DIR"

step "Checking the Docker engine"
ensure_engine
detect_compose
info "compose: ${COMPOSE_CMD[*]} ($("${COMPOSE_CMD[@]}" version --short 2>/dev/null || echo '?'))"

"$REPO_ROOT/scripts/build-fixtures.sh"

# Compile everything before the stack starts, so the tests meet a young stack
# (low restart counts, short logs) however long a cold build takes.
step "Building the release binary and the tests"
cargo build --release
cargo test --all-targets --no-run "$@"

export STACKTOP_BIN="$TARGET_DIR/release/stacktop"
export STACKTOP_TEST_COMPOSE_FILE="$COMPOSE_FILE_PATH"
[ -x "$STACKTOP_BIN" ] || die "release binary not found at $STACKTOP_BIN"

trap teardown EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

step "Starting the test stack '$STACKTOP_TEST_PROJECT' (healthy on 127.0.0.1:$STACKTOP_TEST_HTTP_PORT)"
# Start from a clean slate: a stack left over from an interrupted run would
# carry old restart counts and logs into the tests.
compose "$STACKTOP_TEST_PROJECT" --profile bench down --volumes --remove-orphans --timeout 5 >/dev/null 2>&1 || true
up_start=$(now)
compose "$STACKTOP_TEST_PROJECT" up -d 2>&1 | sed 's/^/    /' >&2 ||
    die "could not start the test stack (is 127.0.0.1:$STACKTOP_TEST_HTTP_PORT taken? set STACKTOP_TEST_HTTP_PORT)"
info "stack created in $(elapsed_since "$up_start") s"
wait_for_health "$STACKTOP_TEST_PROJECT"
wait_for_redis
wait_for_postgres
wait_for_http_services

step "Running cargo test --all-targets $*"
info "STACKTOP_TEST_PROJECT=$STACKTOP_TEST_PROJECT STACKTOP_BIN=$STACKTOP_BIN"
# A test that hangs ends the run with a clear failure well inside CI's limit,
# rather than holding it until CI gives up; the whole run takes minutes.
TEST_LIMIT_MINUTES="${STACKTOP_TEST_LIMIT_MINUTES:-50}"
status=0
timeout --kill-after=30 "${TEST_LIMIT_MINUTES}m" cargo test --all-targets "$@" || status=$?
if [ "$status" -eq 124 ]; then
    info "the tests did not end within $TEST_LIMIT_MINUTES minutes: the last test named above hung"
fi
exit "$status"
