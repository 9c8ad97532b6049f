import { formatDateTime } from '@/lib/format';

export function DateTime({ value }: { value: string }) {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return <>{value}</>;
  return <time dateTime={date.toISOString()}>{formatDateTime(value)}</time>;
}
