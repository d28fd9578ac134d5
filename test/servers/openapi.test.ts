import { describe, expect, it } from 'vitest';
import { OpenApiCatalog, openApiToJsonSchema } from './github/index.ts';

describe('openApiToJsonSchema', () => {
  it('turns nullable types, enums and references into JSON Schema null handling', () => {
    expect(openApiToJsonSchema({ type: 'string', nullable: true })).toEqual({ type: ['string', 'null'] });
    expect(openApiToJsonSchema({ type: 'string', nullable: true, enum: ['a', 'b'] })).toEqual({
      type: ['string', 'null'],
      enum: ['a', 'b', null],
    });
    expect(openApiToJsonSchema({ allOf: [{ $ref: '#/components/schemas/x' }], nullable: true })).toEqual({
      anyOf: [{ allOf: [{ $ref: '#/components/schemas/x' }] }, { type: 'null' }],
    });
  });

  it('keeps property names that look like keywords and drops OpenAPI-only annotations', () => {
    const converted = openApiToJsonSchema({
      type: 'object',
      example: { nullable: 1 },
      'x-github': {},
      properties: { nullable: { type: 'integer', example: 3 }, example: { type: 'string' } },
    });
    expect(converted).toEqual({
      type: 'object',
      properties: { nullable: { type: 'integer' }, example: { type: 'string' } },
    });
  });

  it('converts boolean exclusive bounds and accepts a documented default outside the format', () => {
    expect(openApiToJsonSchema({ type: 'number', minimum: 0, exclusiveMinimum: true })).toEqual({
      type: 'number',
      exclusiveMinimum: 0,
    });
    expect(openApiToJsonSchema({ type: 'string', format: 'uri', default: '' })).toEqual({
      type: 'string',
      default: '',
      allOf: [{ anyOf: [{ format: 'uri' }, { const: '' }] }],
    });
  });
});

describe('OpenApiCatalog', () => {
  const catalog = OpenApiCatalog.shared();

  it('matches literal segments before parameters and reports unknown paths and methods', () => {
    const zip = catalog.match('GET', '/repos/acme/ml/actions/artifacts/5/zip');
    expect(zip.kind === 'operation' && zip.operation.operationId).toBe('actions/download-artifact');
    const latest = catalog.match('GET', '/repos/acme/ml/releases/latest');
    expect(latest.kind === 'operation' && latest.operation.operationId).toBe('repos/get-latest-release');
    const byId = catalog.match('GET', '/repos/acme/ml/releases/12');
    expect(byId.kind === 'operation' && byId.operation.pathParams).toMatchObject({ release_id: '12' });
    expect(catalog.match('GET', '/definitely/not/github').kind).toBe('unknown-path');
    expect(catalog.match('PUT', '/repos/acme/ml/issues/comments/1')).toEqual({
      kind: 'method-not-allowed',
      template: '/repos/{owner}/{repo}/issues/comments/{comment_id}',
    });
  });

  it('coerces query strings like GitHub and checks their types and enums', () => {
    const runs = catalog.match('GET', '/repos/acme/ml/actions/workflows/train.yml/runs');
    const byId = catalog.match('GET', '/repos/acme/ml/actions/workflows/42/runs');
    if (runs.kind !== 'operation' || byId.kind !== 'operation') throw new Error('route not matched');
    expect(
      catalog.validateParameters(runs.operation, new URLSearchParams('per_page=50&status=success')),
    ).toEqual([]);
    expect(catalog.validateParameters(byId.operation, new URLSearchParams('created=>=2026-01-01'))).toEqual(
      [],
    );
    const issues = catalog.validateParameters(
      runs.operation,
      new URLSearchParams('per_page=many&status=done'),
    );
    expect(issues.map((issue) => issue.location)).toEqual(['query.status', 'query.per_page']);
  });

  it('detects a response that drifted from the documented schema', () => {
    const get = catalog.match('GET', '/repos/acme/ml/issues/comments/1');
    if (get.kind !== 'operation') throw new Error('route not matched');
    const drifted = { id: 1, body: 'hi' };
    const issues = catalog.validateResponse(get.operation, 200, drifted);
    expect(issues.map((issue) => issue.message)).toContain(`"user" wasn't supplied (response).`);
    expect(catalog.validateResponse(get.operation, 201, drifted)[0]?.message).toMatch(/not documented/);
  });
});
