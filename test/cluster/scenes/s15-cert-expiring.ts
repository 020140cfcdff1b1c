/**
 * S15 cert-expiring: a TLS Secret used by an Ingress expires in 3 days. The certificate is a real
 * self-signed X.509 certificate made with the openssl CLI (node:crypto cannot create certificates).
 */
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ClusterHandle } from '../harness.ts';
import { createAll, deployment, ensureNamespace } from './util.ts';
import type { Scene } from './util.ts';

/** A self-signed certificate and key (PEM) for `host`, valid from now for `days` days. */
export function selfSignedCert(host: string, days: number): { cert: string; key: string; notAfter: Date } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scene-cert-'));
  try {
    const key = path.join(dir, 'tls.key');
    const crt = path.join(dir, 'tls.crt');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        key,
        '-out',
        crt,
        '-days',
        String(days),
        '-subj',
        `/CN=${host}`,
        '-addext',
        `subjectAltName=DNS:${host}`,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    const cert = fs.readFileSync(crt, 'utf8');
    return { cert, key: fs.readFileSync(key, 'utf8'), notAfter: new Date(new X509Certificate(cert).validTo) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function scene15(cluster: ClusterHandle, namespace: string): Promise<Scene> {
  const ns = namespace;
  const host = 'shop.example.com';
  await ensureNamespace(cluster.admin, ns);
  const { cert, key, notAfter } = selfSignedCert(host, 3);
  const b64 = (s: string): string => Buffer.from(s).toString('base64');
  await createAll(cluster.admin, [
    {
      kind: 'Secret',
      metadata: { name: 'shop-tls', namespace: ns },
      type: 'kubernetes.io/tls',
      data: { 'tls.crt': b64(cert), 'tls.key': b64(key) },
    },
    deployment(ns, 'shop', {
      containers: [
        { name: 'shop', image: 'registry.example.com/shop:7.0', ports: [{ containerPort: 8080 }] },
      ],
    }),
    {
      kind: 'Service',
      metadata: { name: 'shop', namespace: ns },
      spec: { selector: { app: 'shop' }, ports: [{ port: 80, targetPort: 8080 }] },
    },
    {
      kind: 'Ingress',
      metadata: { name: 'shop', namespace: ns },
      spec: {
        tls: [{ hosts: [host], secretName: 'shop-tls' }],
        rules: [
          {
            host,
            http: {
              paths: [
                {
                  path: '/',
                  pathType: 'Prefix',
                  backend: { service: { name: 'shop', port: { number: 80 } } },
                },
              ],
            },
          },
        ],
      },
    },
  ]);
  return {
    namespace: ns,
    target: { kind: 'Secret', name: 'shop-tls' },
    expect: {
      rootCause: `Secret/shop-tls certificate expires ${notAfter.toISOString()} (in 3 days), used by Ingress/shop host ${host}`,
      evidence: [
        '"secretName":"shop-tls"',
        `"host":"${host}"`,
        `notAfter=${notAfter.toISOString().slice(0, 10)}`,
        'kubernetes.io/tls',
      ],
    },
    observed: { notAfter: notAfter.toISOString() },
  };
}
