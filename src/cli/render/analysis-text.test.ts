import { describe, expect, it } from 'vitest';
import type { Finding } from '../../core/finding.js';
import { renderAnalysisText } from './analysis-text.js';
import type { AnalysisDocument } from './analysis-document.js';
import { OUTPUT_API_VERSION } from './document.js';
import { paletteFor } from './palette.js';

function finding(kind: string, name: string, message: string): Finding {
  return {
    ruleId: 'test',
    severity: 'critical',
    resource: { kind, namespace: 'shop', name },
    message,
    evidence: [],
  };
}

const crashing = 'container api keeps crashing (exit code 1, application error), 3 restarts';

function documentWith(symptoms: Finding[]): AnalysisDocument {
  const rootCause = finding('ConfigMap', 'api-config', 'ConfigMap api-config key changed');
  return {
    apiVersion: OUTPUT_API_VERSION,
    kind: 'Analysis',
    source: 'test',
    capturedAt: '2026-11-23T06:22:54.509Z',
    namespace: 'shop',
    problems: [
      {
        rootCause,
        chain: [rootCause.resource],
        symptoms,
        contributing: [],
        alsoOn: [],
        score: { total: 30, severity: 3, affected: 0, criticality: 0 },
        object: 'shop/ConfigMap/api-config',
        topOwner: 'shop/ConfigMap/api-config',
      },
    ],
    findings: [rootCause, ...symptoms],
    gaps: [],
    objectsAnalyzed: 4,
    tookMs: 1,
  };
}

describe('renderAnalysisText', () => {
  it('says a symptom sibling pods share once, naming the pods', () => {
    const text = renderAnalysisText(
      documentWith([
        finding('Pod', 'api-1', crashing),
        finding('Pod', 'api-2', crashing),
        finding('Pod', 'api-3', 'container api keeps crashing (exit code 1, application error), 5 restarts'),
        finding('Deployment', 'api', 'Deployment api has 0 of 3 pods ready'),
      ]),
      { palette: paletteFor(false, {}), wide: false, markdown: false },
    );
    expect(text).toContain(`     ↳ ${crashing} (2 pods: api-1, api-2)\n`);
    expect(text).toContain(
      '     ↳ container api keeps crashing (exit code 1, application error), 5 restarts\n',
    );
    expect(text).toContain('     ↳ Deployment api has 0 of 3 pods ready\n');
    expect(text.split(crashing).length - 1).toBe(1);
  });

  it('heads a problem with the object to change, and says what it was found on and why', () => {
    const base = documentWith([]);
    const rootCause = finding('Pod', 'web-6d4cf56db6-7xk2p', crashing);
    const document: AnalysisDocument = {
      ...base,
      problems: [
        {
          rootCause,
          chain: [{ kind: 'Deployment', namespace: 'shop', name: 'web' }, rootCause.resource],
          symptoms: [],
          contributing: [],
          alsoOn: [{ kind: 'Pod', namespace: 'shop', name: 'web-6d4cf56db6-q2x8z' }],
          score: { total: 30, severity: 3, affected: 1, criticality: 1 },
          object: 'shop/ConfigMap/nginx-conf',
          topOwner: 'shop/ConfigMap/nginx-conf',
          objectFrom: 'file /etc/nginx/conf.d/default.conf, key default.conf',
        },
        {
          rootCause: finding('Pod', 'worker-5898849f56-t6k9g', 'container worker is killed (OOM)'),
          chain: [],
          symptoms: [],
          contributing: [],
          alsoOn: [],
          score: { total: 30, severity: 3, affected: 0, criticality: 1 },
          object: 'shop/Deployment/worker',
          topOwner: 'shop/Deployment/worker',
          objectFrom: 'pod template',
        },
        {
          rootCause: {
            ...finding('Node', 'worker-2', 'node worker-2 is not ready'),
            resource: { kind: 'Node', name: 'worker-2' },
          },
          chain: [],
          symptoms: [],
          contributing: [],
          alsoOn: [],
          score: { total: 30, severity: 3, affected: 0, criticality: 1 },
          object: 'Node/worker-2',
          topOwner: 'Node/worker-2',
        },
      ],
    };
    const text = renderAnalysisText(document, {
      palette: paletteFor(false, {}),
      wide: false,
      markdown: false,
    });
    expect(text).toContain(
      `  1. [critical] ConfigMap/nginx-conf: ${crashing} (pod web-6d4cf56db6-7xk2p, and 1 more)\n`,
    );
    expect(text).toContain(
      '     found on: Pod/web-6d4cf56db6-7xk2p; ConfigMap/nginx-conf holds what it failed on (file /etc/nginx/conf.d/default.conf, key default.conf)\n',
    );
    expect(text).toContain('     also on: web-6d4cf56db6-q2x8z\n');
    expect(text).toContain(
      "     found on: Pod/worker-5898849f56-t6k9g; the fix goes in Deployment/worker's pod template\n",
    );
    // Its own object: no found-on line. A cluster-scoped object does not count as a namespace.
    expect(text).toContain('  3. [critical] Node/worker-2: node worker-2 is not ready\n     chain:');
    expect(text).toContain('  1. ConfigMap/nginx-conf\n');
  });
});
