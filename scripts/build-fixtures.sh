#!/usr/bin/env bash
# Builds the fixture images of the test stack from this machine's binaries
# (no registry is reachable, so every image is FROM scratch).
#
# Rebuilds only when the image is missing or its recipe changed: the recipe
# hash (Dockerfile, files beside it, this script, the busybox binary) is stored
# in the image label org.stacktop.recipe-hash and compared on each run.
#
# Usage: scripts/build-fixtures.sh [--force]
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

self="$REPO_ROOT/scripts/$(basename "${BASH_SOURCE[0]}")"
force=0
[ "${1:-}" = "--force" ] && force=1

# A static busybox: the busybox-static package puts it at /bin/busybox.
find_static_busybox() {
    local candidate
    for candidate in /bin/busybox /usr/bin/busybox; do
        [ -x "$candidate" ] || continue
        # ldd says "not a dynamic executable" (and fails) for static binaries.
        if ! ldd "$candidate" >/dev/null 2>&1; then
            echo "$candidate"
            return
        fi
    done
    die "no static busybox found (install the busybox-static package)"
}

build_busybox() {
    local recipe_dir="$STACK_DIR/images/busybox"
    local busybox
    busybox=$(find_static_busybox)

    local hash
    hash=$(
        cd "$recipe_dir"
        {
            sha256sum Dockerfile passwd group
            sha256sum <"$self"
            sha256sum <"$busybox"
        } | sha256sum | cut -c1-16
    )

    local current
    current=$(docker image inspect -f '{{index .Config.Labels "org.stacktop.recipe-hash"}}' \
        "$FIXTURE_IMAGE" 2>/dev/null || true)
    if [ "$force" -eq 0 ] && [ "$current" = "$hash" ]; then
        info "$FIXTURE_IMAGE is up to date (recipe $hash)"
        return
    fi
    info "building $FIXTURE_IMAGE (recipe $hash, was '${current:-missing}') from $busybox"

    local context
    context=$(mktemp -d)
    cp "$recipe_dir/Dockerfile" "$recipe_dir/passwd" "$recipe_dir/group" "$context/"
    cp "$busybox" "$context/busybox"

    local start output status=0
    start=$(now)
    output=$(docker build --build-arg "RECIPE_HASH=$hash" -t "$FIXTURE_IMAGE" "$context" 2>&1) ||
        status=$?
    rm -rf "$context"
    if [ "$status" -ne 0 ]; then
        printf '%s\n' "$output" >&2
        die "docker build of $FIXTURE_IMAGE failed (exit $status)"
    fi
    info "built $FIXTURE_IMAGE in $(elapsed_since "$start") s"
}

# ---- Redis fixture (stacktop-test/redis:7) ---------------------------------
# This machine's redis-server (Debian package redis-server) plus every library
# ldd lists and the dynamic loader, at their own paths, on an empty base.
REDIS_IMAGE="stacktop-test/redis:7"

# Prints the redis-server binary and each library it loads, one path a line.
redis_files() {
    local server
    server=$(command -v redis-server) || die "redis-server not found (install the redis-server package)"
    readlink -f "$server"
    ldd "$server" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }'
}

build_redis() {
    local recipe_dir="$STACK_DIR/images/redis"
    local files
    mapfile -t files < <(redis_files)

    local hash
    hash=$(
        {
            (cd "$recipe_dir" && sha256sum Dockerfile passwd group)
            # This block's own code, not the whole script: other images'
            # edits leave this image alone.
            declare -f redis_files build_redis | sha256sum
            sha256sum "${files[@]}"
        } | sha256sum | cut -c1-16
    )
    local current
    current=$(docker image inspect -f '{{index .Config.Labels "org.stacktop.recipe-hash"}}' \
        "$REDIS_IMAGE" 2>/dev/null || true)
    if [ "$force" -eq 0 ] && [ "$current" = "$hash" ]; then
        info "$REDIS_IMAGE is up to date (recipe $hash)"
        return
    fi
    info "building $REDIS_IMAGE (recipe $hash, was '${current:-missing}') from ${files[0]}"

    local context file
    context=$(mktemp -d)
    cp "$recipe_dir/Dockerfile" "$recipe_dir/passwd" "$recipe_dir/group" "$context/"
    mkdir -p "$context/rootfs/usr/bin" "$context/rootfs/tmp"
    chmod 1777 "$context/rootfs/tmp"
    # Named redis-server: the binary picks its mode from argv[0].
    cp "${files[0]}" "$context/rootfs/usr/bin/redis-server"
    for file in "${files[@]:1}"; do
        mkdir -p "$context/rootfs$(dirname "$file")"
        cp -L "$file" "$context/rootfs$file"
    done

    local start output status=0
    start=$(now)
    output=$(docker build --build-arg "RECIPE_HASH=$hash" -t "$REDIS_IMAGE" "$context" 2>&1) ||
        status=$?
    rm -rf "$context"
    if [ "$status" -ne 0 ]; then
        printf '%s\n' "$output" >&2
        die "docker build of $REDIS_IMAGE failed (exit $status)"
    fi
    info "built $REDIS_IMAGE in $(elapsed_since "$start") s"
}
# ---- end of the Redis fixture ----------------------------------------------

step "Building fixture images"
build_busybox
build_redis
