#!/usr/bin/env bash
# The plain manifests of deploy/kubernetes are the Helm chart deploy/helm/kubectl-smart rendered
# with its default values (release and namespace kubectl-smart), so the two installs cannot drift.
#
#   bash scripts/deploy-manifests.sh render   # write them
#   bash scripts/deploy-manifests.sh check    # CI: lint the chart; fail if they are not what it renders
#
# namespace.yaml is not rendered: a chart installs into a namespace made by `--create-namespace`.
set -euo pipefail
cd "$(dirname "$0")/.."
helm() { bash scripts/helm.sh "$@"; }
chart=deploy/helm/kubectl-smart

render() {
  local out="$1" file="$2" what="$3"
  shift 3
  local shows=()
  for template in "$@"; do shows+=(--show-only "templates/${template}"); done
  {
    echo "# ${what}"
    echo "# Generated from the Helm chart ${chart} (release kubectl-smart, namespace kubectl-smart,"
    echo "# default values) by \`npm run deploy:render\`: edit the chart, then render."
    # cat -s: one blank line where the templates' trailing newlines leave several.
    helm template kubectl-smart "${chart}" --namespace kubectl-smart "${shows[@]}" | cat -s
  } >"${out}/${file}"
}

render_all() {
  local out="$1"
  render "$out" observer-clusterrole.yaml \
    "kubectl-smart's read-only ClusterRole (never Secrets). Apply after namespace.yaml." \
    observer-clusterrole.yaml
  render "$out" agent-rbac.yaml \
    "The agent's ServiceAccount, ClusterRoleBinding and Lease Role. Apply after observer-clusterrole.yaml." \
    serviceaccount.yaml agent-rbac.yaml
  render "$out" agent.yaml \
    "The agent's config (set its sinks), Deployment and metrics Service. Apply after agent-rbac.yaml." \
    agent-configmap.yaml agent-deployment.yaml agent-service.yaml
}

case "${1:-}" in
  render)
    render_all deploy/kubernetes
    echo "rendered deploy/kubernetes from ${chart}"
    ;;
  check)
    helm lint --strict "${chart}" >/dev/null || { helm lint --strict "${chart}" >&2; exit 1; }
    tmp="$(mktemp -d)"
    trap 'rm -rf "$tmp"' EXIT
    render_all "$tmp"
    for file in observer-clusterrole.yaml agent-rbac.yaml agent.yaml; do
      if ! diff -u "deploy/kubernetes/${file}" "${tmp}/${file}" >"${tmp}/diff"; then
        echo "deploy/kubernetes/${file} is not what the chart renders: run npm run deploy:render and commit it" >&2
        cat "${tmp}/diff" >&2
        exit 1
      fi
    done
    echo "deploy: chart lint OK; deploy/kubernetes is what the chart renders"
    ;;
  *)
    echo "usage: bash scripts/deploy-manifests.sh render|check" >&2
    exit 2
    ;;
esac
