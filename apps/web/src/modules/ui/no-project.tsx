/** The empty state of every project page for a user who is a member of no project. */
export function NoProject({ title }: { title: string }) {
  return (
    <>
      <h1>{title}</h1>
      <p className="empty">
        You are not a member of any project yet. Ask a project owner to add you, or an admin to create a project.
      </p>
    </>
  );
}
