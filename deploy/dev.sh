#!/usr/bin/env bash
# CloudTransition developer entry point.
#   deploy/dev.sh run    start a private PostgreSQL under .data/ and the API (Ctrl-C stops both)
#   deploy/dev.sh test   the same PostgreSQL, then `dotnet test` on the solution
# Needs only the .NET SDK; PostgreSQL comes from Debian's packages (installed when missing, as root).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA="$ROOT/.data"
PGDATA="$DATA/pg"
PGRUN="$DATA/pg-run"
# Bursts of appends: checkpoints (each followed by full-page writes) come every 15 minutes rather than every GB
# of WAL. fsync stays on. Shared buffers are small on purpose: on the virtual machines this runs on, a process's
# first touch of a page of shared memory costs 14 µs (a backend pays it once for every buffer it reads), against
# 3–5 µs for reading 8 KB from the OS cache, which holds the store anyway. Measured with the bench, 2 GB → 256 MB:
# single-event webhooks 330 → 418 events/s, batches 1,535 → 2,368, rebuild 10,774 → 13,217 (README, Performance).
PG_SETTINGS="${PG_SETTINGS:--c listen_addresses=127.0.0.1 -c max_connections=300 -c shared_buffers=256MB -c max_wal_size=8GB -c checkpoint_timeout=15min -c fsync=on}"
PGLOG="$DATA/pg-run/postgresql.log"
PORT_FILE="$DATA/pg.port"
DB_NAME="cloudtransition"
REDOCLY_VERSION="2.77.0"
PWSH_VERSION="7.6.9"
KIOTA_VERSION="1.38.0"
STARTED_CLUSTER=0

log() { printf '\033[1;34m[dev]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[dev]\033[0m %s\n' "$*" >&2; exit 1; }

pg_bindir() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  [ -n "$dir" ] && [ -x "$dir/initdb" ] && echo "$dir"
}

ensure_postgres_installed() {
  if [ -n "$(pg_bindir)" ]; then return; fi
  [ "$(id -u)" -eq 0 ] || die "PostgreSQL is not installed; run as root once, or: sudo apt-get install -y postgresql postgresql-contrib"
  log "installing PostgreSQL from Debian's packages"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql postgresql-contrib >/dev/null
  [ -n "$(pg_bindir)" ] || die "PostgreSQL installation failed"
}

# PostgreSQL refuses to run as root: as root, every server command runs as the postgres user.
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  local port
  for port in $(seq 55432 55532); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
  die "no free port between 55432 and 55532"
}

cluster_running() {
  [ -f "$PGDATA/PG_VERSION" ] && as_pg "$BIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1
}

start_cluster() {
  ensure_postgres_installed
  BIN="$(pg_bindir)"
  mkdir -p "$DATA" "$PGRUN"
  if [ "$(id -u)" -eq 0 ]; then chown postgres "$PGRUN"; fi
  if [ ! -f "$PGDATA/PG_VERSION" ]; then
    log "creating a private PostgreSQL cluster in $PGDATA"
    mkdir -p "$PGDATA"
    if [ "$(id -u)" -eq 0 ]; then chown postgres "$PGDATA"; fi
    as_pg "$BIN/initdb" -D "$PGDATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  if cluster_running; then
    PGPORT=$(cat "$PORT_FILE")
    log "reusing the PostgreSQL cluster on port $PGPORT"
  else
    PGPORT=$(free_port)
    echo "$PGPORT" > "$PORT_FILE"
    log "starting PostgreSQL on 127.0.0.1:$PGPORT"
    as_pg "$BIN/pg_ctl" -D "$PGDATA" -l "$PGLOG" -w -t 60 start \
      -o "-p $PGPORT -k $PGRUN $PG_SETTINGS" >/dev/null \
      || { tail -n 20 "$PGLOG" >&2; die "PostgreSQL did not start"; }
    STARTED_CLUSTER=1
  fi
  if ! psql -h 127.0.0.1 -p "$PGPORT" -U postgres -tAc "select 1 from pg_database where datname = '$DB_NAME'" postgres | grep -q 1; then
    psql -h 127.0.0.1 -p "$PGPORT" -U postgres -qc "create database $DB_NAME" postgres
  fi
  export ConnectionStrings__Marten="Host=127.0.0.1;Port=$PGPORT;Database=$DB_NAME;Username=postgres;Password=postgres"
}

stop_cluster() {
  if [ "$STARTED_CLUSTER" = 1 ] && cluster_running; then
    log "stopping PostgreSQL"
    as_pg "$BIN/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null || true
  fi
}

dev_admin_key() {
  if [ -n "${CLOUDTRANSITION_ADMIN_KEY:-}" ]; then echo "$CLOUDTRANSITION_ADMIN_KEY"; return; fi
  if [ ! -s "$DATA/dev-admin-key" ]; then
    echo "ct_dev_$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 32)" > "$DATA/dev-admin-key"
  fi
  cat "$DATA/dev-admin-key"
}

cmd_run() {
  start_cluster
  trap stop_cluster EXIT
  export ASPNETCORE_URLS="${ASPNETCORE_URLS:-http://127.0.0.1:5080}"
  export CLOUDTRANSITION_ADMIN_KEY="$(dev_admin_key)"
  local url="${ASPNETCORE_URLS%%;*}"
  url="${url/0.0.0.0/127.0.0.1}"; url="${url/+/127.0.0.1}"; url="${url/\*/127.0.0.1}"
  # The key ring's key-encryption certificate: outside the database, created once for development.
  export DataProtection__CertificatePath="${DataProtection__CertificatePath:-$DATA/dataprotection-kek.pfx}"
  export DataProtection__CreateCertificateIfMissing="${DataProtection__CreateCertificateIfMissing:-true}"
  dotnet build "$ROOT/src/CloudTransition.Api" -c Release -v q -nologo >/dev/null
  log "Swagger UI:        $url/swagger"
  log "Dashboard:         $url/"
  log "Admin key (tenant 'default', development only): $CLOUDTRANSITION_ADMIN_KEY"
  log "Ctrl-C stops the API, then PostgreSQL"
  # The API runs as a child this script stops itself, and PostgreSQL (its own session, from pg_ctl) only once the API
  # has exited: stopped the other way round, the API's last work failed with 57P01 on every Ctrl-C. A background
  # child ignores SIGINT, so it gets SIGTERM, which ASP.NET Core answers with a graceful shutdown.
  (cd "$ROOT/src/CloudTransition.Api" && exec dotnet bin/Release/net10.0/CloudTransition.Api.dll) &
  local api=$!
  trap 'kill -TERM "$api" 2>/dev/null || true' INT TERM
  while kill -0 "$api" 2>/dev/null; do wait "$api" || true; done
}

# The browser tests drive Debian's Chromium (never a downloaded browser).
ensure_chromium() {
  [ -x /usr/bin/chromium ] && return
  if [ "$(id -u)" -eq 0 ]; then
    log "installing Chromium from Debian's packages for the browser tests"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    die "the browser tests need Debian's Chromium: sudo apt-get install -y chromium"
  fi
}

# Redocly CLI (npm) lints the committed contract with its recommended rules; it needs Node.js 20 or later.
lint_contract() {
  if ! command -v npm >/dev/null 2>&1; then
    log "skipping the OpenAPI lint: Node.js/npm is not installed"
    return 0
  fi
  local tools="$DATA/tools/redocly"
  if [ ! -x "$tools/node_modules/.bin/redocly" ]; then
    log "installing @redocly/cli@$REDOCLY_VERSION under .data/tools"
    mkdir -p "$tools"
    npm install --silent --no-audit --no-fund --prefix "$tools" "@redocly/cli@$REDOCLY_VERSION" >/dev/null
  fi
  (cd "$ROOT" && "$tools/node_modules/.bin/redocly" lint contracts/openapi/v1.json --config redocly.yaml --format=summary 2>&1 | grep -vE '[║╔╚]')
}

# PowerShell 7 as a .NET tool, for the PowerShell module's tests.
ensure_pwsh() {
  [ -x "$DATA/tools/pwsh/pwsh" ] && return
  log "installing PowerShell $PWSH_VERSION as a .NET tool under .data/tools"
  dotnet tool install PowerShell --version "$PWSH_VERSION" --tool-path "$DATA/tools/pwsh" >/dev/null
}

# Kiota as a .NET tool: the tests generate a client from the committed contract and drive the API with it.
ensure_kiota() {
  [ -x "$DATA/tools/kiota/kiota" ] && return
  log "installing Kiota $KIOTA_VERSION as a .NET tool under .data/tools"
  dotnet tool install Microsoft.OpenApi.Kiota --version "$KIOTA_VERSION" --tool-path "$DATA/tools/kiota" >/dev/null
}

cmd_test() {
  ensure_chromium
  ensure_pwsh
  ensure_kiota
  start_cluster
  trap stop_cluster EXIT
  local status=0
  lint_contract || status=$?
  dotnet test "$ROOT/CloudTransition.sln" -nologo "$@" || status=$?
  return $status
}

# Used by the fault tests: stop or start the private cluster on its port, as an outage would.
cmd_pg() {
  BIN="$(pg_bindir)"
  case "${1:-}" in
    stop) as_pg "$BIN/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null ;;
    start) PGPORT=$(cat "$PORT_FILE")
      as_pg "$BIN/pg_ctl" -D "$PGDATA" -l "$PGLOG" -w -t 60 start \
        -o "-p $PGPORT -k $PGRUN $PG_SETTINGS" >/dev/null ;;
    *) die "usage: deploy/dev.sh pg stop|start" ;;
  esac
}

# Regenerates the committed OpenAPI contract from the code (no server, no database needed).
cmd_openapi() {
  dotnet run --project "$ROOT/src/CloudTransition.Api" -- openapi -d v1 -o "$ROOT/contracts/openapi/v1.json"
}

# The benchmark: seeds a million events, measures raw PostgreSQL (pgbench, COPY) and the service in one run.
cmd_bench() {
  start_cluster
  trap stop_cluster EXIT
  # Measure what production runs (deploy/Dockerfile): handler code generated at build time, not compiled by
  # Roslyn at start, which alone costs ~170 MB of RSS. The generated files are removed again after the build.
  rm -rf "$ROOT/src/CloudTransition.Api/Internal"
  dotnet run --project "$ROOT/src/CloudTransition.Api" -c Release -v q -- codegen write >/dev/null
  # The bench references the API, so it is built while the generated files are still there.
  dotnet build "$ROOT/tests/load/CloudTransition.Bench" -c Release -v q -nologo >/dev/null
  rm -rf "$ROOT/src/CloudTransition.Api/Internal"
  CLOUDTRANSITION_ROOT="$ROOT" PGBIN="$BIN" dotnet "$ROOT/tests/load/CloudTransition.Bench/bin/Release/net10.0/CloudTransition.Bench.dll"
}

case "${1:-}" in
  run) shift; cmd_run "$@" ;;
  bench) shift; cmd_bench ;;
  openapi) shift; cmd_openapi ;;
  pg) shift; cmd_pg "$@" ;;
  test) shift; cmd_test "$@" ;;
  *) echo "usage: deploy/dev.sh run | test | bench | openapi | pg stop|start" >&2; exit 2 ;;
esac
