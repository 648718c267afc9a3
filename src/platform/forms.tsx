import type { ComponentChildren } from 'preact';
import { defineMessages, type Lang } from './i18n.js';
import type { PageContext } from './layout.js';

const m = defineMessages(
  {
    summaryTitle: 'Il modulo contiene {count} errori',
    summaryTitleOne: 'Il modulo contiene un errore',
    required: '(obbligatorio)',
  },
  {
    summaryTitle: 'The form has {count} errors',
    summaryTitleOne: 'The form has one error',
    required: '(required)',
  },
);

/** Errors keyed by field name, already in the reader's language. */
export type Errors = Record<string, string>;

export function CsrfField({ ctx }: { ctx: PageContext }) {
  return <input type="hidden" name="_csrf" value={ctx.csrf()} />;
}

/** A form that posts, with its CSRF token. */
export function PostForm({
  ctx,
  action,
  children,
  class: className,
  enctype,
  id,
}: {
  ctx: PageContext;
  action: string;
  children: ComponentChildren;
  class?: string;
  enctype?: string;
  id?: string;
}) {
  return (
    <form method="post" action={action} class={className} enctype={enctype} id={id} noValidate>
      <CsrfField ctx={ctx} />
      {children}
    </form>
  );
}

/** The list of problems at the top of a form, each linking to its field (WCAG 3.3.1). */
export function ErrorSummary({ lang, errors, labels }: { lang: Lang; errors: Errors; labels: Record<string, string> }) {
  const entries = Object.entries(errors);
  if (entries.length === 0) return null;
  return (
    <div class="alert alert-danger" role="alert" tabIndex={-1} id="error-summary">
      <h2 class="h5">{entries.length === 1 ? m(lang, 'summaryTitleOne') : m(lang, 'summaryTitle', { count: entries.length })}</h2>
      <ul class="mb-0">
        {entries.map(([field, message]) => (
          <li>
            <a href={`#f-${field}`}>{labels[field] ?? field}</a>: {message}
          </li>
        ))}
      </ul>
    </div>
  );
}

interface FieldProps {
  lang: Lang;
  name: string;
  label: string;
  value?: string | number | null | undefined;
  error?: string | undefined;
  hint?: string;
  required?: boolean;
}

function describedBy(name: string, hint?: string, error?: string): string | undefined {
  const ids = [hint ? `h-${name}` : '', error ? `e-${name}` : ''].filter(Boolean);
  return ids.length > 0 ? ids.join(' ') : undefined;
}

function Label({ lang, name, label, required }: { lang: Lang; name: string; label: string; required?: boolean | undefined }) {
  return (
    <label for={`f-${name}`} class="active">
      {label}
      {required ? <span class="text-secondary small"> {m(lang, 'required')}</span> : null}
    </label>
  );
}

function Feedback({ name, hint, error }: { name: string; hint?: string | undefined; error?: string | undefined }) {
  return (
    <>
      {hint ? (
        <small id={`h-${name}`} class="form-text">
          {hint}
        </small>
      ) : null}
      {error ? (
        <div id={`e-${name}`} class="invalid-feedback d-block">
          {error}
        </div>
      ) : null}
    </>
  );
}

export function TextField(
  props: FieldProps & { type?: 'text' | 'email' | 'password' | 'url' | 'tel' | 'number' | 'date' | 'search'; autocomplete?: string; maxLength?: number; inputMode?: string },
) {
  const { lang, name, label, value, error, hint, required, type = 'text', autocomplete, maxLength, inputMode } = props;
  return (
    <div class="form-group mb-4">
      <Label lang={lang} name={name} label={label} required={required} />
      <input
        // Preact types `type` as a discriminated union; every variant used here takes these attributes.
        type={type as 'text'}
        id={`f-${name}`}
        name={name}
        class={`form-control${error ? ' is-invalid' : ''}`}
        value={value ?? ''}
        required={required}
        aria-required={required ? 'true' : undefined}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy(name, hint, error)}
        autoComplete={autocomplete}
        maxLength={maxLength}
        inputMode={inputMode as 'numeric' | undefined}
      />
      <Feedback name={name} hint={hint} error={error} />
    </div>
  );
}

export function TextArea(props: FieldProps & { rows?: number; maxLength?: number }) {
  const { lang, name, label, value, error, hint, required, rows = 4, maxLength } = props;
  return (
    <div class="form-group mb-4">
      <Label lang={lang} name={name} label={label} required={required} />
      <textarea
        id={`f-${name}`}
        name={name}
        class={`form-control${error ? ' is-invalid' : ''}`}
        rows={rows}
        required={required}
        aria-required={required ? 'true' : undefined}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy(name, hint, error)}
        maxLength={maxLength}
      >
        {value ?? ''}
      </textarea>
      <Feedback name={name} hint={hint} error={error} />
    </div>
  );
}

export function SelectField(props: FieldProps & { options: { value: string; label: string }[]; empty?: string }) {
  const { lang, name, label, value, error, hint, required, options, empty } = props;
  return (
    <div class="select-wrapper mb-4">
      <label for={`f-${name}`}>
        {label}
        {required ? <span class="text-secondary small"> {m(lang, 'required')}</span> : null}
      </label>
      <select
        id={`f-${name}`}
        name={name}
        class={error ? 'is-invalid' : undefined}
        required={required}
        aria-required={required ? 'true' : undefined}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy(name, hint, error)}
      >
        {empty !== undefined ? <option value="">{empty}</option> : null}
        {options.map((o) => (
          <option value={o.value} selected={String(value ?? '') === o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <Feedback name={name} hint={hint} error={error} />
    </div>
  );
}

export function CheckboxField(props: Omit<FieldProps, 'value'> & { checked?: boolean; children?: ComponentChildren }) {
  const { name, label, error, hint, required, checked, children } = props;
  return (
    <div class="form-check mb-4">
      <input
        type="checkbox"
        id={`f-${name}`}
        name={name}
        value="yes"
        checked={checked}
        required={required}
        aria-required={required ? 'true' : undefined}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy(name, hint, error)}
      />
      <label for={`f-${name}`}>{children ?? label}</label>
      <Feedback name={name} hint={hint} error={error} />
    </div>
  );
}
