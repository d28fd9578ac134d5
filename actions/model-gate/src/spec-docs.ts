/**
 * The gate spec reference (`docs/gate-spec.md`) and the published JSON Schema
 * (`actions/model-gate/gate-spec.schema.json`), generated from the TypeBox schema the action validates
 * with, so the documentation cannot drift from the code. `scripts/write-docs.ts` writes them; a test
 * fails when the committed files are stale.
 */
import {
  ChangeBoundSchema,
  CheckSchema,
  DriftDataSchema,
  GateSpecSchema,
  PredictionsSchema,
  SignificanceSchema,
} from './spec-schema.ts';

type Schema = Record<string, unknown> & {
  type?: string;
  description?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  anyOf?: Schema[];
  items?: Schema;
  const?: unknown;
  patternProperties?: Record<string, Schema>;
};

/** Sections of the reference: an anchor per object schema. */
const SECTIONS: [string, string, Schema][] = [
  ['spec', 'The spec', GateSpecSchema as unknown as Schema],
  ['check', 'A check (`checks[]`)', CheckSchema as unknown as Schema],
  [
    'change-bound',
    'A change bound (`max-regression`, `min-improvement`)',
    ChangeBoundSchema as unknown as Schema,
  ],
  [
    'significance',
    'Significance of a check (`checks[].significance`)',
    SignificanceSchema as unknown as Schema,
  ],
  ['predictions', 'Predictions columns (`predictions`)', PredictionsSchema as unknown as Schema],
  ['drift', 'Drift data (`drift`)', DriftDataSchema as unknown as Schema],
];

const SECTION_TEXT = new Map(SECTIONS.map(([anchor, , schema]) => [JSON.stringify(schema), anchor]));

/** The section documenting a schema (compared by content: `Type.Optional` wraps a copy). */
function anchorOf(schema: Schema, self?: Schema): string | undefined {
  const text = JSON.stringify(schema);
  if (self !== undefined && text === JSON.stringify(self)) return undefined;
  return SECTION_TEXT.get(text);
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** A schema's type for a reader: `number`, `"fail" \| "warn"`, `list of string`, a link to a section. */
export function typeText(schema: Schema, self?: Schema): string {
  const anchor = anchorOf(schema, self);
  if (anchor) return `[${anchor}](#${anchor})`;
  if (schema.const !== undefined) return `\`${JSON.stringify(schema.const)}\``;
  if (schema.anyOf) {
    if (schema.anyOf.every((s) => s.const !== undefined)) {
      return schema.anyOf.map((s) => `\`${JSON.stringify(s.const)}\``).join(', ');
    }
    return schema.anyOf.map((s) => typeText(s)).join(' or ');
  }
  if (schema.type === 'array' && schema.items) return `list of ${typeText(schema.items)}`;
  if (schema.type === 'object' && schema.patternProperties) {
    const value = Object.values(schema.patternProperties)[0];
    return `map of string → ${value ? typeText(value) : 'any'}`;
  }
  if (schema.type === 'object' && schema.properties) {
    return `{${Object.keys(schema.properties)
      .map((k) => `\`${k}\``)
      .join(', ')}}`;
  }
  const limits: string[] = [];
  for (const [key, text] of [
    ['minimum', '≥'],
    ['exclusiveMinimum', '>'],
    ['maximum', '≤'],
    ['exclusiveMaximum', '<'],
  ] as const) {
    if (typeof schema[key] === 'number') limits.push(`${text} ${schema[key] as number}`);
  }
  if (typeof schema.pattern === 'string') limits.push(`pattern \`${schema.pattern}\``);
  if (typeof schema.minItems === 'number' && schema.minItems > 0) limits.push(`at least ${schema.minItems}`);
  if (typeof schema.maxItems === 'number') limits.push(`at most ${schema.maxItems}`);
  return `${schema.type ?? 'any'}${limits.length ? ` (${limits.join(', ')})` : ''}`;
}

function objectTable(schema: Schema): string {
  const required = new Set(schema.required ?? []);
  const rows = Object.entries(schema.properties ?? {}).map(([key, property]) => {
    const nested = property.type === 'object' && property.properties && !anchorOf(property);
    const description = property.description ?? '';
    const sub = nested
      ? ` Keys: ${Object.entries(property.properties ?? {})
          .map(([k, p]) => `\`${k}\` (${typeText(p)}${p.description ? `: ${p.description}` : ''})`)
          .join('; ')}.`
      : '';
    return `| \`${key}\` | ${cell(typeText(property))} | ${required.has(key) ? 'yes' : ''} | ${cell(description + sub)} |`;
  });
  return ['| key | type | required | what |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

/** The markdown of docs/gate-spec.md. */
export function gateSpecMarkdown(): string {
  const parts = [
    '# Gate spec reference',
    '',
    '<!-- Generated from actions/model-gate/src/spec-schema.ts by `npx tsx actions/model-gate/scripts/write-docs.ts`; do not edit by hand. -->',
    '',
    `The gate spec is a YAML (or JSON) file named by the \`spec\` input of [model-gate](model-gate.md). It is validated against the JSON Schema \`${String(GateSpecSchema.$id)}\`, published as [\`actions/model-gate/gate-spec.schema.json\`](../actions/model-gate/gate-spec.schema.json) (point your editor at it with \`# yaml-language-server: $schema=<url of that file>\`). Unknown keys and wrong types are refused with the JSON pointer of the problem and a "did you mean".`,
  ];
  for (const [anchor, title, schema] of SECTIONS) {
    parts.push('', `## ${anchor}`, '', `**${title}.** ${schema.description ?? ''}`.trim(), '');
    if (schema.properties) parts.push(objectTable(schema));
    else parts.push(`Type: ${typeText(schema, schema)}`);
  }
  parts.push(
    '',
    '## Metric keys',
    '',
    'Every number the gate compares has one flat key, the same in metrics files, GateReports and MLflow runs:',
    '',
    '| what | key |',
    '| --- | --- |',
    '| a model metric | `roc_auc` |',
    '| a model metric on a slice | `roc_auc/region=eu`, `roc_auc/region=eu&device=ios` |',
    '| a fairness metric over the groups of a column | `fairness/gender/demographic_parity_ratio` |',
    '| a drift statistic of a feature column | `drift/age/psi` |',
    '| the share of drifted feature columns | `drift/drift_share` |',
    '',
  );
  return parts.join('\n');
}

/** The published JSON Schema of the spec (draft 2020-12), as file text. */
export function gateSpecSchemaJson(): string {
  return `${JSON.stringify({ $schema: 'https://json-schema.org/draft/2020-12/schema', ...structuredClone(GateSpecSchema) }, null, 2)}\n`;
}
