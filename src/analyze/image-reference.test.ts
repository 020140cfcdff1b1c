import { describe, expect, it } from 'vitest';
import { registryOf, repositoryOf } from './image-reference.js';

describe('image references', () => {
  it('finds the registry of an image as the runtime does', () => {
    expect(
      [
        'nginx:1.27',
        'library/nginx',
        'ghcr.io/org/app:1',
        'localhost:5000/app',
        'localhost/app',
        'registry:5000/app',
      ].map(registryOf),
    ).toEqual(['docker.io', 'docker.io', 'ghcr.io', 'localhost:5000', 'localhost', 'registry:5000']);
  });

  it('drops the tag or digest, not a registry port', () => {
    expect(
      ['nginx:1.27', 'localhost:5000/app:2', 'ghcr.io/org/app@sha256:abc', 'registry:5000/app'].map(
        repositoryOf,
      ),
    ).toEqual(['nginx', 'localhost:5000/app', 'ghcr.io/org/app', 'registry:5000/app']);
  });
});
