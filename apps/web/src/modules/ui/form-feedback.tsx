/** A form's outcome: the API's refusal as an alert, or what happened as a polite status. */
export function FormFeedback({ id, error, notice }: { id: string; error?: string; notice?: string }) {
  if (error) {
    return (
      <p id={id} role="alert" className="alert">
        {error}
      </p>
    );
  }
  return (
    <p id={id} role="status" className={notice ? 'notice' : 'visually-hidden'}>
      {notice}
    </p>
  );
}
