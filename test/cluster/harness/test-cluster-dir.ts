/** Where the harness finds what it runs and applies from the repo. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** test/cluster: build.sh, config/, rbac/ (and, two levels up, the repo's deploy/). */
export const TEST_CLUSTER_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
