#!/usr/bin/env bash
# Runs helm at the pinned version, built from its Go module on first use (a few minutes): these
# machines reach the Go module proxy, not helm's release downloads.
exec bash "$(dirname "$0")/go-tool.sh" helm helm.sh/helm/v4/cmd/helm v4.3.1 "$@"
