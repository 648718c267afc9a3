import type { ComponentChildren, VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import type { Grant } from './auth/principal.js';
import { t, type Lang } from './i18n.js';

export const BI = '/static/bi';
export const SPRITES = `${BI}/svg/sprites.svg`;

export interface PageContext {
  lang: Lang;
  /** Path and query of the current request, used for the language switch. */
  url: string;
  /** The signed-in person, if any. */
  user: { displayName: string; grants: Grant[] } | null;
  /** The CSRF token to put in every form that posts. */
  csrf: () => string;
}

export interface Crumb {
  label: string;
  href?: string;
}

export interface LayoutProps {
  ctx: PageContext;
  title: string;
  description?: string;
  breadcrumbs?: Crumb[];
  /** Which top-level menu entry is current. */
  section?: 'home' | 'clusters' | 'organisations' | 'search' | 'matching' | 'api' | 'manage';
  /** Absolute canonical URL of the page, for search engines. */
  canonical?: string | undefined;
  children: ComponentChildren;
}

/** The same URL in another language; the page stays the same. */
export function switchLangUrl(url: string, lang: Lang): string {
  const parsed = new URL(url, 'http://localhost');
  parsed.searchParams.set('lang', lang);
  return `${parsed.pathname}${parsed.search}`;
}

/**
 * Absolute canonical URL of a page: its path and meaningful parameters (empty ones dropped,
 * sorted), plus `lang=en` for the English version (Italian is the default of every URL).
 */
export function canonicalUrl(baseUrl: string, path: string, params: Record<string, string | number | null | undefined>, lang: Lang): string {
  const query = new URLSearchParams();
  for (const key of Object.keys(params).sort()) {
    const value = params[key];
    if (key !== 'lang' && value !== undefined && value !== null && value !== '') query.set(key, String(value));
  }
  if (lang === 'en') query.set('lang', 'en');
  const qs = query.toString();
  return `${baseUrl}${path}${qs ? `?${qs}` : ''}`;
}

/** A link that keeps the reader's language explicit only where it is not the default. */
export function href(path: string, _lang: Lang): string {
  return path;
}

export function Icon({ name, className = '' }: { name: string; className?: string }) {
  return (
    <svg class={`icon ${className}`.trim()} aria-hidden="true" focusable="false">
      <use href={`${SPRITES}#${name}`} />
    </svg>
  );
}

/** Sign-in link, or the signed-in person's name, profile link and sign-out button. */
function UserMenu({ ctx }: { ctx: PageContext }) {
  const { lang, user } = ctx;
  if (!user) {
    return (
      <a class="ch-user-link me-3" href={`/accedi?next=${encodeURIComponent(ctx.url)}`}>
        {t(lang, 'nav.login')}
      </a>
    );
  }
  return (
    <div class="d-flex align-items-center me-3 ch-user">
      <a class="ch-user-link me-2" href="/profilo" title={t(lang, 'nav.profile')}>
        {user.displayName}
      </a>
      {user.grants.some((g) => g.role === 'cluster_manager' || g.role === 'region_admin') ? (
        <a class="ch-user-link me-2" href="/gestione">
          {t(lang, 'nav.manage')}
        </a>
      ) : null}
      <form method="post" action="/esci" class="d-inline">
        <input type="hidden" name="_csrf" value={ctx.csrf()} />
        <button type="submit" class="btn btn-link ch-user-link p-0">
          {t(lang, 'nav.logout')}
        </button>
      </form>
    </div>
  );
}

export function Layout({ ctx, title, description, breadcrumbs, section, canonical, children }: LayoutProps) {
  const { lang } = ctx;
  const other: Lang = lang === 'it' ? 'en' : 'it';
  const fullTitle = title === t(lang, 'site.name') ? title : `${title} – ${t(lang, 'site.name')}`;
  const nav: { key: NonNullable<LayoutProps['section']>; label: string; href: string }[] = [
    { key: 'home', label: t(lang, 'nav.home'), href: '/' },
    { key: 'clusters', label: t(lang, 'nav.clusters'), href: '/cluster' },
    { key: 'organisations', label: t(lang, 'nav.organisations'), href: '/organizzazioni' },
    { key: 'matching', label: t(lang, 'nav.matching'), href: '/abbinamenti' },
    { key: 'search', label: t(lang, 'nav.search'), href: '/cerca' },
    { key: 'api', label: t(lang, 'nav.api'), href: '/api/docs' },
  ];
  return (
    <html lang={lang}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{fullTitle}</title>
        {description ? <meta name="description" content={description} /> : null}
        {canonical ? <link rel="canonical" href={canonical} /> : null}
        <link rel="stylesheet" href={`${BI}/css/bootstrap-italia.min.css`} />
        <link rel="stylesheet" href="/static/app/app.css" />
        <link rel="alternate" hrefLang={other} href={switchLangUrl(ctx.url, other)} />
      </head>
      <body>
        <div class="skiplinks">
          <a class="visually-hidden-focusable" href="#main">
            {t(lang, 'nav.skipToContent')}
          </a>
          <a class="visually-hidden-focusable" href="#footer">
            {t(lang, 'nav.skipToFooter')}
          </a>
        </div>
        <header class="it-header-wrapper">
          <div class="it-header-slim-wrapper">
            <div class="container">
              <div class="row">
                <div class="col-12">
                  <div class="it-header-slim-wrapper-content">
                    <span class="navbar-brand">{t(lang, 'site.owner')}</span>
                    <div class="it-header-slim-right-zone">
                      <UserMenu ctx={ctx} />
                      <nav class="ch-lang" aria-label={t(lang, 'lang.label')}>
                        <ul class="list-inline mb-0">
                          {(['it', 'en'] as const).map((l) => (
                            <li class="list-inline-item">
                              {l === lang ? (
                                <span class="ch-lang-current" aria-current="true">
                                  {l.toUpperCase()}
                                </span>
                              ) : (
                                <a
                                  href={switchLangUrl(ctx.url, l)}
                                  hrefLang={l}
                                  lang={l}
                                  class="ch-lang-link"
                                  title={t(l, 'lang.current')}
                                >
                                  <span aria-hidden="true">{l.toUpperCase()}</span>
                                  <span class="visually-hidden">{t(l, 'lang.current')}</span>
                                </a>
                              )}
                            </li>
                          ))}
                        </ul>
                      </nav>
                    </div>
                  </div>
                </div>
              </div>
            </div>
          </div>
          <div class="it-nav-wrapper">
            <div class="it-header-center-wrapper">
              <div class="container">
                <div class="row">
                  <div class="col-12">
                    <div class="it-header-center-content-wrapper">
                      <div class="it-brand-wrapper">
                        <a href="/">
                          <img src="/static/app/logo.svg" alt="" class="icon" width="82" height="82" />
                          <div class="it-brand-text">
                            <div class="it-brand-title">{t(lang, 'site.name')}</div>
                            <div class="it-brand-tagline d-none d-md-block">{t(lang, 'site.tagline')}</div>
                          </div>
                        </a>
                      </div>
                    </div>
                  </div>
                </div>
              </div>
            </div>
            <div class="it-header-navbar-wrapper">
              <div class="container">
                <div class="row">
                  <div class="col-12">
                    <nav class="navbar navbar-expand ch-navbar" aria-label={t(lang, 'nav.main')}>
                      <ul class="navbar-nav">
                        {nav.map((item) => (
                          <li class="nav-item">
                            <a
                              class={`nav-link${item.key === section ? ' active' : ''}`}
                              href={item.href}
                              aria-current={item.key === section ? 'page' : undefined}
                            >
                              <span>{item.label}</span>
                            </a>
                          </li>
                        ))}
                      </ul>
                    </nav>
                  </div>
                </div>
              </div>
            </div>
          </div>
        </header>
        <main id="main" class="container my-4" tabIndex={-1}>
          {breadcrumbs && breadcrumbs.length > 0 ? (
            <nav class="breadcrumb-container" aria-label={t(lang, 'nav.breadcrumb')}>
              <ol class="breadcrumb p-0">
                {breadcrumbs.map((crumb, i) => {
                  const last = i === breadcrumbs.length - 1;
                  return (
                    <li class={`breadcrumb-item${last ? ' active' : ''}`} aria-current={last ? 'page' : undefined}>
                      {crumb.href && !last ? <a href={crumb.href}>{crumb.label}</a> : crumb.label}
                      {!last ? <span class="separator">/</span> : null}
                    </li>
                  );
                })}
              </ol>
            </nav>
          ) : null}
          {children}
        </main>
        <footer class="it-footer" id="footer">
          <div class="it-footer-main">
            <div class="container pt-4">
              <div class="row">
                <div class="col-12 col-md-6 pb-3">
                  <h2 class="h5 text-white">{t(lang, 'site.name')}</h2>
                  <p class="text-white">{t(lang, 'footer.about')}</p>
                </div>
                <div class="col-12 col-md-6 pb-3">
                  <h2 class="h5 text-white">{t(lang, 'footer.links')}</h2>
                  <ul class="list-unstyled ch-footer-links">
                    <li>
                      <a href="/accessibilita">{t(lang, 'footer.accessibility')}</a>
                    </li>
                    <li>
                      <a href="/privacy">{t(lang, 'footer.privacy')}</a>
                    </li>
                    <li>
                      <a href="/api/docs">{t(lang, 'footer.api')}</a>
                    </li>
                  </ul>
                </div>
              </div>
            </div>
          </div>
          <div class="it-footer-small-prints">
            <div class="container">
              <p class="py-3 mb-0 text-white small">{t(lang, 'footer.opensource')}</p>
            </div>
          </div>
        </footer>
      </body>
    </html>
  );
}

export function renderPage(page: VNode): string {
  return `<!DOCTYPE html>${renderToString(page)}`;
}
