import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../core/kube-object.js';
import { contextOf } from '../../../test/support/analyzer-context.js';
import { realdataItems } from '../../../test/support/realdata.js';
import { nakedPod } from './naked-pod.js';

/** A pod nothing owns, as `kubectl run` or `kubectl apply -f pod.yaml` leaves it. */
function barePod(
  namespace: string,
  extra: { metadata?: object; spec?: object; phase?: string } = {},
): KubeObject {
  return {
    kind: 'Pod',
    metadata: { name: 'report', namespace, ...extra.metadata },
    spec: { nodeName: 'worker-1', containers: [{ name: 'report', image: 'shop/report:1.0' }], ...extra.spec },
    status: { phase: extra.phase ?? 'Running' },
  };
}

describe('naked-pod', () => {
  it('leaves alone owned pods, static pods, kube-system, and pods that have ended or are going', () => {
    const [owned] = realdataItems('pods/troubleshoot_errimagepull_podlist.json');
    const pods = [
      owned!,
      barePod('shop', { metadata: { annotations: { 'kubernetes.io/config.mirror': '8d6f0a9c1e2b' } } }),
      barePod('kube-system'),
      barePod('shop', { phase: 'Succeeded' }),
      barePod('shop', { metadata: { deletionTimestamp: '2026-11-20T03:11:00Z' } }),
    ];
    for (const pod of pods) expect(nakedPod.detect(pod, contextOf([pod]))).toEqual([]);
  });

  it('notes the real bare pod init-demo: nothing recreates it', () => {
    const [pod] = realdataItems('pods/troubleshoot_crashloop-exit127-containercannotrun_podlist.json');
    expect(nakedPod.detect(pod!, contextOf([pod!]))).toEqual([
      {
        ruleId: 'naked-pod',
        severity: 'info',
        resource: { kind: 'Pod', namespace: 'message-pod-crashloop-backoff', name: 'init-demo' },
        message: 'pod has no controller: if its node fails or it is evicted, nothing recreates it',
        evidence: [
          {
            source: 'spec',
            text: 'no ownerReferences: created directly, not by a Deployment, StatefulSet, DaemonSet or Job',
          },
          { source: 'status', text: 'Running on node minikube' },
        ],
        fix: {
          summary: "run it under a Deployment, with this pod's spec as its template",
          commands: [
            "kubectl -n message-pod-crashloop-backoff create deployment init-demo --image=nginx --dry-run=client -o yaml > deployment.yaml  # put the pod's spec (kubectl get pod init-demo -o yaml) under spec.template.spec, then: kubectl apply -f deployment.yaml",
          ],
        },
      },
    ]);
  });

  it('suggests a Job for a bare pod that runs to completion', () => {
    const pod = barePod('shop', {
      phase: 'Pending',
      spec: {
        restartPolicy: 'Never',
        containers: [
          { name: 'report', image: 'shop/report:1.0' },
          { name: 'upload', image: 'amazon/aws-cli:2.17' },
        ],
      },
    });
    expect(nakedPod.detect(pod, contextOf([pod]))[0]?.fix).toEqual({
      summary: "run it under a Job (it runs to completion), with this pod's spec as its template",
      commands: [
        "kubectl -n shop create job report --image=shop/report:1.0 --dry-run=client -o yaml > job.yaml  # put the pod's spec (kubectl get pod report -o yaml) under spec.template.spec, then: kubectl apply -f job.yaml",
      ],
    });
  });
});
