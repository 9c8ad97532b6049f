import Form from 'next/form';
import Link from 'next/link';
import styles from './runs.module.css';

/** Filters that show what the language can do; each one is a link that applies it. */
const EXAMPLES = [
  'status = "FINISHED"',
  'metrics.val_auc > 0.85 and params.max_depth = "5"',
  'tags.team = "fraud" or status = "FAILED"',
];

/** The runs filter as a GET form, so a filtered list has a URL to share. */
export function RunFilterForm({ project, filter, error }: { project: string; filter?: string; error?: string }) {
  const describedBy = error ? 'run-filter-help run-filter-error' : 'run-filter-help';
  return (
    <div className={styles.filter}>
      <Form action="/runs" className={styles.filterForm}>
        <input type="hidden" name="project" value={project} />
        <div className="field">
          <label htmlFor="run-filter">Filter</label>
          <input
            id="run-filter"
            name="filter"
            type="search"
            defaultValue={filter}
            className={styles.filterInput}
            spellCheck={false}
            autoComplete="off"
            aria-invalid={error ? true : undefined}
            aria-describedby={describedBy}
          />
        </div>
        <button type="submit" className="button button-primary">
          Apply
        </button>
        {filter ? (
          <Link href={`/runs?project=${encodeURIComponent(project)}`} className={styles.clear}>
            Clear
          </Link>
        ) : null}
      </Form>
      <p id="run-filter-help" className={styles.help}>
        Compare <code>status</code>, <code>name</code>, <code>experiment</code>, <code>params.KEY</code>,{' '}
        <code>tags.KEY</code> or <code>metrics.KEY</code> (latest value); combine with <code>and</code>,{' '}
        <code>or</code> and parentheses. For example:{' '}
        {EXAMPLES.map((example, index) => (
          <span key={example}>
            {index > 0 ? ', ' : null}
            <Link href={`/runs?project=${encodeURIComponent(project)}&filter=${encodeURIComponent(example)}`}>
              <code>{example}</code>
            </Link>
          </span>
        ))}
        .
      </p>
      {error ? (
        <p id="run-filter-error" role="alert" className="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
