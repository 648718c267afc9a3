import { createRequire } from 'node:module';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { lazySchemaCompilers, lazySerializer, lazyValidator } from './lazy-schemas.js';

describe('lazy schema compilation', () => {
  it('compiles a validator on its first call, once, and passes on its errors', () => {
    let compiled = 0;
    const validate = lazyValidator(() => {
      compiled += 1;
      const fn = (data: unknown) => {
        fn.errors = typeof data === 'number' ? null : [{ message: 'must be number' }];
        return typeof data === 'number';
      };
      fn.errors = null as unknown;
      return fn;
    });
    expect(compiled).toBe(0);
    expect(validate('x')).toBe(false);
    expect(validate.errors).toEqual([{ message: 'must be number' }]);
    expect(validate(1)).toBe(true);
    expect(validate.errors).toBeNull();
    expect(compiled).toBe(1);
  });

  it('compiles a serializer on its first call, once', () => {
    let compiled = 0;
    const serialize = lazySerializer(() => {
      compiled += 1;
      return (data) => JSON.stringify(data);
    });
    expect(compiled).toBe(0);
    expect(serialize({ a: 1 })).toBe('{"a":1}');
    expect(serialize({ a: 2 })).toBe('{"a":2}');
    expect(compiled).toBe(1);
  });

  it('validates, coerces, reports and serializes as Fastify does by default', async () => {
    const app = Fastify({
      ajv: { customOptions: { removeAdditional: true, coerceTypes: 'array', useDefaults: true, allErrors: false } },
      schemaController: { compilersFactory: lazySchemaCompilers() },
    });
    app.addSchema({ $id: 'Thing', type: 'object', properties: { n: { type: 'integer' } }, required: ['n'] });
    app.post(
      '/things/:id',
      {
        schema: {
          params: { type: 'object', properties: { id: { type: 'integer' } } },
          querystring: { type: 'object', properties: { tags: { type: 'array', items: { type: 'string' } }, page: { type: 'integer', default: 1 } } },
          body: { $ref: 'Thing#' },
          response: { 200: { type: 'object', properties: { id: { type: 'integer' }, n: { type: 'integer' }, tags: { type: 'array', items: { type: 'string' } }, page: { type: 'integer' } } } },
        },
      },
      async (request) => {
        const { id } = request.params as { id: number };
        const { tags, page } = request.query as { tags: string[]; page: number };
        return { id, n: (request.body as { n: number }).n, tags, page, secret: 'never serialized' };
      },
    );
    const ok = await app.inject({ method: 'POST', url: '/things/7?tags=a', payload: { n: 3 } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ id: 7, n: 3, tags: ['a'], page: 1 });
    const bad = await app.inject({ method: 'POST', url: '/things/7', payload: { n: 'three' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toContain('body/n must be integer');
    await app.close();
  });

  it('uses the copies of the compilers Fastify itself resolves (one copy installed, bundled once)', () => {
    const require = createRequire(import.meta.url);
    const fromFastify = createRequire(require.resolve('fastify'));
    for (const name of ['@fastify/ajv-compiler', '@fastify/fast-json-stringify-compiler']) {
      expect(require.resolve(name), name).toBe(fromFastify.resolve(name));
    }
  });
});
