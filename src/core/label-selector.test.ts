import { describe, expect, it } from 'vitest';
import { formatSelector, parseSelector, selectorMatches } from './label-selector.js';

describe('selectorMatches', () => {
  const labels = { app: 'web', tier: 'front', env: 'prod' };
  it('applies matchLabels and every operator as the API server does', () => {
    expect(selectorMatches({ matchLabels: { app: 'web' } }, labels)).toBe(true);
    expect(selectorMatches({ matchLabels: { app: 'webapp' } }, labels)).toBe(false);
    expect(
      selectorMatches(
        { matchExpressions: [{ key: 'env', operator: 'In', values: ['prod', 'stage'] }] },
        labels,
      ),
    ).toBe(true);
    expect(
      selectorMatches({ matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }] }, labels),
    ).toBe(false);
    expect(
      selectorMatches({ matchExpressions: [{ key: 'canary', operator: 'NotIn', values: ['true'] }] }, labels),
    ).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: 'tier', operator: 'Exists' }] }, labels)).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] }, labels)).toBe(
      false,
    );
    expect(
      selectorMatches(
        { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'env', operator: 'In', values: ['dev'] }] },
        labels,
      ),
    ).toBe(false);
  });
  it('selects everything with an empty selector and nothing with an unknown operator', () => {
    expect(selectorMatches({}, undefined)).toBe(true);
    expect(
      selectorMatches({ matchExpressions: [{ key: 'app', operator: 'Gt', values: ['1'] }] }, labels),
    ).toBe(false);
  });
});

describe('parseSelector', () => {
  it('reads kubectl -l syntax', () => {
    expect(parseSelector('app=web,tier!=db,env in (prod, stage),!legacy,canary')).toEqual({
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'tier', operator: 'NotIn', values: ['db'] },
        { key: 'env', operator: 'In', values: ['prod', 'stage'] },
        { key: 'legacy', operator: 'DoesNotExist' },
        { key: 'canary', operator: 'Exists' },
      ],
    });
    expect(parseSelector('app.kubernetes.io/name==shop')).toEqual({
      matchLabels: { 'app.kubernetes.io/name': 'shop' },
      matchExpressions: [],
    });
  });
  it('returns undefined for text that is not a selector', () => {
    expect(parseSelector('app=(web')).toBeUndefined();
    expect(parseSelector('a b c')).toBeUndefined();
  });
  it('round-trips through formatSelector', () => {
    const selector = parseSelector('app=web,env notin (dev),!legacy,tier')!;
    expect(formatSelector(selector)).toBe('app=web,env notin (dev),!legacy,tier');
  });
});
