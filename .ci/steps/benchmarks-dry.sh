#!/usr/bin/env bash
# Proves every BenchmarkDotNet benchmark still builds and runs once (--job dry); judges no speed.
set -euo pipefail
cd "$(dirname "$0")/../.."
# BenchmarkDotNet refuses assemblies under the temp folder (its shadow-copy check), and CI may
# clone into /tmp: point the temp folder somewhere that cannot contain the repository.
export TMPDIR="$PWD/artifacts/tmp"
mkdir -p "$TMPDIR"
dotnet run -c Release --project benchmarks/HelloService.Benchmarks -- --filter '*' --job dry --artifacts artifacts/bdn
