/** Kinds that run pods from a template and count their replicas. */
export const WORKLOAD_KINDS: readonly string[] = [
  'Deployment',
  'ReplicaSet',
  'StatefulSet',
  'DaemonSet',
  'Job',
  'ReplicationController',
];
