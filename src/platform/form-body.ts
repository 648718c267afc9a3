import { Type, type Static } from 'typebox';

/** An HTML form post: named string fields, each bounded. The service validates the content. */
export const FormBody = Type.Record(Type.String({ maxLength: 100 }), Type.String({ maxLength: 20_000 }), {
  maxProperties: 200,
});
export type FormBody = Static<typeof FormBody>;

export function field(body: FormBody | undefined, name: string): string {
  const value = body?.[name];
  return typeof value === 'string' ? value : '';
}

/** A local path to go back to after signing in; anything else (another site) becomes '/'. */
export function safeNext(value: unknown): string {
  return typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') && !value.startsWith('/\\') ? value : '/';
}
