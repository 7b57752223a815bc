#!/usr/bin/env bash
# npm test: type check, lint, then every unit and integration test against the local Redis and PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/services.sh
ensure_node_modules
ensure_redis
ensure_postgres
ensure_chromium

echo "== type check"
npx tsc -p tsconfig.json --noEmit
# The web console is browser code (DOM types, JSX): its own tsconfig, left out of the root one.
npx tsc -p apps/console/tsconfig.json --noEmit
echo "== lint"
# The module-boundary rule reads the Nx project graph; compute it first (no daemon in CI).
NX_DAEMON=false npx nx show projects >/dev/null
NX_DAEMON=false npx eslint . --max-warnings 0
echo "== tests"
# Two workers: the machines have two cores, and integration tests share one Postgres and one Redis.
if [ $# -gt 0 ]; then
  npx jest --maxWorkers=2 "$@"
else
  # Tests that measure a rate over every sliding second (within 5 %) run alone, after the rest: a second test
  # file on the other core delays HTTP calls by tens of milliseconds, which those bounds cannot tell from a
  # burst. The small scale test runs eleven apps of its own: alone too, last, so that its load does not skew
  # the timings of the other tests nor theirs its own.
  ALONE=('apps/sender/test/rate-limit.int-spec.ts' 'apps/sender/test/rate-after-stall.int-spec.ts')
  SCALE='tools/scale-test/src/scale.int-spec.ts'
  npx jest --maxWorkers=2 --testPathIgnorePatterns '/node_modules/' "${SCALE//./\\.}" "${ALONE[@]//./\\.}"
  echo "== rate tests, alone"
  npx jest --maxWorkers=1 "${ALONE[@]}"
  echo "== scale test (small: SCALE_EMAILS, default 2,000)"
  npx jest "$SCALE"
fi
