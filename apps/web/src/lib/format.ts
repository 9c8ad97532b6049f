import type { ProjectRole, Stage } from '@/gql/graphql';

export const STAGE_LABELS: Record<Stage, string> = {
  NONE: 'None',
  STAGING: 'Staging',
  PRODUCTION: 'Production',
  ARCHIVED: 'Archived',
};

export const ROLE_LABELS: Record<ProjectRole, string> = {
  VIEWER: 'Viewer',
  CONTRIBUTOR: 'Contributor',
  REVIEWER: 'Reviewer',
  OWNER: 'Owner',
};

/** The one stage a version may be asked to move to from each stage (the API's allowed moves). */
export const NEXT_STAGE: Record<Stage, Stage> = {
  NONE: 'STAGING',
  STAGING: 'PRODUCTION',
  PRODUCTION: 'ARCHIVED',
  ARCHIVED: 'STAGING',
};

const dateTimeFormat = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });

/** Dates in UTC: the audit trail and the API speak UTC, and a server-rendered page cannot know the reader's zone. */
export function formatDateTime(value: string): string {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : `${dateTimeFormat.format(date)} UTC`;
}

/** Enough of a hash to tell versions apart at a glance; the full value stays in a title or a code block. */
export function shortHash(hash: string, length = 12): string {
  const [algorithm, hex] = hash.includes(':') ? hash.split(':', 2) : [undefined, hash];
  const short = hex.length > length ? `${hex.slice(0, length)}…` : hex;
  return algorithm ? `${algorithm}:${short}` : short;
}

export function formatMetric(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toPrecision(4).replace(/\.?0+$/, '');
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}
