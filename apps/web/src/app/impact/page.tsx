import type { Metadata } from 'next';
import { currentProject } from '@/lib/viewer';
import { ImpactReport } from '@/modules/lineage/impact-report';
import { impactHref } from '@/modules/lineage/node-links';
import { NodeSearch } from '@/modules/lineage/node-search';
import { singleParam, type SearchParams } from '@/modules/lineage/search-params';
import { NoProject } from '@/modules/ui/no-project';

export const metadata: Metadata = { title: 'Impact · Pedigree' };

export default async function ImpactPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const params = await searchParams;
  const project = await currentProject(singleParam(params, 'project'));
  const nodeId = singleParam(params, 'node');
  if (nodeId) return <ImpactReport nodeId={nodeId} after={singleParam(params, 'after')} />;

  if (!project) return <NoProject title="Impact" />;
  return (
    <>
      <h1>Impact</h1>
      <p className="muted">
        Which model versions did a bad data version, commit or run reach? Pick it in {project.name} to list every
        affected version, Production first.
      </p>
      <div className="card">
        <NodeSearch
          action="/impact"
          project={project.key}
          text={singleParam(params, 'q')}
          hint="A data version by content hash, a commit by sha (4+ hex characters of either), or a run by name or id."
          hrefFor={(match) => impactHref(match.id, project.key)}
        />
      </div>
    </>
  );
}
