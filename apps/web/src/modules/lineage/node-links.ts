/** Where each lineage entity is shown. Every href carries the project, so a link works from any selected project. */

export function lineageHref(nodeId: string, project?: string): string {
  return withProject(`/lineage?node=${encodeURIComponent(nodeId)}`, project);
}

export function impactHref(nodeId: string, project?: string): string {
  return withProject(`/impact?node=${encodeURIComponent(nodeId)}`, project);
}

export function runHref(runId: string): string {
  return `/runs/${encodeURIComponent(runId)}`;
}

export function modelHref(project: string, model: string): string {
  return withProject(`/models/${encodeURIComponent(model)}`, project);
}

export function modelVersionHref(project: string, model: string, version: number): string {
  return withProject(`/models/${encodeURIComponent(model)}/versions/${version}`, project);
}

function withProject(href: string, project: string | undefined): string {
  if (!project) return href;
  return `${href}${href.includes('?') ? '&' : '?'}project=${encodeURIComponent(project)}`;
}
