import { createRequire } from 'node:module';
import path from 'node:path';
import { formatDateTime } from '../../platform/dates.js';
import type { Lang } from '../../platform/i18n.js';
import { gm } from './messages.js';

const require = createRequire(import.meta.url);
const FONTS = path.join(path.dirname(require.resolve('bootstrap-italia/package.json')), 'dist', 'fonts', 'Titillium_Web');
const REGULAR = path.join(FONTS, 'titillium-web-v10-latin-ext_latin-regular.ttf');
const BOLD = path.join(FONTS, 'titillium-web-v10-latin-ext_latin-700.ttf');

export interface MinutesPdfInput {
  lang: Lang;
  cluster: string;
  meetingTitle: string;
  startsAt: Date;
  parts: { heading: string; body: string; status: string }[];
}

/**
 * The minutes as a tagged PDF (PDF/UA structure: title, language, headings and paragraphs in
 * reading order), in the Titillium typeface of the pages so accents and typographic quotes render.
 * pdfkit (and its font stack) is loaded on the first minutes, not at start-up: docs/decisions/007-performance.md.
 */
export async function renderMinutesPdf(input: MinutesPdfInput): Promise<Buffer> {
  const { default: PDFDocument } = await import('pdfkit');
  const { lang } = input;
  const title = `${gm(lang, 'minutesTitle', { title: input.meetingTitle })} – ${input.cluster}`;
  const doc = new PDFDocument({
    size: 'A4',
    margin: 56,
    tagged: true,
    lang: lang === 'it' ? 'it-IT' : 'en-GB',
    displayTitle: true,
    pdfVersion: '1.7',
    info: { Title: title, Author: input.cluster, Subject: gm(lang, 'boardOf', { cluster: input.cluster }), Creator: 'Clusterhub' },
  });
  doc.registerFont('regular', REGULAR);
  doc.registerFont('bold', BOLD);
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const document = doc.struct('Document');
  doc.addStructure(document);
  doc.font('bold').fontSize(18).fillColor('#1a1a1a').text(title, { structParent: document, structType: 'H1' });
  doc.moveDown(0.3);
  doc.font('regular').fontSize(11).fillColor('#4d4d4d').text(`${gm(lang, 'when')}: ${formatDateTime(input.startsAt, lang)}`, { structParent: document, structType: 'P' });
  for (const part of input.parts) {
    doc.moveDown(1);
    doc.font('bold').fontSize(14).fillColor('#1a1a1a').text(part.heading, { structParent: document, structType: 'H2' });
    doc.font('regular').fontSize(10).fillColor('#4d4d4d').text(part.status, { structParent: document, structType: 'P' });
    doc.moveDown(0.5);
    doc.fillColor('#1a1a1a').fontSize(11);
    for (const paragraph of part.body.split(/\r?\n\s*\r?\n/)) {
      if (!paragraph.trim()) continue;
      doc.text(paragraph, { structParent: document, structType: 'P', paragraphGap: 6 });
    }
  }
  document.end();
  doc.end();
  return done;
}
