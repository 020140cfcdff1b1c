#!/usr/bin/env bash
# Builds the Go peer of the incident contract into a cache outside the repo:
#
#   ${SMART_TOOLS_CACHE:-$HOME/.cache/kubectl-smart/tools}/grpc-peer-<key>/grpcpeer
#
# Each build generates the Go code afresh from proto/ (buf with protoc-gen-go and
# protoc-gen-go-grpc at pinned versions, built by `go install` into the same cache), in a copy of
# this module, so the peer always speaks the contract as it is in the checkout. <key> hashes the
# proto files, this module's sources and the pinned versions; a key already built is not rebuilt.
#
# The last line on stdout is the binary's path.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "${here}/../.." && pwd)"
PROTOC_GEN_GO_VERSION="v1.36.12"
PROTOC_GEN_GO_GRPC_VERSION="v1.6.2"

tools="${SMART_TOOLS_CACHE:-$HOME/.cache/kubectl-smart/tools}"
plugins="${tools}/protoc-gen-go-${PROTOC_GEN_GO_VERSION}_grpc-${PROTOC_GEN_GO_GRPC_VERSION}"
key="$( (cd "$repo" && cat buf.yaml $(find proto -name '*.proto' | sort) && cd "$here" && cat go.mod go.sum main.go buf.gen.go.yaml build.sh && go env GOVERSION && echo "${plugins}") | sha256sum | cut -c1-12)"
out="${tools}/grpc-peer-${key}"
if [[ -x "${out}/grpcpeer" ]]; then
  echo "${out}/grpcpeer"
  exit 0
fi

export GOFLAGS="${GOFLAGS:--p=2}"
if [[ ! -x "${plugins}/protoc-gen-go" || ! -x "${plugins}/protoc-gen-go-grpc" ]]; then
  echo "building protoc-gen-go ${PROTOC_GEN_GO_VERSION} and protoc-gen-go-grpc ${PROTOC_GEN_GO_GRPC_VERSION} (once)…" >&2
  mkdir -p "${plugins}"
  (cd "${TMPDIR:-/tmp}" &&
    GOBIN="${plugins}" nice -n 10 go install "google.golang.org/protobuf/cmd/protoc-gen-go@${PROTOC_GEN_GO_VERSION}" &&
    GOBIN="${plugins}" nice -n 10 go install "google.golang.org/grpc/cmd/protoc-gen-go-grpc@${PROTOC_GEN_GO_GRPC_VERSION}") >&2
fi

mkdir -p "${tools}"
work="$(mktemp -d "${tools}/grpc-peer-build.XXXXXX")"
trap 'rm -rf "$work"' EXIT
cp "${here}/go.mod" "${here}/go.sum" "${here}/main.go" "${work}/"
echo "generating Go from proto/ and building the peer…" >&2
(cd "$repo" && PATH="${plugins}:${PATH}" bash scripts/buf.sh generate \
  --template "${here}/buf.gen.go.yaml" --path proto/kubectl_smart --output "${work}") >&2
(cd "$work" && nice -n 10 go build -trimpath -o "${work}/grpcpeer" .) >&2
mkdir -p "${out}"
mv "${work}/grpcpeer" "${out}/grpcpeer"
echo "${out}/grpcpeer"
