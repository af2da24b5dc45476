#!/usr/bin/env bash
# Installs the Prometheus Operator CRD schemas (npm @kubernetes-models/prometheus-operator, pinned
# by package-lock.json) into the git-ignored node_modules that OperatorObjectTests validates with.
# .ci/run runs it before the tests (the tests never run npm); on a developer's machine, run it once:
#   bash .ci/crd-schemas.sh      (needs node and npm: apt-get install nodejs npm)
set -euo pipefail
cd "$(dirname "$0")/../tests/HelloService.Tests/Observability/.crd-validation"
for tool in node npm; do
  command -v "$tool" >/dev/null || {
    echo "$tool not found (Debian packages nodejs and npm)" >&2
    exit 1
  }
done
npm ci --no-audit --no-fund --loglevel=error
echo "CRD schemas: $(node -e 'console.log(JSON.parse(require("fs").readFileSync("node_modules/@kubernetes-models/prometheus-operator/package.json")).version)') installed"
