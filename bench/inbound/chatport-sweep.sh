#!/usr/bin/env bash
# Where Chatport's inbound hook spends its time: the same unique-body load as run.sh, at several
# connection counts, against one Chatport on loopback. With NOSYNC=1 the server runs under eatmydata
# (LD_PRELOAD that turns fsync/fdatasync into no-ops: NOT durable, for diagnosis only), which shows how
# much of the cost is the per-request fsync behind the store's single writer.
#
#   bench/inbound/chatport-sweep.sh                 # durable, as shipped
#   NOSYNC=1 bench/inbound/chatport-sweep.sh        # fsync disabled
# Settings: CONNS="1 4 32 128" DURATION=10s THREADS=2 PORT=18483. Needs a Release build
# (dotnet build -c Release src/Chatport), wrk, curl, and eatmydata for NOSYNC=1.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
CONNS="${CONNS:-1 4 32 128}"
DURATION="${DURATION:-10s}"
THREADS="${THREADS:-2}"
PORT="${PORT:-18483}"
SAMPLE="$ROOT/schemas/examples/seed-sample.json"
DLL="$ROOT/src/Chatport/bin/Release/net10.0/chatport.dll"
[[ -f "$DLL" ]] || { echo "no $DLL: dotnet build -c Release src/Chatport" >&2; exit 1; }
if [[ "${NOSYNC:-0}" == 1 ]]; then
  command -v eatmydata >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq eatmydata >/dev/null
  WRAP=(eatmydata)
else
  WRAP=()
fi
if ss -Htln "sport = :$PORT" | grep -q .; then echo "port $PORT is in use" >&2; exit 1; fi

TMP="$(mktemp -d /tmp/chatport-sweep.XXXXXX)"
CP_PID=
cleanup() {
  trap - EXIT INT TERM
  if [[ -n "$CP_PID" ]] && kill -0 "$CP_PID" 2>/dev/null; then kill -TERM "$CP_PID"; wait "$CP_PID" 2>/dev/null || true; fi
  rm -rf "$TMP"
}
trap cleanup EXIT INT TERM

cp -r "$(dirname "$DLL")" "$TMP/bin"
KEY="$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
BASE="http://127.0.0.1:$PORT"
"${WRAP[@]}" dotnet "$TMP/bin/chatport.dll" serve --urls "$BASE" --Chatport:DataDir="$TMP/data" --Chatport:AdminKey="$KEY" \
  --Logging:LogLevel:Default=Warning >"$TMP/chatport.log" 2>&1 &
CP_PID=$!
for _ in $(seq 900); do curl -fsS -o /dev/null "$BASE/health/ready" 2>/dev/null && break; sleep 0.1; done
AUTH=(-H "Authorization: Bearer $KEY" -H 'Content-Type: application/json')
curl -fsS -o /dev/null -X PUT "${AUTH[@]}" -d '{"name":"bench","plan":"free"}' "$BASE/v1/accounts/208"
URL="$BASE$(curl -fsS -X POST "${AUTH[@]}" -d '{"kind":"hook","auth":"token"}' "$BASE/v1/accounts/208/sources" | grep -o '"url":"[^"]*"' | cut -d'"' -f4)"

ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$CP_PID/stat"; }
echo "fsync: $([[ ${#WRAP[@]} -gt 0 ]] && echo 'disabled (eatmydata)' || echo 'on (as shipped)'); load average $(cut -d' ' -f1-3 /proc/loadavg)"
wrk -t"$THREADS" -c32 -d5s -s "$HERE/unique-bodies.lua" "$URL" -- "$SAMPLE" 100000000 >/dev/null   # warm-up
base=200000000
printf '| %11s | %8s | %8s | %8s | %8s | %19s | %s\n' connections "req/s" "p50 ms" "p99 ms" non-2xx "server CPU ms / req" "load average"
for c in $CONNS; do
  t0=$(ticks)
  out="$(wrk -t"$(( c < THREADS ? c : THREADS ))" -c"$c" -d"$DURATION" --latency -s "$HERE/unique-bodies.lua" "$URL" -- "$SAMPLE" "$base")"
  t1=$(ticks)
  base=$((base + 100000000))
  r() { grep -o "\b$1=[^ ]*" <<<"$out" | cut -d= -f2; }
  printf '| %11s | %8s | %8s | %8s | %8s | %19s | %s\n' "$c" "$(r rps)" "$(r p50_ms)" "$(r p99_ms)" "$(r non2xx)" \
    "$(awk -v a="$t0" -v b="$t1" -v n="$(r requests)" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f", (b - a) * 1000 / hz / n }')" \
    "$(cut -d' ' -f1 /proc/loadavg)"
done
