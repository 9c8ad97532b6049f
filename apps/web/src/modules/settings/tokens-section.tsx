import type { ProjectRole } from '@/gql/graphql';
import { ROLE_LABELS } from '@/lib/format';
import { ActionButton } from '@/modules/ui/action-button';
import { DateTime } from '@/modules/ui/date-time';
import { revokeToken } from './actions';
import { CreateTokenForm } from './create-token-form';

interface ApiToken {
  id: string;
  name: string;
  role?: ProjectRole | null;
  createdAt: string;
  expiresAt?: string | null;
  revokedAt?: string | null;
  project?: { id: string; name: string } | null;
}

function tokenStatus(token: ApiToken, now: number): 'active' | 'revoked' | 'expired' {
  if (token.revokedAt) return 'revoked';
  if (token.expiresAt && new Date(token.expiresAt).getTime() <= now) return 'expired';
  return 'active';
}

/**
 * The viewer's own tokens. Any signed-in user may create and revoke theirs (the API's rule), so this
 * section is not limited to owners; a token can never do more than its user.
 */
export function TokensSection({
  tokens,
  projectKey,
  projectName,
  viewerRole,
}: {
  tokens: ApiToken[];
  projectKey: string;
  projectName: string;
  viewerRole: ProjectRole | null;
}) {
  const now = Date.now();
  return (
    <section className="card" aria-labelledby="tokens-heading">
      <h2 id="tokens-heading">Your API tokens</h2>
      <p className="muted small">For scripts and CI: send one as <code>Authorization: Bearer &lt;token&gt;</code>.</p>
      {tokens.length === 0 ? (
        <p className="empty">You have no API tokens.</p>
      ) : (
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Reaches</th>
                <th scope="col">Acts as</th>
                <th scope="col">Created</th>
                <th scope="col">Expires</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {tokens.map((token) => {
                const status = tokenStatus(token, now);
                return (
                  <tr key={token.id}>
                    <td>{token.name}</td>
                    <td>{token.project?.name ?? 'all your projects'}</td>
                    <td>{token.role ? `at most ${ROLE_LABELS[token.role].toLowerCase()}` : 'your role'}</td>
                    <td className="small">
                      <DateTime value={token.createdAt} />
                    </td>
                    <td className="small">{token.expiresAt ? <DateTime value={token.expiresAt} /> : 'never'}</td>
                    <td>
                      {status === 'active' ? (
                        <ActionButton action={revokeToken} fields={{ id: token.id }} label="Revoke"
                          accessibleLabel={`Revoke ${token.name}`} />
                      ) : (
                        <span className="muted">{status}</span>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <CreateTokenForm projectKey={projectKey} projectName={projectName} viewerRole={viewerRole} />
    </section>
  );
}
