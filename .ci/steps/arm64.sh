#!/usr/bin/env bash
# The arm64 build, proven on this x64 machine: installs the cross toolchain and the emulator
# when missing (the script the Dockerfile runs too), cross-publishes for linux-arm64 with the
# publish command the Dockerfile runs (any trim/AOT warning fails it), then runs the binaries
# under qemu's user-mode emulation (scripts/smoke-arm64.sh): sizes, time to ready, one line per
# answer. Fails when the arm64 binary does not start, answer or stop cleanly.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=artifacts/aot/linux-arm64
timeout 600 bash scripts/install-cross-arm64.sh --emulator
rm -rf "$out"
timeout 900 bash scripts/publish-aot.sh linux-arm64 "$out"
timeout 600 bash scripts/smoke-arm64.sh "$out"
