import type { PoolClient } from 'pg';
import { type WalkDirection, completeWalk } from '../src/modules/lineage/lineage.queries';

/**
 * Writes a synthetic lineage graph straight into PostgreSQL with a handful of INSERT … SELECT
 * statements (no per-row round trips, no API calls): the entity rows and the lineage_node /
 * lineage_edge rows the API would have written, with every trigger and constraint in place.
 *
 * Shape, chosen to look like a busy ML platform and to give the probes the sizes the budgets name:
 * - raw datasets: version chains (each version DERIVED_FROM the previous one), 2 to 40 long, every
 *   hundredth 50 long. Pipelines read any version but the newest, so the newest ones are leaves.
 * - hubs: the newest versions of five reference datasets, read by the first stage of 13%, 6%, 3%,
 *   1.5% and 1% of the pipelines (thousands of runs each).
 * - pipelines: D ETL stages (5 to 11; one in 5,000 is DEEP_STAGES long), each a run BUILT_FROM one
 *   of the pipeline's commits, CONSUMING the previous stage's output plus one or two raw versions,
 *   PRODUCING the next output (a third of the outputs are also DERIVED_FROM the previous one: the
 *   diamonds registerDataVersion(derivedFrom, producedByRun) makes). The last stage produces a
 *   train/validation/test split, read by an 8-trial sweep (PARENT_OF); the first three trials
 *   finish and are TRAINED into model versions. One pipeline in ten fine-tunes a foundation model
 *   (the first version of an earlier pipeline numbered a multiple of 1,000): its trials CONSUME it.
 * - the rest up to `totalNodes`: commits that no run has built yet.
 *
 * Every node has an ordinal, every edge goes from a lower ordinal to a higher one (asserted before
 * the edges are written), so the graph is acyclic by construction. Ids, hashes and timestamps are
 * functions of the ordinal, so every run builds the same graph.
 */

export interface GraphOptions {
  totalNodes: number;
  /** The member (OWNER) of every project and the author of every record. */
  userId: string;
}

export interface Probe {
  id: string;
  /** Nodes reachable in the probe's direction, the probe included (the complete walk, no depth bound). */
  reach: number;
}

export interface GeneratedGraph {
  projectIds: string[];
  nodesByKind: Record<string, number>;
  edgesByRelation: Record<string, number>;
  hubConsumers: number;
  probes: { typicalModel: Probe; deepModel: Probe; hubDataVersion: Probe; leafDataVersion: Probe };
  seconds: number;
}

const PROJECT_KEYS = ['bench-vision', 'bench-language', 'bench-tabular'];
const HUB_DATASETS = 5;
const DEEP_STAGES = 30;
/** The median of the 5 to 11 stages of an ordinary pipeline. */
const TYPICAL_STAGES = 8;
/** Registered models (and experiments) are shared by the pipelines of a group, as teams share them. */
const GROUPS = 600;

/** A deterministic pseudo-random non-negative int of an integer expression. */
const hash = (expr: string) => `(hashint8(${expr}) & 2147483647)`;
/** A version-4-shaped UUID derived from a name, so ids are random-looking yet reproducible. */
const uuidOf = (name: string) => `overlay(overlay(md5(${name}) placing '4' from 13) placing '8' from 17)::uuid`;
const nodeId = (ord: string) => uuidOf(`'node:' || (${ord})`);
const projectId = (index: string) => uuidOf(`'project:' || (${index})`);
const collectionId = (name: string) => uuidOf(`'collection:' || (${name})`);
/** One node every 20 seconds, in ordinal order, so created_at agrees with the edges' direction. */
const createdAt = (ord: string) => `(timestamptz '2025-01-01 00:00:00+00' + (${ord}) * interval '20 seconds')`;

/** Each statement is one bulk step; their order follows the foreign keys. */
function statements(totalNodes: number): Array<[string, string]> {
  const rawDatasets = Math.round(totalNodes / 500);
  return [
    ['projects', `
      INSERT INTO project (id, key, name, description)
      SELECT ${projectId('p')}, (ARRAY['${PROJECT_KEYS.join("','")}'])[p + 1], 'Benchmark ' || p, 'synthetic lineage'
        FROM generate_series(0, ${PROJECT_KEYS.length - 1}) p`],
    ['members', `
      INSERT INTO project_member (project_id, user_id, role)
      SELECT ${projectId('p')}, $1, 'OWNER' FROM generate_series(0, ${PROJECT_KEYS.length - 1}) p`],

    ['plan raw datasets', `
      CREATE TEMP TABLE g_raw AS
      SELECT d, d % 3 AS project, versions, sum(versions) OVER (ORDER BY d) - versions AS base
        FROM (SELECT d, CASE WHEN d < ${HUB_DATASETS} THEN 8 WHEN d % 100 = 50 THEN 50 ELSE 2 + ${hash('d * 16 + 1')} % 39 END AS versions
                FROM generate_series(0, ${rawDatasets - 1}) d) r`],
    // Pipelines are laid out after the raw versions, as many as fit in totalNodes; none has fewer
    // than 27 nodes, so totalNodes / 27 candidates are enough.
    ['plan pipelines', `
      CREATE TEMP TABLE g_pipe AS
      WITH planned AS (
        SELECT i, i % 3 AS project, i % ${GROUPS} AS grp,
               CASE WHEN i % 5000 = 2500 THEN ${DEEP_STAGES} ELSE 5 + ${hash('i * 16 + 2')} % 7 END AS stages,
               CASE WHEN hub_draw < 130 THEN 0 WHEN hub_draw < 190 THEN 1 WHEN hub_draw < 220 THEN 2
                    WHEN hub_draw < 235 THEN 3 WHEN hub_draw < 245 THEN 4 END AS hub,
               CASE WHEN i % 10 = 3 THEN 1000 * (${hash('i * 16 + 4')} % (i / 1000 + 1)) END AS base_pipe
          FROM (SELECT i, ${hash('i * 16 + 3')} % 1000 AS hub_draw FROM generate_series(0, ${Math.ceil(totalNodes / 27)}) i) drawn
      ), laid AS (
        SELECT *, (SELECT sum(versions) FROM g_raw) + sum(2 * stages + 17) OVER (ORDER BY i) - (2 * stages + 17) AS base FROM planned
      )
      SELECT * FROM laid WHERE base + 2 * stages + 17 <= ${totalNodes}`],
    ['index plans', `CREATE UNIQUE INDEX ON g_raw (d); CREATE UNIQUE INDEX ON g_pipe (i); ANALYZE g_raw; ANALYZE g_pipe`],

    // Layout of pipeline i from ordinal b: commits b..b+2; stage s run b+1+2s and output b+2+2s
    // (the last stage has none); splits b+2D+2..4; sweep b+2D+5; trials b+2D+6..13; versions b+2D+14..16.
    ['plan nodes', `
      CREATE TEMP TABLE g_node AS
      SELECT r.base + v AS ord, 'DataVersion' AS kind, r.project, 'raw' AS comp, v AS idx,
             CASE WHEN r.d < ${HUB_DATASETS} THEN 'reference/corpus-' ELSE 'raw/source-' END || r.d AS collection,
             NULL::bigint AS ref, NULL::bigint AS parent
        FROM g_raw r, generate_series(0, r.versions - 1) v
      UNION ALL
      SELECT p.base + j, 'CodeCommit', p.project, 'commit', j, 'git@git.example.com:team-' || p.grp || '/pipelines.git', NULL, NULL
        FROM g_pipe p, generate_series(0, 2) j
      UNION ALL
      SELECT p.base + 1 + 2 * s, 'Run', p.project, 'etl', s, 'etl/g' || p.grp, p.base + (2 * (s - 1)) / p.stages, NULL
        FROM g_pipe p, generate_series(1, p.stages) s
      UNION ALL
      SELECT p.base + 2 + 2 * s, 'DataVersion', p.project, 'output', s, 'features/g' || p.grp || '/stage-' || s, NULL, NULL
        FROM g_pipe p, generate_series(1, p.stages - 1) s
      UNION ALL
      SELECT p.base + 2 * p.stages + 2 + t, 'DataVersion', p.project, 'split', t,
             'splits/g' || p.grp || '/' || (ARRAY['train', 'validation', 'test'])[t + 1], NULL, NULL
        FROM g_pipe p, generate_series(0, 2) t
      UNION ALL
      SELECT p.base + 2 * p.stages + 5, 'Run', p.project, 'sweep', 0, 'train/g' || p.grp, p.base + 2, NULL FROM g_pipe p
      UNION ALL
      SELECT p.base + 2 * p.stages + 6 + k, 'Run', p.project, 'trial', k, 'train/g' || p.grp, p.base + 2, p.base + 2 * p.stages + 5
        FROM g_pipe p, generate_series(0, 7) k
      UNION ALL
      SELECT p.base + 2 * p.stages + 14 + v, 'ModelVersion', p.project, 'model', v, 'model-g' || p.grp, p.base + 2 * p.stages + 6 + v, NULL
        FROM g_pipe p, generate_series(0, 2) v
      UNION ALL
      SELECT ord, 'CodeCommit', ord % 3, 'pending', 0, 'git@git.example.com:ci/pending.git', NULL, NULL
        FROM generate_series((SELECT coalesce(max(base + 2 * stages + 17), (SELECT sum(versions) FROM g_raw)) FROM g_pipe), ${totalNodes - 1}) ord`],

    ['plan edges', `
      CREATE TEMP TABLE g_edge AS
      SELECT r.base + v - 1 AS src, r.base + v AS dst, 'DERIVED_FROM' AS relation, NULL AS role, r.project
        FROM g_raw r, generate_series(1, r.versions - 1) v
      UNION ALL
      SELECT n.ref, n.ord, 'BUILT_FROM', NULL, n.project FROM g_node n WHERE n.kind = 'Run'
      UNION ALL
      SELECT p.base + 2 * s, p.base + 1 + 2 * s, 'CONSUMED', 'TRAIN', p.project FROM g_pipe p, generate_series(2, p.stages) s
      UNION ALL
      -- Raw inputs: the primary one at stage 1, one or two side inputs after; distinct datasets per stage.
      SELECT r.base + ${hash('(p.i * 64 + s) * 4 + k')} % (r.versions - 1), p.base + 1 + 2 * s, 'CONSUMED',
             CASE WHEN s = 1 THEN 'TRAIN' ELSE 'OTHER' END, p.project
        FROM g_pipe p
        CROSS JOIN LATERAL generate_series(1, p.stages) s
        CROSS JOIN LATERAL generate_series(1, CASE WHEN s = 1 THEN 1 ELSE 1 + ${hash('(p.i * 64 + s) * 4')} % 2 END) k
        JOIN g_raw r ON r.d = ${HUB_DATASETS} + (${hash('p.i * 64 + s')} + 7 * k) % (${rawDatasets - HUB_DATASETS})
      UNION ALL
      SELECT r.base + r.versions - 1, p.base + 3, 'CONSUMED', 'OTHER', p.project FROM g_pipe p JOIN g_raw r ON r.d = p.hub
      UNION ALL
      SELECT p.base + 1 + 2 * s, p.base + 2 + 2 * s, 'PRODUCED', NULL, p.project FROM g_pipe p, generate_series(1, p.stages - 1) s
      UNION ALL
      SELECT p.base + 2 * s, p.base + 2 + 2 * s, 'DERIVED_FROM', NULL, p.project
        FROM g_pipe p, generate_series(2, p.stages - 1) s WHERE ${hash('(p.i * 64 + s) * 4 + 3')} % 3 = 0
      UNION ALL
      SELECT p.base + 2 * p.stages + 1, p.base + 2 * p.stages + 2 + t, 'PRODUCED', NULL, p.project FROM g_pipe p, generate_series(0, 2) t
      UNION ALL
      SELECT p.base + 2 * p.stages + 5, p.base + 2 * p.stages + 6 + k, 'PARENT_OF', NULL, p.project FROM g_pipe p, generate_series(0, 7) k
      UNION ALL
      SELECT p.base + 2 * p.stages + 2 + t, p.base + 2 * p.stages + 6 + k, 'CONSUMED', (ARRAY['TRAIN', 'VALIDATION', 'TEST'])[t + 1], p.project
        FROM g_pipe p, generate_series(0, 2) t, generate_series(0, 7) k
      UNION ALL
      SELECT f.base + 2 * f.stages + 14, p.base + 2 * p.stages + 6 + k, 'CONSUMED', NULL, p.project
        FROM g_pipe p JOIN g_pipe f ON f.i = p.base_pipe, generate_series(0, 7) k
      UNION ALL
      SELECT n.ref, n.ord, 'TRAINED', NULL, n.project FROM g_node n WHERE n.kind = 'ModelVersion'`],
    ['check acyclic', `
      DO $$ BEGIN
        IF EXISTS (SELECT 1 FROM g_edge WHERE src >= dst) THEN RAISE EXCEPTION 'generator bug: an edge goes against the ordinal order'; END IF;
      END $$`],

    ['lineage_node', `
      INSERT INTO lineage_node (id, kind, project_id, created_at)
      SELECT ${nodeId('ord')}, kind, ${projectId('project')}, ${createdAt('ord')} FROM g_node`],
    ['code_commit', `
      INSERT INTO code_commit (id, project_id, repository, sha, branch, author, message, committed_at, dirty, created_by, created_at)
      SELECT ${nodeId('ord')}, ${projectId('project')}, collection, md5('sha:' || ord) || left(md5('sha2:' || ord), 8),
             'main', 'dev-' || ord % 97 || '@example.com', 'Change ' || ord, ${createdAt('ord')} - interval '1 hour',
             ${hash('ord')} % 50 = 0, $1, ${createdAt('ord')}
        FROM g_node WHERE kind = 'CodeCommit'`],
    ['dataset', `
      INSERT INTO dataset (id, project_id, name, created_at)
      SELECT ${collectionId('collection')}, ${projectId('min(project)')}, collection, ${createdAt('min(ord)')}
        FROM g_node WHERE kind = 'DataVersion' GROUP BY collection`],
    ['data_version', `
      INSERT INTO data_version (id, project_id, dataset_id, content_hash, hash_algorithm, uri, size_bytes, file_count, format, created_by, created_at)
      SELECT ${nodeId('ord')}, ${projectId('project')}, ${collectionId('collection')}, md5('content:' || ord), 'md5',
             's3://pedigree-bench/' || collection || '/' || ord, 1048576 + ${hash('ord')} % 1073741824, 1 + ${hash('ord + 1')} % 500,
             'parquet', $1, ${createdAt('ord')}
        FROM g_node WHERE kind = 'DataVersion'`],
    ['experiment', `
      INSERT INTO experiment (id, project_id, name, created_at)
      SELECT ${collectionId('collection')}, ${projectId('min(project)')}, collection, ${createdAt('min(ord)')}
        FROM g_node WHERE kind = 'Run' GROUP BY collection`],
    // Trials 3..7 sometimes fail; the first three always finish, as the registered versions need.
    ['run', `
      INSERT INTO run (id, project_id, experiment_id, name, status, commit_id, parent_run_id, entrypoint, environment,
                       error_message, started_at, ended_at, created_by)
      SELECT ${nodeId('ord')}, ${projectId('project')}, ${collectionId('collection')}, comp || '-' || ord, status,
             ${nodeId('ref')}, CASE WHEN parent IS NOT NULL THEN ${nodeId('parent')} END,
             CASE comp WHEN 'etl' THEN 'python -m pipelines.etl' ELSE 'python train.py' END,
             '{"python": "3.11.9", "torch": "2.4.1", "image": "registry.example.com/train:2025.01"}'::jsonb,
             CASE WHEN status = 'FAILED' THEN 'CUDA out of memory' END, ${createdAt('ord')}, ${createdAt('ord')} + interval '15 minutes', $1
        FROM (SELECT *, CASE WHEN comp = 'trial' AND idx >= 3 AND ${hash('ord')} % 4 = 0 THEN 'FAILED' ELSE 'FINISHED' END AS status
                FROM g_node WHERE kind = 'Run') runs`],
    ['registered_model', `
      INSERT INTO registered_model (id, project_id, name, latest_version, created_by, created_at)
      SELECT ${collectionId('collection')}, ${projectId('min(project)')}, collection, count(*), $1, ${createdAt('min(ord)')}
        FROM g_node WHERE kind = 'ModelVersion' GROUP BY collection`],
    // Per model: the newest version is in PRODUCTION, the two before in STAGING, every fifth older one ARCHIVED.
    ['model_version', `
      INSERT INTO model_version (id, project_id, model_id, version, run_id, artifact_uri, artifact_digest, stage, created_by, created_at)
      SELECT ${nodeId('ord')}, ${projectId('project')}, ${collectionId('collection')}, version, ${nodeId('ref')},
             's3://pedigree-bench/models/' || ord || '/model.pt', 'sha256:' || md5('artifact:' || ord) || md5('artifact2:' || ord),
             CASE WHEN newest = 1 THEN 'PRODUCTION' WHEN newest <= 3 THEN 'STAGING' WHEN version % 5 = 0 THEN 'ARCHIVED' ELSE 'NONE' END,
             $1, ${createdAt('ord')}
        FROM (SELECT *, row_number() OVER (PARTITION BY collection ORDER BY ord) AS version,
                     row_number() OVER (PARTITION BY collection ORDER BY ord DESC) AS newest
                FROM g_node WHERE kind = 'ModelVersion') versions`],
    ['lineage_edge', `
      INSERT INTO lineage_edge (src_id, dst_id, relation, role, project_id, created_at)
      SELECT ${nodeId('src')}, ${nodeId('dst')}, relation, role, ${projectId('project')}, ${createdAt('dst')} FROM g_edge`],
    // VACUUM too: autovacuum would otherwise start on the freshly loaded tables in the middle of the
    // measurements; vacuumed (visibility map set) is also the steady state of an insert-only table.
    ['vacuum analyze', `VACUUM (ANALYZE)`],
  ];
}

/**
 * Probes picked from the plan, so every run measures the same nodes: the first version of a
 * pipeline of median length without hub or base model, and of a deep one, from the later half;
 * the biggest hub; the newest version of the first ordinary raw dataset.
 */
const PROBE_ORDINALS = `
  WITH late AS (SELECT * FROM g_pipe WHERE i >= (SELECT max(i) / 2 FROM g_pipe))
  SELECT
    (SELECT base + 2 * stages + 14 FROM late WHERE stages = ${TYPICAL_STAGES} AND hub IS NULL AND base_pipe IS NULL AND i % 1000 <> 0 ORDER BY i LIMIT 1) AS "typicalModel",
    (SELECT base + 2 * stages + 14 FROM g_pipe WHERE stages = ${DEEP_STAGES} ORDER BY i >= (SELECT max(i) / 2 FROM g_pipe) DESC, i LIMIT 1) AS "deepModel",
    (SELECT base + versions - 1 FROM g_raw WHERE d = 0) AS "hubDataVersion",
    (SELECT base + versions - 1 FROM g_raw WHERE d = ${HUB_DATASETS}) AS "leafDataVersion"`;

export async function generateLineageGraph(client: PoolClient, options: GraphOptions): Promise<GeneratedGraph> {
  const started = performance.now();
  for (const [label, sql] of statements(options.totalNodes)) {
    const stepStarted = performance.now();
    await client.query(sql.includes('$1') ? { text: sql, values: [options.userId] } : sql);
    console.log(`  ${label.padEnd(18)} ${((performance.now() - stepStarted) / 1000).toFixed(1)} s`);
  }
  const seconds = (performance.now() - started) / 1000;

  const count = async (sql: string) =>
    Object.fromEntries((await client.query<{ key: string; n: number }>(sql)).rows.map((row) => [row.key, row.n]));
  const nodesByKind = await count(`SELECT kind AS key, count(*)::int AS n FROM lineage_node GROUP BY kind ORDER BY kind`);
  const edgesByRelation = await count(`SELECT relation AS key, count(*)::int AS n FROM lineage_edge GROUP BY relation ORDER BY relation`);

  const ordinals = (await client.query<Record<string, string | null>>(PROBE_ORDINALS)).rows[0];
  // The complete walk the API uses for impact, uncapped: every reachable node once.
  const probe = async (name: string, direction: WalkDirection): Promise<Probe> => {
    if (ordinals[name] === null) throw new Error(`a graph of ${options.totalNodes} nodes is too small to hold a ${name} probe`);
    const { rows: [{ id }] } = await client.query<{ id: string }>(`SELECT ${nodeId('$1::bigint')} AS id`, [ordinals[name]]);
    const { rows } = await client.query<{ n: number }>(`${completeWalk(direction)} SELECT count(*)::int AS n FROM reached`, [id, null, Number.MAX_SAFE_INTEGER]);
    return { id, reach: rows[0].n };
  };
  const hubDataVersion = await probe('hubDataVersion', 'DOWNSTREAM');
  const [{ n: hubConsumers }] = (await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM lineage_edge WHERE src_id = $1`, [hubDataVersion.id])).rows;
  const probes = {
    typicalModel: await probe('typicalModel', 'UPSTREAM'),
    deepModel: await probe('deepModel', 'UPSTREAM'),
    hubDataVersion,
    leafDataVersion: await probe('leafDataVersion', 'DOWNSTREAM'),
  };
  const projectIds = (await client.query<{ id: string }>(`SELECT id FROM project WHERE key = ANY($1) ORDER BY key`, [PROJECT_KEYS])).rows.map((row) => row.id);
  await client.query(`DROP TABLE g_edge, g_node, g_pipe, g_raw`);
  return { projectIds, nodesByKind, edgesByRelation, hubConsumers, probes, seconds };
}
