import { Type, type TSchema } from 'typebox';

/** Shared schema pieces: one definition gives the type, the validation and the OpenAPI text. */
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const LocalisedText = Type.Object(
  {
    it: Type.String({ description: 'Italian text (always present)' }),
    en: Nullable(Type.String({ description: 'English text, or null when not translated' })),
  },
  { additionalProperties: false },
);

export const IsoDate = Type.String({ format: 'date', description: 'Calendar date, yyyy-mm-dd' });

export const LangQuery = Type.Optional(Type.Enum(['it', 'en'], { description: 'Language of messages (it, en)' }));

export const ErrorResponse = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'Stable machine-readable code, e.g. cluster.not_found' }),
      message: Type.String({ description: 'Message in the caller’s language' }),
      requestId: Type.String(),
      fields: Type.Optional(
        Type.Array(
          Type.Object({
            in: Type.String({ description: 'query, body, params or headers' }),
            field: Type.String(),
            message: Type.String(),
          }),
        ),
      ),
    }),
  },
  { $id: 'ErrorResponse', description: 'An error, with a stable code and a message in the caller’s language' },
);
