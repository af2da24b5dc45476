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
#
# For x64 it also places the CPU kernel's hot function on a 64-byte boundary. The function
# comes first in the managed code (src/HelloService/ilc-order.txt), but that code starts on a
# 32-byte boundary only, wherever the native code before it ends. When the kernel lands 32 bytes
# off, the binary is linked once more with a pad in front of it (a 1-byte method; the kernel, which
# has a loop, is then placed on the next 32-byte boundary). (A build whose kernel loop
# straddled two 64-byte lines burnt A(3,11) 40% slower.)
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rid="${1:-linux-x64}"
out="${2:-$repo/artifacts/aot/$rid}"
if [ $# -gt 2 ]; then shift 2; else set --; fi

# shellcheck source=scripts/common.sh
. "$repo/scripts/common.sh"

order="$repo/src/HelloService/ilc-order.txt"
pad=HelloService_HelloService_Ackermann_AckermannKernel__LayoutPad
log="$(mktemp)"
padded_order="$(mktemp)"
trap 'rm -f "$log" "$padded_order"' EXIT

# publish ORDER-FILE [extra arguments...]
publish() {
  local status
  set +e
  dotnet publish "$repo/src/HelloService/HelloService.csproj" \
    -c Release -r "$rid" -o "$out" \
    -p:PublishAot=true \
    -p:StripSymbols=true \
    -p:TreatWarningsAsErrors=true \
    -p:IlcTreatWarningsAsErrors=true \
    -p:TrimmerSingleWarn=false \
    -p:IlcOrderFile="$1" \
    -nologo -tl:off \
    "${@:2}" 2>&1 | tee "$log"
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
}

# The kernel's address modulo 64, from the symbols beside the binary.
kernel_offset() {
  local address
  if [ ! -f "$out/HelloService.dbg" ]; then
    echo "publish-aot: no symbols at $out/HelloService.dbg (is StripSymbols off?); they say where the kernel landed" >&2
    exit 1
  fi
  address="$(kernel_address "$out/HelloService.dbg")"
  if [ -z "$address" ]; then
    echo "publish-aot: $kernel_symbol is not in $out/HelloService.dbg" >&2
    exit 1
  fi
  echo $((16#$address % 64))
}

aligned=false
case "$rid" in *-x64) aligned=true ;; esac
if $aligned && ! command -v nm >/dev/null; then
  echo "publish-aot: nm is missing (Debian package binutils); it reads where the kernel landed" >&2
  exit 1
fi
rm -f "$out/HelloService.dbg" # a stale one would be read for this build's kernel address
publish "$order" "$@"
if $aligned; then
  offset="$(kernel_offset)"
  if [ "$offset" -ne 0 ]; then
    echo "publish-aot: the kernel starts $offset bytes past a 64-byte boundary; linking again with a pad before it"
    {
      echo "$pad"
      cat "$order"
    } >"$padded_order"
    publish "$padded_order" "$@"
    offset="$(kernel_offset)"
    if [ "$offset" -ne 0 ]; then
      echo "publish-aot: the kernel still starts $offset bytes past a 64-byte boundary" >&2
      exit 1
    fi
  fi
  echo "publish-aot: the kernel starts on a 64-byte boundary"
fi
echo "publish-aot: $out/HelloService ($(stat -c %s "$out/HelloService") bytes, $rid)"
