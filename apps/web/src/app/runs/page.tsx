import type { Metadata } from 'next';
import { currentProject } from '@/lib/viewer';
import { singleParam, type SearchParams } from '@/modules/lineage/search-params';
import { RunsList } from '@/modules/runs/runs-list';
import { NoProject } from '@/modules/ui/no-project';

export const metadata: Metadata = { title: 'Runs · Pedigree' };

export default async function RunsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const params = await searchParams;
  const project = await currentProject(singleParam(params, 'project'));
  if (!project) return <NoProject title="Runs" />;
  return (
    <>
      <h1>Runs</h1>
      <p className="muted">Training and data runs of {project.name}, newest first.</p>
      <RunsList project={project} filter={singleParam(params, 'filter')} after={singleParam(params, 'after')} />
    </>
  );
}
