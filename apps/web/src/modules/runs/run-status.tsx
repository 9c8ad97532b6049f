import type { RunStatus } from '@/gql/graphql';
import styles from './run-status.module.css';

const STATUS_LABELS: Record<RunStatus, string> = {
  RUNNING: 'Running',
  FINISHED: 'Finished',
  FAILED: 'Failed',
  KILLED: 'Killed',
};

export function RunStatusBadge({ status }: { status: RunStatus }) {
  return <span className={`${styles.status} ${styles[status.toLowerCase()]}`}>{STATUS_LABELS[status] ?? status}</span>;
}
