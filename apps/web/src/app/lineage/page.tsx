import type { Metadata } from 'next';
import Link from 'next/link';
import { currentProject } from '@/lib/viewer';
import { LineageExplorer } from '@/modules/lineage/lineage-explorer';
import { impactHref, lineageHref } from '@/modules/lineage/node-links';
import { NodeSearch } from '@/modules/lineage/node-search';
import { singleParam, type SearchParams } from '@/modules/lineage/search-params';
import { NoProject } from '@/modules/ui/no-project';
import styles from './lineage-page.module.css';

export const metadata: Metadata = { title: 'Lineage · Pedigree' };

export default async function LineagePage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const params = await searchParams;
  const project = await currentProject(singleParam(params, 'project'));
  const nodeId = singleParam(params, 'node');

  if (nodeId) {
    return (
      <>
        <header className={styles.header}>
          <h1>Lineage</h1>
          <nav aria-label="Lineage actions" className={styles.actions}>
            <Link href={impactHref(nodeId, project?.key)}>Models it reached</Link>
            <Link href={project ? `/lineage?project=${encodeURIComponent(project.key)}` : '/lineage'}>
              Pick another node
            </Link>
          </nav>
        </header>
        <LineageExplorer nodeId={nodeId} />
      </>
    );
  }

  if (!project) return <NoProject title="Lineage" />;
  return (
    <>
      <h1>Lineage</h1>
      <p className="muted">
        Trace where a model version, run or data version came from and what it reached. Pick where to start in{' '}
        {project.name}.
      </p>
      <div className="card">
        <NodeSearch
          action="/lineage"
          project={project.key}
          text={singleParam(params, 'q')}
          hint="A commit sha or data hash prefix (4+ hex characters), a run or model name, or an id."
          hrefFor={(match) => lineageHref(match.id, project.key)}
        />
      </div>
    </>
  );
}
