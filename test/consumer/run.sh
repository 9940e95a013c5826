#!/usr/bin/env bash
# The consumer test: pack the library as it would be published, install the
# tarball into a fresh NestJS app in a temp folder outside the repository
# (dependencies from the registry, so nothing is hoisted from this repo and no
# path alias helps), then boot it on embedded PGlite and on a fresh database
# of the PostgreSQL server: append, read, upcast, subscribe. Fails if the
# tarball misses a file, requires an undeclared package, or a peer range does
# not accept the current NestJS / TypeORM.
#   TEST_DATABASE_URL   admin URL of the server (default postgres://root@127.0.0.1:5432/postgres)
#   KEEP_CONSUMER=1     keep the temp folder for a look afterwards
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
ADMIN_URL="${TEST_DATABASE_URL:-postgres://root@127.0.0.1:5432/postgres}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/es-consumer.XXXXXX")"
cleanup() { if [ "${KEEP_CONSUMER:-}" = 1 ]; then echo "kept $WORK"; else rm -rf "$WORK"; fi; }
trap cleanup EXIT
case "$WORK" in "$ROOT"/*) echo "the consumer folder must be outside the repository"; exit 1;; esac
started=$(date +%s)
npm_quiet=(--no-audit --no-fund --loglevel=error)

echo "== pack @nest-event-store/core (prepack builds it)"
(cd "$ROOT/libs/event-store" && npm pack --pack-destination "$WORK" --loglevel=error >/dev/null)
TARBALL="$(ls "$WORK"/*.tgz)"
mkdir "$WORK/unpacked" && tar -xzf "$TARBALL" -C "$WORK/unpacked"
echo "$(basename "$TARBALL"): $(du -k "$TARBALL" | cut -f1) KiB, $(tar -tzf "$TARBALL" | wc -l) files"
node "$HERE/check-package.js" "$WORK/unpacked/package"

echo "== a fresh app in $WORK/app, dependencies from the registry, without PGlite"
cp -R "$HERE/app" "$WORK/app"
cd "$WORK/app"
# --strict-peer-deps: a peer range of the library that rejects the installed
# NestJS / TypeORM fails here instead of installing with a warning.
npm install "${npm_quiet[@]}" --strict-peer-deps "$TARBALL"
npm ls --depth=0 @nestjs/common @nestjs/core typeorm @nest-event-store/core
npm run -s build
node dist/main.js no-pglite "$WORK/data-no-pglite"
test ! -e "$WORK/data-no-pglite/pgdata" || { echo "embedded mode without PGlite created files"; exit 1; }

echo "== PostgreSQL server (a fresh database on ${ADMIN_URL%%\?*})"
node dist/main.js server "$ADMIN_URL"

echo "== install the optional peer PGlite, then embedded mode"
npm install "${npm_quiet[@]}" --strict-peer-deps @electric-sql/pglite@^0.5.14 @electric-sql/pglite-socket@^0.2.17
node dist/main.js embedded "$WORK/data"

echo "consumer test passed in $(( $(date +%s) - started )) s"
