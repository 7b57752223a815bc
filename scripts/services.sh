#!/usr/bin/env bash
# Makes sure Redis and PostgreSQL run on 127.0.0.1; starts local ones when they are installed but stopped.
# Sourced by start.sh, test.sh and .ci/run.

# port_open <port>: something listens on 127.0.0.1:<port> (works without the services' client tools).
port_open() {
  node -e "require('net').connect($1, '127.0.0.1').on('connect', () => process.exit(0)).on('error', () => process.exit(1))" 2>/dev/null
}

ensure_redis() {
  if port_open 6379; then return 0; fi
  if command -v redis-server >/dev/null 2>&1; then
    echo "Starting Redis on 127.0.0.1:6379"
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null
    for _ in $(seq 1 50); do port_open 6379 && return 0; sleep 0.1; done
  fi
  echo "Redis is not running on 127.0.0.1:6379 and could not be started." >&2
  echo "Install it (Debian/Ubuntu: apt-get install -y redis-server; macOS: brew install redis) or use docker compose up -d redis." >&2
  return 1
}

ensure_postgres() {
  if port_open 5432; then return 0; fi
  if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    echo "Starting PostgreSQL on 127.0.0.1:5432"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start || true
    for _ in $(seq 1 100); do pg_isready -h 127.0.0.1 -p 5432 >/dev/null 2>&1 && return 0; sleep 0.1; done
  fi
  echo "PostgreSQL is not running on 127.0.0.1:5432 and could not be started." >&2
  echo "Install it (Debian/Ubuntu: apt-get install -y postgresql; macOS: brew install postgresql@15) or use docker compose up -d postgres." >&2
  return 1
}

# The console's browser tests drive a Chromium (CHROMIUM_PATH, /usr/bin/chromium by default).
ensure_chromium() {
  if [ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then return 0; fi
  echo "Chromium was not found at ${CHROMIUM_PATH:-/usr/bin/chromium} (the console's browser tests need it)." >&2
  echo "Install it (Debian/Ubuntu: apt-get install -y chromium) or set CHROMIUM_PATH to a Chromium or Chrome binary." >&2
  return 1
}

ensure_node_modules() {
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    echo "Installing dependencies (npm ci)"
    npm ci --no-audit --no-fund
  fi
}
