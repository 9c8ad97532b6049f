/** Next's page search params, as `searchParams` resolves to. */
export type SearchParams = Record<string, string | string[] | undefined>;

/** One query-string value: the first when repeated, undefined when absent or blank. */
export function singleParam(params: SearchParams, name: string): string | undefined {
  const value = params[name];
  const first = (Array.isArray(value) ? value[0] : value)?.trim();
  return first ? first : undefined;
}
