#!/usr/bin/env bash
# Performance benchmark of stacktop's overhead (run by hand, not in CI).
#
#   scripts/bench-overhead.sh                  # full run, about 5 minutes
#   scripts/bench-overhead.sh --baseline-only  # no stacktop: setup, dockerd baseline, cleanup
#
# (a) idle: the test stack plus BENCH_IDLE_CONTAINERS idle containers (compose
#     project stacktop-bench), about 50 containers. dockerd's CPU is measured
#     for BENCH_SECONDS without stacktop, then again with stacktop running in
#     tmux at 120x40, along with stacktop's own CPU and peak RSS.
# (b) logs: the `flood` service prints BENCH_LOG_LINES lines, then idles; a fresh
#     stacktop opens its logs (`/` flood Enter, then `l`), runs BENCH_LOG_WAIT
#     seconds, and its peak RSS is reported.
#
# CPU figures are % of one core: (utime + stime from /proc/PID/stat) / wall time.
# Peak RSS is VmHWM from /proc/PID/status. Other work on the machine (another
# compose project, a build) inflates dockerd's figures: run it on a quiet engine.
#
# Environment:
#   STACKTOP_BIN           binary to measure       (default: target/release/stacktop)
#   BENCH_STACKTOP_ARGS    its arguments           (default: none; it starts in an empty
#                                                   folder, so it shows every container)
#   BENCH_READY_TEXT       text that shows stacktop has listed containers (default "stacktop-")
#   BENCH_SECONDS=60  BENCH_IDLE_CONTAINERS=40  BENCH_LOG_LINES=1000000  BENCH_LOG_WAIT=20
#   STACKTOP_TEST_PROJECT, STACKTOP_TEST_HTTP_PORT as for scripts/test.sh. A test
#   stack already up under that project is used as is and left up; one started
#   here is torn down at the end. Everything else started here is removed.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

BENCH_SECONDS="${BENCH_SECONDS:-60}"
BENCH_IDLE_CONTAINERS="${BENCH_IDLE_CONTAINERS:-40}"
BENCH_LOG_LINES="${BENCH_LOG_LINES:-1000000}"
BENCH_LOG_WAIT="${BENCH_LOG_WAIT:-20}"
BENCH_STACKTOP_ARGS="${BENCH_STACKTOP_ARGS:-}"
# Text on stacktop's screen that shows it has listed containers (both compose
# projects' names start with it, whichever is listed first).
BENCH_READY_TEXT="${BENCH_READY_TEXT:-stacktop-}"
STACKTOP_BIN="${STACKTOP_BIN:-$TARGET_DIR/release/stacktop}"
BENCH_PROJECT=stacktop-bench
BENCH_IDLE_FILE="$STACK_DIR/bench-idle.yaml"
PROJECT="$STACKTOP_TEST_PROJECT"
CLK_TCK=$(getconf CLK_TCK)

baseline_only=0
case "${1:-}" in
"") ;;
--baseline-only) baseline_only=1 ;;
*) die "usage: scripts/bench-overhead.sh [--baseline-only]" ;;
esac

# ---- measuring ------------------------------------------------------------

# CPU ticks (utime + stime) of a process; the name in field 2 may hold spaces,
# so count the fields after its closing parenthesis.
cpu_ticks() {
    local stat
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || die "process $1 is gone"
    awk '{ print $12 + $13 }' <<<"${stat##*) }"
}

# Peak resident set size of a process, in MiB.
peak_rss_mib() {
    awk '/^VmHWM:/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status" 2>/dev/null ||
        die "process $1 is gone"
}

# measure_cpu SECONDS PID... : prints the CPU % of one core of each PID over
# SECONDS, space-separated ("-" for an empty PID).
measure_cpu() {
    local seconds="$1" pid start
    shift
    local -a before=()
    start=$(now)
    for pid in "$@"; do
        if [ -n "$pid" ]; then before+=("$(cpu_ticks "$pid")"); else before+=(0); fi
    done
    sleep "$seconds"
    local wall i=0 out=()
    wall=$(elapsed_since "$start")
    for pid in "$@"; do
        if [ -n "$pid" ]; then
            out+=("$(awk -v a="${before[$i]}" -v b="$(cpu_ticks "$pid")" -v hz="$CLK_TCK" -v w="$wall" \
                'BEGIN { printf "%.2f", (b - a) / hz / w * 100 }')")
        else
            out+=("-")
        fi
        i=$((i + 1))
    done
    echo "${out[*]}"
}

dockerd_pid() {
    local pid
    pid=$(cat /var/run/docker.pid 2>/dev/null || true)
    if [ -n "$pid" ] && [ -d "/proc/$pid" ]; then echo "$pid"; else pgrep -xo dockerd || true; fi
}

containerd_pid() { pgrep -xo containerd || true; }

count_containers() {
    docker ps -aq --filter "label=com.docker.compose.project=$1" | wc -l
}

# ---- stacktop in tmux -----------------------------------------------------

WORK_DIR=$(mktemp -d)
TMUX_SOCKET="stacktop-bench-$$"
TMUX_STARTED=0
tmux_() { tmux -L "$TMUX_SOCKET" "$@"; }

# Starts stacktop at 120x40 and sets STACKTOP_PID.
STACKTOP_PID=
start_stacktop() {
    printf 'set -g remain-on-exit on\nset -g status off\n' >"$WORK_DIR/tmux.conf"
    # An empty working folder: no compose file there, so no project is implied.
    local cmd
    cmd="exec $(printf '%q' "$STACKTOP_BIN") $BENCH_STACKTOP_ARGS"
    tmux_ -f "$WORK_DIR/tmux.conf" new-session -d -s bench -x 120 -y 40 -c "$WORK_DIR" "$cmd" ||
        die "could not start tmux"
    TMUX_STARTED=1
    STACKTOP_PID=$(tmux_ display-message -p -t bench: '#{pane_pid}')
    [ "$(cat "/proc/$STACKTOP_PID/comm" 2>/dev/null)" = stacktop ] ||
        fail_with_screen "the pane runs '$(cat "/proc/$STACKTOP_PID/comm" 2>/dev/null)', not stacktop"
    wait_for_screen "$BENCH_READY_TEXT" 30
    sleep 5 # the first full refresh of every container
}

screen() { tmux_ capture-pane -p -t bench:; }

fail_with_screen() {
    printf '%s\n' "---- stacktop's screen ----" >&2
    screen >&2 || true
    die "$1"
}

ensure_alive() {
    [ "$(tmux_ display-message -p -t bench: '#{pane_dead}')" = 0 ] ||
        fail_with_screen "stacktop exited $(tmux_ display-message -p -t bench: '(status #{pane_dead_status})') $1"
}

# wait_for_screen TEXT SECONDS
wait_for_screen() {
    local deadline=$((SECONDS + $2))
    while [ "$SECONDS" -lt "$deadline" ]; do
        ensure_alive "while waiting for '$1'"
        screen | grep -qF -- "$1" && return 0
        sleep 0.2
    done
    fail_with_screen "'$1' did not appear on stacktop's screen within $2 s"
}

stop_stacktop() {
    [ "$TMUX_STARTED" -eq 1 ] || return 0
    tmux_ send-keys -t bench: q 2>/dev/null || true
    local _
    for _ in $(seq 1 25); do
        [ "$(tmux_ display-message -p -t bench: '#{pane_dead}' 2>/dev/null)" = 1 ] && break
        sleep 0.2
    done
    local socket_path
    socket_path=$(tmux_ display-message -p '#{socket_path}' 2>/dev/null || true)
    tmux_ kill-server 2>/dev/null || true
    # kill-server leaves the socket file behind.
    [ -z "$socket_path" ] || rm -f "$socket_path"
    TMUX_STARTED=0
}

# ---- setup and cleanup ----------------------------------------------------

STARTED_TEST_STACK=0
STARTED_FLOOD=0
cleanup() {
    local status=$?
    step "Cleaning up what the benchmark started"
    stop_stacktop
    compose_file "$BENCH_IDLE_FILE" "$BENCH_PROJECT" down --volumes --remove-orphans --timeout 5 \
        >/dev/null 2>&1 || info "warning: could not remove project $BENCH_PROJECT"
    if [ "$STARTED_TEST_STACK" -eq 1 ]; then
        compose "$PROJECT" --profile bench down --volumes --remove-orphans --timeout 5 >/dev/null 2>&1 ||
            info "warning: could not remove the test stack $PROJECT"
    elif [ "$STARTED_FLOOD" -eq 1 ]; then
        compose "$PROJECT" --profile bench rm -f -s -v flood >/dev/null 2>&1 ||
            info "warning: could not remove the flood container"
    fi
    rm -rf "$WORK_DIR"
    exit "$status"
}

if [ "$baseline_only" -eq 0 ] && [ ! -x "$STACKTOP_BIN" ]; then
    die "no stacktop binary at $STACKTOP_BIN (cargo build --release, or set STACKTOP_BIN)"
fi
command -v tmux >/dev/null 2>&1 || die "tmux is missing (scripts/test.sh installs it)"

step "Checking the Docker engine"
ensure_engine
detect_compose
"$REPO_ROOT/scripts/build-fixtures.sh"

trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

step "Starting containers"
if [ "$(count_containers "$PROJECT")" -gt 0 ]; then
    info "test stack '$PROJECT' is already up: using it as is (it stays up afterwards)"
else
    compose "$PROJECT" up -d >/dev/null 2>&1 ||
        die "could not start the test stack $PROJECT (port $STACKTOP_TEST_HTTP_PORT taken? set STACKTOP_TEST_HTTP_PORT)"
    STARTED_TEST_STACK=1
fi
up_start=$(now)
compose_file "$BENCH_IDLE_FILE" "$BENCH_PROJECT" up -d --scale "idle=$BENCH_IDLE_CONTAINERS" >/dev/null 2>&1 ||
    die "could not start $BENCH_IDLE_CONTAINERS idle containers in project $BENCH_PROJECT"
info "$BENCH_IDLE_CONTAINERS idle containers started in $(elapsed_since "$up_start") s"
sleep 5 # let the start-up work settle before measuring
containers=$(($(count_containers "$PROJECT") + $(count_containers "$BENCH_PROJECT")))
info "$containers containers in $PROJECT + $BENCH_PROJECT ($(docker ps -q | wc -l) on the engine)"

DOCKERD=$(dockerd_pid)
CONTAINERD=$(containerd_pid)
[ -n "$DOCKERD" ] || die "cannot find dockerd's PID (is the engine local?)"

ROWS=()
row() { ROWS+=("$(printf '%-22s %10s %12s %12s %14s %14s' "$@")"); }
row "scenario" "containers" "stacktop" "dockerd" "containerd" "stacktop peak"
row "" "" "CPU %" "CPU %" "CPU %" "RSS MiB"

step "(a) idle baseline: dockerd without stacktop for $BENCH_SECONDS s"
read -r base_dockerd base_containerd < <(measure_cpu "$BENCH_SECONDS" "$DOCKERD" "$CONTAINERD")
row "idle, no stacktop" "$containers" "-" "$base_dockerd" "$base_containerd" "-"
info "dockerd $base_dockerd %, containerd $base_containerd %"

if [ "$baseline_only" -eq 0 ]; then
    step "(a) idle with stacktop for $BENCH_SECONDS s"
    start_stacktop
    read -r st_cpu d_cpu c_cpu < <(measure_cpu "$BENCH_SECONDS" "$STACKTOP_PID" "$DOCKERD" "$CONTAINERD")
    ensure_alive "during the idle measurement"
    rss=$(peak_rss_mib "$STACKTOP_PID")
    extra=$(awk -v a="$d_cpu" -v b="$base_dockerd" 'BEGIN { printf "%+.2f", a - b }')
    row "idle, with stacktop" "$containers" "$st_cpu" "$d_cpu ($extra)" "$c_cpu" "$rss"
    info "stacktop $st_cpu %, dockerd $d_cpu % ($extra vs. baseline), peak RSS $rss MiB"
    stop_stacktop
fi

step "(b) logs: flood prints $BENCH_LOG_LINES lines"
flood_start=$(now)
STARTED_FLOOD=1
STACKTOP_FLOOD_LINES="$BENCH_LOG_LINES" compose "$PROJECT" --profile bench up -d flood >/dev/null 2>&1 ||
    die "could not start the flood service"
flood=$(container_of "$PROJECT" flood)
deadline=$((SECONDS + 600))
until [ "$(docker logs --tail 1 "$flood" 2>&1)" = "flood: done" ]; do
    [ "$SECONDS" -lt "$deadline" ] || die "flood did not finish printing within 600 s"
    sleep 1
done
info "$flood printed $BENCH_LOG_LINES lines in $(elapsed_since "$flood_start") s"

if [ "$baseline_only" -eq 0 ]; then
    step "(b) logs: stacktop shows flood's logs for $BENCH_LOG_WAIT s"
    start_stacktop
    tmux_ send-keys -t bench: /
    sleep 0.3
    tmux_ send-keys -t bench: -l flood
    sleep 0.3
    tmux_ send-keys -t bench: Enter
    sleep 0.3
    tmux_ send-keys -t bench: l
    wait_for_screen "flood line" 30
    read -r st_cpu d_cpu c_cpu < <(measure_cpu "$BENCH_LOG_WAIT" "$STACKTOP_PID" "$DOCKERD" "$CONTAINERD")
    ensure_alive "while showing the logs"
    rss=$(peak_rss_mib "$STACKTOP_PID")
    row "logs of $BENCH_LOG_LINES lines" "$((containers + 1))" "$st_cpu" "$d_cpu" "$c_cpu" "$rss"
    stop_stacktop
fi

step "Results (CPU as % of one core; $CLK_TCK ticks/s; $(nproc) cores)"
printf '%s\n' "${ROWS[@]}"
