#!/usr/bin/env bash
# Measures load jobs (/load/cpu) against resource-consumer's method, change/stop/shutdown, and a
# 900m CPU quota; appends the tables to the file given (default: load-jobs-figures.md) and prints them.
# Usage: scripts/measure-load-jobs.sh [OUT] ; environment: MEASURE_SHARES=262144 runs the measured
# processes in a cgroup of that cpu.shares (root; cgroup v1, or v2 as the equivalent cpu.weight),
# so other builds on a shared machine do not decide the figures; MEASURE_WORKER_NICE=N overrides
# HelloWorld__WorkerNice. About 4 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(realpath -m "${1:-load-jobs-figures.md}")
echo "## $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), MEASURE_SHARES=${MEASURE_SHARES:-0}" >>"$out"
dotnet build tests/HelloService.Tests -v quiet -nologo >/dev/null
MEASURE_LOAD_JOBS=1 MEASURE_OUT="$out" timeout 900 dotnet test --project tests/HelloService.Tests --no-build -- \
  --filter-class '*LoadJobMeasurement*' >/dev/null || {
  echo "measurement failed" >&2
  exit 1
}
cat "$out"
