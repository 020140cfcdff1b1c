import { describe, expect, it } from 'vitest';
import { parseResourceArg } from './resource-arg.js';

describe('parseResourceArg', () => {
  it('takes every form kubectl takes', () => {
    const named = (words: string[]): string => {
      const { kind, name } = parseResourceArg(words);
      return `${kind.kind}/${name}`;
    };
    expect(named(['deploy/api'])).toBe('Deployment/api');
    expect(named(['deployments.apps/api'])).toBe('Deployment/api');
    expect(named(['Deployment/api'])).toBe('Deployment/api');
    expect(named(['pod', 'api-0'])).toBe('Pod/api-0');
    expect(named(['svc/web'])).toBe('Service/web');
    expect(named(['pvc/data-db-0'])).toBe('PersistentVolumeClaim/data-db-0');
  });
  it('refuses unknown types and missing names with a usage error', () => {
    expect(() => parseResourceArg(['frobs/x'])).toThrow(
      /^unknown resource type "frobs"; try one of pod, deploy/,
    );
    for (const words of [['deploy'], ['deploy/'], ['/api'], [], ['pod', 'a', 'b'], ['pod/a', 'b']]) {
      expect(() => parseResourceArg(words)).toThrow(expect.objectContaining({ code: 'usage' }));
    }
  });
});
