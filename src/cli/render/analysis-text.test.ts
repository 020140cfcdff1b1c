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
});
