/**
 * Writes the Helm chart's `agent:` value schema (deploy/helm/kubectl-smart/values.schema.json,
 * properties.agent) from the agent's own config schema, so the chart, the config file and the
 * agent refuse the same things. `npm run deploy:schema`; test/deploy/chart-values.test.ts fails
 * when the file is not current.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const file = fileURLToPath(new URL('../deploy/helm/kubectl-smart/values.schema.json', import.meta.url));
// The built module: src/ imports with .js suffixes, which node resolves only in dist/.
const built = new URL('../dist/cli/agent-settings.js', import.meta.url).href;
const { agentValuesJsonSchema } = (await import(built)) as {
  agentValuesJsonSchema: () => Record<string, unknown>;
};
const schema = JSON.parse(readFileSync(file, 'utf8')) as { properties: Record<string, unknown> };
schema.properties['agent'] = agentValuesJsonSchema();
writeFileSync(file, `${JSON.stringify(schema, null, 2)}\n`);
process.stdout.write(`wrote properties.agent of ${file}\n`);
