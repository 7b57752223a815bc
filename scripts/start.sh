#!/usr/bin/env bash
# npm start: the whole stack on this machine, with the local SES emulator (no AWS account needed).
# Installs what is missing, makes sure Redis and PostgreSQL run, migrates, starts every app, creates a demo
# account and prints its API key and a curl line. Ctrl-C, or SIGTERM/SIGHUP to npm or to this script, stops
# every process it started (within 10 s); if a port it needs is taken it says which and starts nothing.
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
export PUBLIC_BASE_URL="${PUBLIC_BASE_URL:-http://localhost:${PORT_GATEWAY:-3000}}"
export ADMIN_API_KEY="${ADMIN_API_KEY:-$(secret admin-api-key)}"
export UNSUBSCRIBE_SECRET="${UNSUBSCRIBE_SECRET:-$(secret unsubscribe-secret)}"
export LOG_LEVEL="${LOG_LEVEL:-info}"

# Each app's port (DESIGN §2); PORT_<APP> (e.g. PORT_GATEWAY=8080) overrides one.
app_port() {
  local var="PORT_$(echo "$1" | tr '[:lower:]-' '[:upper:]_')"
  case "$1" in gateway) echo "${!var:-3000}" ;; events) echo "${!var:-3001}" ;; sender) echo "${!var:-3002}" ;;
    reputation) echo "${!var:-3003}" ;; webhooks) echo "${!var:-3004}" ;; *) echo "${!var:?set $var}" ;; esac
}
apps=()
for main in apps/*/src/main.ts; do apps+=("$(basename "$(dirname "$(dirname "$main")")")"); done
export PORT_EVENTS="$(app_port events)"
ses_port=""
[ -n "$SES_ENDPOINT" ] && ses_port="$(node -e "console.log(new URL(process.argv[1]).port || 80)" "$SES_ENDPOINT")"

# Every port is checked before anything starts.
wanted=()
for app in "${apps[@]}"; do wanted+=("$(app_port "$app") $app, PORT_$(echo "$app" | tr '[:lower:]-' '[:upper:]_')"); done
[ -n "$ses_port" ] && wanted+=("$ses_port SES emulator, SES_ENDPOINT")
node scripts/check-ports.mjs "${wanted[@]}" || exit 1

# Said once here rather than by the AWS SDK in every app.
if [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 22 ]; then
  echo "Node $(node --version) is past its end of life: Postline supports Node 22 and 24."
  export AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true
fi

ensure_node_modules
ensure_redis
ensure_postgres

node scripts/create-database.mjs
# The web console, which the gateway serves at /console/ from dist/apps/console: built each time (seconds), so
# that it matches the sources.
echo "Building the web console"
npx vite build --config apps/console/vite.config.mts --logLevel warn || echo "Could not build the console: the API runs without it."
echo "Applying migrations"
migrated="$(npx prisma migrate deploy 2>&1)" || { echo "$migrated" >&2; exit 1; }

# Each child runs in its own process group (job control), so stopping it reaches node under sed and npx too.
set -m
pids=()
stopping=""
stop_all() {
  [ -n "$stopping" ] && return; stopping=1
  trap '' INT TERM HUP
  echo; echo "Stopping…"
  disown -a # no job notices: stopping them is expected
  for pid in "${pids[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || true; done
  # Workers drain their jobs on SIGTERM; whatever still runs after 8 s is killed.
  for _ in $(seq 1 80); do
    running=""; for pid in "${pids[@]}"; do kill -0 -- "-$pid" 2>/dev/null && running=1; done
    [ -z "$running" ] && break; sleep 0.1
  done
  for pid in "${pids[@]}"; do kill -KILL -- "-$pid" 2>/dev/null || true; done
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP
# Under npm, bash runs below `sh -c`: npm forwards SIGTERM only to that sh, and dies of SIGHUP without
# forwarding it. So when either of them is gone, stop too.
if [ -n "${npm_lifecycle_event:-}" ]; then
  npm_pid="$(ps -o ppid= -p "$PPID" | tr -d ' ')"
  ( while kill -0 "$PPID" 2>/dev/null && kill -0 "$npm_pid" 2>/dev/null; do sleep 1; done; kill -TERM $$ ) &
  pids+=($!)
fi

run() { # run <name> <command…>: prefixes each output line with the name
  local name="$1"; shift
  ( "$@" < /dev/null 2>&1 | sed -u "s/^/[$name] /" ) &
  pids+=($!)
}

if [ -n "$SES_ENDPOINT" ]; then
  # Local SES events: the simulator signs SNS envelopes with a local key; the events app trusts its certificate
  # (SNS_CERT_FILE) instead of downloading AWS's. Both files are made on first use.
  export SNS_CERT_FILE="${SNS_CERT_FILE:-$PWD/.postline/sns/signing-cert.pem}"
  export SNS_SIGNING_KEY_FILE="${SNS_SIGNING_KEY_FILE:-$PWD/.postline/sns/signing-key.pem}"
  export EVENTS_URL="${EVENTS_URL:-http://127.0.0.1:$PORT_EVENTS/ses/notifications}"
  # The events app accepts only listed SNS topics: the simulator's is always one of them.
  export SES_SIMULATOR_TOPIC_ARN="${SES_SIMULATOR_TOPIC_ARN:-arn:aws:sns:$SES_REGION:000000000000:postline-ses-events-local}"
  export SNS_TOPIC_ARNS="${SNS_TOPIC_ARNS:+$SNS_TOPIC_ARNS,}$SES_SIMULATOR_TOPIC_ARN"
  run ses npx aws-ses-v2-local --host 127.0.0.1 --port "$ses_port"
fi

# Every app that exists, each its own process (as in production: scale by running more of them).
for app in "${apps[@]}"; do
  # A larger young generation: the batching workers allocate many short-lived objects (GC was ~25 % of CPU).
  run "$app" env PORT="$(app_port "$app")" NODE_OPTIONS="--max-semi-space-size=64 ${NODE_OPTIONS:-}" \
    node -r @swc-node/register -r tsconfig-paths/register "apps/$app/src/main.ts"
done
if [ -n "$SES_ENDPOINT" ] && [ -f tools/ses-simulator/src/main.ts ]; then
  run ses-simulator node -r @swc-node/register -r tsconfig-paths/register tools/ses-simulator/src/main.ts
fi

gateway="http://127.0.0.1:$(app_port gateway)"
for _ in $(seq 1 600); do curl -sf "$gateway/health" >/dev/null 2>&1 && break; sleep 0.5; done
node scripts/demo-account.mjs "$gateway" "$ADMIN_API_KEY" || echo "Could not create the demo account; see the logs above."
echo "Web console: http://localhost:$(app_port gateway)/console/ (sign in with the demo API key or the admin key)"
echo "Admin API key: $ADMIN_API_KEY    (Ctrl-C stops everything)"

wait
