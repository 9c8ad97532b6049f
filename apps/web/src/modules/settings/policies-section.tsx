import type { GateOp, Stage } from '@/gql/graphql';
import { STAGE_LABELS } from '@/lib/format';
import { DateTime } from '@/modules/ui/date-time';
import { formatGate } from './metric-gates';
import { PolicyForm } from './policy-form';

interface Policy {
  id: string;
  toStage: Stage;
  requiredApprovals: number;
  requireCompleteLineage: boolean;
  updatedAt: string;
  metricGates: { metric: string; op: GateOp; threshold: number }[];
  model?: { id: string; name: string } | null;
}

export function PoliciesSection({
  projectKey,
  policies,
  modelNames,
  canManage,
}: {
  projectKey: string;
  policies: Policy[];
  modelNames: string[];
  canManage: boolean;
}) {
  return (
    <section className="card" aria-labelledby="policies-heading">
      <h2 id="policies-heading">Promotion policies</h2>
      <p className="muted small">
        Without a policy, a move to Production needs one approval and other moves none. The requester never approves
        their own request.
      </p>
      {policies.length === 0 ? (
        <p className="empty">No policies set: the defaults apply.</p>
      ) : (
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">Applies to</th>
                <th scope="col">Move to</th>
                <th scope="col" className="numeric">
                  Approvals
                </th>
                <th scope="col">Metric gates</th>
                <th scope="col">Complete lineage</th>
                <th scope="col">Changed</th>
              </tr>
            </thead>
            <tbody>
              {policies.map((policy) => (
                <tr key={policy.id}>
                  <td>{policy.model?.name ?? <em>every model</em>}</td>
                  <td>{STAGE_LABELS[policy.toStage]}</td>
                  <td className="numeric">{policy.requiredApprovals}</td>
                  <td>
                    {policy.metricGates.length === 0 ? (
                      <span className="muted">none</span>
                    ) : (
                      policy.metricGates.map((gate) => (
                        <code key={gate.metric} className="gate-code">
                          {formatGate(gate)}
                        </code>
                      ))
                    )}
                  </td>
                  <td>{policy.requireCompleteLineage ? 'required' : 'no'}</td>
                  <td className="small">
                    <DateTime value={policy.updatedAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {canManage ? (
        <PolicyForm projectKey={projectKey} modelNames={modelNames} />
      ) : (
        <p className="muted small">Only project owners change promotion policies.</p>
      )}
    </section>
  );
}
