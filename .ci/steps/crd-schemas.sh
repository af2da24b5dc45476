#!/usr/bin/env bash
# Installs the Prometheus Operator CRD schemas (npm @kubernetes-models/prometheus-operator, pinned
# by package-lock.json) into the git-ignored node_modules that OperatorObjectTests validates with.
set -euo pipefail
cd "$(dirname "$0")/../../tests/HelloService.Tests/Observability/.crd-validation"
if ! command -v npm >/dev/null || ! command -v node >/dev/null; then
  apt-get update -qq && apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi
npm ci --no-audit --no-fund --loglevel=error
echo "CRD schemas: $(node -e 'console.log(JSON.parse(require("fs").readFileSync("node_modules/@kubernetes-models/prometheus-operator/package.json")).version)') installed"
