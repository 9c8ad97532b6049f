import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

const dockerDir = path.resolve(__dirname, '../../../docker');

/** No Docker engine runs where the tests run, so the files are checked by reading them. */
describe('the docker files', () => {
  const compose = parse(readFileSync(path.join(dockerDir, 'compose.yaml'), 'utf8'));

  it('run PostgreSQL, the API against it, and the web app against the API', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['api', 'postgres', 'web']);
    expect(compose.services.api.environment.DATABASE_URL).toBe('postgres://pedigree:pedigree@postgres:5432/pedigree');
    expect(compose.services.api.depends_on.postgres.condition).toBe('service_healthy');
    expect(compose.services.web.environment.PEDIGREE_API_URL).toBe('http://api:4000/graphql');
  });

  it('build from Dockerfiles that exist and start the built apps', () => {
    for (const service of ['api', 'web']) {
      const dockerfile = path.join(dockerDir, '..', compose.services[service].build.dockerfile);
      expect(existsSync(dockerfile)).toBe(true);
      expect(readFileSync(dockerfile, 'utf8')).toMatch(/^CMD \[.+\]$/m);
    }
  });
});
