import type { Lang } from '../i18n.js';

/** Escape text for HTML element content and double- or single-quoted attribute values. */
export function escapeHtml(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

export interface MailAction {
  /** Text of the button, e.g. "Conferma l’indirizzo". */
  label: string;
  /** Absolute http(s) URL the button leads to. */
  url: string;
}

export interface MailContent {
  /** Subject line; also the title of the HTML document. */
  subject: string;
  /** Opening line, e.g. "Gentile Mario Rossi,". */
  greeting?: string;
  /** Body paragraphs as plain text; a newline inside a paragraph becomes a line break. */
  paragraphs: string[];
  /** One call to action: a button in HTML, the label and the URL on its own line in text. */
  action?: MailAction;
  /**
   * Why the recipient gets this mail, in the mail's language (e.g. "Hai ricevuto questa e-mail
   * perché sei referente del cluster …"); replaces the standard sentence.
   */
  footer?: string;
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

export const MAIL_SIGNATURE = 'Clusterhub – Cluster Tecnologici Lombardi';

const STRINGS: Record<Lang, { reason: string; automatic: string; fallbackLink: string }> = {
  it: {
    reason: 'Hai ricevuto questa e-mail perché il tuo indirizzo è registrato su Clusterhub.',
    automatic: 'Questo è un messaggio automatico: ti preghiamo di non rispondere.',
    fallbackLink: 'Se il pulsante non funziona, copia e incolla questo indirizzo nel browser:',
  },
  en: {
    reason: 'You received this e-mail because your address is registered on Clusterhub.',
    automatic: 'This is an automated message: please do not reply.',
    fallbackLink: 'If the button does not work, copy and paste this address into your browser:',
  },
};

/** Standard closing lines of every platform mail, in the mail's language. */
export function mailFooter(lang: Lang, reason?: string): string[] {
  const strings = STRINGS[lang];
  return [MAIL_SIGNATURE, reason ?? strings.reason, strings.automatic];
}

function checkActionUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError(`Mail action URL must be absolute: ${url}`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new TypeError(`Mail action URL must use http or https: ${url}`);
  }
  if (/\s/.test(url)) throw new TypeError('Mail action URL must not contain whitespace');
}

// Colours from the Bootstrap Italia palette; every text/background pair passes WCAG AA.
const PRIMARY = '#0066cc'; // white on it: 5.57:1
const TEXT = '#1a1a1a';
const MUTED = '#4d4d4d'; // over 7:1 on white and on the page grey
const PAGE = '#f2f4f7';
const FONT = "font-family:'Titillium Web',Geneva,Tahoma,sans-serif;";

function htmlParagraph(text: string, style: string): string {
  return `<p style="${style}">${escapeHtml(text).replace(/\r?\n/g, '<br>')}</p>`;
}

/** Build a platform mail: HTML with a plain-text twin, in Italian or English. */
export function renderMail(lang: Lang, content: MailContent): RenderedMail {
  const { subject, greeting, paragraphs, action, footer } = content;
  if (action) checkActionUrl(action.url);
  const strings = STRINGS[lang];
  const footerLines = mailFooter(lang, footer);

  // Plain text.
  const blocks: string[] = [];
  if (greeting) blocks.push(greeting);
  blocks.push(...paragraphs);
  if (action) blocks.push(`${action.label}:\n${action.url}`);
  const text = `${blocks.join('\n\n')}\n\n-- \n${footerLines.join('\n')}\n`;

  // HTML: one centred column, tables for the mail clients that ignore CSS layout.
  const pStyle = `margin:0 0 16px;${FONT}font-size:16px;line-height:1.5;color:${TEXT};`;
  const body: string[] = [];
  if (greeting) body.push(htmlParagraph(greeting, pStyle));
  for (const paragraph of paragraphs) body.push(htmlParagraph(paragraph, pStyle));
  if (action) {
    const href = escapeHtml(action.url);
    body.push(
      `<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:8px 0 24px;"><tr>` +
        `<td style="border-radius:4px;background-color:${PRIMARY};">` +
        `<a href="${href}" style="display:inline-block;padding:12px 24px;${FONT}font-size:16px;font-weight:bold;line-height:1.25;color:#ffffff;background-color:${PRIMARY};border-radius:4px;text-decoration:none;">${escapeHtml(action.label)}</a>` +
        `</td></tr></table>`,
      `<p style="margin:0 0 16px;${FONT}font-size:14px;line-height:1.5;color:${MUTED};">${escapeHtml(strings.fallbackLink)}<br>` +
        `<a href="${href}" style="color:${PRIMARY};text-decoration:underline;word-break:break-all;">${escapeHtml(action.url)}</a></p>`,
    );
  }
  const footerHtml = footerLines
    .map((line, i) =>
      htmlParagraph(
        line,
        `margin:0 0 8px;${FONT}font-size:${i === 0 ? 14 : 13}px;line-height:1.5;color:${MUTED};${i === 0 ? 'font-weight:bold;' : ''}`,
      ),
    )
    .join('\n');

  const html = `<!DOCTYPE html>
<html lang="${lang}" dir="ltr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<title>${escapeHtml(subject)}</title>
</head>
<body style="margin:0;padding:0;background-color:${PAGE};">
<div role="article" aria-roledescription="e-mail" aria-label="${escapeHtml(subject)}" lang="${lang}" style="background-color:${PAGE};padding:24px 8px;">
<table role="presentation" cellpadding="0" cellspacing="0" border="0" width="100%" style="max-width:600px;margin:0 auto;background-color:#ffffff;border-collapse:collapse;">
<tr><td style="background-color:${PRIMARY};padding:16px 24px;">
<p style="margin:0;${FONT}font-size:22px;font-weight:bold;line-height:1.25;color:#ffffff;">Clusterhub</p>
</td></tr>
<tr><td style="padding:24px;">
<h1 style="margin:0 0 24px;${FONT}font-size:22px;line-height:1.3;color:${TEXT};">${escapeHtml(subject)}</h1>
${body.join('\n')}
</td></tr>
<tr><td style="padding:16px 24px;background-color:${PAGE};border-top:1px solid #d9dadb;">
${footerHtml}
</td></tr>
</table>
</div>
</body>
</html>
`;
  return { subject, text, html };
}
