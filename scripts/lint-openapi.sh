#!/usr/bin/env bash
# Lints the service's OpenAPI document with Redocly's recommended rules.
#
#   1. write the document:  ./mvnw -o -q test -Dtest=OpenApiTest   (leaves target/openapi.json)
#   2. run this script:     scripts/lint-openapi.sh
#
# The document comes from the test, not from a running service, so it is the one the code makes
# on a fresh data directory with the default settings (public reads, JWT off). The script refuses
# a target/openapi.json older than any file under src/main, which would lint code that has since
# changed. Exit status: Redocly's, 0 when there are no errors (warnings are printed, not fatal).
#
# Settings (environment): REDOCLY_CLI (@redocly/cli@latest, the npm package npx runs),
# OPENAPI_JSON (target/openapi.json).
set -euo pipefail

cd "$(dirname "$0")/.."
REDOCLY_CLI=${REDOCLY_CLI:-@redocly/cli@latest}
OPENAPI_JSON=${OPENAPI_JSON:-target/openapi.json}

die() { echo "lint-openapi: $*" >&2; exit 1; }

command -v npx >/dev/null || die "npx is needed (Node.js 20 or newer: apt-get install nodejs npm)"
[ -s "$OPENAPI_JSON" ] || die "no $OPENAPI_JSON: run ./mvnw -o -q test -Dtest=OpenApiTest first"
newer=$(find src/main -type f -newer "$OPENAPI_JSON" -print -quit)
[ -z "$newer" ] || die "$OPENAPI_JSON is older than $newer: run ./mvnw -o -q test -Dtest=OpenApiTest again"

exec npx --yes "$REDOCLY_CLI" lint "$OPENAPI_JSON"
