#!/usr/bin/env bash
# Performance benchmark of stacktop's overhead (run by hand, not in CI).
#
#   scripts/bench-overhead.sh                  # full run, about 12 minutes
#   BENCH_SECONDS=10 BENCH_NS="10 50" scripts/bench-overhead.sh   # a quick check
#   scripts/bench-overhead.sh --baseline-only  # no stacktop: the engine's idle baselines only
#
# Scenarios (BENCH_SCENARIOS picks some of them, default all four):
#  idle   For each N in BENCH_NS, the test stack plus enough idle containers
#         (project BENCH_PROJECT, tests/stack/bench-idle.yaml) to make N in all.
#         The engine's CPU is measured for BENCH_SECONDS without stacktop, then
#         again with stacktop running in tmux at 120x40, along with stacktop's
#         own CPU and peak RSS. Targets at N=50: stacktop < 0.5 %, dockerd extra
#         < 1 %, peak RSS < 25 MB.
#  flood  The `logflood` service (tests/stack/bench-logs.yaml) prints
#         BENCH_FLOOD_RATE numbered lines a second for BENCH_FLOOD_SECONDS while
#         stacktop's log view follows it (`/` logflood Enter, then `l`), with the
#         filter BENCH_FLOOD_FILTER on (`&` in the log view; empty: none). During
#         the flood `t` is pressed BENCH_FLOOD_KEYS times, 1 s apart, and each
#         keypress-to-frame latency is read from stacktop's own stats file
#         (STACKTOP_STATS_FILE). Once the flood ends the filter is removed and
#         the view must hold a full
#         window (N/BENCH_LOG_WINDOW lines) ending with the last line printed,
#         with every line received (kept + dropped = printed) and no gap in the
#         numbers on screen. Targets: peak RSS < 50 MB, key latency < 50 ms.
#  million The `logburst` service prints BENCH_LOG_LINES lines, then idles; a
#         fresh stacktop opens its logs for BENCH_LOG_WAIT s. Target: peak RSS
#         < 50 MB.
#  probes BENCH_PROBES web servers (the `web` service of bench-idle.yaml), each
#         answering /health on a loopback port: stacktop's CPU over BENCH_SECONDS
#         with its HTTP health checks off (`[health] guess = false`), then on
#         (guessed at /health, every 5 s). Target: the checks add < 0.2 % of a core.
# The log scenarios run first, with the test stack alone, then probes, then
# idle with N rising. The table goes to the terminal and, as markdown, to
# target/bench-overhead.md.
#
# CPU figures are % of one core: (utime + stime from /proc/PID/stat) / wall time.
# "containerd+shims" is containerd plus every containerd-shim alive at both ends
# of a measurement (stats requests reach each container's shim). Peak RSS is
# VmHWM from /proc/PID/status, in MiB (the targets are read as MiB). Other work
# on the engine (another compose project, tests) makes the engine's figures
# noisy: run it on a quiet engine for numbers to quote.
#
# Environment:
#   STACKTOP_BIN           binary to measure       (default: target/release/stacktop)
#   BENCH_STACKTOP_ARGS    extra arguments         (default: none; it starts in an empty
#                                                   folder, so it shows every container)
#   BENCH_READY_TEXT       text that shows stacktop has listed containers (default "stacktop-")
#   BENCH_SCENARIOS="flood million probes idle"  BENCH_NS="10 50 200"  BENCH_SECONDS=60
#   BENCH_PROBES=20
#   BENCH_FLOOD_RATE=20000  BENCH_FLOOD_SECONDS=30  BENCH_FLOOD_KEYS=5
#   BENCH_FLOOD_FILTER='7 abc|logflood'  (about one line in ten, and the script's own lines)
#   BENCH_LOG_WINDOW=10000 (stacktop --log-lines)  BENCH_LOG_LINES=1000000  BENCH_LOG_WAIT=20
#   BENCH_PROJECT=stacktop-bench   compose project of the benchmark's own containers;
#                                  it must not exist yet (nothing of another run is touched)
#   BENCH_COMPOSE_TIMEOUT=600      bound on each compose up/down, in seconds
#   BENCH_SETTLE_MAX=60            longest wait for dockerd to calm down after
#                                  containers start, before a baseline
#   STACKTOP_TEST_PROJECT, STACKTOP_TEST_HTTP_PORT as for scripts/test.sh. A test
#   stack already up under that project is used as is and left up; one started
#   here is torn down at the end. Everything else started here is removed.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

BENCH_SCENARIOS="${BENCH_SCENARIOS:-flood million probes idle}"
BENCH_PROBES="${BENCH_PROBES:-20}"
BENCH_NS="${BENCH_NS:-10 50 200}"
BENCH_SECONDS="${BENCH_SECONDS:-60}"
BENCH_FLOOD_RATE="${BENCH_FLOOD_RATE:-20000}"
BENCH_FLOOD_SECONDS="${BENCH_FLOOD_SECONDS:-30}"
BENCH_FLOOD_KEYS="${BENCH_FLOOD_KEYS:-5}"
BENCH_FLOOD_FILTER="${BENCH_FLOOD_FILTER-7 abc|logflood}"
BENCH_LOG_WINDOW="${BENCH_LOG_WINDOW:-10000}"
BENCH_LOG_LINES="${BENCH_LOG_LINES:-1000000}"
BENCH_LOG_WAIT="${BENCH_LOG_WAIT:-20}"
BENCH_PROJECT="${BENCH_PROJECT:-stacktop-bench}"
BENCH_COMPOSE_TIMEOUT="${BENCH_COMPOSE_TIMEOUT:-600}"
BENCH_SETTLE_MAX="${BENCH_SETTLE_MAX:-60}"
BENCH_STACKTOP_ARGS="${BENCH_STACKTOP_ARGS:-}"
# Text on stacktop's screen that shows it has listed containers (both compose
# projects' names start with it, whichever is listed first).
BENCH_READY_TEXT="${BENCH_READY_TEXT:-stacktop-}"
STACKTOP_BIN="${STACKTOP_BIN:-$TARGET_DIR/release/stacktop}"
BENCH_FILES=("$STACK_DIR/bench-idle.yaml" "$STACK_DIR/bench-logs.yaml")
PROJECT="$STACKTOP_TEST_PROJECT"
REPORT="$TARGET_DIR/bench-overhead.md"
CLK_TCK=$(getconf CLK_TCK)
# Exported for compose's interpolation of tests/stack/bench-logs.yaml.
export BENCH_FLOOD_RATE BENCH_FLOOD_SECONDS BENCH_LOG_LINES

baseline_only=0
case "${1:-}" in
"") ;;
--baseline-only) baseline_only=1 ;;
*) die "usage: scripts/bench-overhead.sh [--baseline-only]" ;;
esac

for var in BENCH_SECONDS BENCH_PROBES BENCH_FLOOD_RATE BENCH_FLOOD_SECONDS BENCH_FLOOD_KEYS BENCH_LOG_WINDOW \
    BENCH_LOG_LINES BENCH_LOG_WAIT BENCH_COMPOSE_TIMEOUT BENCH_SETTLE_MAX; do
    [[ "${!var}" =~ ^[1-9][0-9]*$ ]] || die "$var must be a positive whole number, not '${!var}'"
done
for n in $BENCH_NS; do
    [[ "$n" =~ ^[1-9][0-9]*$ ]] || die "BENCH_NS holds '$n', not a positive whole number"
done
for scenario in $BENCH_SCENARIOS; do
    case "$scenario" in
    idle | flood | million | probes) ;;
    *) die "BENCH_SCENARIOS holds '$scenario'; known: idle flood million probes" ;;
    esac
done
wants() { [[ " $BENCH_SCENARIOS " == *" $1 "* ]]; }
# The log scenarios need stacktop on screen.
[ "$baseline_only" -eq 0 ] || BENCH_SCENARIOS=idle

# ---- measuring ------------------------------------------------------------

# CPU ticks (utime + stime, every thread) of a process; fails once it is gone.
# The name in field 2 may hold spaces, so count the fields after its ")".
cpu_ticks() {
    local stat
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
    awk '{ print $12 + $13 }' <<<"${stat##*) }"
}

# Peak resident set size of a process, in MiB.
peak_rss_mib() {
    awk '/^VmHWM:/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status" 2>/dev/null ||
        die "process $1 is gone"
}

dockerd_pid() {
    local pid
    pid=$(cat /var/run/docker.pid 2>/dev/null || true)
    if [ -n "$pid" ] && [ -d "/proc/$pid" ]; then echo "$pid"; else pgrep -xo dockerd || true; fi
}

# containerd and every containerd-shim (the name is cut to 15 characters).
engine_pids() { pgrep -x 'containerd|containerd-shim' || true; }

# snapshot PID... : "PID:TICKS" for each process alive now.
snapshot() {
    local pid ticks out=()
    for pid in "$@"; do
        ticks=$(cpu_ticks "$pid") && out+=("$pid:$ticks")
    done
    echo "${out[*]}"
}

# cpu_pct SNAPSHOT WALL : CPU % of one core used since SNAPSHOT by its
# processes, counting only those still alive.
cpu_pct() {
    local entry ticks total=0
    for entry in $1; do
        ticks=$(cpu_ticks "${entry%%:*}") || continue
        total=$((total + ticks - ${entry#*:}))
    done
    awk -v t="$total" -v hz="$CLK_TCK" -v w="$2" 'BEGIN { printf "%.2f", t / hz / w * 100 }'
}

# measure_begin [STACKTOP_PID] ... measure_end : sets CPU_STACKTOP, CPU_DOCKERD
# and CPU_ENGINE (containerd + shims) over the time between the two calls.
M_START='' M_STACKTOP='' M_DOCKERD='' M_ENGINE=''
measure_begin() {
    M_START=$(now)
    M_STACKTOP=$(snapshot "$@")
    M_DOCKERD=$(snapshot "$DOCKERD")
    # shellcheck disable=SC2046 # one PID a word
    M_ENGINE=$(snapshot $(engine_pids))
}
CPU_STACKTOP='' CPU_DOCKERD='' CPU_ENGINE='' CPU_WALL=''
measure_end() {
    CPU_WALL=$(elapsed_since "$M_START")
    CPU_STACKTOP=$(cpu_pct "$M_STACKTOP" "$CPU_WALL")
    CPU_DOCKERD=$(cpu_pct "$M_DOCKERD" "$CPU_WALL")
    CPU_ENGINE=$(cpu_pct "$M_ENGINE" "$CPU_WALL")
}

# Containers (any state) of a compose project.
count_containers() {
    docker ps -aq --filter "label=com.docker.compose.project=$1" | wc -l
}

# Running containers of a service of the benchmark's project.
count_running() {
    docker ps -q --filter "label=com.docker.compose.project=$BENCH_PROJECT" \
        --filter "label=com.docker.compose.service=$1" --filter status=running | wc -l
}

# 1234567 -> 1,234,567
thousands() { sed ':a; s/\B[0-9]\{3\}\>/,&/; ta' <<<"$1"; }

# awk-based arithmetic and checks for the table.
calc() { awk "BEGIN { printf \"$1\", $2 }"; }
# verdict VALUE LIMIT : "ok" when VALUE < LIMIT
verdict() { awk -v v="$1" -v l="$2" 'BEGIN { print (v + 0 < l + 0) ? "ok" : "OVER" }'; }

# ---- compose --------------------------------------------------------------

# Compose on the benchmark's project (both of its files), bounded in time.
bench_compose() {
    local files=() file
    for file in "${BENCH_FILES[@]}"; do files+=(-f "$file"); done
    timeout "$BENCH_COMPOSE_TIMEOUT" "${COMPOSE_CMD[@]}" -p "$BENCH_PROJECT" "${files[@]}" "$@"
}

# wait_for_running SERVICE COUNT SECONDS
wait_for_running() {
    local deadline=$((SECONDS + $3))
    until [ "$(count_running "$1")" -eq "$2" ]; do
        [ "$SECONDS" -lt "$deadline" ] ||
            die "$BENCH_PROJECT has $(count_running "$1") running '$1' containers, not $2, after $3 s"
        sleep 1
    done
}

# ---- stacktop in tmux -----------------------------------------------------

WORK_DIR=$(mktemp -d)
STATS_FILE="$WORK_DIR/frame-stats"
TMUX_SOCKET="stacktop-bench-$$"
TMUX_STARTED=0
tmux_() { tmux -L "$TMUX_SOCKET" "$@"; }

# Starts stacktop at 120x40, writing its frame stats to STATS_FILE, and sets
# STACKTOP_PID. Arguments are added to its command line.
STACKTOP_PID=
start_stacktop() {
    printf 'set -g remain-on-exit on\nset -g status off\n' >"$WORK_DIR/tmux.conf"
    mkdir -p "$WORK_DIR/empty"
    rm -f "$STATS_FILE"
    # An empty working folder: no compose file there, so no project is implied.
    # `env` execs stacktop in the pane's process, so the pane's PID is stacktop's.
    local cmd
    cmd="exec env STACKTOP_STATS_FILE=$(printf '%q' "$STATS_FILE") $(printf '%q' "$STACKTOP_BIN")"
    cmd+=" --log-lines $BENCH_LOG_WINDOW $BENCH_STACKTOP_ARGS $*"
    tmux_ -f "$WORK_DIR/tmux.conf" new-session -d -s bench -x 120 -y 40 -c "$WORK_DIR/empty" "$cmd" ||
        die "could not start tmux"
    TMUX_STARTED=1
    STACKTOP_PID=$(tmux_ display-message -p -t bench: '#{pane_pid}')
    local deadline=$((SECONDS + 10))
    until [ "$(cat "/proc/$STACKTOP_PID/comm" 2>/dev/null)" = stacktop ]; do
        [ "$SECONDS" -lt "$deadline" ] ||
            fail_with_screen "the pane runs '$(cat "/proc/$STACKTOP_PID/comm" 2>/dev/null)', not stacktop"
        sleep 0.1
    done
    wait_for_screen "$BENCH_READY_TEXT" 30
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

# keys KEY... : one key at a time, as a user types them.
keys() {
    local key
    for key in "$@"; do
        tmux_ send-keys -t bench: "$key"
        sleep 0.2
    done
}

# open_logs SERVICE : filters the list down to SERVICE and opens its logs.
open_logs() {
    keys /
    tmux_ send-keys -t bench: -l "$1"
    sleep 0.3
    keys Enter l
    wait_for_screen " Logs " 15
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

# stats_field NAME : a field of the line stacktop last wrote to STATS_FILE; the
# file is rewritten in place, so a read that lands mid-write is tried again.
# Fails when there is none after 2 s (nothing written yet).
stats_field() {
    local value _
    for _ in $(seq 1 20); do
        value=$(sed -n "s/.*\\b$1=\\([0-9.]*\\).*/\\1/p" "$STATS_FILE" 2>/dev/null | tail -n 1)
        [ -z "$value" ] || {
            echo "$value"
            return 0
        }
        sleep 0.1
    done
    return 1
}

# screen_shows TEXT SECONDS : whether TEXT is on stacktop's screen within SECONDS.
screen_shows() {
    local deadline=$((SECONDS + $2))
    while [ "$SECONDS" -lt "$deadline" ]; do
        screen | grep -qF -- "$1" && return 0
        sleep 0.2
    done
    return 1
}

# ---- setup and cleanup ----------------------------------------------------

STARTED_TEST_STACK=0
STARTED_BENCH=0
cleanup() {
    local status=$?
    trap - EXIT INT TERM
    step "Cleaning up what the benchmark started"
    stop_stacktop
    if [ "$STARTED_BENCH" -eq 1 ]; then
        local start
        start=$(now)
        if ! bench_compose down --volumes --remove-orphans --timeout 5 >/dev/null 2>&1; then
            info "warning: compose down of $BENCH_PROJECT failed: removing its containers directly"
            docker ps -aq --filter "label=com.docker.compose.project=$BENCH_PROJECT" |
                xargs -r timeout "$BENCH_COMPOSE_TIMEOUT" docker rm -f -v >/dev/null 2>&1 ||
                info "warning: could not remove every container of $BENCH_PROJECT"
            docker network rm "${BENCH_PROJECT}_default" >/dev/null 2>&1 || true
        fi
        info "$BENCH_PROJECT removed in $(elapsed_since "$start") s"
    fi
    if [ "$STARTED_TEST_STACK" -eq 1 ]; then
        timeout "$BENCH_COMPOSE_TIMEOUT" "${COMPOSE_CMD[@]}" -p "$PROJECT" -f "$COMPOSE_FILE_PATH" \
            down --volumes --remove-orphans --timeout 5 >/dev/null 2>&1 ||
            info "warning: could not remove the test stack $PROJECT"
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
DOCKERD=$(dockerd_pid)
[ -n "$DOCKERD" ] || die "cannot find dockerd's PID (is the engine local?)"
[ "$(count_containers "$BENCH_PROJECT")" -eq 0 ] ||
    die "project $BENCH_PROJECT already has containers (another run?): remove them or set BENCH_PROJECT"

trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

step "Starting the test stack"
if [ "$(count_containers "$PROJECT")" -gt 0 ]; then
    info "test stack '$PROJECT' is already up: using it as is (it stays up afterwards)"
else
    STARTED_TEST_STACK=1
    timeout "$BENCH_COMPOSE_TIMEOUT" "${COMPOSE_CMD[@]}" -p "$PROJECT" -f "$COMPOSE_FILE_PATH" \
        up -d >/dev/null 2>&1 ||
        die "could not start the test stack $PROJECT (port $STACKTOP_TEST_HTTP_PORT taken? set STACKTOP_TEST_HTTP_PORT)"
fi
STACK_CONTAINERS=$(count_containers "$PROJECT")
info "$STACK_CONTAINERS containers in $PROJECT"
STARTED_BENCH=1

# ---- log flood ------------------------------------------------------------

# The log view's title: "N/CAP lines".
screen_window() { screen | sed -n 's/.* \([0-9]*\/[0-9]*\) lines .*/\1/p' | head -n 1; }
screen_dropped() { screen | sed -n 's/.* \([0-9]*\) older lines dropped .*/\1/p' | head -n 1; }

bench_flood() {
    step "(flood) $BENCH_FLOOD_RATE lines/s for $BENCH_FLOOD_SECONDS s with the log view open"
    bench_compose up -d logflood >/dev/null 2>&1 || die "could not start the logflood service"
    local flood
    flood=$(container_of "$BENCH_PROJECT" logflood)
    [ -n "$flood" ] || die "no logflood container in $BENCH_PROJECT"
    local deadline=$((SECONDS + 30))
    # (grep without -q reads to the end: no SIGPIPE for docker under pipefail)
    until docker logs "$flood" 2>&1 | grep '^logflood: waiting' >/dev/null; do
        [ "$SECONDS" -lt "$deadline" ] || die "$flood did not start within 30 s"
        sleep 0.5
    done

    start_stacktop
    open_logs logflood
    wait_for_screen "logflood: waiting" 15
    if [ -n "$BENCH_FLOOD_FILTER" ]; then
        keys '&'
        tmux_ send-keys -t bench: -l "$BENCH_FLOOD_FILTER"
        keys Enter
        wait_for_screen "&$BENCH_FLOOD_FILTER" 5
    fi
    sleep 2 # settle: a frame or two and a stats write before the flood

    measure_begin "$STACKTOP_PID"
    docker exec "$flood" touch /tmp/go || die "could not start the flood"
    local flood_end=$((SECONDS + BENCH_FLOOD_SECONDS))
    sleep 1

    # Keys: each `t` waits for the stats line that counts it; the frame that
    # counted it also set last_key_ms. A stats line is written at most once a
    # second, and only when a frame is drawn.
    local seen sent latencies=() key_note="" i latency key_deadline
    seen=$(stats_field keys) || fail_with_screen "stacktop wrote no frame stats to STACKTOP_STATS_FILE"
    for i in $(seq 1 "$BENCH_FLOOD_KEYS"); do
        sent=$(now)
        tmux_ send-keys -t bench: t
        key_deadline=$((SECONDS + 10))
        latency=''
        until [ "$(stats_field keys || echo 0)" -gt "$seen" ]; do
            if [ "$SECONDS" -ge "$key_deadline" ]; then
                key_note+="key $i: no frame counted it within 10 s (taken as 10000 ms); "
                latency=10000
                break
            fi
            ensure_alive "during the flood"
            sleep 0.1
        done
        seen=$(stats_field keys) || seen=0
        [ -n "$latency" ] || latency=$(stats_field last_key_ms) || latency=10000
        latencies+=("$latency")
        info "key $i (t): ${latency} ms to its frame"
        # At least 1 s between keys.
        sleep "$(awk -v s="$sent" -v n="$(now)" 'BEGIN { d = 1 - (n - s); print (d > 0) ? d : 0 }')"
    done
    [ "$SECONDS" -le "$flood_end" ] || key_note+="the keys outlasted the flood; "
    local key_last key_max
    key_last=${latencies[-1]}
    key_max=$(printf '%s\n' "${latencies[@]}" | sort -g | tail -n 1)

    # Asking the engine for the logs is work for dockerd too: only once the
    # flood should be over.
    [ "$SECONDS" -ge "$flood_end" ] || sleep $((flood_end - SECONDS))
    deadline=$((SECONDS + 120))
    local done_line=""
    until done_line=$(docker logs --tail 1 "$flood" 2>&1 | grep '^logflood: done'); do
        [ "$SECONDS" -lt "$deadline" ] || die "$flood had not finished 120 s after its flood was due to end"
        ensure_alive "during the flood"
        sleep 0.5
    done
    local flood_done catch_up
    flood_done=$(now)
    # The CPU window runs until stacktop shows the flood's last line.
    if screen_shows "logflood: done" 60; then
        catch_up="caught up $(elapsed_since "$flood_done") s after the flood"
    else
        catch_up="last line NOT SHOWN 60 s after the flood"
    fi
    measure_end
    ensure_alive "after the flood"
    if [ -n "$BENCH_FLOOD_FILTER" ]; then
        # Esc in the filter prompt removes the filter: every line shows again.
        keys '&' Escape
        local filter_deadline=$((SECONDS + 10))
        while screen | head -n 1 | grep -qF -- "&$BENCH_FLOOD_FILTER"; do
            [ "$SECONDS" -lt "$filter_deadline" ] || fail_with_screen "the filter did not go"
            sleep 0.2
        done
    fi
    sleep 1 # a last frame and stats write

    # logflood: done PRINTED lines in CS cs
    local printed cs rate
    read -r printed cs <<<"$(awk '{ print $3, $6 }' <<<"$done_line")"
    rate=$(calc '%.0f' "$printed / ($cs / 100)")

    # The window on screen: title N/CAP, dropped count, numbered rows.
    local window kept cap dropped received expected lost
    window=$(screen_window)
    [ -n "$window" ] || fail_with_screen "no 'N/CAP lines' in the log view's title"
    kept=${window%/*} cap=${window#*/}
    dropped=$(screen_dropped)
    dropped=${dropped:-0}
    received=$((kept + dropped))
    expected=$((printed + 2)) # with the "waiting" and "done" lines
    lost=$((expected - received))
    local body last_row numbers gaps first last
    body=$(screen | sed -n '2,39p')
    last_row=$(grep -v '^[[:space:]]*$' <<<"$body" | tail -n 1)
    numbers=$(sed -n 's/.*flood \([0-9][0-9]*\) .*/\1/p' <<<"$body")
    first=$(head -n 1 <<<"$numbers")
    last=$(tail -n 1 <<<"$numbers")
    gaps=$(awk 'NR > 1 && $1 != p + 1 { g++ } { p = $1 } END { print g + 0 }' <<<"$numbers")

    local checks=()
    if [ "$kept" -eq "$cap" ] || [ "$expected" -lt "$cap" ]; then
        checks+=("window $kept/$cap ok")
    else
        checks+=("window $kept/$cap NOT FULL")
    fi
    if [[ "$last_row" == *"logflood: done $printed lines"* ]] && [ "$last" = "$printed" ]; then
        checks+=("last line on screen = last printed ($printed) ok")
    else
        checks+=("last line on screen is not the last printed (flood $last; row '${last_row## }') FAIL")
    fi
    if [ "$lost" -eq 0 ]; then
        checks+=("kept $kept + dropped $dropped = all $expected lines written: none lost ok")
    else
        checks+=("kept $kept + dropped $dropped of $expected lines written: $lost LOST")
    fi
    checks+=("rows $first..$last on screen, $gaps gaps")
    local rss frames notes
    rss=$(peak_rss_mib "$STACKTOP_PID")
    frames=$(stats_field frames) || frames='?'
    checks+=("RSS <50 $(verdict "$rss" 50)")
    checks+=("key <50 ms $(verdict "$key_max" 50)")
    checks+=("$catch_up; $frames frames drawn")
    notes=$(printf '%s; ' "${checks[@]}")

    # (the pattern may hold `|`, the table's separator: the summary names it)
    local filtered=""
    [ -z "$BENCH_FLOOD_FILTER" ] || filtered=", with a filter on"
    ROWS_FLOOD+=("log flood${filtered}, $(thousands "$BENCH_FLOOD_RATE") lines/s x ${BENCH_FLOOD_SECONDS} s (achieved $(thousands "$rate")/s, $(thousands "$printed") lines)|$((STACK_CONTAINERS + 1)) / $(docker ps -aq | wc -l)|$CPU_STACKTOP|$rss|$CPU_DOCKERD|$CPU_ENGINE|$key_last / $key_max|${key_note}${notes%; }")
    info "stacktop $CPU_STACKTOP %, peak RSS $rss MiB; dockerd $CPU_DOCKERD %; keys last $key_last / max $key_max ms"
    info "${notes%; }"
    stop_stacktop
    bench_compose rm -f -s -v logflood >/dev/null 2>&1 || info "warning: could not remove logflood"
}

# ---- logs of a million lines ----------------------------------------------

bench_million() {
    step "(million) logburst prints $BENCH_LOG_LINES lines"
    local start burst deadline
    start=$(now)
    bench_compose up -d logburst >/dev/null 2>&1 || die "could not start the logburst service"
    burst=$(container_of "$BENCH_PROJECT" logburst)
    [ -n "$burst" ] || die "no logburst container in $BENCH_PROJECT"
    deadline=$((SECONDS + 600))
    until [ "$(docker logs --tail 1 "$burst" 2>&1)" = "logburst: done" ]; do
        [ "$SECONDS" -lt "$deadline" ] || die "logburst did not finish printing within 600 s"
        sleep 1
    done
    info "$burst printed $BENCH_LOG_LINES lines in $(elapsed_since "$start") s"

    step "(million) stacktop shows logburst's logs for $BENCH_LOG_WAIT s"
    start_stacktop
    open_logs logburst
    wait_for_screen "logburst: done" 30
    measure_begin "$STACKTOP_PID"
    sleep "$BENCH_LOG_WAIT"
    measure_end
    ensure_alive "while showing the logs"
    local rss
    rss=$(peak_rss_mib "$STACKTOP_PID")
    ROWS_MILLION+=("logs of $(thousands "$BENCH_LOG_LINES") lines open, ${BENCH_LOG_WAIT} s|$((STACK_CONTAINERS + 1)) / $(docker ps -aq | wc -l)|$CPU_STACKTOP|$rss|$CPU_DOCKERD|$CPU_ENGINE|-|window $(screen_window); RSS <50 $(verdict "$rss" 50)")
    info "stacktop $CPU_STACKTOP %, peak RSS $rss MiB"
    stop_stacktop
    bench_compose rm -f -s -v logburst >/dev/null 2>&1 || info "warning: could not remove logburst"
}

# ---- HTTP health checks ---------------------------------------------------

# probes_run MODE : stacktop's CPU over BENCH_SECONDS with its health checks
# MODE (off or on); sets CPU_STACKTOP and PROBES_RSS.
PROBES_RSS=''
probes_run() {
    local config="$WORK_DIR/health-$1.toml"
    if [ "$1" = on ]; then
        printf '[health]\nguess = true\ninterval = "5s"\n' >"$config"
    else
        printf '[health]\nguess = false\n' >"$config"
    fi
    start_stacktop --config "$config"
    if [ "$1" = on ]; then wait_for_screen "✓ http 200" 30; fi
    sleep 5 # the first round of checks
    measure_begin "$STACKTOP_PID"
    sleep "$BENCH_SECONDS"
    measure_end
    ensure_alive "with health checks $1"
    PROBES_RSS=$(peak_rss_mib "$STACKTOP_PID")
    stop_stacktop
}

bench_probes() {
    step "(probes) $BENCH_PROBES web servers, health checks off then on (every 5 s)"
    local start
    start=$(now)
    bench_compose up -d --scale "web=$BENCH_PROBES" web >/dev/null 2>&1 ||
        die "could not start $BENCH_PROBES web containers in $BENCH_PROJECT"
    wait_for_running web "$BENCH_PROBES" 120
    info "$BENCH_PROBES web containers running after $(elapsed_since "$start") s"
    settle
    probes_run off
    local off="$CPU_STACKTOP"
    info "checks off: stacktop $off %"
    probes_run on
    local on="$CPU_STACKTOP" extra
    extra=$(calc '%+.2f' "$on - $off")
    info "checks on: stacktop $on % ($extra), peak RSS $PROBES_RSS MiB"
    ROWS_PROBES+=("$BENCH_PROBES HTTP checks every 5 s|$((STACK_CONTAINERS + BENCH_PROBES)) / $(docker ps -aq | wc -l)|$off -> $on ($extra)|$PROBES_RSS|$CPU_DOCKERD|$CPU_ENGINE|-|checks add <0.2 $(verdict "$extra" 0.2)")
    bench_compose rm -f -s -v web >/dev/null 2>&1 || info "warning: could not remove the web containers"
}

# ---- idle overhead per N --------------------------------------------------

# Waits for dockerd to finish the work of starting containers (it goes on for
# a while after compose returns): 3 s windows until dockerd's CPU stops
# falling, at most BENCH_SETTLE_MAX s, so the baseline is not inflated by it.
settle() {
    local deadline=$((SECONDS + BENCH_SETTLE_MAX)) previous="" current
    sleep 2
    while [ "$SECONDS" -lt "$deadline" ]; do
        measure_begin
        sleep 3
        measure_end
        current=$CPU_DOCKERD
        if [ -n "$previous" ] && [ "$(calc '%d' "($current > $previous - 1)")" = 1 ]; then
            info "settled: dockerd at $previous then $current % over 3 s"
            return
        fi
        previous=$current
    done
    info "warning: dockerd still busy after $BENCH_SETTLE_MAX s ($current % over 3 s); measuring anyway"
}

bench_idle() {
    local n="$1" idle start
    idle=$((n - STACK_CONTAINERS))
    if [ "$idle" -lt 0 ]; then
        info "N=$n is below the test stack's $STACK_CONTAINERS containers: no idle ones added"
        idle=0
    fi
    step "(idle) N=$n: $STACK_CONTAINERS in $PROJECT + $idle idle in $BENCH_PROJECT"
    start=$(now)
    bench_compose up -d --scale "idle=$idle" idle >/dev/null 2>&1 ||
        die "could not scale $BENCH_PROJECT to $idle idle containers within $BENCH_COMPOSE_TIMEOUT s"
    wait_for_running idle "$idle" 120
    info "$idle idle containers running after $(elapsed_since "$start") s"
    settle
    local ours engine
    ours=$((STACK_CONTAINERS + $(count_containers "$BENCH_PROJECT")))
    engine=$(docker ps -aq | wc -l)

    info "without stacktop for $BENCH_SECONDS s"
    measure_begin
    sleep "$BENCH_SECONDS"
    measure_end
    local base_d="$CPU_DOCKERD" base_e="$CPU_ENGINE"
    info "dockerd $base_d %, containerd+shims $base_e %"
    if [ "$baseline_only" -eq 1 ]; then
        ROWS_IDLE+=("idle, N=$n, no stacktop|$ours / $engine|-|-|$base_d|$base_e|-|baseline only")
        return
    fi

    info "with stacktop for $BENCH_SECONDS s"
    start_stacktop
    sleep 5 # the first full refresh of every container
    measure_begin "$STACKTOP_PID"
    sleep "$BENCH_SECONDS"
    measure_end
    ensure_alive "during the idle measurement"
    local rss extra_d extra_e
    rss=$(peak_rss_mib "$STACKTOP_PID")
    extra_d=$(calc '%+.2f' "$CPU_DOCKERD - $base_d")
    extra_e=$(calc '%+.2f' "$CPU_ENGINE - $base_e")
    stop_stacktop
    local targets="-"
    if [ "$n" -eq 50 ]; then
        targets="CPU <0.5 $(verdict "$CPU_STACKTOP" 0.5); dockerd extra <1 $(verdict "$extra_d" 1); RSS <25 $(verdict "$rss" 25)"
    fi
    ROWS_IDLE+=("idle, N=$n|$ours / $engine|$CPU_STACKTOP|$rss|$base_d -> $CPU_DOCKERD ($extra_d)|$base_e -> $CPU_ENGINE ($extra_e)|-|$targets")
    info "stacktop $CPU_STACKTOP %, peak RSS $rss MiB; dockerd $base_d -> $CPU_DOCKERD ($extra_d); containerd+shims $base_e -> $CPU_ENGINE ($extra_e)"
}

# Rows of the table, cells separated by "|".
ROWS_IDLE=() ROWS_FLOOD=() ROWS_MILLION=() ROWS_PROBES=()
if wants flood; then bench_flood; fi
if wants million; then bench_million; fi
if wants probes; then bench_probes; fi
if wants idle; then
    for n in $BENCH_NS; do bench_idle "$n"; done
fi
ROWS=("${ROWS_IDLE[@]}" "${ROWS_FLOOD[@]}" "${ROWS_MILLION[@]}" "${ROWS_PROBES[@]}")

# ---- the table ------------------------------------------------------------

HEADER="Scenario|Containers (ours / engine)|stacktop CPU %|stacktop peak RSS MiB|dockerd CPU %|containerd+shims CPU %|Key-to-frame ms (last / max)|Targets and checks"

# Prints rows of "|"-separated cells as an aligned markdown table.
table() {
    awk -F'|' '
        { n = NR; for (i = 1; i <= NF; i++) { cell[NR, i] = $i; w = length($i); if (w > width[i]) width[i] = w }
          if (NF > cols) cols = NF }
        END {
            for (r = 1; r <= n; r++) {
                line = "|"
                for (i = 1; i <= cols; i++) line = line sprintf(" %-*s |", width[i], cell[r, i])
                print line
                if (r == 1) {
                    line = "|"
                    for (i = 1; i <= cols; i++) { d = ""; for (k = 0; k < width[i]; k++) d = d "-"; line = line " " d " |" }
                    print line
                }
            }
        }'
}

summary="CPU as % of one core ($(nproc) cores, $CLK_TCK ticks/s); $BENCH_SECONDS s per idle measurement; \
stacktop $("$STACKTOP_BIN" --version 2>/dev/null | awk '{ print $2 }') at $(git rev-parse --short HEAD 2>/dev/null || echo '?'), \
120x40, --log-lines $BENCH_LOG_WINDOW${BENCH_FLOOD_FILTER:+, flood filter '$BENCH_FLOOD_FILTER'}; Docker $(docker version --format '{{.Server.Version}}' 2>/dev/null), \
$("${COMPOSE_CMD[@]}" version --short 2>/dev/null || echo compose); $(date -u '+%Y-%m-%d %H:%M UTC')"
tbl=$(printf '%s\n' "$HEADER" "${ROWS[@]}" | table)

step "Results"
printf '%s\n\n%s\n' "$summary" "$tbl"
mkdir -p "$TARGET_DIR"
{
    echo "# stacktop overhead benchmark"
    echo
    echo "$summary."
    echo
    echo "$tbl"
    echo
    echo "Idle rows give the engine's CPU without -> with stacktop (the extra); the log rows give it with stacktop only."
    echo "Engine figures are noisy when other work runs on the engine (another project, tests)."
    echo "Targets at N=50: stacktop CPU < 0.5 %, dockerd extra < 1 %, peak RSS < 25 MB;"
    echo "log flood and 1,000,000 lines: peak RSS < 50 MB; keypress-to-frame < 50 ms;"
    echo "HTTP checks: they add < 0.2 % of a core (stacktop CPU off -> on). RSS in MiB."
} >"$REPORT"
info "written to ${REPORT#"$REPO_ROOT"/}"
