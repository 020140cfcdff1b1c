import { describe, expect, it } from 'vitest';
import { KeyPatterns, normalizeKey } from './key-patterns.js';

describe('key patterns', () => {
  it('reads a name however it is written', () => {
    expect(normalizeKey('clientSecret')).toBe('CLIENT_SECRET');
    expect(normalizeKey('client-secret')).toBe('CLIENT_SECRET');
    expect(normalizeKey('--db.password')).toBe('DB_PASSWORD');
    expect(normalizeKey('SMTPPassword')).toBe('SMTP_PASSWORD');
    expect(normalizeKey('x-api-key')).toBe('X_API_KEY');
  });

  it('takes the names secrets go by and leaves the names of things that only point at them', () => {
    const keys = new KeyPatterns();
    for (const name of [
      'DB_PASSWORD',
      'apiKey',
      'client_secret',
      'GITHUB_TOKEN',
      'token',
      'AWS_SECRET_ACCESS_KEY',
      'Authorization',
      'ssh-passphrase',
      'SENTRY_DSN',
    ])
      expect(keys.matches(name), name).toBe(true);
    for (const name of [
      'secretName',
      'secretKeyRef',
      'key',
      'MONKEY',
      'TOKEN_URL',
      'PWD',
      'author',
      'LOG_LEVEL',
    ])
      expect(keys.matches(name), name).toBe(false);
  });

  it('lets a Kubernetes schema field off, never a user’s key of the same name', () => {
    const keys = new KeyPatterns();
    expect(keys.matchesField('topologyKey')).toBe(false);
    expect(keys.matches('TOPOLOGY_KEY')).toBe(true);
  });

  it('is configurable: the globs given replace the defaults, and no globs take nothing', () => {
    const keys = new KeyPatterns(['*_PIN', 'license*']);
    expect(keys.matches('CARD_PIN')).toBe(true);
    expect(keys.matches('licenseKey')).toBe(true);
    expect(keys.matches('DB_PASSWORD')).toBe(false);
    expect(new KeyPatterns([]).matches('DB_PASSWORD')).toBe(false);
  });
});
