import { GraphQLError, GraphQLScalarType } from 'graphql';
import { GraphQLDateTime, GraphQLJSON, GraphQLSafeInt } from 'graphql-scalars';
import type { ValueTransformer } from 'typeorm';

/**
 * The years every DateTime input must lie in. JavaScript dates reach years PostgreSQL refuses (it has
 * no year 0, and no six-digit years in ISO text), which would otherwise fail inside a statement as an
 * internal error instead of a clear answer.
 */
const EARLIEST = new Date('0001-01-01T00:00:00.000Z').getTime();
const LATEST = new Date('9999-12-31T23:59:59.999Z').getTime();

function storable(date: Date): Date {
  const time = date.getTime();
  if (time < EARLIEST || time > LATEST) throw new GraphQLError(`DateTime must lie between 0001-01-01 and 9999-12-31; got ${date.toISOString()}`);
  return date;
}

/** RFC 3339 date-times, as graphql-scalars reads them, within the years PostgreSQL stores. */
export const DateTime = new GraphQLScalarType<Date, unknown>({
  ...GraphQLDateTime.toConfig(),
  parseValue: (value) => storable(GraphQLDateTime.parseValue(value)),
  parseLiteral: (literal, variables) => storable(GraphQLDateTime.parseLiteral(literal, variables)),
});
export const JSONScalar = GraphQLJSON;
/** Integers up to 2^53, for byte sizes and steps that outgrow GraphQL's 32-bit Int. */
export const SafeInt = GraphQLSafeInt;

/** node-postgres returns int8 as a string; sizes and steps stay below 2^53, so numbers are exact. */
export const bigintAsNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};
