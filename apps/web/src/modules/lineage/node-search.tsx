import Form from 'next/form';
import Link from 'next/link';
import { graphql } from '@/gql';
import type { FindNodesQuery } from '@/gql/graphql';
import { queryPage } from '@/lib/apollo/query';
import { NODE_KIND_LABELS } from './node-kinds';
import styles from './node-search.module.css';

// Typed by src/gql (npm run codegen): the string must match the generated one exactly.
const FIND_NODES = graphql(`
  query FindNodes($project: String!, $text: String!) {
    findNodes(project: $project, text: $text, first: 25) {
      id
      kind
      label
    }
  }
`);

export type NodeMatch = FindNodesQuery['findNodes'][number];

/**
 * A node picker as a plain GET form: `action` receives `q` (and `project`), and each match links to
 * `hrefFor(match)`. Works without JavaScript; with it, next/form navigates client-side.
 */
export async function NodeSearch({
  action,
  project,
  text,
  hint,
  hrefFor,
}: {
  action: string;
  project: string;
  text: string | undefined;
  hint: string;
  hrefFor: (match: NodeMatch) => string;
}) {
  return (
    <section className={styles.search} aria-labelledby="node-search-heading">
      <h2 id="node-search-heading">Find a node</h2>
      <Form action={action} className={styles.form}>
        <input type="hidden" name="project" value={project} />
        <div className="field">
          <label htmlFor="node-search-text">Sha, hash, name or id</label>
          <input
            id="node-search-text"
            name="q"
            type="search"
            defaultValue={text}
            minLength={2}
            maxLength={200}
            required
            aria-describedby="node-search-hint"
          />
        </div>
        <button type="submit" className="button button-primary">
          Search
        </button>
      </Form>
      <p id="node-search-hint" className="muted">
        {hint}
      </p>
      {text ? <SearchResults project={project} text={text} hrefFor={hrefFor} /> : null}
    </section>
  );
}

async function SearchResults({
  project,
  text,
  hrefFor,
}: {
  project: string;
  text: string;
  hrefFor: (match: NodeMatch) => string;
}) {
  const { data, error } = await queryPage(FIND_NODES, { project, text });
  if (error) {
    return (
      <p role="alert" className="alert">
        {error.message}
      </p>
    );
  }
  const matches = data.findNodes;
  if (matches.length === 0) {
    return (
      <p className="empty">
        Nothing in {project} matches “{text}”.
      </p>
    );
  }
  return (
    <ul className={styles.results} aria-label={`Nodes matching ${text}`}>
      {matches.map((match) => (
        <li key={match.id}>
          <span className={styles.kind}>{NODE_KIND_LABELS[match.kind]}</span>
          <Link href={hrefFor(match)} prefetch={false}>
            {match.label}
          </Link>
        </li>
      ))}
    </ul>
  );
}
