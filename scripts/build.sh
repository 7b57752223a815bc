#!/usr/bin/env bash
# npm run build: every app and tool compiled to plain JavaScript, runnable with no TypeScript tooling:
#   node dist/apps/<app>/main.js      node dist/tools/ses-simulator/main.js
# and the web console's static files (dist/apps/console), which the gateway serves at /console/.
# Usage: scripts/build.sh [out dir inside the repository, default dist]
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-dist}"
rm -rf "$out"
# The Prisma client is made by postinstall (npm run db:generate after a schema change); a bare checkout needs it.
if [ ! -f libs/database/src/generated/index.js ]; then
  generated="$(npx prisma generate 2>&1)" || { echo "$generated" >&2; exit 1; }
fi
# swc, as in development and tests: decorator metadata for Nest and class-validator, @postline/* aliases
# rewritten to relative paths (build.swcrc). The output mirrors the source tree.
npx swc apps libs tools -d "$out" --config-file build.swcrc --no-swcrc --extensions .ts --quiet \
  --ignore '**/*.spec.ts,**/*.int-spec.ts,**/test/**,**/testing/**,libs/database/src/generated/**,apps/console/**'
# The Prisma client generated from the schema is JavaScript already (with its query compiler's wasm).
cp -r libs/database/src/generated "$out/libs/database/src/generated"
# One entry point per app and tool at the path the image, the manifests and the scale test run.
for main in apps/*/src/main.ts tools/*/src/main.ts; do
  echo "require('./src/main');" > "$out/$(dirname "$(dirname "$main")")/main.js"
done
# The console: a browser bundle (React, ECharts), built by Vite.
npx vite build --config apps/console/vite.config.mts --outDir "$PWD/$out/apps/console" --emptyOutDir --logLevel warn
echo "Built into $out/"
