#!/usr/bin/env bash
# The one Native AOT publish command, used by the Dockerfile and by CI.
#
#   scripts/publish-aot.sh [RID] [OUTDIR] [extra dotnet publish arguments...]
#
# RID defaults to linux-x64, OUTDIR to artifacts/aot/<RID>. The output holds the two programs the
# image ships, the server (HelloService, with appsettings.json) and the load generator
# (hello-load, src/HelloService.Load), and their symbols (*.dbg, kept out of the image).
# Any warning fails the publish: the build already treats compiler warnings as errors; trim and
# AOT analysis warnings (IL2xxx/IL3xxx from ILC) are made errors here too, one per finding
# rather than one summary per assembly, and the log is checked for any warning that slipped by.
#
# linux-arm64 on an x64 machine is cross-compiled: the SDK restores the arm64 ILCompiler package
# and links with clang for the arm64 target and aarch64-linux-gnu-objcopy for the symbols
# (scripts/install-cross-arm64.sh installs both and the arm64 C runtime; docs/arm64.md).
#
# For x64 it also places the CPU kernel's hot function on a 64-byte boundary. The function
# comes first in the managed code (src/HelloService/ilc-order.txt), but that code starts on a
# 32-byte boundary only, wherever the native code before it ends. When the kernel lands 32 bytes
# off, the binary is linked once more with a pad in front of it (a 1-byte method; the kernel, which
# has a loop, is then placed on the next 32-byte boundary). (A build whose kernel loop
# straddled two 64-byte lines burnt A(3,11) 40% slower.) On arm64 the kernel is left where it
# lands and its offset printed: that finding is x64's, and no arm64 machine here can measure one
# (docs/performance.md, "Where the kernel's code sits").
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rid="${1:-linux-x64}"
out="${2:-$repo/artifacts/aot/$rid}"
if [ $# -gt 2 ]; then shift 2; else set --; fi

# shellcheck source=scripts/common.sh
. "$repo/scripts/common.sh"

# What is published, into the one folder: the server first (the kernel placement is its
# alone), then the load generator; each project's binary name at the same index.
projects=("$repo/src/HelloService/HelloService.csproj" "$repo/src/HelloService.Load/HelloService.Load.csproj")
binaries=(HelloService hello-load)

order="$repo/src/HelloService/ilc-order.txt"
pad=HelloService_HelloService_Ackermann_AckermannKernel__LayoutPad
log="$(mktemp)"
padded_order="$(mktemp)"
trap 'rm -f "$log" "$padded_order"' EXIT

# Cross-linking for arm64 from x64 (the .NET docs' "Cross-compilation", Linux): the SDK passes
# --target=aarch64-linux-gnu to the linker driver, which clang understands and gcc does not;
# clang finds Debian's/Ubuntu's arm64 C runtime by that triple (no SysRoot: the -cross packages
# are not laid out as one), and links with aarch64-linux-gnu-ld (LinkerFlavor stays bfd).
cross=()
case "$rid:$(uname -m)" in
  linux-arm64:x86_64)
    clang="$(clang_driver)"
    if [ -z "$clang" ] || ! command -v aarch64-linux-gnu-objcopy >/dev/null; then
      echo "publish-aot: cross-publishing for $rid needs clang and the arm64 binutils and C runtime: run scripts/install-cross-arm64.sh" >&2
      exit 1
    fi
    cross=(-p:CppCompilerAndLinker="$clang" -p:ObjCopyName=aarch64-linux-gnu-objcopy)
    ;;
esac

# publish PROJECT BINARY [extra arguments...]
publish() {
  local status
  set +e
  dotnet publish "$1" \
    -c Release -r "$rid" -o "$out" \
    -p:PublishAot=true \
    -p:StripSymbols=true \
    -p:TreatWarningsAsErrors=true \
    -p:IlcTreatWarningsAsErrors=true \
    -p:TrimmerSingleWarn=false \
    "${cross[@]}" \
    -nologo -tl:off \
    "${@:3}" 2>&1 | tee "$log"
  status=${PIPESTATUS[0]}
  set -e

  if [ "$status" -ne 0 ]; then
    echo "publish-aot: dotnet publish of ${1##*/} failed ($status)" >&2
    exit "$status"
  fi
  if grep -Eq '(^|[ :])warning( [A-Z]+[0-9]+)?:' "$log"; then
    echo "publish-aot: the publish of ${1##*/} printed warnings (above); they count as failures" >&2
    exit 1
  fi
  if [ ! -x "$out/$2" ]; then
    echo "publish-aot: no native binary at $out/$2" >&2
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
for binary in "${binaries[@]}"; do
  rm -f "$out/$binary.dbg" # a stale one would be read for this build's kernel address
done

publish "${projects[0]}" HelloService -p:IlcOrderFile="$order" "$@"
if $aligned; then
  offset="$(kernel_offset)"
  if [ "$offset" -ne 0 ]; then
    echo "publish-aot: the kernel starts $offset bytes past a 64-byte boundary; linking again with a pad before it"
    {
      echo "$pad"
      cat "$order"
    } >"$padded_order"
    publish "${projects[0]}" HelloService -p:IlcOrderFile="$padded_order" "$@"
    offset="$(kernel_offset)"
    if [ "$offset" -ne 0 ]; then
      echo "publish-aot: the kernel still starts $offset bytes past a 64-byte boundary" >&2
      exit 1
    fi
  fi
  echo "publish-aot: the kernel starts on a 64-byte boundary"
elif command -v nm >/dev/null; then
  offset="$(kernel_offset)"
  echo "publish-aot: the kernel starts $offset bytes past a 64-byte boundary, left there on $rid (the 64-byte rule is an x64 measurement; docs/performance.md)"
fi

for i in "${!projects[@]}"; do
  [ "$i" -eq 0 ] || publish "${projects[$i]}" "${binaries[$i]}" "$@"
done
for binary in "${binaries[@]}"; do
  echo "publish-aot: $out/$binary ($(stat -c %s "$out/$binary") bytes, $rid)"
done
