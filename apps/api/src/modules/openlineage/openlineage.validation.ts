import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

/**
 * The OpenLineage 2-0-2 core spec (draft 2020-12), verbatim from the OpenLineage repository. It is
 * read from src/ both when running from src (tests) and from dist (the build copies no JSON):
 * three levels up from this file is the package root either way.
 */
export const OPENLINEAGE_SCHEMA_FILE = path.resolve(__dirname, '..', '..', '..', 'src', 'modules', 'openlineage', 'OpenLineage.schema.json');

let runEventValidator: ValidateFunction | undefined;

function validator(): ValidateFunction {
  if (!runEventValidator) {
    const schema = JSON.parse(readFileSync(OPENLINEAGE_SCHEMA_FILE, 'utf8')) as { $id: string };
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats(ajv);
    ajv.addSchema(schema);
    // This endpoint takes run events; dataset and job events carry no run to record.
    runEventValidator = ajv.getSchema(`${schema.$id}#/$defs/RunEvent`);
    if (!runEventValidator) throw new Error('the OpenLineage schema has no RunEvent definition');
  }
  return runEventValidator;
}

function describe(error: ErrorObject): string {
  const where = error.instancePath || '<root>';
  if (error.keyword === 'required') return `${where}: '${String(error.params.missingProperty)}' is a required property`;
  return `${where}: ${error.message ?? error.keyword}`;
}

/** The schema errors of one event, as "path: problem" lines; empty when it is a valid RunEvent. */
export function runEventErrors(event: unknown): string[] {
  const validate = validator();
  if (validate(event)) return [];
  return [...new Set((validate.errors ?? []).map(describe))];
}
