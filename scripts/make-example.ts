/**
 * Writes examples/shop-outage/: a small cluster in the layout of `kubectl cluster-info dump
 * --output-directory`, plus the kinds that dump leaves out, as `kubectl get -o json` Lists.
 *
 * The story: at 03:04 someone rolled `api` (strategy Recreate) to read CACHE_SIZE from ConfigMap
 * api-config, which has no such key. Every new pod sits in CreateContainerConfigError, the Service
 * has no ready endpoints, the Ingress serves 503s. Unrelated, `payments` cannot pull its image: its
 * ServiceAccount names pull Secret `regcred`, which was deleted. `db` is healthy.
 * Messages are the kubelet's and controllers' own wording. Run: node scripts/make-example.ts
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('../examples/shop-outage/', import.meta.url).pathname;
const ns = 'shop';
let rv = 48_210;
let uidCounter = 0;
const uid = (): string =>
  `5c0e${(++uidCounter).toString(16).padStart(4, '0')}-9a1b-4c2d-8e3f-${(0x1a2b3c4d5e6f + uidCounter).toString(16)}`;
const at = (minute: number, second = 0): string =>
  `2026-11-20T03:${String(minute).padStart(2, '0')}:${String(second).padStart(2, '0')}Z`;
const meta = (
  name: string,
  created: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> => ({
  name,
  namespace: ns,
  uid: uid(),
  resourceVersion: String(rv++),
  creationTimestamp: created,
  ...extra,
});
const owner = (
  kind: string,
  apiVersion: string,
  o: { metadata: Record<string, unknown> },
): Record<string, unknown> => ({
  apiVersion,
  kind,
  name: o.metadata.name,
  uid: o.metadata.uid,
  controller: true,
  blockOwnerDeletion: true,
});
const list = (kind: string, apiVersion: string, items: unknown[]): unknown => ({
  kind: `${kind}List`,
  apiVersion,
  metadata: { resourceVersion: String(rv) },
  items,
});

// Nodes
const node = (name: string, ip: string): Record<string, unknown> => ({
  kind: 'Node',
  apiVersion: 'v1',
  metadata: {
    name,
    uid: uid(),
    resourceVersion: String(rv++),
    creationTimestamp: '2026-10-02T08:00:00Z',
    labels: {
      'kubernetes.io/hostname': name,
      'kubernetes.io/os': 'linux',
      'topology.kubernetes.io/zone': 'eu-west-1a',
    },
  },
  spec: { podCIDR: '10.244.1.0/24' },
  status: {
    capacity: { cpu: '4', memory: '16318284Ki', pods: '110', 'ephemeral-storage': '102350828Ki' },
    allocatable: { cpu: '3920m', memory: '15167308Ki', pods: '110', 'ephemeral-storage': '94326620036' },
    conditions: [
      {
        type: 'MemoryPressure',
        status: 'False',
        lastHeartbeatTime: at(11, 40),
        lastTransitionTime: '2026-10-02T08:01:00Z',
        reason: 'KubeletHasSufficientMemory',
        message: 'kubelet has sufficient memory available',
      },
      {
        type: 'DiskPressure',
        status: 'False',
        lastHeartbeatTime: at(11, 40),
        lastTransitionTime: '2026-10-02T08:01:00Z',
        reason: 'KubeletHasNoDiskPressure',
        message: 'kubelet has no disk pressure',
      },
      {
        type: 'PIDPressure',
        status: 'False',
        lastHeartbeatTime: at(11, 40),
        lastTransitionTime: '2026-10-02T08:01:00Z',
        reason: 'KubeletHasSufficientPID',
        message: 'kubelet has sufficient PID available',
      },
      {
        type: 'Ready',
        status: 'True',
        lastHeartbeatTime: at(11, 40),
        lastTransitionTime: '2026-10-02T08:01:30Z',
        reason: 'KubeletReady',
        message: 'kubelet is posting ready status',
      },
    ],
    addresses: [
      { type: 'InternalIP', address: ip },
      { type: 'Hostname', address: name },
    ],
    nodeInfo: {
      kubeletVersion: 'v1.34.2',
      containerRuntimeVersion: 'containerd://2.1.4',
      osImage: 'Debian GNU/Linux 12 (bookworm)',
      architecture: 'amd64',
      operatingSystem: 'linux',
    },
  },
});
const nodes = [node('worker-1', '10.0.1.11'), node('worker-2', '10.0.1.12')];

// Config
const apiConfig = {
  kind: 'ConfigMap',
  apiVersion: 'v1',
  metadata: meta('api-config', '2026-11-02T10:00:00Z', { labels: { app: 'api' } }),
  data: {
    LOG_LEVEL: 'info',
    CACHE_TTL: '300s',
    'application.yaml': 'server:\n  port: 8080\ncache:\n  ttl: 300s\n',
  },
};
const rootCa = {
  kind: 'ConfigMap',
  apiVersion: 'v1',
  metadata: meta('kube-root-ca.crt', '2026-10-02T08:05:00Z'),
  data: {
    'ca.crt':
      '-----BEGIN CERTIFICATE-----\nMIIC/jCCAeagAwIBAgIBADANBgkqhkiG9w0BAQsFADAVMRMwEQYDVQQDEwprdWJl\n-----END CERTIFICATE-----\n',
  },
};
const apiDb = {
  kind: 'Secret',
  apiVersion: 'v1',
  type: 'Opaque',
  metadata: meta('api-db', '2026-11-02T10:00:00Z'),
  data: { DB_PASSWORD: 'ZXhhbXBsZS1ub3QtYS1yZWFsLXBhc3N3b3Jk', DB_USER: 'YXBp' },
};
const shopTls = {
  kind: 'Secret',
  apiVersion: 'v1',
  type: 'kubernetes.io/tls',
  metadata: meta('shop-tls', '2026-09-01T09:00:00Z'),
  data: { 'tls.crt': 'LS0tLS1CRUdJTi1leGFtcGxlLS0tLS0=', 'tls.key': 'LS0tLS1CRUdJTi1leGFtcGxlLWtleS0tLS0t' },
};
const saApi = { kind: 'ServiceAccount', apiVersion: 'v1', metadata: meta('api', '2026-11-02T10:00:00Z') };
const saPayments = {
  kind: 'ServiceAccount',
  apiVersion: 'v1',
  metadata: meta('payments', '2026-11-02T10:00:00Z'),
  imagePullSecrets: [{ name: 'regcred' }],
};
const saDefault = {
  kind: 'ServiceAccount',
  apiVersion: 'v1',
  metadata: meta('default', '2026-10-02T08:05:00Z'),
};

// Workloads
const apiLabels = { app: 'api', 'app.kubernetes.io/part-of': 'shop' };
const apiPodSpec = {
  serviceAccountName: 'api',
  priorityClassName: 'shop-critical',
  containers: [
    {
      name: 'api',
      image: 'registry.example.com/shop/api:1.15.0',
      ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
      env: [
        { name: 'CACHE_SIZE', valueFrom: { configMapKeyRef: { name: 'api-config', key: 'CACHE_SIZE' } } },
        { name: 'LOG_LEVEL', valueFrom: { configMapKeyRef: { name: 'api-config', key: 'LOG_LEVEL' } } },
      ],
      envFrom: [{ secretRef: { name: 'api-db' } }],
      resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '512Mi' } },
      readinessProbe: {
        httpGet: { path: '/healthz', port: 'http', scheme: 'HTTP' },
        periodSeconds: 5,
        failureThreshold: 3,
        successThreshold: 1,
        timeoutSeconds: 1,
      },
      volumeMounts: [
        { name: 'config', mountPath: '/etc/api' },
        {
          name: 'kube-api-access-7xk2p',
          mountPath: '/var/run/secrets/kubernetes.io/serviceaccount',
          readOnly: true,
        },
      ],
    },
  ],
  volumes: [
    {
      name: 'config',
      configMap: { name: 'api-config', items: [{ key: 'application.yaml', path: 'application.yaml' }] },
    },
    {
      name: 'kube-api-access-7xk2p',
      projected: {
        sources: [
          { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
          { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        ],
      },
    },
  ],
};
const apiDeploy = {
  kind: 'Deployment',
  apiVersion: 'apps/v1',
  metadata: meta('api', '2026-11-02T10:00:00Z', {
    labels: apiLabels,
    generation: 7,
    annotations: {
      'deployment.kubernetes.io/revision': '7',
      'kubernetes.io/change-cause': 'read CACHE_SIZE from api-config (CHG-4411)',
    },
  }),
  spec: {
    replicas: 3,
    selector: { matchLabels: { app: 'api' } },
    strategy: { type: 'Recreate' },
    progressDeadlineSeconds: 600,
    revisionHistoryLimit: 10,
    template: { metadata: { labels: apiLabels }, spec: apiPodSpec },
  },
  status: {
    observedGeneration: 7,
    replicas: 3,
    updatedReplicas: 3,
    unavailableReplicas: 3,
    conditions: [
      {
        type: 'Available',
        status: 'False',
        lastUpdateTime: at(4, 2),
        lastTransitionTime: at(4, 2),
        reason: 'MinimumReplicasUnavailable',
        message: 'Deployment does not have minimum availability.',
      },
      {
        type: 'Progressing',
        status: 'True',
        lastUpdateTime: at(4, 3),
        lastTransitionTime: at(4, 3),
        reason: 'ReplicaSetUpdated',
        message: 'ReplicaSet "api-6f7d9c8b5d" is progressing.',
      },
    ],
  },
};
const rs = (
  name: string,
  hash: string,
  replicas: number,
  revision: string,
  created: string,
  spec: unknown,
  deploy: typeof apiDeploy,
  labels: Record<string, string>,
): Record<string, unknown> => ({
  kind: 'ReplicaSet',
  apiVersion: 'apps/v1',
  metadata: meta(name, created, {
    labels: { ...labels, 'pod-template-hash': hash },
    annotations: {
      'deployment.kubernetes.io/desired-replicas': String(deploy.spec.replicas),
      'deployment.kubernetes.io/max-replicas': String(deploy.spec.replicas),
      'deployment.kubernetes.io/revision': revision,
    },
    ownerReferences: [owner('Deployment', 'apps/v1', deploy)],
  }),
  spec: {
    replicas,
    selector: { matchLabels: { app: labels.app ?? '', 'pod-template-hash': hash } },
    template: { metadata: { labels: { ...labels, 'pod-template-hash': hash } }, spec },
  },
  status: {
    replicas,
    fullyLabeledReplicas: replicas,
    observedGeneration: 2,
    ...(replicas > 0 && name.startsWith('db')
      ? { readyReplicas: replicas, availableReplicas: replicas }
      : {}),
  },
});
const apiRsNew = rs('api-6f7d9c8b5d', '6f7d9c8b5d', 3, '7', at(4, 2), apiPodSpec, apiDeploy, apiLabels);
const apiRsOld = rs(
  'api-59b8f6c7d4',
  '59b8f6c7d4',
  0,
  '6',
  '2026-11-18T14:20:00Z',
  apiPodSpec,
  apiDeploy,
  apiLabels,
);

const waitingPod = (
  name: string,
  rsObj: Record<string, unknown>,
  spec: Record<string, unknown>,
  labels: Record<string, string>,
  nodeName: string,
  ip: string,
  container: Record<string, unknown>,
): Record<string, unknown> => ({
  kind: 'Pod',
  apiVersion: 'v1',
  metadata: meta(name, at(4, 2), {
    generateName: `${(rsObj.metadata as { name: string }).name}-`,
    labels,
    ownerReferences: [owner('ReplicaSet', 'apps/v1', rsObj as { metadata: Record<string, unknown> })],
  }),
  spec: {
    ...spec,
    nodeName,
    restartPolicy: 'Always',
    terminationGracePeriodSeconds: 30,
    dnsPolicy: 'ClusterFirst',
    schedulerName: 'default-scheduler',
    enableServiceLinks: true,
    preemptionPolicy: 'PreemptLowerPriority',
    priority: 1000000,
  },
  status: {
    phase: 'Pending',
    conditions: [
      {
        type: 'PodReadyToStartContainers',
        status: 'True',
        lastProbeTime: null,
        lastTransitionTime: at(4, 4),
      },
      { type: 'Initialized', status: 'True', lastProbeTime: null, lastTransitionTime: at(4, 2) },
      {
        type: 'Ready',
        status: 'False',
        lastProbeTime: null,
        lastTransitionTime: at(4, 2),
        reason: 'ContainersNotReady',
        message: `containers with unready status: [${String(container.name)}]`,
      },
      {
        type: 'ContainersReady',
        status: 'False',
        lastProbeTime: null,
        lastTransitionTime: at(4, 2),
        reason: 'ContainersNotReady',
        message: `containers with unready status: [${String(container.name)}]`,
      },
      { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: at(4, 2) },
    ],
    hostIP: ip,
    hostIPs: [{ ip }],
    podIP: `10.244.${nodeName === 'worker-1' ? 1 : 2}.${(uidCounter % 200) + 10}`,
    startTime: at(4, 2),
    qosClass: 'Burstable',
    containerStatuses: [container],
  },
});
const configError = {
  name: 'api',
  state: {
    waiting: {
      reason: 'CreateContainerConfigError',
      message: "couldn't find key CACHE_SIZE in ConfigMap shop/api-config",
    },
  },
  lastState: {},
  ready: false,
  restartCount: 0,
  image: 'registry.example.com/shop/api:1.15.0',
  imageID: '',
  started: false,
};
const apiPods = [
  waitingPod(
    'api-6f7d9c8b5d-2xk9p',
    apiRsNew,
    apiPodSpec,
    { ...apiLabels, 'pod-template-hash': '6f7d9c8b5d' },
    'worker-1',
    '10.0.1.11',
    configError,
  ),
  waitingPod(
    'api-6f7d9c8b5d-7fmnq',
    apiRsNew,
    apiPodSpec,
    { ...apiLabels, 'pod-template-hash': '6f7d9c8b5d' },
    'worker-2',
    '10.0.1.12',
    configError,
  ),
  waitingPod(
    'api-6f7d9c8b5d-w4z8r',
    apiRsNew,
    apiPodSpec,
    { ...apiLabels, 'pod-template-hash': '6f7d9c8b5d' },
    'worker-1',
    '10.0.1.11',
    configError,
  ),
];

const paymentsLabels = { app: 'payments', 'app.kubernetes.io/part-of': 'shop' };
const paymentsSpec = {
  serviceAccountName: 'payments',
  containers: [
    {
      name: 'payments',
      image: 'registry.example.com/shop/payments:2.4.1',
      ports: [{ name: 'http', containerPort: 9090, protocol: 'TCP' }],
      resources: { requests: { cpu: '100m', memory: '128Mi' } },
    },
  ],
};
const paymentsDeploy = {
  kind: 'Deployment',
  apiVersion: 'apps/v1',
  metadata: meta('payments', '2026-11-02T10:00:00Z', {
    labels: paymentsLabels,
    generation: 3,
    annotations: { 'deployment.kubernetes.io/revision': '3' },
  }),
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: 'payments' } },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
    progressDeadlineSeconds: 600,
    template: { metadata: { labels: paymentsLabels }, spec: paymentsSpec },
  },
  status: {
    observedGeneration: 3,
    replicas: 1,
    updatedReplicas: 1,
    unavailableReplicas: 1,
    conditions: [
      {
        type: 'Available',
        status: 'False',
        lastUpdateTime: at(6, 10),
        lastTransitionTime: at(6, 10),
        reason: 'MinimumReplicasUnavailable',
        message: 'Deployment does not have minimum availability.',
      },
    ],
  },
};
const paymentsRs = rs(
  'payments-7c9d8f6b4',
  '7c9d8f6b4',
  1,
  '3',
  at(6, 10),
  paymentsSpec,
  paymentsDeploy as unknown as typeof apiDeploy,
  paymentsLabels,
);
const paymentsPod = waitingPod(
  'payments-7c9d8f6b4-q8j2x',
  paymentsRs,
  paymentsSpec,
  { ...paymentsLabels, 'pod-template-hash': '7c9d8f6b4' },
  'worker-2',
  '10.0.1.12',
  {
    name: 'payments',
    state: {
      waiting: {
        reason: 'ImagePullBackOff',
        message: 'Back-off pulling image "registry.example.com/shop/payments:2.4.1"',
      },
    },
    lastState: {},
    ready: false,
    restartCount: 0,
    image: 'registry.example.com/shop/payments:2.4.1',
    imageID: '',
    started: false,
  },
);

const dbLabels = { app: 'db', 'app.kubernetes.io/part-of': 'shop' };
const dbSpec = {
  serviceAccountName: 'default',
  containers: [
    {
      name: 'postgres',
      image: 'postgres:16.4',
      ports: [{ name: 'pg', containerPort: 5432, protocol: 'TCP' }],
      volumeMounts: [{ name: 'data', mountPath: '/var/lib/postgresql/data' }],
    },
  ],
};
const dbSts = {
  kind: 'StatefulSet',
  apiVersion: 'apps/v1',
  metadata: meta('db', '2026-10-02T09:00:00Z', { labels: dbLabels, generation: 1 }),
  spec: {
    replicas: 1,
    serviceName: 'db',
    selector: { matchLabels: { app: 'db' } },
    template: { metadata: { labels: dbLabels }, spec: dbSpec },
    volumeClaimTemplates: [
      {
        metadata: { name: 'data' },
        spec: {
          accessModes: ['ReadWriteOnce'],
          storageClassName: 'standard',
          resources: { requests: { storage: '20Gi' } },
        },
      },
    ],
  },
  status: {
    observedGeneration: 1,
    replicas: 1,
    readyReplicas: 1,
    currentReplicas: 1,
    updatedReplicas: 1,
    availableReplicas: 1,
    currentRevision: 'db-5d9b7c6f8',
    updateRevision: 'db-5d9b7c6f8',
  },
};
const dbPod = {
  kind: 'Pod',
  apiVersion: 'v1',
  metadata: meta('db-0', '2026-11-15T07:30:00Z', {
    generateName: 'db-',
    labels: {
      ...dbLabels,
      'statefulset.kubernetes.io/pod-name': 'db-0',
      'apps.kubernetes.io/pod-index': '0',
    },
    ownerReferences: [owner('StatefulSet', 'apps/v1', dbSts)],
  }),
  spec: {
    ...dbSpec,
    nodeName: 'worker-2',
    hostname: 'db-0',
    subdomain: 'db',
    restartPolicy: 'Always',
    volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data-db-0' } }],
  },
  status: {
    phase: 'Running',
    conditions: [
      {
        type: 'Initialized',
        status: 'True',
        lastProbeTime: null,
        lastTransitionTime: '2026-11-15T07:30:00Z',
      },
      { type: 'Ready', status: 'True', lastProbeTime: null, lastTransitionTime: '2026-11-15T07:30:09Z' },
      {
        type: 'ContainersReady',
        status: 'True',
        lastProbeTime: null,
        lastTransitionTime: '2026-11-15T07:30:09Z',
      },
      {
        type: 'PodScheduled',
        status: 'True',
        lastProbeTime: null,
        lastTransitionTime: '2026-11-15T07:30:00Z',
      },
    ],
    hostIP: '10.0.1.12',
    podIP: '10.244.2.31',
    startTime: '2026-11-15T07:30:00Z',
    qosClass: 'BestEffort',
    containerStatuses: [
      {
        name: 'postgres',
        state: { running: { startedAt: '2026-11-15T07:30:08Z' } },
        lastState: {},
        ready: true,
        restartCount: 0,
        image: 'docker.io/library/postgres:16.4',
        imageID:
          'docker.io/library/postgres@sha256:1d1b3f8a4c7e3a6b2f0d9e8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a',
        started: true,
      },
    ],
  },
};
const pvc = {
  kind: 'PersistentVolumeClaim',
  apiVersion: 'v1',
  metadata: meta('data-db-0', '2026-10-02T09:00:01Z', {
    labels: { app: 'db' },
    annotations: {
      'pv.kubernetes.io/bind-completed': 'yes',
      'volume.kubernetes.io/storage-provisioner': 'ebs.csi.aws.com',
    },
  }),
  spec: {
    accessModes: ['ReadWriteOnce'],
    resources: { requests: { storage: '20Gi' } },
    storageClassName: 'standard',
    volumeMode: 'Filesystem',
    volumeName: 'pvc-8b1e4c2a-7d3f-4e5a-9c6b-0f1e2d3c4b5a',
  },
  status: { phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: '20Gi' } },
};
const pv = {
  kind: 'PersistentVolume',
  apiVersion: 'v1',
  metadata: {
    name: 'pvc-8b1e4c2a-7d3f-4e5a-9c6b-0f1e2d3c4b5a',
    uid: uid(),
    resourceVersion: String(rv++),
    creationTimestamp: '2026-10-02T09:00:04Z',
    annotations: { 'pv.kubernetes.io/provisioned-by': 'ebs.csi.aws.com' },
  },
  spec: {
    accessModes: ['ReadWriteOnce'],
    capacity: { storage: '20Gi' },
    claimRef: { kind: 'PersistentVolumeClaim', namespace: ns, name: 'data-db-0', apiVersion: 'v1' },
    csi: { driver: 'ebs.csi.aws.com', volumeHandle: 'vol-0a1b2c3d4e5f60718', fsType: 'ext4' },
    persistentVolumeReclaimPolicy: 'Delete',
    storageClassName: 'standard',
    volumeMode: 'Filesystem',
  },
  status: { phase: 'Bound' },
};
const sc = {
  kind: 'StorageClass',
  apiVersion: 'storage.k8s.io/v1',
  metadata: {
    name: 'standard',
    uid: uid(),
    resourceVersion: String(rv++),
    creationTimestamp: '2026-10-02T08:00:00Z',
    annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' },
  },
  provisioner: 'ebs.csi.aws.com',
  reclaimPolicy: 'Delete',
  volumeBindingMode: 'WaitForFirstConsumer',
  allowVolumeExpansion: true,
  parameters: { type: 'gp3' },
};
const priority = {
  kind: 'PriorityClass',
  apiVersion: 'scheduling.k8s.io/v1',
  metadata: {
    name: 'shop-critical',
    uid: uid(),
    resourceVersion: String(rv++),
    creationTimestamp: '2026-10-02T08:10:00Z',
  },
  value: 1000000,
  globalDefault: false,
  preemptionPolicy: 'PreemptLowerPriority',
  description: 'customer-facing shop services',
};
const ingressClass = {
  kind: 'IngressClass',
  apiVersion: 'networking.k8s.io/v1',
  metadata: {
    name: 'nginx',
    uid: uid(),
    resourceVersion: String(rv++),
    creationTimestamp: '2026-10-02T08:10:00Z',
  },
  spec: { controller: 'k8s.io/ingress-nginx' },
};

// Networking and policy
const service = (
  name: string,
  selector: Record<string, string>,
  port: number,
  targetPort: string,
  clusterIP: string,
): Record<string, unknown> => ({
  kind: 'Service',
  apiVersion: 'v1',
  metadata: meta(name, '2026-11-02T10:00:00Z', { labels: selector }),
  spec: {
    type: 'ClusterIP',
    selector,
    ports: [{ name: 'http', protocol: 'TCP', port, targetPort }],
    clusterIP,
    clusterIPs: [clusterIP],
    sessionAffinity: 'None',
    ipFamilies: ['IPv4'],
    ipFamilyPolicy: 'SingleStack',
    internalTrafficPolicy: 'Cluster',
  },
  status: { loadBalancer: {} },
});
const services = [
  service('api', { app: 'api' }, 80, 'http', '10.96.14.201'),
  service('payments', { app: 'payments' }, 80, 'http', '10.96.14.202'),
  // A StatefulSet's governing Service is headless: it names each pod (db-0.db) instead of balancing.
  service('db', { app: 'db' }, 5432, 'pg', 'None'),
];
const endpointSlice = (
  name: string,
  serviceName: string,
  pods: Record<string, unknown>[],
  ready: boolean,
  port: number,
): Record<string, unknown> => ({
  kind: 'EndpointSlice',
  apiVersion: 'discovery.k8s.io/v1',
  metadata: meta(name, '2026-11-02T10:00:01Z', {
    generateName: `${serviceName}-`,
    labels: {
      'kubernetes.io/service-name': serviceName,
      'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
    },
  }),
  addressType: 'IPv4',
  endpoints: pods.map((p) => ({
    addresses: [(p.status as { podIP: string }).podIP],
    conditions: { ready, serving: ready, terminating: false },
    nodeName: (p.spec as { nodeName: string }).nodeName,
    targetRef: {
      kind: 'Pod',
      namespace: ns,
      name: (p.metadata as { name: string }).name,
      uid: (p.metadata as { uid: string }).uid,
    },
  })),
  ports: [{ name: 'http', port, protocol: 'TCP' }],
});
const slices = [
  endpointSlice('api-h7x2k', 'api', apiPods, false, 8080),
  endpointSlice('payments-k2m9d', 'payments', [paymentsPod], false, 9090),
  endpointSlice('db-p4r8s', 'db', [dbPod], true, 5432),
];
const ingress = {
  kind: 'Ingress',
  apiVersion: 'networking.k8s.io/v1',
  metadata: meta('shop', '2026-11-02T10:00:00Z', {
    annotations: { 'nginx.ingress.kubernetes.io/proxy-body-size': '8m' },
  }),
  spec: {
    ingressClassName: 'nginx',
    tls: [{ hosts: ['shop.example.com'], secretName: 'shop-tls' }],
    rules: [
      {
        host: 'shop.example.com',
        http: {
          paths: [
            { path: '/api', pathType: 'Prefix', backend: { service: { name: 'api', port: { number: 80 } } } },
            {
              path: '/pay',
              pathType: 'Prefix',
              backend: { service: { name: 'payments', port: { name: 'http' } } },
            },
          ],
        },
      },
    ],
  },
  status: { loadBalancer: { ingress: [{ ip: '203.0.113.40' }] } },
};
const hpa = {
  kind: 'HorizontalPodAutoscaler',
  apiVersion: 'autoscaling/v2',
  metadata: meta('api', '2026-11-02T10:00:00Z'),
  spec: {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' },
    minReplicas: 3,
    maxReplicas: 10,
    metrics: [
      {
        type: 'Resource',
        resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } },
      },
    ],
  },
  status: {
    currentReplicas: 3,
    desiredReplicas: 3,
    currentMetrics: null,
    conditions: [
      {
        type: 'AbleToScale',
        status: 'True',
        lastTransitionTime: '2026-11-02T10:00:15Z',
        reason: 'SucceededGetScale',
        message: "the HPA controller was able to get the target's current scale",
      },
      {
        type: 'ScalingActive',
        status: 'False',
        lastTransitionTime: at(4, 32),
        reason: 'FailedGetResourceMetric',
        message:
          'the HPA was unable to compute the replica count: failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API',
      },
    ],
  },
};
const pdb = {
  kind: 'PodDisruptionBudget',
  apiVersion: 'policy/v1',
  metadata: meta('api', '2026-11-02T10:00:00Z'),
  spec: { minAvailable: 2, selector: { matchLabels: { app: 'api' } } },
  status: {
    observedGeneration: 1,
    disruptionsAllowed: 0,
    currentHealthy: 0,
    desiredHealthy: 2,
    expectedPods: 3,
    conditions: [
      {
        type: 'DisruptionAllowed',
        status: 'False',
        observedGeneration: 1,
        lastTransitionTime: at(4, 3),
        reason: 'InsufficientPods',
        message: '',
      },
    ],
  },
};
const netpol = {
  kind: 'NetworkPolicy',
  apiVersion: 'networking.k8s.io/v1',
  metadata: meta('api-from-ingress', '2026-11-02T10:00:00Z'),
  spec: {
    podSelector: { matchLabels: { app: 'api' } },
    policyTypes: ['Ingress'],
    ingress: [
      {
        from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }],
        ports: [{ protocol: 'TCP', port: 8080 }],
      },
    ],
  },
};
const role = {
  kind: 'Role',
  apiVersion: 'rbac.authorization.k8s.io/v1',
  metadata: meta('config-reader', '2026-11-02T10:00:00Z'),
  rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch'] }],
};
const roleBinding = {
  kind: 'RoleBinding',
  apiVersion: 'rbac.authorization.k8s.io/v1',
  metadata: meta('api-config-reader', '2026-11-02T10:00:00Z'),
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'config-reader' },
  subjects: [
    { kind: 'ServiceAccount', name: 'api', namespace: ns },
    { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'oncall@example.com' },
  ],
};

// Events, as the kubelet and controllers write them (core/v1, with count and timestamps).
const event = (
  involved: Record<string, unknown>,
  reason: string,
  type: string,
  message: string,
  first: string,
  last: string,
  count: number,
  source: Record<string, string>,
  fieldPath?: string,
): Record<string, unknown> => {
  const m = involved.metadata as { name: string; uid: string; resourceVersion: string };
  return {
    kind: 'Event',
    apiVersion: 'v1',
    metadata: meta(
      `${m.name}.${(0x187a3c0d2e4f0000 + ++uidCounter * 7919).toString(16).slice(0, 16)}`,
      first,
    ),
    involvedObject: {
      kind: involved.kind,
      namespace: ns,
      name: m.name,
      uid: m.uid,
      apiVersion: involved.apiVersion,
      resourceVersion: m.resourceVersion,
      ...(fieldPath === undefined ? {} : { fieldPath }),
    },
    reason,
    message,
    source,
    firstTimestamp: first,
    lastTimestamp: last,
    count,
    type,
    eventTime: null,
    reportingComponent: source.component ?? '',
    reportingInstance: source.host ?? '',
  };
};
const kubelet = (host: string): Record<string, string> => ({ component: 'kubelet', host });
const events: unknown[] = [
  event(
    apiDeploy,
    'ScalingReplicaSet',
    'Normal',
    'Scaled down replica set api-59b8f6c7d4 from 3 to 0',
    at(4, 1),
    at(4, 1),
    1,
    { component: 'deployment-controller' },
  ),
  event(
    apiDeploy,
    'ScalingReplicaSet',
    'Normal',
    'Scaled up replica set api-6f7d9c8b5d from 0 to 3',
    at(4, 2),
    at(4, 2),
    1,
    { component: 'deployment-controller' },
  ),
  ...apiPods.map((p) =>
    event(
      apiRsNew,
      'SuccessfulCreate',
      'Normal',
      `Created pod: ${(p.metadata as { name: string }).name}`,
      at(4, 2),
      at(4, 2),
      1,
      { component: 'replicaset-controller' },
    ),
  ),
  ...apiPods.flatMap((p, i) => {
    const host = (p.spec as { nodeName: string }).nodeName;
    return [
      {
        ...event(
          p,
          'Scheduled',
          'Normal',
          `Successfully assigned shop/${(p.metadata as { name: string }).name} to ${host}`,
          at(4, 2),
          at(4, 2),
          1,
          { component: 'default-scheduler' },
        ),
      },
      event(
        p,
        'Pulled',
        'Normal',
        'Container image "registry.example.com/shop/api:1.15.0" already present on machine',
        at(4, 4),
        at(11, 30 + i),
        38 - i,
        kubelet(host),
        'spec.containers{api}',
      ),
      event(
        p,
        'Failed',
        'Warning',
        "Error: couldn't find key CACHE_SIZE in ConfigMap shop/api-config",
        at(4, 4),
        at(11, 30 + i),
        38 - i,
        kubelet(host),
        'spec.containers{api}',
      ),
    ];
  }),
  event(
    hpa,
    'FailedGetResourceMetric',
    'Warning',
    'failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API',
    at(4, 32),
    at(11, 32),
    15,
    { component: 'horizontal-pod-autoscaler' },
  ),
  event(
    paymentsPod,
    'Scheduled',
    'Normal',
    'Successfully assigned shop/payments-7c9d8f6b4-q8j2x to worker-2',
    at(6, 10),
    at(6, 10),
    1,
    { component: 'default-scheduler' },
  ),
  event(
    paymentsPod,
    'Pulling',
    'Normal',
    'Pulling image "registry.example.com/shop/payments:2.4.1"',
    at(6, 11),
    at(11, 2),
    6,
    kubelet('worker-2'),
    'spec.containers{payments}',
  ),
  event(
    paymentsPod,
    'Failed',
    'Warning',
    'Failed to pull image "registry.example.com/shop/payments:2.4.1": failed to pull and unpack image "registry.example.com/shop/payments:2.4.1": failed to resolve reference "registry.example.com/shop/payments:2.4.1": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed',
    at(6, 12),
    at(11, 3),
    6,
    kubelet('worker-2'),
    'spec.containers{payments}',
  ),
  event(
    paymentsPod,
    'Failed',
    'Warning',
    'Error: ErrImagePull',
    at(6, 12),
    at(11, 3),
    6,
    kubelet('worker-2'),
    'spec.containers{payments}',
  ),
  event(
    paymentsPod,
    'BackOff',
    'Normal',
    'Back-off pulling image "registry.example.com/shop/payments:2.4.1"',
    at(6, 13),
    at(11, 38),
    29,
    kubelet('worker-2'),
    'spec.containers{payments}',
  ),
  event(
    paymentsPod,
    'Failed',
    'Warning',
    'Error: ImagePullBackOff',
    at(6, 13),
    at(11, 38),
    29,
    kubelet('worker-2'),
    'spec.containers{payments}',
  ),
];

// Write the dump layout.
rmSync(root, { recursive: true, force: true });
const write = (path: string, value: unknown): void => {
  mkdirSync(join(root, path, '..'), { recursive: true });
  writeFileSync(join(root, path), `${JSON.stringify(value, null, 4)}\n`);
};
write('nodes.json', list('Node', 'v1', nodes));
write('shop/events.json', list('Event', 'v1', events));
write('shop/replicationcontrollers.json', list('ReplicationController', 'v1', []));
write('shop/services.json', list('Service', 'v1', services));
write('shop/daemonsets.json', list('DaemonSet', 'apps/v1', []));
write('shop/deployments.json', list('Deployment', 'apps/v1', [apiDeploy, paymentsDeploy]));
write('shop/replicasets.json', list('ReplicaSet', 'apps/v1', [apiRsNew, apiRsOld, paymentsRs]));
write('shop/pods.json', list('Pod', 'v1', [...apiPods, paymentsPod, dbPod]));
// What cluster-info dump leaves out, added with `kubectl get -n shop -o json …`:
write('shop/configmaps.json', list('ConfigMap', 'v1', [apiConfig, rootCa]));
write('shop/secrets.json', list('Secret', 'v1', [apiDb, shopTls]));
write('shop/serviceaccounts.json', list('ServiceAccount', 'v1', [saApi, saPayments, saDefault]));
write('shop/statefulsets.json', list('StatefulSet', 'apps/v1', [dbSts]));
write('shop/persistentvolumeclaims.json', list('PersistentVolumeClaim', 'v1', [pvc]));
write('shop/endpointslices.json', list('EndpointSlice', 'discovery.k8s.io/v1', slices));
write('shop/ingresses.json', list('Ingress', 'networking.k8s.io/v1', [ingress]));
write('shop/horizontalpodautoscalers.json', list('HorizontalPodAutoscaler', 'autoscaling/v2', [hpa]));
write('shop/poddisruptionbudgets.json', list('PodDisruptionBudget', 'policy/v1', [pdb]));
write('shop/networkpolicies.json', list('NetworkPolicy', 'networking.k8s.io/v1', [netpol]));
write('shop/roles.json', list('Role', 'rbac.authorization.k8s.io/v1', [role]));
write('shop/rolebindings.json', list('RoleBinding', 'rbac.authorization.k8s.io/v1', [roleBinding]));
write('persistentvolumes.json', list('PersistentVolume', 'v1', [pv]));
write('storageclasses.json', list('StorageClass', 'storage.k8s.io/v1', [sc]));
write('priorityclasses.json', list('PriorityClass', 'scheduling.k8s.io/v1', [priority]));
write('ingressclasses.json', list('IngressClass', 'networking.k8s.io/v1', [ingressClass]));
// Pod logs as cluster-info dump writes them: one file per pod, a block per container.
for (const p of [...apiPods, paymentsPod]) {
  const name = (p.metadata as { name: string }).name;
  const container = ((p.spec as { containers: { name: string }[] }).containers[0] as { name: string }).name;
  const reason = (
    (p.status as { containerStatuses: { state: { waiting: { reason: string } } }[] })
      .containerStatuses[0] as { state: { waiting: { reason: string } } }
  ).state.waiting.reason;
  mkdirSync(join(root, ns, name), { recursive: true });
  writeFileSync(
    join(root, ns, name, 'logs.txt'),
    `==== START logs for container ${container} of pod ${ns}/${name} ====\nRequest log error: the server rejected our request for an unknown reason (get pods ${name})\n==== END logs for container ${container} of pod ${ns}/${name} ====\n`.replace(
      'the server rejected our request for an unknown reason',
      `container "${container}" in pod "${name}" is waiting to start: ${reason}`,
    ),
  );
}
mkdirSync(join(root, ns, 'db-0'), { recursive: true });
writeFileSync(
  join(root, ns, 'db-0', 'logs.txt'),
  `==== START logs for container postgres of pod shop/db-0 ====\n2026-11-15 07:30:08.912 UTC [1] LOG:  starting PostgreSQL 16.4 (Debian 16.4-1.pgdg120+2) on x86_64-pc-linux-gnu\n2026-11-15 07:30:08.913 UTC [1] LOG:  listening on IPv4 address "0.0.0.0", port 5432\n2026-11-15 07:30:08.921 UTC [1] LOG:  database system is ready to accept connections\n==== END logs for container postgres of pod shop/db-0 ====\n`,
);
process.stdout.write(`wrote ${root}\n`);
