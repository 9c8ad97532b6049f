/**
 * The lineage traversals as SQL text, shared by the API and by the benchmark's raw-SQL baseline so
 * that both measure the very same statement. Each is one recursive query, never one per hop.
 *
 * Two shapes of walk:
 * - bounded (`lineage`): rows are (id, depth) so the depth bound can be applied; a node reached on
 *   paths of several lengths yields one row per length, so the rows are capped and the caller sees
 *   `truncated` when the cap bites; the minimum depth per node is kept.
 * - complete (`impact`, `provenance`, cycle checks): rows are the node id alone, so UNION visits
 *   every node once and the walk ends on its own (lineage is acyclic); a node cap bounds the work.
 */

export type WalkDirection = 'UPSTREAM' | 'DOWNSTREAM';

/** Columns of lineage_edge that lead from a node to its neighbour in a direction. */
const STEP: Record<WalkDirection, { from: string; to: string }> = {
  UPSTREAM: { from: 'dst_id', to: 'src_id' },
  DOWNSTREAM: { from: 'src_id', to: 'dst_id' },
};

const AS_OF = (param: string) => `(${param}::timestamptz IS NULL OR e.created_at <= ${param}::timestamptz)`;

/** Walk from `start` up to `$2` hops over edges recorded by `$3` (all when null). */
function boundedWalk(name: string, direction: WalkDirection, start = '$1'): string {
  const { from, to } = STEP[direction];
  return `${name}(id, depth) AS (
    SELECT ${start}::uuid, 0
    UNION
    SELECT e.${to}, w.depth + 1 FROM ${name} w JOIN lineage_edge e ON e.${from} = w.id
     WHERE w.depth < $2 AND ${AS_OF('$3')}
  )`;
}

/** A display label per kind, computed in the same statement so labels cost no extra query. */
const LABELLED_NODES = `
  SELECT n.id, n.kind, n.project_id AS "projectId", k.depth,
         CASE n.kind
           WHEN 'CodeCommit' THEN c.repository || '@' || left(c.sha, 7)
           WHEN 'DataVersion' THEN ds.name || '@' || left(dv.content_hash, 8)
           WHEN 'Run' THEN r.name
           WHEN 'ModelVersion' THEN rm.name || ' v' || mv.version
         END AS label
    FROM kept k
    JOIN lineage_node n ON n.id = k.id
    LEFT JOIN code_commit c ON c.id = n.id
    LEFT JOIN data_version dv ON dv.id = n.id
    LEFT JOIN dataset ds ON ds.id = dv.dataset_id
    LEFT JOIN run r ON r.id = n.id
    LEFT JOIN model_version mv ON mv.id = n.id
    LEFT JOIN registered_model rm ON rm.id = mv.model_id
   ORDER BY k.depth, n.id`;

/**
 * Nodes within `$2` hops of `$1` (edges recorded by `$3`, or all when null), nearest first, at most
 * `$5 + 1` of them (the extra one says the result was cut), from at most `$4` walk rows per
 * direction. Each row carries `capped`: whether a walk hit `$4`.
 */
export function lineageSql(directions: WalkDirection[]): string {
  const walks = directions.map((direction) => boundedWalk(`walk_${direction.toLowerCase()}`, direction));
  const rows = directions.map((direction) => `rows_${direction.toLowerCase()} AS (SELECT id, depth FROM walk_${direction.toLowerCase()} LIMIT $4)`);
  const union = directions.map((direction) => `SELECT id, depth FROM rows_${direction.toLowerCase()}`).join(' UNION ALL ');
  const capped = directions.map((direction) => `(SELECT count(*) FROM rows_${direction.toLowerCase()}) >= $4`).join(' OR ');
  return `WITH RECURSIVE ${walks.join(',\n')},
    ${rows.join(',\n')},
    reached AS (SELECT id, min(depth) AS depth FROM (${union}) r GROUP BY id),
    kept AS (SELECT id, depth FROM reached ORDER BY depth, id LIMIT $5 + 1)
    SELECT labelled.*, (${capped}) AS capped FROM (${LABELLED_NODES}) labelled`;
}

/** The edges among a set of nodes, recorded by `$2` (or all when null). */
export const EDGES_AMONG_SQL = `
  SELECT e.src_id AS "from", e.dst_id AS "to", e.relation, e.role
    FROM lineage_edge e
   WHERE e.src_id = ANY($1::uuid[]) AND e.dst_id = ANY($1::uuid[]) AND ${AS_OF('$2')}
   ORDER BY e.src_id, e.dst_id, e.relation`;

/** Every node reachable from `$1` (edges recorded by `$2`), at most `$3` of them, as a CTE named `reached`. */
export function completeWalk(direction: WalkDirection): string {
  const { from, to } = STEP[direction];
  return `WITH RECURSIVE walk(id) AS (
      SELECT $1::uuid
      UNION
      SELECT e.${to} FROM walk w JOIN lineage_edge e ON e.${from} = w.id WHERE ${AS_OF('$2')}
    ),
    reached AS (SELECT id FROM walk LIMIT $3)`;
}

/**
 * Model versions downstream of `$1`: one page of those in the viewer's projects (`$4`), PRODUCTION
 * first, then STAGING, NONE, ARCHIVED, by model name and newest version; with counts by stage, how
 * many are hidden, and how many nodes the walk reached (the walk stopped early if that equals `$3`).
 */
export const IMPACT_SQL = `${completeWalk('DOWNSTREAM')},
  hits AS (
    SELECT mv.id, mv.stage, mv.project_id, rm.name, mv.version,
           array_position(ARRAY['PRODUCTION', 'STAGING', 'NONE', 'ARCHIVED'], mv.stage) AS stage_rank
      FROM reached JOIN model_version mv ON mv.id = reached.id JOIN registered_model rm ON rm.id = mv.model_id
     WHERE mv.id <> $1::uuid
  ),
  visible AS (SELECT * FROM hits WHERE project_id = ANY($4::uuid[]))
  SELECT (SELECT count(*) FROM reached)::int AS "reachedNodes",
         (SELECT count(*) FROM hits WHERE NOT (project_id = ANY($4::uuid[])))::int AS "hiddenCount",
         (SELECT coalesce(json_agg(json_build_object('stage', stage, 'count', n)), '[]') FROM (SELECT stage, count(*)::int AS n FROM visible GROUP BY stage) s) AS "countsByStage",
         (SELECT coalesce(json_agg(id), '[]') FROM (SELECT id FROM visible ORDER BY stage_rank, name, version DESC, id OFFSET $5 LIMIT $6) p) AS "pageIds"`;

/** Every node upstream of `$1` (edges recorded by `$2`), at most `$3`, with kind and project. */
export const UPSTREAM_NODES_SQL = `${completeWalk('UPSTREAM')}
  SELECT n.id, n.kind, n.project_id AS "projectId" FROM reached JOIN lineage_node n ON n.id = reached.id`;

/** The edges whose both ends are in `$1` (recorded by `$2`), with the kinds of their ends. */
export const EDGES_WITH_KINDS_SQL = `
  SELECT e.src_id AS "from", e.dst_id AS "to", e.relation, e.role, s.kind AS "fromKind", d.kind AS "toKind"
    FROM lineage_edge e JOIN lineage_node s ON s.id = e.src_id JOIN lineage_node d ON d.id = e.dst_id
   WHERE e.dst_id = ANY($1::uuid[]) AND e.src_id = ANY($1::uuid[]) AND ${AS_OF('$2')}`;

/** Walk rows a path search may visit before it gives up; bounds the work on hub-heavy graphs. */
export const PATH_SEARCH_ROW_CAP = 1_000_000;

/**
 * Hop distance from `$1` down to `$4` within `$2` hops (edges recorded by `$3`), or no row. The
 * walk yields rows level by level, so the first row for `$4` is the shortest distance and the query
 * stops there.
 */
export const DISTANCE_SQL = `WITH RECURSIVE ${boundedWalk('walk', 'DOWNSTREAM')},
  capped AS (SELECT id, depth FROM walk LIMIT ${PATH_SEARCH_ROW_CAP})
  SELECT depth FROM capped WHERE id = $4::uuid LIMIT 1`;

/** The nodes on some shortest path (of `$2` hops) from `$1` down to `$4`, labelled, nearest first. */
export const PATH_NODES_SQL = `WITH RECURSIVE ${boundedWalk('walk_down', 'DOWNSTREAM')},
  ${boundedWalk('walk_up', 'UPSTREAM', '$4')},
  kept AS (
    SELECT d.id, min(d.depth) AS depth FROM walk_down d JOIN walk_up u ON u.id = d.id AND d.depth + u.depth = $2 GROUP BY d.id
  )
  ${LABELLED_NODES}`;
