import { PageLoading } from '@/modules/ui/page-loading';

export default function Loading() {
  return <PageLoading title="Settings" />;
}
