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

step "Building fixture images"
build_busybox
