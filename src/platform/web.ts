import { randomUUID } from 'node:crypto';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { VNode } from 'preact';
import { AppError, describeValidationIssue, errorMessage, type FieldError, type ValidationIssue } from './errors.js';
import { FormError } from './field-errors.js';
import { DEFAULT_LANG, isLang, langFromAcceptLanguage, type Lang } from './i18n.js';
import { renderPage, type PageContext } from './layout.js';
import { ErrorPage } from './error-page.js';

declare module 'fastify' {
  interface FastifyRequest {
    lang: Lang;
  }
  interface FastifyReply {
    page(vnode: VNode): FastifyReply;
    /** What every page template needs: language, URL, the signed-in person and a CSRF token. */
    pageContext(): PageContext;
  }
}

export const LANG_COOKIE = 'lang';
const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

/** Machine clients: JSON errors. People: HTML pages. */
export function wantsJson(request: FastifyRequest): boolean {
  return isJsonUrl(request.url);
}

function isJsonUrl(url: string): boolean {
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  return (path.startsWith('/api/') && path !== '/api/docs') || path === '/healthz' || path === '/readyz';
}

export function genRequestId(request: { headers: Record<string, string | string[] | undefined> }): string {
  const incoming = request.headers['x-request-id'];
  return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/**
 * The language of a request before any session is read: for the API `?lang=`, then Accept-Language;
 * for pages `?lang=` (to be remembered in a cookie when it differs from it), then the cookie, then
 * Italian. Shared by the language hook and the response cache, which keys answers by it.
 */
export function requestLanguage(request: FastifyRequest): { lang: Lang; remember: boolean } {
  return languageOf(request.url, request.headers['accept-language'], request.cookies);
}

/**
 * The same, from the request's parts: the response cache answers some requests from Node's raw
 * request, before Fastify (src/platform/cache.ts), and keys them by this very function.
 */
export function languageOf(url: string, acceptLanguage: string | undefined, cookies: Record<string, string | undefined>): { lang: Lang; remember: boolean } {
  const fromQuery = queryLang(url);
  if (isJsonUrl(url)) return { lang: isLang(fromQuery) ? fromQuery : langFromAcceptLanguage(acceptLanguage), remember: false };
  const fromCookie = cookies[LANG_COOKIE];
  if (isLang(fromQuery)) return { lang: fromQuery, remember: fromCookie !== fromQuery };
  return { lang: isLang(fromCookie) ? fromCookie : DEFAULT_LANG, remember: false };
}

/** The `lang` of a URL's query: its one value; none when absent or given twice (Fastify's parser then gives a list). */
function queryLang(url: string): string | undefined {
  const q = url.indexOf('?');
  if (q < 0) return undefined;
  const values = new URLSearchParams(url.slice(q + 1)).getAll('lang');
  return values.length === 1 ? values[0] : undefined;
}

function resolveLang(request: FastifyRequest, reply: FastifyReply): Lang {
  const { lang, remember } = requestLanguage(request);
  if (remember) reply.setCookie(LANG_COOKIE, lang, { path: '/', maxAge: 60 * 60 * 24 * 365, sameSite: 'lax', httpOnly: true });
  return lang;
}

function toAppError(error: FastifyError | AppError | Error): AppError {
  if (error instanceof AppError) return error;
  const fe = error as FastifyError;
  if (fe.validation) {
    return new AppError('request.invalid', {}, []);
  }
  if (fe.code === 'FST_CSRF_INVALID_TOKEN' || fe.code === 'FST_CSRF_MISSING_SECRET') return new AppError('csrf.invalid');
  switch (fe.statusCode) {
    case 400:
      return new AppError('request.malformed');
    case 404:
      return new AppError('route.not_found', { method: '', url: '' });
    case 405:
      return new AppError('route.method_not_allowed');
    case 413:
      return new AppError('request.too_large');
    case 415:
      return new AppError('request.unsupported_media_type');
    case 503:
      return new AppError('service.unavailable');
    default:
      return new AppError('internal');
  }
}

function validationFields(error: FastifyError, lang: Lang): FieldError[] {
  const place = error.validationContext === 'querystring' ? 'query' : (error.validationContext ?? 'body');
  return (error.validation as ValidationIssue[]).map((issue) => ({
    in: place,
    ...describeValidationIssue(issue, lang),
  }));
}

export default fp(
  async function web(app: FastifyInstance) {
    app.decorateRequest('lang', DEFAULT_LANG);
    app.decorateReply('pageContext', function (this: FastifyReply): PageContext {
      const request = this.request;
      const principal = request.principal ?? null;
      let token: string | undefined;
      return {
        lang: request.lang,
        url: request.url,
        user: principal ? { displayName: principal.displayName, grants: principal.grants } : null,
        // Created on first use only, so pages without forms set no cookie.
        csrf: () => (token ??= this.generateCsrf()),
      };
    });
    app.decorateReply('page', function (this: FastifyReply, vnode: VNode) {
      return this.type('text/html; charset=utf-8').send(renderPage(vnode));
    });

    app.addHook('onRequest', async (request, reply) => {
      reply.header('x-request-id', request.id);
      request.lang = resolveLang(request, reply);
    });

    app.setNotFoundHandler(async (request) => {
      throw new AppError('route.not_found', { method: request.method, url: request.url.split('?')[0] ?? '' });
    });

    app.setErrorHandler(async (error: FastifyError | AppError, request, reply) => {
      const lang = request.lang ?? DEFAULT_LANG;
      const appError = toAppError(error);
      const fields =
        appError instanceof FormError
          ? appError.localise(lang)
          : appError.fields.length > 0
          ? appError.fields
          : (error as FastifyError).validation
            ? validationFields(error as FastifyError, lang)
            : [];
      if (appError.status >= 500) {
        request.log.error({ err: error }, 'request failed');
      } else {
        request.log.info({ code: appError.code, status: appError.status }, 'request refused');
      }
      if (appError.code === 'auth.required' && !wantsJson(request) && request.method === 'GET') {
        return reply.redirect(`/accedi?next=${encodeURIComponent(request.url)}`, 303);
      }
      const message = errorMessage(appError.code, lang, appError.params);
      reply.status(appError.status);
      if (wantsJson(request)) {
        return reply.type('application/json; charset=utf-8').send({
          error: {
            code: appError.code,
            message,
            requestId: request.id,
            ...(fields.length > 0 ? { fields } : {}),
          },
        });
      }
      return reply.page(
        ErrorPage({ ctx: reply.pageContext(), status: appError.status, code: appError.code, message, fields, requestId: request.id }),
      );
    });
  },
  { name: 'clusterhub-web', dependencies: ['@fastify/cookie'] },
);
