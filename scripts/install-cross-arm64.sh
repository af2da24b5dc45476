#!/usr/bin/env bash
# Installs what scripts/publish-aot.sh needs to publish for linux-arm64 on an x64 Debian or
# Ubuntu machine, with apt-get and only what is missing. The Dockerfile's build stage and the CI
# step .ci/steps/arm64.sh both run it, so the image and CI link with the same packages.
#
#   scripts/install-cross-arm64.sh [--emulator]
#
# Native AOT links the target's binary with a C compiler driver (docs: "Cross-compilation",
# Linux): clang, which emits for any target it is given (publish-aot.sh passes --target through
# the SDK), the target's objcopy for StripSymbols, and the target's C runtime objects. Debian's
# and Ubuntu's gcc-aarch64-linux-gnu brings the last two (binutils-aarch64-linux-gnu, the arm64
# libgcc and libc6-dev-arm64-cross under /usr/aarch64-linux-gnu), where clang finds them by the
# target triple. zlib needs no arm64 package: the .NET 10 Native AOT runtime pack ships its own
# libz.a, so no foreign architecture (dpkg --add-architecture) is needed either.
#
# clang is installed only when no clang driver is on PATH: installing Debian's clang where only
# clang-NN is would also move this machine's x64 publishes from gcc to clang.
#
# --emulator also installs what runs the arm64 binary here: qemu-user-static (user-mode
# emulation, with the sysroot above as its library path) and file.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/common.sh
. "$repo/scripts/common.sh"

emulator=false
case "${1:-}" in
  "") ;;
  --emulator) emulator=true ;;
  *)
    echo "usage: ${0##*/} [--emulator]" >&2
    exit 2
    ;;
esac

packages=(gcc-aarch64-linux-gnu libc6-dev-arm64-cross)
if $emulator; then packages+=(qemu-user-static file); fi

installed() { [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]; }

missing=()
for package in "${packages[@]}"; do
  installed "$package" || missing+=("$package")
done
[ -n "$(clang_driver)" ] || missing+=(clang)

if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-cross-arm64: all there (${packages[*]}, $(clang_driver))"
  exit 0
fi
echo "install-cross-arm64: installing ${missing[*]}"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
export DEBIAN_FRONTEND=noninteractive
{ apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >"$log" 2>&1 || {
  tail -n 20 "$log" >&2
  echo "install-cross-arm64: apt-get failed (above)" >&2
  exit 1
}
[ -n "$(clang_driver)" ] || {
  echo "install-cross-arm64: still no clang on PATH after installing clang" >&2
  exit 1
}
