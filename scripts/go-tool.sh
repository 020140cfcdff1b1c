#!/usr/bin/env bash
# Runs a Go tool at a pinned version, built with `go install` from its module on first use into a
# cache outside the repo (${SMART_TOOLS_CACHE:-$HOME/.cache/kubectl-smart/tools}/NAME-VERSION), so
# a second run, and CI's next one, start at once.
#
#   bash scripts/go-tool.sh NAME PACKAGE VERSION [ARGS…]
set -euo pipefail
name="$1" package="$2" version="$3"
shift 3
dir="${SMART_TOOLS_CACHE:-$HOME/.cache/kubectl-smart/tools}/${name}-${version}"
if [[ ! -x "${dir}/${name}" ]]; then
  command -v go >/dev/null || { echo "${name}: needs Go (1.26 or newer) to build ${name} ${version}" >&2; exit 1; }
  echo "building ${name} ${version} (once)…" >&2
  mkdir -p "${dir}"
  (cd "${TMPDIR:-/tmp}" && GOFLAGS=-p=2 GOBIN="${dir}" nice -n 10 go install "${package}@${version}") >&2
fi
exec "${dir}/${name}" "$@"
