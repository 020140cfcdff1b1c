import type { Rule } from './rule.js';
import { changeSuspect } from './rules/change-suspect.js';
import { chaosExperiment } from './rules/chaos-experiment.js';
import { conditionFailing } from './rules/condition-failing.js';
import { containerConfigError } from './rules/container-config-error.js';
import { containerCreateError } from './rules/container-create-error.js';
import { callPortUnserved } from './rules/call-port-unserved.js';
import { crashLoop } from './rules/crash-loop.js';
import { cronJobProblem } from './rules/cronjob-problem.js';
import { daemonSetMisscheduled } from './rules/daemonset-misscheduled.js';
import { dependencyRejectsCredentials } from './rules/dependency-rejects-credentials.js';
import { dependencyUnreachable } from './rules/dependency-unreachable.js';
import { dnsPolicyClusterNames } from './rules/dns-policy-cluster-names.js';
import { deprecatedApi } from './rules/deprecated-api.js';
import { eventOnlyWarnings } from './rules/event-only-warnings.js';
import { hpaAtMax } from './rules/hpa-at-max.js';
import { imagePull } from './rules/image-pull.js';
import { initContainerFailure } from './rules/init-container-failure.js';
import { jobFailed } from './rules/job-failed.js';
import { missingDependency } from './rules/missing-dependency.js';
import { missingRequestsLimits } from './rules/missing-requests-limits.js';
import { nakedPod } from './rules/naked-pod.js';
import { networkPolicyBlocksCallers } from './rules/network-policy-blocks-callers.js';
import { networkPolicySelectsNothing } from './rules/network-policy-selects-nothing.js';
import { nodeNotReady } from './rules/node-not-ready.js';
import { outOfMemory } from './rules/out-of-memory.js';
import { pdbNoDisruptions } from './rules/pdb-no-disruptions.js';
import { pendingUnschedulable } from './rules/pending-unschedulable.js';
import { podEvicted } from './rules/pod-evicted.js';
import { podFailed } from './rules/pod-failed.js';
import { podStuckCreating } from './rules/pod-stuck-creating.js';
import { podStuckTerminating } from './rules/pod-stuck-terminating.js';
import { probeFailure } from './rules/probe-failure.js';
import { pvUnusable } from './rules/pv-unusable.js';
import { pvcPending } from './rules/pvc-pending.js';
import { quotaNearLimit } from './rules/quota-near-limit.js';
import { recentChange } from './rules/recent-change.js';
import { replicaSetFailedCreate } from './rules/replicaset-failed-create.js';
import { restartFlapping } from './rules/restart-flapping.js';
import { serviceEndpoints } from './rules/service-endpoints.js';
import { serviceTargetPort } from './rules/service-target-port.js';
import { statefulSetGoverningService } from './rules/statefulset-governing-service.js';
import { tlsExpiring } from './rules/tls-expiring.js';
import { webhookBackendUnready } from './rules/webhook-backend-unready.js';
import { workloadUnavailable } from './rules/workload-unavailable.js';

/** Every analyzer, in the order their findings are listed when scores tie. */
export const RULES: readonly Rule[] = [
  recentChange,
  changeSuspect,
  chaosExperiment,
  containerConfigError,
  containerCreateError,
  crashLoop,
  initContainerFailure,
  imagePull,
  missingDependency,
  dependencyRejectsCredentials,
  outOfMemory,
  probeFailure,
  restartFlapping,
  podEvicted,
  podFailed,
  pendingUnschedulable,
  podStuckCreating,
  pvcPending,
  pvUnusable,
  nodeNotReady,
  podStuckTerminating,
  replicaSetFailedCreate,
  jobFailed,
  cronJobProblem,
  statefulSetGoverningService,
  daemonSetMisscheduled,
  workloadUnavailable,
  serviceEndpoints,
  serviceTargetPort,
  callPortUnserved,
  dnsPolicyClusterNames,
  dependencyUnreachable,
  webhookBackendUnready,
  networkPolicyBlocksCallers,
  networkPolicySelectsNothing,
  hpaAtMax,
  pdbNoDisruptions,
  quotaNearLimit,
  missingRequestsLimits,
  deprecatedApi,
  tlsExpiring,
  nakedPod,
  eventOnlyWarnings,
  conditionFailing,
];
