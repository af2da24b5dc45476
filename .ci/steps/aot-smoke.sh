#!/usr/bin/env bash
# Publishes the Native AOT binary with the same script the Dockerfile runs (any trim/AOT
# warning fails it), then runs it as a process on loopback: ready, /hello-world, /metrics,
# SIGTERM and exit 0. Prints the binary size, start-to-ready time and idle RSS.
set -euo pipefail
cd "$(dirname "$0")/../.."
rm -rf artifacts/aot
bash scripts/smoke-aot.sh
