#!/usr/bin/env bash
# Inbound hook vs the seed's PHP script, both measured by wrk in the same run, one after the other:
#   1. nginx + php-fpm running bench/inbound/php/hook.php (the seed's script: overwrites data.json);
#   2. Chatport's POST /hooks/{token} (validates, stores every body in SQLite with fsync, then answers).
# Each gets a warm-up, then `wrk -t2 -c32 -d20s --latency -s unique-bodies.lua` with a distinct channel.id
# per request. Afterwards it counts what each kept: the conversations in data.json, and the rows in
# Chatport's SQLite file after a SIGKILL of the server.
#
# Loopback only. Everything (configs, pid files, logs, sockets, data) lives in a temp dir that is removed
# at the end (KEEP_TMP=1 keeps it). Installs nginx, php-fpm, wrk and sqlite3 from Debian packages when
# missing; never touches the system nginx/php-fpm services or their configs.
#
# Settings (environment): DURATION=20s WARMUP=5s THREADS=2 CONNECTIONS=32 PHP_PORT=18481 CHATPORT_PORT=18482
#   SKIP_BUILD=1 (use the existing Release build) KEEP_TMP=1
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
DURATION="${DURATION:-20s}"
WARMUP="${WARMUP:-5s}"
THREADS="${THREADS:-2}"
CONNECTIONS="${CONNECTIONS:-32}"
PHP_PORT="${PHP_PORT:-18481}"
CHATPORT_PORT="${CHATPORT_PORT:-18482}"
SAMPLE="$ROOT/schemas/examples/seed-sample.json"
LUA="$HERE/unique-bodies.lua"
WARMUP_BASE=100000000   # channel ids of the warm-ups
RUN_BASE=200000000      # channel ids of the measured runs

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

# --- tools ---------------------------------------------------------------------------------------------
need=()
command -v nginx >/dev/null 2>&1 || [[ -x /usr/sbin/nginx ]] || need+=(nginx)
compgen -G '/usr/sbin/php-fpm*' >/dev/null || need+=(php-fpm)
command -v wrk >/dev/null 2>&1 || need+=(wrk)
command -v sqlite3 >/dev/null 2>&1 || need+=(sqlite3)
command -v curl >/dev/null 2>&1 || need+=(curl)
if ((${#need[@]})); then
  log "installing ${need[*]} (apt-get)"
  [[ $(id -u) -eq 0 ]] || die "run as root to install ${need[*]}, or install them first"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
PHP_FPM="$(ls /usr/sbin/php-fpm* | sort -V | tail -n1)"
[[ -x "$PHP_FPM" ]] || die "no php-fpm binary in /usr/sbin"

for port in "$PHP_PORT" "$CHATPORT_PORT"; do
  if ss -Htln "sport = :$port" | grep -q .; then die "port $port is in use (set PHP_PORT / CHATPORT_PORT)"; fi
done

# --- temp dir and cleanup ------------------------------------------------------------------------------
TMP="$(mktemp -d /tmp/chatport-inbound.XXXXXX)"
chmod 755 "$TMP"   # nginx's workers (nobody) must reach the socket and the document root
PIDS=()
stop_pid() { # stop one process we started: TERM, then KILL after 10 s
  local pid=$1
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  for pid in "${PIDS[@]}"; do stop_pid "$pid"; done
  if [[ "${KEEP_TMP:-0}" == 1 ]]; then log "kept $TMP"; else rm -rf "$TMP"; fi
  exit "$rc"
}
trap cleanup EXIT INT TERM

wait_http() { # URL [curl args...]: until it answers 2xx, 90 s at most
  local url=$1; shift
  for _ in $(seq 900); do
    if curl -fsS -o /dev/null "$@" "$url" 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  die "$url did not answer"
}

cpu_ticks() { # total utime+stime (clock ticks) of the given pids and their descendants
  local total=0 pid
  for pid in $(pgrep_tree "$@"); do
    if [[ -r /proc/$pid/stat ]]; then
      total=$((total + $(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$pid/stat" 2>/dev/null || echo 0)))
    fi
  done
  echo "$total"
}
pgrep_tree() {
  local pid
  for pid in "$@"; do
    echo "$pid"
    pgrep_tree $(pgrep -P "$pid" || true)
  done
}

# wrk, warm-up then measured; NAME URL PIDS... ; leaves the measured output in $TMP/NAME.wrk
bench() {
  local name=$1 url=$2; shift 2
  log "$name: warm-up $WARMUP"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -s "$LUA" "$url" -- "$SAMPLE" "$WARMUP_BASE" >"$TMP/$name.warmup" 2>&1
  grep '^responses:' "$TMP/$name.warmup" | sed "s/^/[$name warm-up] /" >&2 || true
  sleep 1
  local ticks_before ticks_after hz
  hz=$(getconf CLK_TCK)
  ticks_before=$(cpu_ticks "$@")
  log "$name: wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency (load average $(loadavg))"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$LUA" "$url" -- "$SAMPLE" "$RUN_BASE" >"$TMP/$name.wrk" 2>&1
  ticks_after=$(cpu_ticks "$@")
  echo "server_cpu_s=$(awk -v a="$ticks_before" -v b="$ticks_after" -v hz="$hz" 'BEGIN { printf "%.1f", (b - a) / hz }')" >>"$TMP/$name.wrk"
  sed "s/^/[$name] /" "$TMP/$name.wrk" >&2
}
field() { # FILE KEY: KEY=value from the RESULT line
  { grep -o "\b$2=[^ ]*" "$1" || true; } | head -n1 | cut -d= -f2
}

LOAD_START="$(loadavg)"
log "load average at start: $LOAD_START; $(nproc) cores; temp dir $TMP"

# --- disk: how fast is one synchronous write here ------------------------------------------------------
DSYNC="$( { dd if=/dev/zero of="$TMP/dsync.probe" bs=4k count=300 oflag=dsync 2>&1 >/dev/null || true; } | tail -n1)"
rm -f "$TMP/dsync.probe"
DSYNC_PER_S="$(awk -v n=300 '{ for (i = 1; i <= NF; i++) if ($i == "s," || $i ~ /^s,$/) { print int(n / $(i - 1)); exit } }' <<<"$DSYNC")"
log "disk: 300 x 4 KiB writes with O_DSYNC: $DSYNC (${DSYNC_PER_S:-?} synchronous writes/s)"

# --- Chatport build (before any server runs) -----------------------------------------------------------
DLL="$ROOT/src/Chatport/bin/Release/net10.0/chatport.dll"
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  log "dotnet build -c Release src/Chatport"
  dotnet build -c Release "$ROOT/src/Chatport" -v q -nologo >"$TMP/build.log" 2>&1 || { tail -n 20 "$TMP/build.log" >&2; die "build failed (SKIP_BUILD=1 runs the existing build)"; }
fi
[[ -f "$DLL" ]] || die "no $DLL (build first or drop SKIP_BUILD)"
# Run a copy: others may rebuild bin/ while the benchmark runs.
cp -r "$(dirname "$DLL")" "$TMP/chatport-bin"
log "chatport build: $(date -r "$DLL" '+%F %T') ($(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo '?'), working tree as of then)"
DLL="$TMP/chatport-bin/chatport.dll"

# --- 1. nginx + php-fpm + the seed's script ------------------------------------------------------------
P="$TMP/php"
mkdir -p "$P/www" "$P/logs"
cp "$HERE/php/hook.php" "$P/www/hook.php"   # php-fpm runs it in its own folder: data.json lands there
sed -e "s|__TMP__|$P|g" -e "s|__PORT__|$PHP_PORT|g" "$HERE/nginx.conf" >"$P/nginx.conf"
chmod 777 "$P/www"   # hook.php may run as any user; data.json is written next to it
BENCH_TMP="$P" "$PHP_FPM" -y "$HERE/php-fpm.conf" -F -R >"$P/logs/php-fpm.out" 2>&1 &
FPM_PID=$!; PIDS+=("$FPM_PID")
for _ in $(seq 100); do [[ -S "$P/php-fpm.sock" ]] && break; sleep 0.1; done
[[ -S "$P/php-fpm.sock" ]] || { cat "$P/logs/"* >&2; die "php-fpm did not start"; }
"$NGINX" -p "$P/" -c "$P/nginx.conf" >"$P/logs/nginx.out" 2>&1 &
NGINX_PID=$!; PIDS+=("$NGINX_PID")
PHP_URL="http://127.0.0.1:$PHP_PORT/hook.php"
wait_http "$PHP_URL" -X POST -H 'Content-Type: application/json' --data-binary "@$SAMPLE"
log "php: nginx $("$NGINX" -v 2>&1 | cut -d/ -f2) + $(basename "$PHP_FPM") ready at $PHP_URL"

bench php "$PHP_URL" "$NGINX_PID" "$FPM_PID"
PHP_KEPT=0; PHP_NOTE="data.json missing"
if [[ -f "$P/www/data.json" ]]; then
  PHP_ID="$(sqlite3 :memory: "SELECT CASE WHEN json_valid(CAST(readfile('$P/www/data.json') AS TEXT)) THEN json_extract(CAST(readfile('$P/www/data.json') AS TEXT), '\$.channel.id') ELSE 'invalid' END")"
  if [[ "$PHP_ID" == invalid ]]; then
    PHP_NOTE="data.json is not valid JSON ($(stat -c %s "$P/www/data.json") bytes: interleaved writes)"
  else
    PHP_KEPT=1; PHP_NOTE="data.json holds channel.id $PHP_ID, the last write; never fsynced"
  fi
fi
log "php: conversations kept: $PHP_KEPT ($PHP_NOTE)"
stop_pid "$NGINX_PID"; stop_pid "$FPM_PID"
LOAD_MID="$(loadavg)"

# --- 2. Chatport ---------------------------------------------------------------------------------------
C="$TMP/chatport"
mkdir -p "$C"
KEY="$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"   # 32 hex characters
BASE="http://127.0.0.1:$CHATPORT_PORT"
dotnet "$DLL" serve --urls "$BASE" --Chatport:DataDir="$C" --Chatport:AdminKey="$KEY" \
  --Logging:LogLevel:Default=Warning >"$C/chatport.log" 2>&1 &
CP_PID=$!; PIDS+=("$CP_PID")
wait_http "$BASE/health/ready"
AUTH=(-H "Authorization: Bearer $KEY" -H 'Content-Type: application/json')
curl -fsS -o /dev/null -X PUT "${AUTH[@]}" -d '{"name":"bench","plan":"free"}' "$BASE/v1/accounts/208"
SOURCE="$(curl -fsS -X POST "${AUTH[@]}" -d '{"kind":"hook","auth":"token"}' "$BASE/v1/accounts/208/sources")"
HOOK_PATH="$(grep -o '"url":"[^"]*"' <<<"$SOURCE" | cut -d'"' -f4)"
[[ "$HOOK_PATH" == /hooks/* ]] || die "no hook url in $SOURCE"
CP_URL="$BASE$HOOK_PATH"
curl -fsS -o /dev/null -X POST -H 'Content-Type: application/json' --data-binary "@$SAMPLE" "$CP_URL"   # channel 55039
log "chatport: ready at $BASE/hooks/<token>"

bench chatport "$CP_URL" "$CP_PID"
# The 2xx were promised durable: kill the server without warning, then count what the file holds.
kill -KILL "$CP_PID" 2>/dev/null || true
wait "$CP_PID" 2>/dev/null || true
CP_ROWS_RUN="$(sqlite3 "$C/chatport.db" "SELECT count(*) FROM conversations WHERE account_id=208 AND chat_id >= $RUN_BASE")"
CP_ROWS_ALL="$(sqlite3 "$C/chatport.db" "SELECT count(*) FROM conversations WHERE account_id=208")"
CP_INTEGRITY="$(sqlite3 "$C/chatport.db" "PRAGMA integrity_check" | head -n1)"
CP_CREATED="$(field "$TMP/chatport.wrk" created)"
log "chatport: after SIGKILL, $CP_ROWS_RUN rows from the measured run ($CP_CREATED answered 'created'), $CP_ROWS_ALL in all; integrity_check: $CP_INTEGRITY"
if grep -qiE 'fail|exception|error' "$C/chatport.log"; then
  log "chatport log has warnings/errors:"; grep -iE 'fail|exception|error' "$C/chatport.log" | head -n 5 >&2
fi
LOAD_END="$(loadavg)"

# --- summary -------------------------------------------------------------------------------------------
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f", a / b; else print "n/a" }'; }
PHP_RPS="$(field "$TMP/php.wrk" rps)"; CP_RPS="$(field "$TMP/chatport.wrk" rps)"
echo
echo "Inbound hook benchmark, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, wrk -t$THREADS -c$CONNECTIONS -d$DURATION (after $WARMUP warm-up)"
echo "load average (1/5/15 min): start $LOAD_START | between $LOAD_MID | end $LOAD_END"
echo "disk: ${DSYNC_PER_S:-?} synchronous 4 KiB writes/s (dd oflag=dsync)"
echo
printf '| %-30s | %8s | %8s | %8s | %8s | %8s | %7s | %12s | %-52s |\n' server "requests" "req/s" "p50 ms" "p99 ms" "max ms" "non-2xx" "server CPU s" "conversations kept"
printf '|%s|\n' "--------------------------------|----------|----------|----------|----------|----------|---------|--------------|------------------------------------------------------"
for name in php chatport; do
  f="$TMP/$name.wrk"
  if [[ $name == php ]]; then label="nginx + php-fpm (seed script)"; kept="$PHP_KEPT of $(field "$f" ok2xx) 2xx (not fsynced)"
  else label="Chatport /hooks/{token}"; kept="$CP_ROWS_RUN for $(field "$f" ok2xx) 2xx (fsynced; counted after SIGKILL)"; fi
  printf '| %-30s | %8s | %8s | %8s | %8s | %8s | %7s | %12s | %-52s |\n' "$label" "$(field "$f" requests)" "$(field "$f" rps)" \
    "$(field "$f" p50_ms)" "$(field "$f" p99_ms)" "$(field "$f" max_ms)" "$(field "$f" non2xx)" "$(field "$f" server_cpu_s)" "$kept"
done
echo
echo "requests/s, PHP : Chatport = $(ratio "$PHP_RPS" "$CP_RPS") : 1; socket errors: php $(field "$TMP/php.wrk" socket_errors), chatport $(field "$TMP/chatport.wrk" socket_errors)"
echo "php: $PHP_NOTE"
CP_OK="$(field "$TMP/chatport.wrk" ok2xx)"
if ((CP_ROWS_RUN >= CP_OK && CP_ROWS_RUN - CP_OK <= CONNECTIONS)); then
  echo "chatport: every 2xx is stored: rows - 2xx = $((CP_ROWS_RUN - CP_OK)), at most one request in flight per connection when wrk stopped (stored, answer not counted)"
else
  echo "chatport: MISMATCH: $CP_ROWS_RUN rows for $CP_OK 2xx"
fi
echo "chatport: created $CP_CREATED, duplicate $(field "$TMP/chatport.wrk" duplicate); rows $CP_ROWS_RUN (run) / $CP_ROWS_ALL (all, with warm-up); integrity $CP_INTEGRITY"
