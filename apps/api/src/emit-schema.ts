import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { createDataSource } from './data-source';
import { buildPedigreeSchema, createServices } from './schema';

/** The committed schema file: sorted, so a diff shows only real contract changes. */
export const SCHEMA_FILE = path.resolve(__dirname, '../../../schema/schema.graphql');

/** Builds the schema text without a database: services only hold an unopened data source. */
export async function printPedigreeSchema(): Promise<string> {
  const services = createServices(createDataSource('postgres://schema-only'), { secret: 'schema-only', sessionHours: 1 });
  const schema = await buildPedigreeSchema(services);
  return `# Generated from the API's code by \`npm run schema:emit\`; do not edit by hand.\n\n${printSchema(lexicographicSortSchema(schema))}\n`;
}

if (require.main === module) {
  printPedigreeSchema().then((text) => {
    writeFileSync(SCHEMA_FILE, text);
    console.log(`wrote ${path.relative(process.cwd(), SCHEMA_FILE)}`);
  });
}
