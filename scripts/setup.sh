#!/usr/bin/env bash
# `npm run setup`: installs dependencies, makes sure Postgres and Redis are reachable (reuses running
# ones; else starts local ones; else installs them with apt when root; else says to use Docker),
# then runs migrations. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/hookline}
REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379}
export DATABASE_URL REDIS_URL

say() { echo "[setup] $*"; }
die() {
  echo "[setup] $*" >&2
  exit 1
}
is_root() { [ "$(id -u)" = 0 ]; }
apt_install() {
  is_root && command -v apt-get >/dev/null || return 1
  say "installing $* with apt"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null || true
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

say "installing npm dependencies"
# Not `npm ci`: the registry reachable here lacks some optional binaries the lockfile names.
npm install --no-audit --no-fund --loglevel=error
say "building (npm run build)"
npm run --silent build

host_of() { node -e 'const u=new URL(process.argv[1]); console.log(u.hostname)' "$1"; }
postgres_ok() {
  node -e '
    const pg = require("pg");
    const u = new URL(process.argv[1]); u.pathname = "/postgres";
    const c = new pg.Client({ connectionString: u.toString(), connectionTimeoutMillis: 2000 });
    c.connect().then(() => c.end()).then(() => process.exit(0), () => process.exit(1));' "$DATABASE_URL"
}
redis_ok() {
  node -e '
    const { Redis } = require("ioredis");
    const r = new Redis(process.argv[1], { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 2000 });
    r.on("error", () => {});
    r.connect().then(() => r.ping()).then(() => process.exit(0), () => process.exit(1));' "$REDIS_URL"
}
wait_for() { # name check
  for _ in $(seq 1 40); do "$2" && return 0; sleep 0.5; done
  return 1
}
is_local() { case "$(host_of "$1")" in 127.0.0.1 | localhost | ::1 | '[::1]') return 0 ;; *) return 1 ;; esac; }

start_postgres() {
  command -v pg_ctlcluster >/dev/null || return 1
  local version
  version=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1)
  [ -n "$version" ] || return 1
  say "starting local Postgres $version"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start 2>/dev/null ||
    su postgres -c "pg_ctlcluster $version main start" 2>/dev/null || return 1
  # A cluster we installed ourselves asks for passwords on TCP; trust loopback like the dev default.
  local hba="/etc/postgresql/$version/main/pg_hba.conf"
  if [ -w "$hba" ] && ! grep -q '^host all all 127.0.0.1/32 trust' "$hba"; then
    sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba"
    pg_ctlcluster --skip-systemctl-redirect "$version" main reload 2>/dev/null || true
  fi
  wait_for postgres postgres_ok
}

start_redis() {
  command -v redis-server >/dev/null || return 1
  say "starting local Redis"
  redis-server --daemonize yes --bind 127.0.0.1 --port "$(node -e 'console.log(new URL(process.argv[1]).port || 6379)' "$REDIS_URL")" \
    --save "" --appendonly no >/dev/null
  wait_for redis redis_ok
}

if postgres_ok; then
  say "Postgres reachable"
elif is_local "$DATABASE_URL" && { start_postgres || { apt_install postgresql && start_postgres; }; }; then
  say "Postgres started"
else
  die "Postgres at $DATABASE_URL is not reachable and could not be started here. Run 'docker compose up -d postgres redis' or set DATABASE_URL."
fi

if redis_ok; then
  say "Redis reachable"
elif is_local "$REDIS_URL" && { start_redis || { apt_install redis-server && start_redis; }; }; then
  say "Redis started"
else
  die "Redis at $REDIS_URL is not reachable and could not be started here. Run 'docker compose up -d postgres redis' or set REDIS_URL."
fi

# The admin dashboard's end-to-end test drives Debian's Chromium (playwright-core cannot download
# a browser on machines without internet access, and need not).
CHROMIUM_PATH=${CHROMIUM_PATH:-/usr/bin/chromium}
if [ -x "$CHROMIUM_PATH" ]; then
  say "Chromium found at $CHROMIUM_PATH"
elif apt_install chromium; then
  say "Chromium installed"
else
  say "warning: no Chromium at $CHROMIUM_PATH; the dashboard's browser test will fail until it is installed (apt-get install chromium, or set CHROMIUM_PATH)"
fi

say "migrating $DATABASE_URL"
npm run --silent migrate
say "done. Start the service with: npm start"
