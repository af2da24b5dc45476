#!/usr/bin/env bash
# Regenerates docs/performance.md: publishes the service (JIT and Native AOT) and the
# measuring tool, then measures on this machine. Everything runs on 127.0.0.1; the tool
# starts and kills its own server processes.
set -euo pipefail

usage() {
    cat <<USAGE
Usage: ${0##*/} [--runs N] [--out FILE] [--note TEXT]
Publishes src/HelloService (JIT and Native AOT) and tools/HelloService.Perf into artifacts/perf,
runs every measurement (about 4 minutes on 2 cores) and writes the report
(default docs/performance.md). --note adds a remark to the report, e.g. that the machine was busy.
USAGE
}

root=$(cd "$(dirname "$0")/.." && pwd)
runs=3
out="$root/docs/performance.md"
note=${PERF_NOTE:-}
while [[ $# -gt 0 ]]; do
    case $1 in
        -h | --help) usage; exit 0 ;;
        --runs) [[ $# -ge 2 && $2 =~ ^[0-9]+$ ]] || { usage >&2; exit 2; }; runs=$2; shift 2 ;;
        --out) [[ $# -ge 2 ]] || { usage >&2; exit 2; }; out=$2; shift 2 ;;
        --note) [[ $# -ge 2 ]] || { usage >&2; exit 2; }; note=$2; shift 2 ;;
        *) echo "${0##*/}: unknown option: $1" >&2; usage >&2; exit 2 ;;
    esac
done

case $(uname -m) in
    x86_64) rid=linux-x64 ;;
    aarch64 | arm64) rid=linux-arm64 ;;
    *) echo "${0##*/}: unsupported architecture $(uname -m)" >&2; exit 1 ;;
esac

artifacts="$root/artifacts/perf"
echo "publishing into $artifacts" >&2
dotnet publish "$root/src/HelloService" -c Release -o "$artifacts/jit" --nologo -v quiet
dotnet publish "$root/src/HelloService" -c Release -r "$rid" -p:PublishAot=true -o "$artifacts/aot" --nologo -v quiet
dotnet publish "$root/tools/HelloService.Perf" -c Release -o "$artifacts/tool" --nologo -v quiet

mkdir -p "$(dirname "$out")"
args=(report --jit "$artifacts/jit/HelloService.dll" --aot "$artifacts/aot/HelloService" --out "$out" --runs "$runs")
[[ -n $note ]] && args+=(--note "$note")
dotnet "$artifacts/tool/HelloService.Perf.dll" "${args[@]}" >/dev/null
echo "wrote $out" >&2
