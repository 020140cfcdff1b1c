import { describe, expect, it } from 'vitest';
import { AppError } from './errors.js';
import { parseResourceArg } from './resource-arg.js';

const deployment = {
  kind: 'Deployment',
  group: 'apps',
  version: 'v1',
  plural: 'deployments',
  namespaced: true,
  shortNames: ['deploy'],
};
const pod = { kind: 'Pod', group: '', version: 'v1', plural: 'pods', namespaced: true, shortNames: ['po'] };

const errorOf = (words: readonly string[]): { code: string; message: string } => {
  try {
    parseResourceArg(words);
  } catch (error) {
    if (error instanceof AppError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error(`expected "${words.join(' ')}" to be refused`);
};

describe('parseResourceArg', () => {
  it('reads TYPE/NAME with a short name, a plural with its group, or the kind itself', () => {
    expect(parseResourceArg(['deploy/api'])).toEqual({ kind: deployment, name: 'api' });
    expect(parseResourceArg(['deployments.apps/api'])).toEqual({ kind: deployment, name: 'api' });
    expect(parseResourceArg(['Deployment/api'])).toEqual({ kind: deployment, name: 'api' });
  });

  it('reads the two-word form TYPE NAME', () => {
    expect(parseResourceArg(['pod', 'api-0'])).toEqual({ kind: pod, name: 'api-0' });
    expect(parseResourceArg(['po/api-0'])).toEqual({ kind: pod, name: 'api-0' });
  });

  it('refuses a type it does not know, listing types it does', () => {
    expect(errorOf(['frobnicators/x'])).toEqual({
      code: 'usage',
      message:
        'unknown resource type "frobnicators"; try one of pod, deploy, svc, ing, cm, secret, pvc, node, sts, ds, job, hpa, pdb',
    });
    expect(errorOf(['widget', 'x']).message).toMatch(/^unknown resource type "widget"/);
  });

  it('refuses a resource without a name', () => {
    for (const words of [['deploy'], ['deploy/'], ['/api'], []]) {
      expect(errorOf(words)).toEqual({
        code: 'usage',
        message: `expected TYPE/NAME or TYPE NAME, got "${words.join(' ')}"`,
      });
    }
  });

  it('refuses mixing the two forms or passing extra words', () => {
    expect(errorOf(['pod/api-0', 'api-1'])).toEqual({
      code: 'usage',
      message: 'expected TYPE/NAME or TYPE NAME, got "pod/api-0 api-1"',
    });
    expect(errorOf(['pod', 'api-0', 'api-1']).code).toBe('usage');
  });
});
