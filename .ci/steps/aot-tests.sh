#!/usr/bin/env bash
# The process-level reliability tests again, this time against the Native AOT binary the image
# ships (published by the aot-smoke step, which runs first): SIGTERM during a burn and during
# load jobs, second signals and SIGHUP, a flood with probes, the workers' nice values, start-up
# failures, metric labels, CPU demand and load jobs under a CPU cgroup quota (cgroup v1 or v2;
# under CI a quota test that cannot make its cgroup fails).
set -euo pipefail
cd "$(dirname "$0")/../.."
binary=artifacts/aot/linux-x64/HelloService
if [ ! -x "$binary" ]; then
  echo "no $binary: the aot-smoke step publishes it (bash scripts/publish-aot.sh)"
  exit 1
fi

classes=(GracefulShutdownTests StopSignalTests FloodTests WorkerNiceTests LoadJobProcessTests
  StartupFailureTests MetricLabelTests LoadDemandTests ShippedBinaryTests)
filters=()
for class in "${classes[@]}"; do
  filters+=(--filter-class "*.$class")
done
HELLOSERVICE_BINARY=$binary bash .ci/dotnet-test.sh "${filters[@]}"
