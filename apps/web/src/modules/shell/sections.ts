/** The app's top-level sections, in navigation order. */
export const SECTIONS = [
  { href: '/models', label: 'Models' },
  { href: '/approvals', label: 'Approvals' },
  { href: '/lineage', label: 'Lineage' },
  { href: '/impact', label: 'Impact' },
  { href: '/runs', label: 'Runs' },
  { href: '/audit', label: 'Audit' },
  { href: '/settings', label: 'Settings' },
] as const;

/** The section a path belongs to, e.g. "/models" for "/models/fraud/versions/3"; null outside them. */
export function sectionOf(pathname: string): string | null {
  const section = SECTIONS.find(({ href }) => pathname === href || pathname.startsWith(`${href}/`));
  return section?.href ?? null;
}
