#!/usr/bin/env bash
# The one Native AOT publish command, used by the Dockerfile and by CI.
#
#   scripts/publish-aot.sh [RID] [OUTDIR] [extra dotnet publish arguments...]
#
# RID defaults to linux-x64, OUTDIR to artifacts/aot/<RID>. The output holds the binary
# (HelloService), its symbols (HelloService.dbg, kept out of the image) and appsettings.json.
# Any warning fails the publish: the build already treats compiler warnings as errors; trim and
# AOT analysis warnings (IL2xxx/IL3xxx from ILC) are made errors here too, one per finding
# rather than one summary per assembly, and the log is checked for any warning that slipped by.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rid="${1:-linux-x64}"
out="${2:-$repo/artifacts/aot/$rid}"
if [ $# -gt 2 ]; then shift 2; else set --; fi

log="$(mktemp)"
trap 'rm -f "$log"' EXIT

set +e
dotnet publish "$repo/src/HelloService/HelloService.csproj" \
  -c Release -r "$rid" -o "$out" \
  -p:PublishAot=true \
  -p:StripSymbols=true \
  -p:TreatWarningsAsErrors=true \
  -p:IlcTreatWarningsAsErrors=true \
  -p:TrimmerSingleWarn=false \
  -nologo -tl:off \
  "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

if [ "$status" -ne 0 ]; then
  echo "publish-aot: dotnet publish failed ($status)" >&2
  exit "$status"
fi
if grep -Eq '(^|[ :])warning( [A-Z]+[0-9]+)?:' "$log"; then
  echo "publish-aot: the publish printed warnings (above); they count as failures" >&2
  exit 1
fi
if [ ! -x "$out/HelloService" ]; then
  echo "publish-aot: no native binary at $out/HelloService" >&2
  exit 1
fi
echo "publish-aot: $out/HelloService ($(stat -c %s "$out/HelloService") bytes, $rid)"
