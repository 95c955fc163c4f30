#!/usr/bin/env bash
# Runs every Chatport test on this machine and ends with one line: "N passed, N failed".
# It starts what the tests need first: a throw-away PostgreSQL (eng/postgres.sh; installed with apt-get when
# missing and run as root), unless CHATPORT_TEST_POSTGRES already names one; and, for the browser tests, Debian's
# Chromium (installed with apt-get when missing and run as root; its path exported as CHATPORT_TEST_CHROMIUM),
# unless CHATPORT_TEST_CHROMIUM already names one. The .NET SDK must be on PATH.
# Extra arguments go to `dotnet test`, for example: ./test.sh --filter "FullyQualifiedName~Accounts"
set -uo pipefail
cd "$(dirname "$0")"

if ! command -v dotnet >/dev/null 2>&1; then
  echo "test.sh: the .NET SDK 10 is needed (https://dot.net); 'dotnet' is not on PATH." >&2
  echo "0 passed, 1 failed"
  exit 1
fi

results="$(mktemp -d "${TMPDIR:-/tmp}/chatport-test-results.XXXXXX")"
pg_dir=""
cleanup() {
  rm -rf "$results"
  if [ -n "$pg_dir" ]; then eng/postgres.sh stop "$pg_dir"; fi
}
trap cleanup EXIT

if [ -z "${CHATPORT_TEST_POSTGRES:-}" ]; then
  if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "test.sh: installing PostgreSQL (apt-get install postgresql)"
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  fi
  if pg="$(eng/postgres.sh start "${CHATPORT_TEST_PG_PORT:-55433}")"; then
    pg_dir="$(sed -n 's/^dir=//p' <<<"$pg")"
    export CHATPORT_TEST_POSTGRES="$(sed -n 's/^connection=//p' <<<"$pg")"
    echo "test.sh: PostgreSQL for the tests at $CHATPORT_TEST_POSTGRES"
  else
    echo "test.sh: could not start PostgreSQL; the PostgreSQL tests will fail and say why." >&2
  fi
fi

if [ -z "${CHATPORT_TEST_CHROMIUM:-}" ]; then
  if ! command -v chromium >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "test.sh: installing Chromium (apt-get install chromium)"
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
  if chromium_path="$(command -v chromium)"; then
    export CHATPORT_TEST_CHROMIUM="$chromium_path"
    echo "test.sh: Chromium for the browser tests at $CHATPORT_TEST_CHROMIUM"
  else
    echo "test.sh: Chromium is not installed; the browser tests will fail and say why." >&2
  fi
fi

dotnet test Chatport.slnx --nologo --logger "trx" --results-directory "$results" "$@"
status=$?

passed=0
failed=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  counters="$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)"
  p="$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")"
  f="$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")"
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
done
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1 # the build or a test host failed before any test could report
fi

# The readers of outside input under a coverage-guided fuzzer for a short, fixed time (eng/fuzz.sh; afl++ is
# installed with apt-get when missing and run as root): each target that ran without a crash counts as one test
# passed. Skipped when arguments select tests, or with CHATPORT_FUZZ_SECONDS=0.
fuzz_seconds="${CHATPORT_FUZZ_SECONDS:-30}"
if [ $# -eq 0 ] && [ "$fuzz_seconds" != 0 ]; then
  fuzz_log="$results/fuzz.log"
  eng/fuzz.sh "$fuzz_seconds" 2>&1 | tee "$fuzz_log"
  fuzz_status=${PIPESTATUS[0]}
  fuzz_clean=$(grep -c ' 0 crash(es)$' "$fuzz_log" || true)
  fuzz_crashed=$(grep -E '^fuzz: [a-z]+: .* [1-9][0-9]* crash\(es\)$' "$fuzz_log" | wc -l)
  passed=$((passed + fuzz_clean))
  failed=$((failed + fuzz_crashed))
  if [ "$fuzz_status" -ne 0 ]; then
    status=1
    [ "$fuzz_crashed" -gt 0 ] || failed=$((failed + 1)) # it could not run
  fi
fi
echo "$passed passed, $failed failed"
exit "$status"
