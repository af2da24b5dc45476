# syntax=docker/dockerfile:1
# HelloService as a Native AOT binary on Ubuntu Chiseled runtime-deps (no shell, no package
# manager, non-root). Build for the machine you are on:
#   docker build -t helloservice:1.0.0 .
# or for both architectures from an amd64 builder (docs/arm64.md):
#   docker buildx build --platform linux/amd64,linux/arm64 -t <registry>/helloservice:1.0.0 --push .
ARG SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:10.0-noble-aot
ARG RUNTIME_IMAGE=mcr.microsoft.com/dotnet/runtime-deps:10.0-noble-chiseled

# The SDK stage runs on the builder's own platform: emulating the compiler under QEMU is slow
# and fragile. Native AOT needs a C toolchain for the target, which the -aot SDK image has for
# its own architecture; for arm64 on an amd64 builder the next step adds a cross toolchain.
FROM --platform=$BUILDPLATFORM ${SDK_IMAGE} AS build
ARG TARGETARCH
ARG BUILDARCH
WORKDIR /source

# Cross-compilation: the script and packages CI uses to cross-publish the arm64 binary and run it
# under emulation (.ci/steps/arm64.sh), so the image cannot drift from what CI proved. Only arm64
# on amd64 is cross-built; each architecture also builds natively on its own kind of builder.
COPY scripts/common.sh scripts/install-cross-arm64.sh scripts/
RUN <<'SH'
set -eu
: "${TARGETARCH:?build with BuildKit (docker build / docker buildx build), which sets TARGETARCH}"
[ "$TARGETARCH" = "$BUILDARCH" ] && exit 0
if [ "$TARGETARCH" != arm64 ] || [ "$BUILDARCH" != amd64 ]; then
  echo "cross-building $TARGETARCH on a $BUILDARCH builder is not supported: build arm64 on amd64, or each architecture natively" >&2
  exit 1
fi
bash scripts/install-cross-arm64.sh
rm -rf /var/lib/apt/lists/*
SH

# Restore as its own layer: it changes only when the project or package versions change.
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/HelloService/HelloService.csproj src/HelloService/
COPY src/HelloService.Contracts/HelloService.Contracts.csproj src/HelloService.Contracts/
COPY src/HelloService.Load/HelloService.Load.csproj src/HelloService.Load/
RUN <<'SH'
set -eu
case "$TARGETARCH" in amd64) rid=linux-x64 ;; arm64) rid=linux-arm64 ;; *) exit 1 ;; esac
echo "$rid" > /tmp/rid
for project in src/HelloService/HelloService.csproj src/HelloService.Load/HelloService.Load.csproj; do
  dotnet restore "$project" -r "$rid" -p:PublishAot=true
done
SH

# Then the sources, and the same publish command CI uses.
COPY . .
RUN scripts/publish-aot.sh "$(cat /tmp/rid)" /app

FROM ${RUNTIME_IMAGE} AS final
WORKDIR /app
# Only the two programs (the service and the load generator, k8s/load-generator/job.yaml) and the
# service's settings: the .dbg symbols stay in the build stage (and in CI artifacts).
COPY --from=build /app/HelloService /app/hello-load /app/appsettings.json ./
# The base image sets ASPNETCORE_HTTP_PORTS=8080; the service binds its own two ports
# (Server__AppPort, Server__ManagementPort), and Kestrel would warn that it ignores 8080.
ENV ASPNETCORE_HTTP_PORTS=
# 9000: /hello-world. 9001: probes, /info, /metrics (keep it inside the cluster).
EXPOSE 9000 9001
# The chiseled image's unprivileged "app" user (UID 1654). No HEALTHCHECK: there is no shell or
# curl in the image, and Kubernetes uses its own probes (k8s/base/deployment.yaml).
USER $APP_UID
ENTRYPOINT ["./HelloService"]
