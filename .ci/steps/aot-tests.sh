#!/usr/bin/env bash
# The process-level tests again, this time against the Native AOT binary the image ships
# (published by the aot-smoke step, which runs first): SIGTERM during a burn and during load jobs,
# second signals and SIGHUP, a flood with probes, the workers' nice values, start-up failures and
# lines, the command line, wrong-port answers, silent connections, metric labels, every status of
# every documented endpoint, cpuMs per request, the any-address bind, CPU demand and load jobs under
# a CPU cgroup quota (cgroup v1 or v2; under CI a quota test that cannot make its cgroup fails).
# Under .ci/run its output also goes to $log_dir/test-aot.log, whose summary joins the CI totals.
# An entry below that matches no test (a class renamed or deleted) fails the step.
set -euo pipefail
cd "$(dirname "$0")/../.."
binary=artifacts/aot/linux-x64/HelloService
if [ ! -x "$binary" ]; then
  echo "no $binary: the aot-smoke step publishes it (bash scripts/publish-aot.sh)"
  exit 1
fi

# A class, or Class.Method for the one process-level test of a class whose other tests run in-process.
tests=(GracefulShutdownTests StopSignalTests FloodTests WorkerNiceTests LoadJobProcessTests
  StartupFailureTests MetricLabelTests LoadDemandTests ShippedBinaryTests StartupLinesTests
  WrongPortTests SilentConnectionTests StatusSweepTests CpuMsClaimTests BindAnyAddressTests
  CommandLineTests.TheBinaryAnswersWithoutBindingEitherPort
  LoadJobLifetimeTests.InTheProcessAt16ProcessorsPatchRacingDeleteOrTheEndLeavesNothingBurning)
# Method filters only: xunit ANDs a class filter with a method filter.
pattern() { # the method filter of one entry
  case $1 in
    *.*) echo "*.$1" ;;
    *) echo "*.$1.*" ;;
  esac
}
filters=()
for test in "${tests[@]}"; do
  filters+=(--filter-method "$(pattern "$test")")
done

log=/dev/null
[ -n "${log_dir:-}" ] && log=$log_dir/test-aot.log
status=0
HELLOSERVICE_BINARY=$binary bash .ci/dotnet-test.sh "${filters[@]}" 2>&1 | tee "$log" || status=$?

# The run built the test assembly; its own runner lists what each entry selects.
runner=tests/HelloService.Tests/bin/Debug/net10.0/HelloService.Tests
for test in "${tests[@]}"; do
  if ! "$runner" -list methods -method "$(pattern "$test")" | grep -q "\.$test"; then
    echo "aot-tests: '$test' matches no test: renamed or deleted? Update the list in $0"
    status=1
  fi
done
exit "$status"
