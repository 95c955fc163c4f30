#!/usr/bin/env bash
# The per-request suite (issue 20) in one command: builds Chatport and the load harness (Release), installs wrk,
# nginx, php-fpm and sqlite3 from Debian packages when missing (as bench/inbound/run.sh does), and runs
#   dotnet bench/Chatport.LoadHarness/.../Chatport.LoadHarness.dll suite ARGS…
# which prints one Markdown table (bench/README.md, "The per-request suite (issue 20)").
#
#   bench/suite.sh                       # SQLite, the working tree's build: 15 s per row after a 5 s warm-up
#   bench/suite.sh --quick               # 5 s per row
#   bench/suite.sh --pg                  # on a throw-away PostgreSQL (eng/postgres.sh, port $PGPORT, default 55459)
#   bench/suite.sh --compare OTHER/chatport.dll     # each Chatport row twice: A (OTHER), then B (this build); B/A
#   bench/suite.sh --chatport X/chatport.dll        # another build than the working tree's
# Every other argument goes to the harness (dotnet …Chatport.LoadHarness.dll --help lists them).
# Settings (environment): PGPORT=55459, SKIP_BUILD=1 (use the existing Release builds).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
PGPORT="${PGPORT:-55459}"
log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

PG=0
ARGS=()
for arg in "$@"; do
  if [[ "$arg" == --pg ]]; then PG=1; else ARGS+=("$arg"); fi
done

# --- tools ---------------------------------------------------------------------------------------------
need=()
command -v wrk >/dev/null 2>&1 || need+=(wrk)
[[ -x /usr/sbin/nginx ]] || command -v nginx >/dev/null 2>&1 || need+=(nginx)
compgen -G '/usr/sbin/php-fpm*' >/dev/null || need+=(php-fpm)
command -v sqlite3 >/dev/null 2>&1 || need+=(sqlite3)
if ((PG)) && ! compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null; then need+=(postgresql); fi
if ((${#need[@]})); then
  log "installing ${need[*]} (apt-get)"
  [[ $(id -u) -eq 0 ]] || die "run as root to install ${need[*]}, or install them first"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

# --- builds --------------------------------------------------------------------------------------------
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  for project in src/Chatport bench/Chatport.LoadHarness; do
    log "dotnet build -c Release $project"
    dotnet build -c Release "$ROOT/$project" -v q -nologo >/tmp/chatport-suite-build.$$.log 2>&1 \
      || { tail -n 30 /tmp/chatport-suite-build.$$.log >&2; rm -f /tmp/chatport-suite-build.$$.log; die "build of $project failed"; }
  done
  rm -f /tmp/chatport-suite-build.$$.log
fi
HARNESS="$ROOT/bench/Chatport.LoadHarness/bin/Release/net10.0/Chatport.LoadHarness.dll"
[[ -f "$HARNESS" ]] || die "no $HARNESS (drop SKIP_BUILD)"

# --- PostgreSQL ----------------------------------------------------------------------------------------
PGDIR=""
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [[ -n "$PGDIR" ]]; then log "stopping PostgreSQL ($PGDIR)"; "$ROOT/eng/postgres.sh" stop "$PGDIR"; fi
  exit "$rc"
}
trap cleanup EXIT INT TERM
if ((PG)); then
  if ss -Htln "sport = :$PGPORT" | grep -q .; then die "port $PGPORT is in use (set PGPORT)"; fi
  out="$("$ROOT/eng/postgres.sh" start "$PGPORT")"
  PGDIR="$(sed -n 's/^dir=//p' <<<"$out")"
  CS="$(sed -n 's/^connection=//p' <<<"$out")"
  [[ -n "$PGDIR" && -n "$CS" ]] || die "eng/postgres.sh printed no dir/connection: $out"
  log "PostgreSQL on port $PGPORT ($PGDIR)"
  ARGS+=(--postgres "$CS")
fi

cd "$ROOT"
log "load average $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores"
dotnet "$HARNESS" suite "${ARGS[@]}"
