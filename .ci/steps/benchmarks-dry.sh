#!/usr/bin/env bash
# Proves every BenchmarkDotNet benchmark still builds and runs once (--job dry); judges no speed.
set -euo pipefail
cd "$(dirname "$0")/../.."
dotnet run -c Release --project benchmarks/HelloService.Benchmarks -- --filter '*' --job dry --artifacts /tmp/helloservice-bdn
