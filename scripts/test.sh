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
  # The small scale test runs eleven apps of its own: alone, after the rest, so that its load does not skew the
  # timings of the other tests (rate limits, timeouts) nor theirs its own.
  npx jest --maxWorkers=2 --testPathIgnorePatterns '/node_modules/' 'tools/scale-test/src/scale\.int-spec\.ts'
  echo "== scale test (small: SCALE_EMAILS, default 2,000)"
  npx jest tools/scale-test/src/scale.int-spec.ts
fi
