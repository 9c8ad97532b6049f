import type { ProjectRole } from '@/gql/graphql';
import { ROLE_LABELS } from '@/lib/format';
import { DateTime } from '@/modules/ui/date-time';
import { AddMemberForm } from './add-member-form';

interface Member {
  role: ProjectRole;
  createdAt: string;
  user: { id: string; name: string; email: string };
}

export function MembersSection({
  projectKey,
  members,
  canManage,
}: {
  projectKey: string;
  members: Member[];
  canManage: boolean;
}) {
  return (
    <section className="card" aria-labelledby="members-heading">
      <h2 id="members-heading">Members</h2>
      <div className="table-scroll">
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">Since</th>
            </tr>
          </thead>
          <tbody>
            {members.map((member) => (
              <tr key={member.user.id}>
                <td>{member.user.name}</td>
                <td>{member.user.email}</td>
                <td>{ROLE_LABELS[member.role]}</td>
                <td className="small">
                  <DateTime value={member.createdAt} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {canManage ? (
        <AddMemberForm projectKey={projectKey} />
      ) : (
        <p className="muted small">Only project owners add members and change roles.</p>
      )}
    </section>
  );
}
