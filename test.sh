#!/usr/bin/env bash
# Runs every Chatport test on this machine and ends with one line: "N passed, N failed".
# It installs or starts whatever the tests need first (today: only the .NET SDK, which must be on PATH).
# Extra arguments go to `dotnet test`, for example: ./test.sh --filter "FullyQualifiedName~Accounts"
set -uo pipefail
cd "$(dirname "$0")"

if ! command -v dotnet >/dev/null 2>&1; then
  echo "test.sh: the .NET SDK 10 is needed (https://dot.net); 'dotnet' is not on PATH." >&2
  echo "0 passed, 1 failed"
  exit 1
fi

results="$(mktemp -d "${TMPDIR:-/tmp}/chatport-test-results.XXXXXX")"
trap 'rm -rf "$results"' EXIT

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
echo "$passed passed, $failed failed"
exit "$status"
