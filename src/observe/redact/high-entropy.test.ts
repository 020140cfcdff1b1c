import { describe, expect, it } from 'vitest';
import { isHighEntropy, shannonBits } from './high-entropy.js';

describe('high entropy', () => {
  it('takes random base64 and leaves ids, digests, names and words', () => {
    expect(isHighEntropy('q8Zt2XbN4vLw9RkPa7Yc3Md')).toBe(true);
    expect(isHighEntropy('wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY')).toBe(true);
    for (const benign of [
      '9fceb02d0ae598e95dc970b74767f19372d61af8',
      '0ebe8b8b-5449-4a41-bea5-9884e89f66d8',
      'api-6f7d9c8b5d-2xk9p-and-more',
      'ReplicaSetControllerManager2',
      'ReplicaSetV2ControllerManager',
      'kube-proxy-v1-30-amd64-Linux',
      '/var/lib/kubelet/pods/0ebe8b8b/volumes',
      'aaaaaaaaaaaaaaaaaaaaaaA1',
    ])
      expect(isHighEntropy(benign), benign).toBe(false);
  });

  it('measures bits a character over the token’s own letters', () => {
    expect(shannonBits('aaaa')).toBe(0);
    expect(shannonBits('abcd')).toBe(2);
  });
});
