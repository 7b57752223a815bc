#!/usr/bin/env bash
# npm start: the whole stack on this machine, with the local SES emulator (no AWS account needed).
# Installs what is missing, makes sure Redis and PostgreSQL run, migrates, starts every app, creates a demo
# account and prints its API key and a curl line. Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/services.sh

# Settings: the environment wins, then .env, then local defaults.
if [ -f .env ]; then
  while IFS='=' read -r key value; do
    # Blank values mean "use the default": they are not exported.
    [[ -z "$key" || "$key" == \#* || -z "$value" || "$value" == \<INSERT_* ]] && continue
    [ -z "${!key:-}" ] && export "$key=$value"
  done < .env
fi
mkdir -p .postline
secret() { [ -f ".postline/$1" ] || node -e "console.log(require('crypto').randomBytes(24).toString('base64url'))" > ".postline/$1"; cat ".postline/$1"; }
export DATABASE_URL="${DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/postline}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"
export SES_ENDPOINT="${SES_ENDPOINT-http://127.0.0.1:8005}"
export SES_REGION="${SES_REGION:-us-east-1}"
export PUBLIC_BASE_URL="${PUBLIC_BASE_URL:-http://localhost:3000}"
export ADMIN_API_KEY="${ADMIN_API_KEY:-$(secret admin-api-key)}"
export UNSUBSCRIBE_SECRET="${UNSUBSCRIBE_SECRET:-$(secret unsubscribe-secret)}"
export LOG_LEVEL="${LOG_LEVEL:-info}"

ensure_node_modules
ensure_redis
ensure_postgres

node scripts/create-database.mjs
echo "Applying migrations"
npx prisma migrate deploy >/dev/null

pids=()
stop_all() {
  trap - INT TERM EXIT
  echo; echo "Stopping…"
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop_all INT TERM EXIT

run() { # run <name> <command…>: prefixes each output line with the name
  local name="$1"; shift
  ( "$@" 2>&1 | sed -u "s/^/[$name] /" ) &
  pids+=($!)
}

if [ -n "$SES_ENDPOINT" ]; then
  # Local SES events: the simulator signs SNS envelopes with a local key; the events app trusts its certificate
  # (SNS_CERT_FILE) instead of downloading AWS's. Both files are made on first use.
  export SNS_CERT_FILE="${SNS_CERT_FILE:-$PWD/.postline/sns/signing-cert.pem}"
  export SNS_SIGNING_KEY_FILE="${SNS_SIGNING_KEY_FILE:-$PWD/.postline/sns/signing-key.pem}"
  export EVENTS_URL="${EVENTS_URL:-http://127.0.0.1:${PORT_EVENTS:-3001}/ses/notifications}"
  # The events app accepts only listed SNS topics: the simulator's is always one of them.
  export SES_SIMULATOR_TOPIC_ARN="${SES_SIMULATOR_TOPIC_ARN:-arn:aws:sns:$SES_REGION:000000000000:postline-ses-events-local}"
  export SNS_TOPIC_ARNS="${SNS_TOPIC_ARNS:+$SNS_TOPIC_ARNS,}$SES_SIMULATOR_TOPIC_ARN"
  ses_port="$(node -e "console.log(new URL(process.argv[1]).port || 80)" "$SES_ENDPOINT")"
  run ses npx aws-ses-v2-local --host 127.0.0.1 --port "$ses_port"
fi

# Every app that exists, each its own process (as in production: scale by running more of them).
for main in apps/*/src/main.ts; do
  app="$(basename "$(dirname "$(dirname "$main")")")"
  # Each app has its own default PORT (DESIGN §2); PORT_<APP> (e.g. PORT_GATEWAY=8080) overrides one.
  port_var="PORT_$(echo "$app" | tr '[:lower:]-' '[:upper:]_')"
  # A larger young generation: the batching workers allocate many short-lived objects (GC was ~25 % of CPU).
  run "$app" env -u PORT ${!port_var:+PORT=${!port_var}} NODE_OPTIONS="--max-semi-space-size=64 ${NODE_OPTIONS:-}" \
    node -r @swc-node/register -r tsconfig-paths/register "$main"
done
if [ -n "$SES_ENDPOINT" ] && [ -f tools/ses-simulator/src/main.ts ]; then
  run ses-simulator node -r @swc-node/register -r tsconfig-paths/register tools/ses-simulator/src/main.ts
fi

gateway="http://127.0.0.1:${PORT_GATEWAY:-3000}"
for _ in $(seq 1 120); do curl -sf "$gateway/health" >/dev/null 2>&1 && break; sleep 0.5; done
node scripts/demo-account.mjs "$gateway" "$ADMIN_API_KEY" || echo "Could not create the demo account; see the logs above."
echo "Admin API key: $ADMIN_API_KEY    (Ctrl-C stops everything)"
wait
