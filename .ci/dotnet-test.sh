#!/usr/bin/env bash
# The README's test command, `dotnet test`, with CI's hang limit: when no test starts or ends for
# 5 minutes (the longest test takes well under 2), the test platform's hang extension
# (Microsoft.Testing.Extensions.HangDump, no dump written) kills the test process, the run fails,
# and the tests still running are printed. Used by .ci/run and .ci/steps/aot-tests.sh.
# Usage: bash .ci/dotnet-test.sh [TEST-PLATFORM-OPTIONS...], e.g. --filter-trait Category=Slow
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
readonly HANG=5m
results=$(mktemp -d)
dotnet test --results-directory "$results" -- --hangdump --hangdump-timeout "$HANG" --hangdump-type None "$@"
status=$?
for hang in "$results"/*_hang.log; do
  [ -f "$hang" ] || continue
  echo "no test started or ended for $HANG: the test process was killed while these ran:"
  cat "$hang"
done
rm -rf "$results"
exit "$status"
