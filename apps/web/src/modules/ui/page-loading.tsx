/** What a loading.tsx shows while the server fetches: the page's title and placeholder rows. */
export function PageLoading({ title }: { title: string }) {
  return (
    <div role="status" aria-live="polite">
      <h1>{title}</h1>
      <p className="muted">Loading…</p>
      <div className="skeleton" aria-hidden="true">
        <span />
        <span />
        <span />
      </div>
    </div>
  );
}
