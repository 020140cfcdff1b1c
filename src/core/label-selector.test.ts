import { describe, expect, it } from 'vitest';
import { formatSelector, parseSelector, selectorMatches, type LabelSelector } from './label-selector.js';

// Labels as a Deployment's pods carry them.
const apiPod = { app: 'api', tier: 'backend', env: 'prod', 'pod-template-hash': '7d9f8c' };

describe('selectorMatches', () => {
  it('selects on matchLabels only when every pair is present with the same value', () => {
    expect(selectorMatches({ matchLabels: { app: 'api', tier: 'backend' } }, apiPod)).toBe(true);
    expect(selectorMatches({ matchLabels: { app: 'api', tier: 'frontend' } }, apiPod)).toBe(false);
    expect(selectorMatches({ matchLabels: { app: 'api', release: 'stable' } }, apiPod)).toBe(false);
  });

  it('treats an object without labels as having none', () => {
    expect(selectorMatches({ matchLabels: { app: 'api' } }, undefined)).toBe(false);
    expect(selectorMatches({ matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] }, undefined)).toBe(
      true,
    );
  });

  it('applies In: the label must exist with one of the values', () => {
    const selector: LabelSelector = {
      matchExpressions: [{ key: 'env', operator: 'In', values: ['prod', 'staging'] }],
    };
    expect(selectorMatches(selector, apiPod)).toBe(true);
    expect(selectorMatches(selector, { ...apiPod, env: 'dev' })).toBe(false);
    expect(selectorMatches(selector, { app: 'api' })).toBe(false);
  });

  it('applies NotIn: a missing label is not in the set', () => {
    const selector: LabelSelector = {
      matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['db'] }],
    };
    expect(selectorMatches(selector, apiPod)).toBe(true);
    expect(selectorMatches(selector, { ...apiPod, tier: 'db' })).toBe(false);
    expect(selectorMatches(selector, { app: 'api' })).toBe(true);
  });

  it('applies Exists and DoesNotExist whatever the value', () => {
    expect(selectorMatches({ matchExpressions: [{ key: 'env', operator: 'Exists' }] }, apiPod)).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: 'env', operator: 'Exists' }] }, { app: 'api' })).toBe(
      false,
    );
    expect(selectorMatches({ matchExpressions: [{ key: 'legacy', operator: 'DoesNotExist' }] }, apiPod)).toBe(
      true,
    );
    expect(
      selectorMatches({ matchExpressions: [{ key: 'env', operator: 'DoesNotExist' }] }, { env: '' }),
    ).toBe(false);
  });

  it('requires matchLabels and every expression together', () => {
    const selector: LabelSelector = {
      matchLabels: { app: 'api' },
      matchExpressions: [
        { key: 'env', operator: 'In', values: ['prod'] },
        { key: 'legacy', operator: 'DoesNotExist' },
      ],
    };
    expect(selectorMatches(selector, apiPod)).toBe(true);
    expect(selectorMatches(selector, { ...apiPod, legacy: 'true' })).toBe(false);
    expect(selectorMatches(selector, { ...apiPod, app: 'web' })).toBe(false);
  });

  it('selects nothing for an operator it does not know, rather than everything', () => {
    const selector: LabelSelector = { matchExpressions: [{ key: 'env', operator: 'Gt', values: ['1'] }] };
    expect(selectorMatches(selector, apiPod)).toBe(false);
    expect(selectorMatches(selector, {})).toBe(false);
  });

  it('selects everything with an empty selector, as the API server does', () => {
    expect(selectorMatches({}, apiPod)).toBe(true);
    expect(selectorMatches({ matchLabels: {}, matchExpressions: [] }, undefined)).toBe(true);
  });
});

describe('parseSelector', () => {
  it('parses every form kubectl -l takes', () => {
    expect(parseSelector('app=web,tier!=db,env in (a,b),!legacy')).toEqual({
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'tier', operator: 'NotIn', values: ['db'] },
        { key: 'env', operator: 'In', values: ['a', 'b'] },
        { key: 'legacy', operator: 'DoesNotExist' },
      ],
    });
  });

  it('parses ==, notin, a bare key, prefixed keys and spaces around parts', () => {
    expect(parseSelector('app.kubernetes.io/name==web, env notin (dev, test) ,canary')).toEqual({
      matchLabels: { 'app.kubernetes.io/name': 'web' },
      matchExpressions: [
        { key: 'env', operator: 'NotIn', values: ['dev', 'test'] },
        { key: 'canary', operator: 'Exists' },
      ],
    });
  });

  it('filters as the API server would: tier!=db keeps pods without a tier label', () => {
    const selector = parseSelector('app=api,tier!=db');
    expect(selector).toBeDefined();
    expect(selectorMatches(selector!, { app: 'api' })).toBe(true);
    expect(selectorMatches(selector!, { app: 'api', tier: 'web' })).toBe(true);
    expect(selectorMatches(selector!, { app: 'api', tier: 'db' })).toBe(false);
  });

  it('returns undefined for text that is not a selector', () => {
    expect(parseSelector('a==b==c')).toBeUndefined();
    expect(parseSelector('env in (a,b')).toBeUndefined();
    expect(parseSelector('=web')).toBeUndefined();
    expect(parseSelector('app:web')).toBeUndefined();
    expect(parseSelector('app=web,tier>db')).toBeUndefined();
  });
});

describe('formatSelector', () => {
  it('prints a selector as kubectl does', () => {
    expect(
      formatSelector({
        matchLabels: { app: 'web', tier: 'frontend' },
        matchExpressions: [
          { key: 'env', operator: 'In', values: ['a', 'b'] },
          { key: 'track', operator: 'NotIn', values: ['canary'] },
          { key: 'owner', operator: 'Exists' },
          { key: 'legacy', operator: 'DoesNotExist' },
        ],
      }),
    ).toBe('app=web,tier=frontend,env in (a,b),track notin (canary),owner,!legacy');
  });

  it('prints an empty selector as nothing', () => {
    expect(formatSelector({})).toBe('');
  });

  it('prints what parseSelector reads back to the same selector', () => {
    const text = 'app=web,env in (a,b),!legacy';
    const selector = parseSelector(text);
    expect(selector).toBeDefined();
    expect(formatSelector(selector!)).toBe(text);
    expect(parseSelector(formatSelector(selector!))).toEqual(selector);
  });
});
