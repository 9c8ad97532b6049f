import { GraphQLDateTime, GraphQLJSON, GraphQLSafeInt } from 'graphql-scalars';
import type { ValueTransformer } from 'typeorm';

export const DateTime = GraphQLDateTime;
export const JSONScalar = GraphQLJSON;
/** Integers up to 2^53, for byte sizes and steps that outgrow GraphQL's 32-bit Int. */
export const SafeInt = GraphQLSafeInt;

/** node-postgres returns int8 as a string; sizes and steps stay below 2^53, so numbers are exact. */
export const bigintAsNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};
