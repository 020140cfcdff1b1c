#!/usr/bin/env bash
# The IncidentContext contract in CI: buf lint; buf breaking against the previous commit's proto/
# (a landing change may add fields, never renumber, retype or remove one); and the generated
# TypeScript in src/gen is what buf generates from proto/ now.
set -euo pipefail
cd "$(dirname "$0")/.."
buf() { bash scripts/buf.sh "$@"; }

buf lint
if git rev-parse -q --verify HEAD~1 >/dev/null && [[ -n "$(git ls-tree -d HEAD~1 proto)" ]]; then
  buf breaking --against ".git#ref=HEAD~1"
else
  echo "buf breaking: no proto/ in the previous commit; nothing to compare against" >&2
fi
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
buf generate --output "$tmp" >/dev/null
if ! diff -r "$tmp/src/gen" src/gen >/dev/null; then
  echo "src/gen is not what buf generates from proto/: run npm run proto:generate and commit it" >&2
  diff -r "$tmp/src/gen" src/gen >&2 || true
  exit 1
fi
echo "proto: lint, breaking and generated code OK"
