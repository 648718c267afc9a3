import ajvCompiler from '@fastify/ajv-compiler';
import fastJsonStringifyCompiler from '@fastify/fast-json-stringify-compiler';
import type { FastifyServerOptions } from 'fastify';

/**
 * Route schemas compiled on the first request that needs them, not all at start-up.
 *
 * Fastify compiles an Ajv validator for every route's params, query and body and a
 * fast-json-stringify serializer for every response status when the app gets ready: several
 * hundred schemas, the largest single part of a cold start once the modules are loaded
 * (docs/decisions/007-performance.md). These factories hand Fastify the compilers it would use
 * anyway (the packages Fastify depends on, declared in package.json with ranges compatible with
 * Fastify's, so that npm installs one copy, which the production bundle includes once; a test checks
 * that Fastify resolves the same files. Loading them from node_modules at start was ~115 CommonJS
 * files, ~80 ms of a cold start), each route's compilation deferred to its first call and then
 * kept. Only routes that are used pay, once, a few milliseconds.
 */

type ValidatorFactory = (externalSchemas: unknown, options: unknown) => (route: unknown) => Validator;
type SerializerFactory = (externalSchemas: unknown, options: unknown) => (route: unknown) => Serializer;
interface Validator {
  (data: unknown): unknown;
  errors?: unknown;
}
type Serializer = (data: unknown) => string;

export function lazySchemaCompilers(): NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']> {
  const buildValidator = (ajvCompiler as unknown as () => ValidatorFactory)();
  const buildSerializer = (fastJsonStringifyCompiler as unknown as () => SerializerFactory)();
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
