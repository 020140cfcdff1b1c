/**
 * `analyze` over the real captures names the object a person changes, at the level of the fix:
 * a pod's template fault is its Deployment's (named from the ReplicaSet's pod-template-hash when
 * the ReplicaSet is not in the capture) or its Job's; a pod nothing owns is itself.
 */
import { describe, expect, it } from 'vitest';
import type { AnalysisDocument } from '../../src/cli/render/analysis-document.js';
import { realdataPath } from '../support/realdata.js';
import { runCli } from './run-cli.js';

const CASES = [
  {
    capture: 'pods/troubleshoot_errimagepull_podlist.json',
    object: 'message-image-pull-fail/Deployment/no-image-deployment',
    foundOn: 'no-image-deployment-849c4c4958-rxqmt',
  },
  {
    capture: 'pods/insights_init-crashloop-7527-restarts_vsystem-867f4b77cc-pqcns.json',
    object: 'di-288312/Deployment/vsystem',
    foundOn: 'vsystem-867f4b77cc-pqcns',
  },
  {
    capture: 'pods/troubleshoot_pending-unschedulable-insufficient-gpu_podlist.json',
    object: 'message-pending-pod-resources/Deployment/pending-pod-resources',
    foundOn: 'pending-pod-resources-5fddcf7688-djjfc',
  },
  {
    capture: 'pods/troubleshoot_oomkilled-job-pod_podlist.json',
    object: 'message-oomkill-pod/Job/oom-kill-job3',
    foundOn: 'oom-kill-job3-gbb89',
  },
  {
    capture: 'pods/troubleshoot_crashloop-exit127-containercannotrun_podlist.json',
    object: 'message-pod-crashloop-backoff/Pod/init-demo',
    foundOn: 'init-demo',
  },
];

describe('analyze names the object to change on real captures', () => {
  it.each(CASES)('$capture → $object', async ({ capture, object, foundOn }) => {
    const result = await runCli(['analyze', '-A', '--from', realdataPath(capture), '-o', 'json']);
    expect(result.stderr).toBe('');
    const [first] = (JSON.parse(result.stdout) as AnalysisDocument).problems;
    expect(first?.object).toBe(object);
    expect(first?.topOwner).toBe(object);
    // The pod stays where the failure was seen: the root cause's own object, and the chain.
    expect(first?.rootCause.resource).toMatchObject({ kind: 'Pod', name: foundOn });
    expect(first?.chain.at(-1)).toMatchObject({ kind: 'Pod', name: foundOn });
    const text = await runCli(['analyze', '-A', '--from', realdataPath(capture)]);
    const [, kind = '', name = ''] = object.split('/');
    expect(text.stdout).toContain(`1. [critical] ${kind}/${name}: `);
  });
});
