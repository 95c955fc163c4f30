#!/usr/bin/env bash
# Fuzzes the readers of outside input — the contract reader of hooks and imports, the import's scanner, the live-event
# parser — with afl-fuzz (Debian's afl++) over SharpFuzz-instrumented code, SECONDS per target (default 60).
# Exits 1, listing the inputs, if any target crashed: reproduce one with the build that is not instrumented
# (instrumented code needs afl-fuzz around it)
#   dotnet "$OUT/plain/Chatport.Fuzz.dll" TARGET FILE
# and make it a test. Usage: eng/fuzz.sh [SECONDS] [TARGET...]   (targets: contract scanner events)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(contract scanner events)

if ! command -v afl-fuzz >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    echo "fuzz: installing afl++"
    (apt-get install -y -q afl++ >/dev/null 2>&1) || (apt-get update -q >/dev/null && apt-get install -y -q afl++ >/dev/null)
  else
    echo "fuzz: afl-fuzz is missing (apt-get install afl++)" >&2
    exit 2
  fi
fi
tools="$PWD/.tools"
if [ ! -x "$tools/sharpfuzz" ]; then
  dotnet tool install --tool-path "$tools" SharpFuzz.CommandLine --version 2.3.0 >/dev/null
fi

out="${FUZZ_OUT:-$(mktemp -d /tmp/chatport-fuzz.XXXXXX)}"
dotnet build -c Release fuzz/Chatport.Fuzz -o "$out/plain" -v quiet -nologo >/dev/null
rm -rf "$out/bin" && cp -r "$out/plain" "$out/bin"
"$tools/sharpfuzz" "$out/bin/Chatport.Core.dll" >/dev/null

export AFL_SKIP_BIN_CHECK=1 AFL_SKIP_CPUFREQ=1 AFL_NO_AFFINITY=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1
crashed=0
for target in "${targets[@]}"; do
  afl-fuzz -V "$seconds" -t 10000 -m none -i "fuzz/corpus/$target" -o "$out/$target" -- dotnet "$out/bin/Chatport.Fuzz.dll" "$target" \
    >"$out/$target.log" 2>&1 || { echo "fuzz: afl-fuzz failed on $target; its output:"; tail -30 "$out/$target.log"; exit 2; }
  stats="$out/$target/default/fuzzer_stats"
  execs=$(awk -F: '/^execs_done/ {gsub(/ /, "", $2); print $2}' "$stats")
  paths=$(awk -F: '/^corpus_count/ {gsub(/ /, "", $2); print $2}' "$stats")
  crashes=$(find "$out/$target/default/crashes" -type f ! -name README.txt | wc -l)
  echo "fuzz: $target: $execs inputs in ${seconds} s, $paths paths, $crashes crash(es)"
  if [ "$crashes" -gt 0 ]; then
    crashed=1
    find "$out/$target/default/crashes" -type f ! -name README.txt | head -5 | while read -r input; do
      echo "  $input:"
      (dotnet "$out/plain/Chatport.Fuzz.dll" "$target" "$input" 2>&1 || true) | head -5 | sed 's/^/    /'
    done
  fi
done
exit $crashed
