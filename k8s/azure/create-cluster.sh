#!/usr/bin/env bash
# AKS cluster for the demo, with the cluster autoscaler AKS runs for you (no manifest to
# apply) and metrics-server already installed. Needs the Azure CLI, logged in (`az login`).
#
#   k8s/azure/create-cluster.sh                 # defaults below
#   RESOURCE_GROUP=rg-demo LOCATION=northeurope ACR_NAME=myregistry k8s/azure/create-cluster.sh
#
# Delete everything afterwards with: az group delete --name "$RESOURCE_GROUP" --yes --no-wait
set -euo pipefail

RESOURCE_GROUP="${RESOURCE_GROUP:-helloservice-demo}"
LOCATION="${LOCATION:-westeurope}"
CLUSTER="${CLUSTER:-helloservice-demo}"
# Standard_D2s_v5: 2 vCPU, 8 GiB, not burstable; ~1900m allocatable CPU holds two 700m pods.
NODE_VM_SIZE="${NODE_VM_SIZE:-Standard_D2s_v5}"
# Empty: the region's default version. Set e.g. 1.32 to match kubectl; check what the region
# offers with `az aks get-versions --location "$LOCATION" -o table`.
KUBERNETES_VERSION="${KUBERNETES_VERSION:-}"
# Optional: an existing Azure Container Registry the nodes may pull from (k8s/README.md).
ACR_NAME="${ACR_NAME:-}"

version_args=()
if [ -n "$KUBERNETES_VERSION" ]; then
  version_args=(--kubernetes-version "$KUBERNETES_VERSION")
fi
acr_args=()
if [ -n "$ACR_NAME" ]; then
  acr_args=(--attach-acr "$ACR_NAME")
fi

az group create --name "$RESOURCE_GROUP" --location "$LOCATION" --output none

# Two nodes at least, five at most. scale-down-unneeded-time=10m: a node the pods no longer
# need goes after ten minutes; scan-interval=10s is AKS's default, stated for the record.
az aks create \
  --resource-group "$RESOURCE_GROUP" \
  --name "$CLUSTER" \
  --location "$LOCATION" \
  "${version_args[@]}" \
  --node-count 2 \
  --node-vm-size "$NODE_VM_SIZE" \
  --enable-cluster-autoscaler \
  --min-count 2 \
  --max-count 5 \
  --cluster-autoscaler-profile scale-down-unneeded-time=10m scan-interval=10s \
  --network-plugin azure \
  --network-plugin-mode overlay \
  --generate-ssh-keys \
  "${acr_args[@]}" \
  --output none

az aks get-credentials --resource-group "$RESOURCE_GROUP" --name "$CLUSTER" --overwrite-existing
kubectl get nodes -o wide
