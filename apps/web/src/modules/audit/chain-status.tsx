import { graphql } from '@/gql';
import { queryPage } from '@/lib/apollo/query';
import { shortHash } from '@/lib/format';

const CHAIN_STATUS = graphql(`
  query AuditChainStatus($project: String!) {
    verifyAuditChain(project: $project) {
      valid
      checkedEvents
      firstBrokenSeq
      problem
    }
    auditHead(project: $project) {
      seq
      hash
    }
  }
`);

/** Recomputes the whole chain, so it renders on its own and never holds up the event list. */
export async function ChainStatus({ projectKey }: { projectKey: string }) {
  const { data, error } = await queryPage(CHAIN_STATUS, { project: projectKey });
  if (error) {
    return (
      <p role="alert" className="alert">
        Could not verify the chain: {error.message}
      </p>
    );
  }
  const { verifyAuditChain: report, auditHead: head } = data;
  return (
    <div className={`verdict ${report.valid ? 'verdict-complete' : 'verdict-incomplete'}`} role="status">
      {report.valid ? (
        <p>
          <strong>Chain verified:</strong> all {report.checkedEvents} events link to the one before and match their
          hashes.
        </p>
      ) : (
        <p>
          <strong>Chain broken at event {report.firstBrokenSeq ?? '?'}:</strong> {report.problem ?? 'hash mismatch'}.{' '}
          {report.checkedEvents} events checked.
        </p>
      )}
      <p className="small">
        Head: event {head.seq}, hash <code title={head.hash}>{shortHash(head.hash, 16)}</code>. Keep it elsewhere to
        detect a rewrite later.
      </p>
    </div>
  );
}
