#!/usr/bin/env bash
# Runs the test suite as CI does (fast tests, then slow ones) RUNS times in a row, each run with
# its own xUnit randomization seed, so test collections and the tests within them run in a
# different order every time. Stops at the first failing run and names its seed, so the order can
# be replayed: dotnet test -- --seed SEED --filter-not-trait Category=Slow
# Usage: scripts/repeat-tests.sh [RUNS] [FIRST-SEED] (defaults 10 and 1). About 2.5 minutes a run.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-10}
first=${2:-1}
dotnet build tests/HelloService.Tests -v quiet -nologo >/dev/null
# As in CI, the slow tests that need the Native AOT binary find it published.
bash scripts/publish-aot.sh >/dev/null
log=$(mktemp)
for ((seed = first; seed < first + runs; seed++)); do
  for selection in "--filter-not-trait Category=Slow" "--filter-trait Category=Slow"; do
    # shellcheck disable=SC2086 # the selection is two words
    if ! timeout 900 dotnet test --no-build -- --seed "$seed" $selection >"$log" 2>&1; then
      grep -E "^(failed|error)|Assert|Exception" "$log" | head -40
      echo "repeat-tests: run with seed $seed ($selection) FAILED; full log: $log"
      exit 1
    fi
    summary=$(grep -E "^[[:space:]]+(total|failed|succeeded|skipped):" "$log" | tr -s ' \n' ' ' || true)
    echo "seed $seed ${selection#--filter-}: passed ($summary)"
  done
done
rm -f "$log"
echo "repeat-tests: $runs runs passed (seeds $first to $((first + runs - 1)))"
