import type { Rule } from './rule.js';
import { containerConfigError } from './rules/container-config-error.js';
import { crashLoop } from './rules/crash-loop.js';
import { cronJobProblem } from './rules/cronjob-problem.js';
import { daemonSetMisscheduled } from './rules/daemonset-misscheduled.js';
import { hpaAtMax } from './rules/hpa-at-max.js';
import { imagePull } from './rules/image-pull.js';
import { jobFailed } from './rules/job-failed.js';
import { missingDependency } from './rules/missing-dependency.js';
import { missingRequestsLimits } from './rules/missing-requests-limits.js';
import { nodeNotReady } from './rules/node-not-ready.js';
import { outOfMemory } from './rules/out-of-memory.js';
import { pdbNoDisruptions } from './rules/pdb-no-disruptions.js';
import { pendingUnschedulable } from './rules/pending-unschedulable.js';
import { podEvicted } from './rules/pod-evicted.js';
import { probeFailure } from './rules/probe-failure.js';
import { quotaNearLimit } from './rules/quota-near-limit.js';
import { replicaSetFailedCreate } from './rules/replicaset-failed-create.js';
import { serviceEndpoints } from './rules/service-endpoints.js';
import { statefulSetGoverningService } from './rules/statefulset-governing-service.js';
import { tlsExpiring } from './rules/tls-expiring.js';
import { workloadUnavailable } from './rules/workload-unavailable.js';

/** Every analyzer, in the order their findings are listed when scores tie. */
export const RULES: readonly Rule[] = [
  containerConfigError,
  crashLoop,
  imagePull,
  missingDependency,
  outOfMemory,
  probeFailure,
  podEvicted,
  pendingUnschedulable,
  nodeNotReady,
  replicaSetFailedCreate,
  jobFailed,
  cronJobProblem,
  statefulSetGoverningService,
  daemonSetMisscheduled,
  workloadUnavailable,
  serviceEndpoints,
  hpaAtMax,
  pdbNoDisruptions,
  quotaNearLimit,
  missingRequestsLimits,
  tlsExpiring,
];
