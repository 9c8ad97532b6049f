import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

const root = path.resolve(__dirname, '../../..');
const dockerDir = path.join(root, 'docker');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return name === 'node_modules' || name.startsWith('.') ? [] : sourceFiles(full);
    return /\.(ts|tsx|mjs)$/.test(name) ? [full] : [];
  });
}

/** Every environment variable the server, the web app or the scripts read, found in their source. */
const variablesRead = new Set(
  [path.join(root, 'apps/api/src'), path.join(root, 'apps/web/src'), path.join(root, 'scripts')]
    .flatMap(sourceFiles)
    .flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/\b(?:process\.)?env\.([A-Z][A-Z0-9_]+)|env\[['"]([A-Z][A-Z0-9_]+)['"]\]/g)].map((match) => match[1] ?? match[2])),
);
/** Read by Node.js, PostgreSQL's image or Next.js themselves rather than by Pedigree's code. */
const PLATFORM_VARIABLES = new Set(['NODE_ENV', 'POSTGRES_USER', 'POSTGRES_PASSWORD', 'POSTGRES_DB', 'NEXT_TELEMETRY_DISABLED']);

function envNames(value: unknown): string[] {
  if (!value || typeof value !== 'object') return [];
  if (Array.isArray(value)) return value.flatMap(envNames);
  return Object.entries(value as Record<string, unknown>).flatMap(([key, inner]) => {
    if (key === 'environment' && inner && typeof inner === 'object' && !Array.isArray(inner)) return Object.keys(inner);
    if (key === 'env' && Array.isArray(inner)) return inner.map((entry: { name: string }) => entry.name);
    if (key === 'stringData' && inner && typeof inner === 'object') return Object.keys(inner);
    return envNames(inner);
  });
}

/** No Docker engine runs where the tests run, so the files are checked by reading them. */
describe('the deployment files', () => {
  const compose = parse(readFileSync(path.join(dockerDir, 'compose.yaml'), 'utf8'));
  const manifests = readdirSync(path.join(dockerDir, 'k8s')).flatMap((file) =>
    parseAllDocuments(readFileSync(path.join(dockerDir, 'k8s', file), 'utf8')).map((document) => {
      expect(document.errors).toEqual([]);
      return document.toJS();
    }),
  );

  it('compose: PostgreSQL, a migration step, then the API, then the web app, each gated on health', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['api', 'migrate', 'postgres', 'web']);
    expect(compose.services.migrate.command).toEqual(['node', 'apps/api/dist/migrate.js']);
    expect(compose.services.migrate.depends_on.postgres.condition).toBe('service_healthy');
    expect(compose.services.api.depends_on.migrate.condition).toBe('service_completed_successfully');
    expect(compose.services.api.environment.PEDIGREE_MIGRATE_ON_START).toBe('false');
    expect(compose.services.web.depends_on.api.condition).toBe('service_healthy');
    expect(compose.services.web.environment.PEDIGREE_API_URL).toBe('http://api:4000/graphql');
    expect(compose.volumes).toHaveProperty('postgres-data');
  });

  it('Dockerfiles: multi-stage, non-root, with a health check and a command that exists in the build', () => {
    for (const file of ['api.Dockerfile', 'web.Dockerfile']) {
      const text = readFileSync(path.join(dockerDir, file), 'utf8');
      expect(text.match(/^FROM /gm)).toHaveLength(2);
      expect(text).toMatch(/^USER node$/m);
      expect(text).toMatch(/^HEALTHCHECK /m);
      expect(text).toMatch(/^CMD \[.+\]$/m);
    }
    expect(existsSync(path.join(root, 'apps/api/src/migrate.ts'))).toBe(true);
    expect(existsSync(path.join(root, 'apps/api/src/main.ts'))).toBe(true);
  });

  it('Kubernetes: a migration Job, API replicas with probes, a Service, a disruption budget and an autoscaler', () => {
    const kinds = manifests.map((manifest) => `${manifest.kind}/${manifest.metadata.name}`).sort();
    expect(kinds).toEqual(
      expect.arrayContaining(['Deployment/pedigree-api', 'Deployment/pedigree-web', 'HorizontalPodAutoscaler/pedigree-api', 'Job/pedigree-migrate', 'PodDisruptionBudget/pedigree-api', 'Secret/pedigree', 'Service/pedigree-api', 'Service/pedigree-web']),
    );
    const api = manifests.find((manifest) => manifest.kind === 'Deployment' && manifest.metadata.name === 'pedigree-api');
    expect(api.spec.replicas).toBeGreaterThan(1);
    const [container] = api.spec.template.spec.containers;
    expect(container.readinessProbe.httpGet.path).toBe('/readyz');
    expect(container.livenessProbe.httpGet.path).toBe('/healthz');
    expect(container.envFrom[0].secretRef.name).toBe('pedigree');
  });

  it('set only variables that Pedigree reads', () => {
    const set = new Set([...envNames(compose), ...envNames(manifests)]);
    const unread = [...set].filter((name) => !variablesRead.has(name) && !PLATFORM_VARIABLES.has(name));
    expect(unread).toEqual([]);
    expect([...set]).toEqual(expect.arrayContaining(['DATABASE_URL', 'PEDIGREE_SECRET', 'PEDIGREE_MIGRATE_ON_START', 'PEDIGREE_API_URL']));
  });
});
