import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../core/kube-object.js';
import { refOf } from '../core/resource-ref.js';
import { parseBytes } from '../core/resource-quantity.js';
import { defineRule, runRules } from './rule.js';
import { contextOf } from '../../test/support/analyzer-context.js';

const pod = (name: string, memory: string): KubeObject => ({
  kind: 'Pod',
  metadata: { name, namespace: 'shop' },
  spec: { containers: [{ name: 'app', resources: { limits: { memory } } }] },
});

/** Reports every pod whose memory limit is under 1Mi; parses the limit, so a malformed one throws. */
const tinyLimit = defineRule({
  id: 'tiny-limit',
  summary: 'pods with a memory limit under 1Mi',
  kinds: ['Pod'],
  reads: [],
  detect(pod) {
    const limit = pod.spec?.containers?.[0]?.resources?.limits?.memory ?? '0';
    return parseBytes(limit) < 2 ** 20
      ? [
          {
            ruleId: 'tiny-limit',
            severity: 'warning',
            resource: refOf(pod),
            message: 'tiny',
            evidence: [],
          },
        ]
      : [];
  },
});

describe('runRules', () => {
  it('turns an object a rule cannot read into a data gap and goes on with the rest', () => {
    const objects = [pod('a', '12'), pod('b', '12 parsecs'), pod('c', '1Gi')];
    const { findings, gaps } = runRules([tinyLimit], contextOf(objects));
    expect(findings.map((f) => f.resource.name)).toEqual(['a']);
    expect(gaps).toEqual([
      {
        resource: 'Pod/shop/b',
        namespace: 'shop',
        reason: 'error',
        message: 'rule tiny-limit could not read it: "12 parsecs" is not a Kubernetes quantity',
        check: 'kubectl -n shop get pod b -o yaml',
      },
    ]);
  });

  it('lets a programming error through: only malformed input is a gap', () => {
    const broken = defineRule({
      id: 'broken',
      summary: 'throws',
      kinds: ['Pod'],
      reads: [],
      detect() {
        throw new TypeError('bug');
      },
    });
    expect(() => runRules([broken], contextOf([pod('a', '1Gi')]))).toThrow(TypeError);
  });
});
