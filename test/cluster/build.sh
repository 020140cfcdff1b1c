#!/usr/bin/env bash
# Builds the test control plane into a cache directory outside the repo:
#
#   ${SMART_CLUSTER_CACHE:-$HOME/.cache/kubectl-smart/cluster}/<key>/bin/
#       testcluster   multi-call binary: etcd | kube-apiserver | kube-controller-manager | kube-scheduler | pki | version
#       kwok          sigs.k8s.io/kwok/cmd/kwok (own module graph: it pins older k8s.io/* modules)
#       metrics-server sigs.k8s.io/metrics-server/cmd/metrics-server (own module graph too), scraping
#                     the kubelet metrics KWOK plays (started only by the tests that want a Metrics API)
#   …/<key>/kwok/crds/*.yaml     kwok's CRDs (Stage, Logs, ClusterLogs, …) from the kwok module source
#   …/<key>/kwok/stages/*.yaml   kwok's upstream node/pod stages (node-fast, heartbeat-with-lease, pod-fast)
#   …/<key>/kwok/metrics/*.yaml  kwok's Metric (a kubelet's /metrics/resource) and usage-from-annotation
#
# <key> names the pinned versions plus a hash of this module's sources, so a
# change of version or of the Go code gives a new directory; a key whose
# binaries exist is not rebuilt. Go's own build and module caches stay where Go
# keeps them (outside the repo).
#
# The last line on stdout is the bin directory.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
K8S_VERSION="v1.37.2"
KWOK_VERSION="v0.8.0"
METRICS_SERVER_VERSION="v0.9.0"

cache_root="${SMART_CLUSTER_CACHE:-$HOME/.cache/kubectl-smart/cluster}"
go_version="$(go env GOVERSION)"
src_hash="$( (cd "$here" && cat go.mod go.sum ./*.go build.sh) | sha256sum | cut -c1-12)"
key="k8s-${K8S_VERSION}_kwok-${KWOK_VERSION}_ms-${METRICS_SERVER_VERSION}_${go_version}_${src_hash}"
bin="${cache_root}/${key}/bin"

assets="${cache_root}/${key}/kwok"
if [[ -x "${bin}/testcluster" && -x "${bin}/kwok" && -x "${bin}/metrics-server" && -f "${assets}/.done" ]]; then
  echo "cluster binaries cached (${key})" >&2
  echo "${bin}"
  exit 0
fi

mkdir -p "${bin}"
tmp="$(mktemp -d "${cache_root}/${key}/build.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

export GOFLAGS="${GOFLAGS:--p=2}"
nice_cmd=(nice -n 10)

start=$(date +%s)
if [[ ! -x "${bin}/testcluster" ]]; then
  echo "building testcluster (k8s ${K8S_VERSION}); a cold build takes several minutes…" >&2
  minor="${K8S_VERSION#v1.}"; minor="${minor%%.*}"
  ldflags="-s -w"
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ldflags+=" -X ${pkg}.gitVersion=${K8S_VERSION} -X ${pkg}.gitMajor=1 -X ${pkg}.gitMinor=${minor}"
    ldflags+=" -X ${pkg}.gitTreeState=clean -X ${pkg}.buildDate=1970-01-01T00:00:00Z"
  done
  (cd "$here" && "${nice_cmd[@]}" go build -trimpath -ldflags "${ldflags}" -o "${tmp}/testcluster" .) >&2
  mv "${tmp}/testcluster" "${bin}/testcluster"
fi
if [[ ! -x "${bin}/kwok" ]]; then
  echo "building kwok ${KWOK_VERSION}…" >&2
  # kwok's own go.mod decides its dependencies; GOFLAGS=-mod=mod does not apply to `go install pkg@version`.
  (cd "$tmp" && GOFLAGS=-p=2 GOBIN="$tmp" "${nice_cmd[@]}" go install -trimpath -ldflags "-s -w" "sigs.k8s.io/kwok/cmd/kwok@${KWOK_VERSION}") >&2
  mv "${tmp}/kwok" "${bin}/kwok"
fi
if [[ ! -x "${bin}/metrics-server" ]]; then
  echo "building metrics-server ${METRICS_SERVER_VERSION}…" >&2
  (cd "$tmp" && GOFLAGS=-p=2 GOBIN="$tmp" "${nice_cmd[@]}" go install -trimpath -ldflags "-s -w" "sigs.k8s.io/metrics-server/cmd/metrics-server@${METRICS_SERVER_VERSION}") >&2
  mv "${tmp}/metrics-server" "${bin}/metrics-server"
fi
if [[ ! -f "${assets}/.done" ]]; then
  kwok_src="$(cd "$tmp" && GOFLAGS= go mod download -json "sigs.k8s.io/kwok@${KWOK_VERSION}" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
  [[ -d "${kwok_src}" ]] || { echo "kwok module source not found" >&2; exit 1; }
  rm -rf "${assets}"; mkdir -p "${assets}/crds" "${assets}/stages" "${assets}/metrics"
  cp "${kwok_src}"/kustomize/crd/bases/*.yaml "${assets}/crds/"
  for f in node/fast/node-initialize.yaml node/heartbeat-with-lease/node-heartbeat-with-lease.yaml \
           pod/fast/pod-ready.yaml pod/fast/pod-complete.yaml pod/fast/pod-delete.yaml; do
    cp "${kwok_src}/kustomize/stage/${f}" "${assets}/stages/"
  done
  cp "${kwok_src}/kustomize/metrics/resource/metrics-resource.yaml" \
     "${kwok_src}/kustomize/metrics/usage/usage-from-annotation.yaml" "${assets}/metrics/"
  chmod -R u+w "${assets}"
  touch "${assets}/.done"
fi
echo "built in $(( $(date +%s) - start ))s" >&2
echo "${bin}"
