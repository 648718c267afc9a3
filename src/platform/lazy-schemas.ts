import { createRequire } from 'node:module';
import type { FastifyServerOptions } from 'fastify';

/**
 * Route schemas compiled on the first request that needs them, not all at start-up.
 *
 * Fastify compiles an Ajv validator for every route's params, query and body and a
 * fast-json-stringify serializer for every response status when the app gets ready: several
 * hundred schemas, the largest single part of a cold start once the modules are loaded
 * (docs/decisions/007-performance.md). These factories hand Fastify the compilers it would use
 * anyway (resolved from Fastify's own dependencies, so their versions are the ones it ships with),
 * each route's compilation deferred to its first call and then kept. Only routes that are used pay,
 * once, a few milliseconds.
 */
const requireFromFastify = createRequire(createRequire(import.meta.url).resolve('fastify'));

type ValidatorFactory = (externalSchemas: unknown, options: unknown) => (route: unknown) => Validator;
type SerializerFactory = (externalSchemas: unknown, options: unknown) => (route: unknown) => Serializer;
interface Validator {
  (data: unknown): unknown;
  errors?: unknown;
}
type Serializer = (data: unknown) => string;

export function lazySchemaCompilers(): NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']> {
  const buildValidator = (requireFromFastify('@fastify/ajv-compiler') as () => ValidatorFactory)();
  const buildSerializer = (requireFromFastify('@fastify/fast-json-stringify-compiler') as () => SerializerFactory)();
  return {
    buildValidator: ((externalSchemas: unknown, options: unknown) => {
      let compilerFor: ((route: unknown) => Validator) | undefined;
      return (route: unknown) => lazyValidator(() => (compilerFor ??= buildValidator(externalSchemas, options))(route));
    }) as never,
    buildSerializer: ((externalSchemas: unknown, options: unknown) => {
      let compilerFor: ((route: unknown) => Serializer) | undefined;
      return (route: unknown) => lazySerializer(() => (compilerFor ??= buildSerializer(externalSchemas, options))(route));
    }) as never,
  };
}

/** A validator compiled on its first call; Fastify reads the errors of a failed validation from it, as from Ajv's. */
export function lazyValidator(compile: () => Validator): Validator {
  let validate: Validator | undefined;
  const wrapper: Validator = (data) => {
    validate ??= compile();
    const result = validate(data);
    wrapper.errors = validate.errors;
    return result;
  };
  return wrapper;
}

export function lazySerializer(compile: () => Serializer): Serializer {
  let serialize: Serializer | undefined;
  return (data) => (serialize ??= compile())(data);
}
