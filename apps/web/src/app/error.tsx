'use client';

// Production builds hide server error details from the browser, so this page says only what the user can do.
export default function ErrorPage() {
  return (
    <div className="card" role="alert">
      <h1>Something went wrong</h1>
      <p>Pedigree could not load this page. The API may be unavailable.</p>
      {/* A full reload, because the failure happened on the server and a client-side reset would not re-fetch. */}
      <button type="button" className="button" onClick={() => window.location.reload()}>
        Try again
      </button>
    </div>
  );
}
