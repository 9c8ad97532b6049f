import type { ApiError } from '@/lib/apollo/errors';

/** A page whose query the API refused: its message says what was wrong and what to do. */
export function LoadError({ title, error }: { title: string; error: ApiError }) {
  return (
    <>
      <h1>{title}</h1>
      <p role="alert" className="alert">
        {error.message}
      </p>
    </>
  );
}
