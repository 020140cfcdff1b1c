#!/usr/bin/env bash
# Runs helm at the pinned version, built from its Go module on first use into a cache outside the
# repo (${SMART_TOOLS_CACHE:-$HOME/.cache/kubectl-smart/tools}), as scripts/buf.sh does for buf:
# these machines reach the Go module proxy, not helm's release downloads.
set -euo pipefail
HELM_VERSION="v4.3.1"
dir="${SMART_TOOLS_CACHE:-$HOME/.cache/kubectl-smart/tools}/helm-${HELM_VERSION}"
if [[ ! -x "${dir}/helm" ]]; then
  command -v go >/dev/null || { echo "helm: needs Go (1.26 or newer) to build helm ${HELM_VERSION}" >&2; exit 1; }
  echo "building helm ${HELM_VERSION} (once, a few minutes)…" >&2
  mkdir -p "${dir}"
  (cd "${TMPDIR:-/tmp}" && GOFLAGS=-p=2 GOBIN="${dir}" nice -n 10 go install "helm.sh/helm/v4/cmd/helm@${HELM_VERSION}") >&2
fi
exec "${dir}/helm" "$@"
