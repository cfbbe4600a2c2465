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

# up_to_date IMAGE HASH: whether IMAGE exists with recipe HASH (and no --force).
up_to_date() {
    local image="$1" hash="$2" current
    current=$(docker image inspect -f '{{index .Config.Labels "org.stacktop.recipe-hash"}}' \
        "$image" 2>/dev/null || true)
    if [ "$force" -eq 0 ] && [ "$current" = "$hash" ]; then
        info "$image is up to date (recipe $hash)"
        return 0
    fi
    info "$image needs a build (recipe $hash, was '${current:-missing}')"
    return 1
}

# build_image IMAGE HASH CONTEXT: builds IMAGE from CONTEXT, then removes CONTEXT.
build_image() {
    local image="$1" hash="$2" context="$3" start output status=0
    start=$(now)
    output=$(docker build --build-arg "RECIPE_HASH=$hash" -t "$image" "$context" 2>&1) ||
        status=$?
    rm -rf "$context"
    if [ "$status" -ne 0 ]; then
        printf '%s\n' "$output" >&2
        die "docker build of $image failed (exit $status)"
    fi
    info "built $image in $(elapsed_since "$start") s"
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

    up_to_date "$FIXTURE_IMAGE" "$hash" && return
    info "building $FIXTURE_IMAGE from $busybox"

    local context
    context=$(mktemp -d)
    cp "$recipe_dir/Dockerfile" "$recipe_dir/passwd" "$recipe_dir/group" "$context/"
    cp "$busybox" "$context/busybox"

    build_image "$FIXTURE_IMAGE" "$hash" "$context"
}

# ---- PostgreSQL fixture: stacktop-test/postgres:15 -------------------------
# The machine's PostgreSQL 15 (Debian's postgresql package) in an empty image,
# with a data directory initialised here on the host: superuser app, databases
# app_db (with pg_stat_statements) and plain_db, and a plain login role reader.

PG_FIXTURE_IMAGE="stacktop-test/postgres:15"
PG_BIN=/usr/lib/postgresql/15/bin
PG_LIB=/usr/lib/postgresql/15/lib
PG_SHARE=/usr/share/postgresql/15
PG_RECIPE_FILES=(Dockerfile passwd group pg_hba.conf postgresql.conf setup.sql)

# pg_copy_rootfs ROOT BUSYBOX: busybox, the server, its modules (but the LLVM JIT) and every
# library they link, at their own paths under ROOT.
pg_copy_rootfs() {
    local root="$1" busybox="$2" file
    mkdir -p "$root/bin"
    cp "$busybox" "$root/bin/busybox"
    local programs=("$PG_BIN/postgres" "$PG_BIN/initdb" "$PG_BIN/pg_ctl")
    local modules
    mapfile -t modules < <(find "$PG_LIB" -maxdepth 1 -name '*.so' ! -name 'llvmjit*')
    cp --parents "${programs[@]}" "${modules[@]}" "$root/"
    cp -r --parents "$PG_SHARE" "$root/"
    cp -L --parents /usr/share/zoneinfo/Etc/UTC /usr/share/zoneinfo/UTC "$root/"
    # ldd names each library and the loader by the path the binary asks for.
    for file in $(ldd "${programs[@]}" "${modules[@]}" 2>/dev/null |
        awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\/.*ld-linux/ { print $1 }' | sort -u); do
        cp -L --parents "$file" "$root/"
    done
}

# pg_init_data DIR: initdb into DIR/data, then runs setup.sql on a server
# started briefly as the postgres user, on a unix socket in DIR only.
pg_init_data() {
    local dir="$1" recipe_dir="$2" status=0
    cp "$recipe_dir/setup.sql" "$dir/"
    printf 'app-secret\n' >"$dir/pwfile"
    as_root chown -R postgres: "$dir"
    as_root runuser -u postgres -- "$PG_BIN/initdb" -D "$dir/data" -U app --pwfile="$dir/pwfile" \
        --auth=scram-sha-256 --encoding=UTF8 --locale=C --no-instructions >/dev/null ||
        die "initdb failed"
    cp "$recipe_dir/pg_hba.conf" "$dir/data/pg_hba.conf"
    cat "$recipe_dir/postgresql.conf" >>"$dir/data/postgresql.conf"
    as_root chown -R postgres: "$dir"
    as_root runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -s \
        -o "-c listen_addresses='' -c unix_socket_directories='$dir'" start ||
        die "the build-time server did not start: $(tail -n 5 "$dir/server.log")"
    as_root runuser -u postgres -- env PGPASSWORD=app-secret "$PG_BIN/psql" -q -X -h "$dir" \
        -U app -d postgres -f "$dir/setup.sql" || status=$?
    as_root runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$dir/data" -w -s -m fast stop ||
        die "the build-time server did not stop"
    [ "$status" -eq 0 ] || die "setup.sql failed (exit $status)"
    rm -f "$dir/pwfile" "$dir/setup.sql" "$dir/server.log"
}

build_postgres() {
    local recipe_dir="$STACK_DIR/images/postgres"
    [ -x "$PG_BIN/postgres" ] ||
        die "PostgreSQL 15 is not installed ($PG_BIN/postgres is missing): install the postgresql package"
    local busybox
    busybox=$(find_static_busybox)

    local hash
    hash=$(
        cd "$recipe_dir"
        {
            sha256sum "${PG_RECIPE_FILES[@]}"
            sha256sum <"$self"
            sha256sum <"$busybox"
            sha256sum <"$PG_BIN/postgres"
        } | sha256sum | cut -c1-16
    )
    up_to_date "$PG_FIXTURE_IMAGE" "$hash" && return
    info "building $PG_FIXTURE_IMAGE from $PG_BIN ($("$PG_BIN/postgres" --version))"

    local context
    context=$(mktemp -d)
    (cd "$recipe_dir" && cp "${PG_RECIPE_FILES[@]}" "$context/")
    pg_copy_rootfs "$context/rootfs" "$busybox"
    # The postgres user must reach the data directory through the context.
    chmod 755 "$context"
    mkdir -p "$context/pgroot"
    pg_init_data "$context/pgroot" "$recipe_dir"
    # The docker CLI reads the context as us; COPY --chown sets the owner.
    as_root chown -R "$(id -u):$(id -g)" "$context/pgroot"
    build_image "$PG_FIXTURE_IMAGE" "$hash" "$context"
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

# ---- RabbitMQ fixture (stacktop-test/rabbitmq:3) -----------------------------
# Debian's rabbitmq-server with its management plugin, in a minimal Debian
# root filesystem built by mmdebstrap from the machine's own apt sources and
# turned into an image by `docker import`. (The merged-usr hook keeps perl
# and usrmerge out: about 50 MB less.)
RABBITMQ_IMAGE="stacktop-test/rabbitmq:3"

build_rabbitmq() {
    local recipe_dir="$STACK_DIR/images/rabbitmq" hash
    hash=$(
        {
            sha256sum <"$recipe_dir/rabbitmq.conf"
            declare -f build_rabbitmq | sha256sum
        } | sha256sum | cut -c1-16
    )
    up_to_date "$RABBITMQ_IMAGE" "$hash" && return
    command -v mmdebstrap >/dev/null 2>&1 || die "mmdebstrap is missing (scripts/test.sh installs it)"
    local start status=0
    start=$(now)
    mmdebstrap --quiet --variant=minbase --include=rabbitmq-server \
        --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr \
        --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/doc/*' \
        --dpkgopt='path-exclude=/usr/share/locale/*' \
        --customize-hook='chroot "$1" rabbitmq-plugins enable --offline rabbitmq_management' \
        --customize-hook="upload $recipe_dir/rabbitmq.conf /etc/rabbitmq/rabbitmq.conf" \
        bookworm - /etc/apt/sources.list.d/debian.sources </dev/null |
        docker import --change 'USER rabbitmq' --change 'WORKDIR /var/lib/rabbitmq' \
            --change 'ENV HOME=/var/lib/rabbitmq' --change 'ENV RABBITMQ_LOGS=-' \
            --change 'EXPOSE 5672 15672' \
            --change "LABEL org.stacktop.recipe-hash=$hash" \
            --change 'CMD ["/usr/lib/rabbitmq/bin/rabbitmq-server"]' - "$RABBITMQ_IMAGE" \
            >/dev/null || status=$?
    [ "$status" -eq 0 ] || die "building $RABBITMQ_IMAGE failed (exit $status)"
    info "built $RABBITMQ_IMAGE in $(elapsed_since "$start") s"
}

# ---- Prometheus fixture (stacktop-test/prometheus:2) -------------------------
# The machine's Debian prometheus package, unpacked (not installed) here,
# its binary and libraries on an empty base.
PROMETHEUS_IMAGE="stacktop-test/prometheus:2"

build_prometheus() {
    local recipe_dir="$STACK_DIR/images/prometheus" hash
    hash=$(
        {
            (cd "$recipe_dir" && sha256sum Dockerfile prometheus.yml passwd group)
            declare -f build_prometheus | sha256sum
        } | sha256sum | cut -c1-16
    )
    up_to_date "$PROMETHEUS_IMAGE" "$hash" && return
    local work context file
    work=$(mktemp -d)
    (cd "$work" && apt-get download prometheus >/dev/null 2>&1) ||
        die "apt-get download prometheus failed"
    dpkg-deb -x "$work"/prometheus_*.deb "$work/unpacked"
    context=$(mktemp -d)
    cp "$recipe_dir"/{Dockerfile,prometheus.yml,passwd,group} "$context/"
    mkdir -p "$context/rootfs/usr/bin" "$context/rootfs/prometheus"
    chmod 777 "$context/rootfs/prometheus"
    cp "$work/unpacked/usr/bin/prometheus" "$context/rootfs/usr/bin/"
    for file in $(ldd "$work/unpacked/usr/bin/prometheus" 2>/dev/null |
        awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }'); do
        cp -L --parents "$file" "$context/rootfs/"
    done
    rm -rf "$work"
    build_image "$PROMETHEUS_IMAGE" "$hash" "$context"
}

step "Building fixture images"
build_busybox
build_redis
build_postgres
build_rabbitmq
build_prometheus
