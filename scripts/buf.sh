#!/usr/bin/env bash
# Runs buf (lint, breaking, generate) at the pinned version, built from its Go module on first use
# into a cache outside the repo (${SMART_TOOLS_CACHE:-$HOME/.cache/kubectl-smart/tools}); buf's npm
# package needs an install script, which this repo does not run.
set -euo pipefail
BUF_VERSION="v1.75.0"
dir="${SMART_TOOLS_CACHE:-$HOME/.cache/kubectl-smart/tools}/buf-${BUF_VERSION}"
if [[ ! -x "${dir}/buf" ]]; then
  command -v go >/dev/null || { echo "buf: needs Go (1.26 or newer) to build buf ${BUF_VERSION}" >&2; exit 1; }
  echo "building buf ${BUF_VERSION} (once)…" >&2
  mkdir -p "${dir}"
  (cd "${TMPDIR:-/tmp}" && GOFLAGS=-p=2 GOBIN="${dir}" nice -n 10 go install "github.com/bufbuild/buf/cmd/buf@${BUF_VERSION}") >&2
fi
exec "${dir}/buf" "$@"
