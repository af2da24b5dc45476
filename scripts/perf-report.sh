#!/usr/bin/env bash
# Measures what only whole processes show (saturation, probe latency under a burn, cold start,
# memory) for the JIT and the Native AOT build, and prints markdown tables. Everything runs on
# 127.0.0.1; the tool starts and kills its own service processes. Builds go to artifacts/perf
# (ignored by git), so the working tree stays clean unless --write names a file.
set -euo pipefail

usage() {
  cat <<USAGE
Usage: ${0##*/} [--runs N] [--write FILE]
Publishes src/HelloService (JIT, and Native AOT through scripts/publish-aot.sh) and
tools/HelloService.Perf into artifacts/perf, measures (about 4 minutes on 2 cores) and prints
the tables. --write FILE replaces the block between <!-- generated --> and <!-- /generated -->
in FILE, e.g. --write docs/performance.md. --runs N: runs per figure (default 3).
Kernel speed and per-request overhead are BenchmarkDotNet benchmarks (benchmarks/).
USAGE
}

root=$(cd "$(dirname "$0")/.." && pwd)
tool_args=()
shown_args=()
while [ $# -gt 0 ]; do
  case $1 in
    -h | --help)
      usage
      exit 0
      ;;
    --runs | --write)
      [ $# -ge 2 ] || {
        usage >&2
        exit 2
      }
      value=$2
      [ "$1" = --write ] && value=$(realpath -e "$2")
      tool_args+=("$1" "$value")
      shown_args+=("$1" "$2")
      shift 2
      ;;
    *)
      echo "${0##*/}: unknown option: $1" >&2
      usage >&2
      exit 2
      ;;
  esac
done

case $(uname -m) in
  x86_64) rid=linux-x64 ;;
  aarch64 | arm64) rid=linux-arm64 ;;
  *)
    echo "${0##*/}: unsupported architecture $(uname -m)" >&2
    exit 1
    ;;
esac

artifacts="$root/artifacts/perf"
mkdir -p "$artifacts"
echo "publishing into $artifacts" >&2
dotnet publish "$root/src/HelloService" -c Release -o "$artifacts/jit" --nologo -v quiet >&2
bash "$root/scripts/publish-aot.sh" "$rid" "$artifacts/aot" >"$artifacts/publish-aot.log" 2>&1 \
  || {
    tail -20 "$artifacts/publish-aot.log" >&2
    exit 1
  }
dotnet publish "$root/tools/HelloService.Perf" -c Release -o "$artifacts/tool" --nologo -v quiet >&2

PERF_COMMAND="scripts/perf-report.sh${shown_args[*]:+ ${shown_args[*]}}" \
  dotnet "$artifacts/tool/HelloService.Perf.dll" report \
  --jit "$artifacts/jit/HelloService.dll" --aot "$artifacts/aot/HelloService" "${tool_args[@]}"
