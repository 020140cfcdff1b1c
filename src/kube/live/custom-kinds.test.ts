import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../core/kube-object.js';
import { kindsOfDefinitions } from './custom-kinds.js';

/** A CustomResourceDefinition as the API server serves it (the schema left out: nothing here reads it). */
const definition = (
  group: string,
  names: { kind: string; plural: string; shortNames?: string[] },
  scope: 'Namespaced' | 'Cluster',
  versions: { name: string; served: boolean; storage: boolean }[],
  established = true,
): KubeObject => ({
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: `${names.plural}.${group}`, uid: `${names.plural}-uid`, resourceVersion: '812' },
  spec: {
    group,
    names: { ...names, listKind: `${names.kind}List`, singular: names.kind.toLowerCase() },
    scope,
    versions,
  },
  status: {
    acceptedNames: names,
    conditions: [
      { type: 'NamesAccepted', status: 'True', reason: 'NoConflicts' },
      { type: 'Established', status: established ? 'True' : 'False', reason: 'InitialNamesAccepted' },
    ],
    storedVersions: versions.filter((v) => v.storage).map((v) => v.name),
  },
});

describe('kindsOfDefinitions', () => {
  it('follows each custom kind at its stored version, cluster-scoped ones as such', () => {
    const { kinds, skipped } = kindsOfDefinitions([
      definition(
        'cert-manager.io',
        { kind: 'Certificate', plural: 'certificates', shortNames: ['cert', 'certs'] },
        'Namespaced',
        [
          { name: 'v1alpha2', served: false, storage: false },
          { name: 'v1', served: true, storage: true },
        ],
      ),
      definition('cert-manager.io', { kind: 'ClusterIssuer', plural: 'clusterissuers' }, 'Cluster', [
        { name: 'v1beta1', served: true, storage: false },
        { name: 'v1', served: true, storage: true },
      ]),
    ]);
    expect(kinds).toEqual([
      {
        kind: 'Certificate',
        group: 'cert-manager.io',
        version: 'v1',
        plural: 'certificates',
        namespaced: true,
        shortNames: ['cert', 'certs'],
      },
      {
        kind: 'ClusterIssuer',
        group: 'cert-manager.io',
        version: 'v1',
        plural: 'clusterissuers',
        namespaced: false,
        shortNames: [],
      },
    ]);
    expect(skipped).toEqual([]);
  });

  it('passes over, saying why, a kind named like a built-in one, one not yet established and one serving nothing', () => {
    const { kinds, skipped } = kindsOfDefinitions([
      definition(
        'serving.knative.dev',
        { kind: 'Service', plural: 'services', shortNames: ['kservice', 'ksvc'] },
        'Namespaced',
        [{ name: 'v1', served: true, storage: true }],
      ),
      definition(
        'example.com',
        { kind: 'Widget', plural: 'widgets' },
        'Namespaced',
        [{ name: 'v1', served: true, storage: true }],
        false,
      ),
      definition('example.com', { kind: 'Gadget', plural: 'gadgets' }, 'Namespaced', [
        { name: 'v1', served: false, storage: true },
      ]),
    ]);
    expect(kinds).toEqual([]);
    expect(skipped).toEqual([
      { name: 'services.serving.knative.dev', why: 'its kind Service is named like a built-in kind' },
      { name: 'widgets.example.com', why: 'not established yet' },
      { name: 'gadgets.example.com', why: 'serves no version' },
    ]);
  });

  it('follows the CRD-defined kinds the registry knows (Chaos Mesh), and a same-named kind of another group (Velero)', () => {
    const { kinds, skipped } = kindsOfDefinitions([
      definition('chaos-mesh.org', { kind: 'PodChaos', plural: 'podchaos' }, 'Namespaced', [
        { name: 'v1alpha1', served: true, storage: true },
      ]),
      definition('velero.io', { kind: 'Schedule', plural: 'schedules' }, 'Namespaced', [
        { name: 'v1', served: true, storage: true },
      ]),
    ]);
    expect(skipped).toEqual([]);
    expect(kinds.map((k) => `${k.kind} ${k.plural}.${k.group}/${k.version}`)).toEqual([
      'PodChaos podchaos.chaos-mesh.org/v1alpha1',
      'Schedule schedules.velero.io/v1',
    ]);
  });
});
