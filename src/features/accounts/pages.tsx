import type { ComponentChildren } from 'preact';
import { CheckboxField, ErrorSummary, PostForm, SelectField, TextField, type Errors } from '../../platform/forms.js';
import { t } from '../../platform/i18n.js';
import { Layout, type PageContext } from '../../platform/layout.js';
import { am, roleLabelKey } from './messages.js';

type Values = Record<string, string | undefined>;

function Narrow({ ctx, title, children }: { ctx: PageContext; title: string; children: ComponentChildren }) {
  return (
    <Layout ctx={ctx} title={title} breadcrumbs={[{ label: t(ctx.lang, 'nav.home'), href: '/' }, { label: title }]}>
      <div class="row">
        <div class="col-12 col-md-8 col-lg-6">{children}</div>
      </div>
    </Layout>
  );
}

export function MessagePage({ ctx, title, lead, children }: { ctx: PageContext; title: string; lead: string; children?: ComponentChildren }) {
  return (
    <Narrow ctx={ctx} title={title}>
      <h1 class="mb-3">{title}</h1>
      <p class="lead" role="status">
        {lead}
      </p>
      {children}
    </Narrow>
  );
}

export function LoginPage({
  ctx,
  values = {},
  error,
  next,
  oidcLabel,
}: {
  ctx: PageContext;
  values?: Values;
  error?: string | undefined;
  next?: string | undefined;
  oidcLabel?: string | undefined;
}) {
  const { lang } = ctx;
  return (
    <Narrow ctx={ctx} title={am(lang, 'loginTitle')}>
      <h1 class="mb-3">{am(lang, 'loginTitle')}</h1>
      <p>{am(lang, 'loginLead')}</p>
      {error ? (
        <div class="alert alert-danger" role="alert" id="login-error">
          {error}
        </div>
      ) : null}
      <PostForm ctx={ctx} action="/accedi" class="mt-4">
        {next ? <input type="hidden" name="next" value={next} /> : null}
        <TextField lang={lang} name="email" type="email" label={am(lang, 'email')} value={values.email} required autocomplete="username" />
        <TextField lang={lang} name="password" type="password" label={am(lang, 'password')} required autocomplete="current-password" />
        <button type="submit" class="btn btn-primary">
          {am(lang, 'submitLogin')}
        </button>
      </PostForm>
      <p class="mt-4">
        <a href="/password-dimenticata">{am(lang, 'forgot')}</a>
      </p>
      <p>
        {am(lang, 'noAccount')} <a href="/registrati">{am(lang, 'register')}</a>
      </p>
      {oidcLabel ? (
        <div class="mt-4 pt-3 border-top">
          <p class="text-secondary">{am(lang, 'oidcOr')}</p>
          <a class="btn btn-outline-primary" href={`/accedi/oidc${next ? `?next=${encodeURIComponent(next)}` : ''}`}>
            {am(lang, 'oidcLogin', { label: oidcLabel })}
          </a>
        </div>
      ) : null}
    </Narrow>
  );
}

export function AccountFields({ ctx, values, errors, withEmail = true }: { ctx: PageContext; values: Values; errors: Errors; withEmail?: boolean }) {
  const { lang } = ctx;
  return (
    <>
      <TextField lang={lang} name="displayName" label={am(lang, 'displayName')} value={values.displayName} error={errors.displayName} required autocomplete="name" maxLength={120} />
      {withEmail ? (
        <TextField lang={lang} name="email" type="email" label={am(lang, 'email')} value={values.email} error={errors.email} required autocomplete="email" />
      ) : null}
      <TextField lang={lang} name="password" type="password" label={am(lang, 'password')} error={errors.password} hint={am(lang, 'passwordHint')} required autocomplete="new-password" />
      <TextField lang={lang} name="passwordRepeat" type="password" label={am(lang, 'passwordRepeat')} error={errors.passwordRepeat} required autocomplete="new-password" />
      <CheckboxField lang={lang} name="consent" label={am(lang, 'consent')} checked={values.consent === 'yes'} error={errors.consent} required>
        {am(lang, 'consent')} (<a href="/privacy">{am(lang, 'privacyLink')}</a>)
      </CheckboxField>
    </>
  );
}

export function accountLabels(lang: PageContext['lang']): Record<string, string> {
  return {
    displayName: am(lang, 'displayName'),
    email: am(lang, 'email'),
    password: am(lang, 'password'),
    passwordRepeat: am(lang, 'passwordRepeat'),
    consent: am(lang, 'privacyLink'),
    confirmEmail: am(lang, 'deleteConfirm'),
    lang: am(lang, 'language'),
  };
}

export function RegisterPage({ ctx, values = {}, errors = {} }: { ctx: PageContext; values?: Values; errors?: Errors }) {
  const { lang } = ctx;
  return (
    <Narrow ctx={ctx} title={am(lang, 'registerTitle')}>
      <h1 class="mb-3">{am(lang, 'registerTitle')}</h1>
      <p>{am(lang, 'registerLead')}</p>
      <ErrorSummary lang={lang} errors={errors} labels={accountLabels(lang)} />
      <PostForm ctx={ctx} action="/registrati" class="mt-4">
        <AccountFields ctx={ctx} values={values} errors={errors} />
        <button type="submit" class="btn btn-primary">
          {am(lang, 'submitRegister')}
        </button>
      </PostForm>
    </Narrow>
  );
}

export function ForgotPage({ ctx, values = {}, errors = {} }: { ctx: PageContext; values?: Values; errors?: Errors }) {
  const { lang } = ctx;
  return (
    <Narrow ctx={ctx} title={am(lang, 'forgotTitle')}>
      <h1 class="mb-3">{am(lang, 'forgotTitle')}</h1>
      <p>{am(lang, 'forgotLead')}</p>
      <ErrorSummary lang={lang} errors={errors} labels={accountLabels(lang)} />
      <PostForm ctx={ctx} action="/password-dimenticata" class="mt-4">
        <TextField lang={lang} name="email" type="email" label={am(lang, 'email')} value={values.email} error={errors.email} required autocomplete="email" />
        <button type="submit" class="btn btn-primary">
          {am(lang, 'submitForgot')}
        </button>
      </PostForm>
    </Narrow>
  );
}

export function ResetPage({ ctx, token, errors = {} }: { ctx: PageContext; token: string; errors?: Errors }) {
  const { lang } = ctx;
  return (
    <Narrow ctx={ctx} title={am(lang, 'resetTitle')}>
      <h1 class="mb-3">{am(lang, 'resetTitle')}</h1>
      <ErrorSummary lang={lang} errors={errors} labels={accountLabels(lang)} />
      <PostForm ctx={ctx} action="/reimposta-password" class="mt-4">
        <input type="hidden" name="token" value={token} />
        <TextField lang={lang} name="password" type="password" label={am(lang, 'password')} error={errors.password} hint={am(lang, 'passwordHint')} required autocomplete="new-password" />
        <TextField lang={lang} name="passwordRepeat" type="password" label={am(lang, 'passwordRepeat')} error={errors.passwordRepeat} required autocomplete="new-password" />
        <button type="submit" class="btn btn-primary">
          {am(lang, 'submitReset')}
        </button>
      </PostForm>
    </Narrow>
  );
}

export function InvitationPage({
  ctx,
  token,
  organisation,
  role,
  email,
  existingAccount,
  values = {},
  errors = {},
}: {
  ctx: PageContext;
  token: string;
  organisation: string;
  role: string;
  email: string;
  existingAccount: boolean;
  values?: Values;
  errors?: Errors;
}) {
  const { lang } = ctx;
  return (
    <Narrow ctx={ctx} title={am(lang, 'inviteTitle')}>
      <h1 class="mb-3">{am(lang, 'inviteTitle')}</h1>
      <p class="lead">{am(lang, 'inviteLead', { organisation, role: am(lang, roleLabelKey(role)) })}</p>
      {existingAccount && !ctx.user ? (
        <p>
          {am(lang, 'inviteExisting', { email })}{' '}
          <a href={`/accedi?next=${encodeURIComponent(`/invito?token=${token}`)}`}>{am(lang, 'loginTitle')}</a>
        </p>
      ) : (
        <>
          <ErrorSummary lang={lang} errors={errors} labels={accountLabels(lang)} />
          <PostForm ctx={ctx} action="/invito" class="mt-4">
            <input type="hidden" name="token" value={token} />
            {existingAccount ? null : <AccountFields ctx={ctx} values={values} errors={errors} withEmail={false} />}
            <button type="submit" class="btn btn-primary">
              {existingAccount ? am(lang, 'submitInviteExisting') : am(lang, 'submitInvite')}
            </button>
          </PostForm>
        </>
      )}
    </Narrow>
  );
}

export interface ProfileView {
  email: string;
  displayName: string;
  lang: 'it' | 'en';
  roles: { role: string; scope: string | null; href: string | null }[];
}

export function ProfilePage({ ctx, profile, errors = {}, saved = false }: { ctx: PageContext; profile: ProfileView; errors?: Errors; saved?: boolean }) {
  const { lang } = ctx;
  return (
    <Layout ctx={ctx} title={am(lang, 'profileTitle')} breadcrumbs={[{ label: t(lang, 'nav.home'), href: '/' }, { label: am(lang, 'profileTitle') }]}>
      <h1 class="mb-4">{am(lang, 'profileTitle')}</h1>
      {saved ? (
        <div class="alert alert-success" role="status">
          {am(lang, 'profileSaved')}
        </div>
      ) : null}
      <div class="row">
        <div class="col-12 col-lg-6">
          <ErrorSummary lang={lang} errors={errors} labels={accountLabels(lang)} />
          <PostForm ctx={ctx} action="/profilo">
            <p>
              <strong>{am(lang, 'email')}:</strong> {profile.email}
            </p>
            <TextField lang={lang} name="displayName" label={am(lang, 'displayName')} value={profile.displayName} error={errors.displayName} required autocomplete="name" />
            <SelectField
              lang={lang}
              name="lang"
              label={am(lang, 'language')}
              value={profile.lang}
              required
              options={[
                { value: 'it', label: 'Italiano' },
                { value: 'en', label: 'English' },
              ]}
            />
            <button type="submit" class="btn btn-primary">
              {am(lang, 'save')}
            </button>
          </PostForm>
        </div>
        <div class="col-12 col-lg-6 mt-5 mt-lg-0">
          <h2 class="h4">{am(lang, 'myRoles')}</h2>
          {profile.roles.length === 0 ? (
            <p>{am(lang, 'noRoles')}</p>
          ) : (
            <ul data-testid="my-roles">
              {profile.roles.map((r) => (
                <li>
                  {am(lang, roleLabelKey(r.role))}
                  {r.scope ? <> – {r.href ? <a href={r.href}>{r.scope}</a> : r.scope}</> : null}
                </li>
              ))}
            </ul>
          )}
          <h2 class="h4 mt-4">{am(lang, 'security')}</h2>
          <PostForm ctx={ctx} action="/esci-ovunque">
            <p class="small">{am(lang, 'logoutEverywhereHint')}</p>
            <button type="submit" class="btn btn-outline-primary">
              {am(lang, 'logoutEverywhere')}
            </button>
          </PostForm>
          <h2 class="h4 mt-4">{am(lang, 'myData')}</h2>
          <p>
            <a class="btn btn-outline-primary" href="/profilo/dati.json" download="clusterhub-dati-personali.json">
              {am(lang, 'downloadData')}
            </a>
          </p>
          <h2 class="h4 mt-4">{am(lang, 'deleteTitle')}</h2>
          <p class="small">{am(lang, 'deleteLead')}</p>
          <PostForm ctx={ctx} action="/profilo/elimina">
            <TextField lang={lang} name="confirmEmail" type="email" label={am(lang, 'deleteConfirm')} error={errors.confirmEmail} required autocomplete="off" />
            <button type="submit" class="btn btn-danger">
              {am(lang, 'deleteSubmit')}
            </button>
          </PostForm>
        </div>
      </div>
    </Layout>
  );
}
