import type { Metadata } from 'next';
import { requireViewer } from '@/lib/viewer';
import { RunDetails } from '@/modules/runs/run-details';

export const metadata: Metadata = { title: 'Run · Pedigree' };

export default async function RunPage({ params }: { params: Promise<{ id: string }> }) {
  await requireViewer();
  return <RunDetails runId={(await params).id} />;
}
