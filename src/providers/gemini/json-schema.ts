/**
 * JSON Schema for Google's `parametersJsonSchema` / `responseJsonSchema`.
 * Both take JSON Schema as is, except `const`, which Google rejects: it is
 * rewritten as a one-value `enum`, at every schema position (and only there,
 * so a property that happens to be named `const` is left alone).
 */

type Schema = Record<string, unknown>;

const schemaMaps = ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas'] as const;
const schemaValues = ['items', 'additionalProperties', 'not', 'contains', 'if', 'then', 'else', 'propertyNames', 'unevaluatedProperties', 'unevaluatedItems'] as const;
const schemaLists = ['anyOf', 'oneOf', 'allOf', 'prefixItems'] as const;

function isSchema(value: unknown): value is Schema {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function convertValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(convertValue);
  return isSchema(value) ? toGoogleJsonSchema(value) : value;
}

export function toGoogleJsonSchema(schema: Schema): Schema {
  const result: Schema = { ...schema };
  if ('const' in result) {
    if (result.enum === undefined) result.enum = [result.const];
    delete result.const;
  }
  for (const key of schemaMaps) {
    const map = result[key];
    if (isSchema(map)) result[key] = Object.fromEntries(Object.entries(map).map(([name, value]) => [name, convertValue(value)]));
  }
  for (const key of schemaValues) {
    if (result[key] !== undefined) result[key] = convertValue(result[key]);
  }
  for (const key of schemaLists) {
    if (Array.isArray(result[key])) result[key] = (result[key] as unknown[]).map(convertValue);
  }
  return result;
}
