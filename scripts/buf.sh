#!/usr/bin/env bash
# Runs buf (lint, breaking, generate) at the pinned version, built from its Go module on first use;
# buf's npm package needs an install script, which this repo does not run.
exec bash "$(dirname "$0")/go-tool.sh" buf github.com/bufbuild/buf/cmd/buf v1.75.0 "$@"
