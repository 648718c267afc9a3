import { describe, expect, it } from 'vitest';
import { escapeHtml, MAIL_SIGNATURE, renderMail } from './templates.js';

describe('escapeHtml', () => {
  it('escapes the five HTML-significant characters', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&amp;</a>`)).toBe(
      '&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;',
    );
    expect(escapeHtml('Università – «Politecnico»')).toBe('Università – «Politecnico»');
  });
});

describe('renderMail', () => {
  const content = {
    subject: 'Conferma il tuo indirizzo',
    greeting: 'Gentile Mario Rossi,',
    paragraphs: ['Benvenuto su Clusterhub.', 'Il link scade tra 24 ore.'],
    action: { label: 'Conferma l’indirizzo', url: 'https://clusterhub.example/verify?token=abc&lang=it' },
  };

  it('renders an Italian mail with the action link in text and HTML', () => {
    const mail = renderMail('it', content);
    expect(mail.subject).toBe('Conferma il tuo indirizzo');
    expect(mail.html).toMatch(/^<!DOCTYPE html>\n<html lang="it"/);
    expect(mail.html).toContain('<title>Conferma il tuo indirizzo</title>');
    expect(mail.html).toContain('>Clusterhub</p>');
    expect(mail.html).toContain('href="https://clusterhub.example/verify?token=abc&amp;lang=it"');
    expect(mail.html).toContain('>Conferma l’indirizzo</a>');
    expect(mail.html).toContain('Se il pulsante non funziona');
    expect(mail.html).toContain('Hai ricevuto questa e-mail perché');
    expect(mail.html).toContain(MAIL_SIGNATURE);
    expect(mail.html).toContain('role="presentation"');

    const lines = mail.text.split('\n');
    expect(lines[0]).toBe('Gentile Mario Rossi,');
    expect(lines).toContain('https://clusterhub.example/verify?token=abc&lang=it');
    expect(lines).toContain('Conferma l’indirizzo:');
    expect(mail.text).toContain('Benvenuto su Clusterhub.\n\nIl link scade tra 24 ore.');
    expect(mail.text).toContain(`-- \n${MAIL_SIGNATURE}\nHai ricevuto questa e-mail perché`);
    expect(mail.text).not.toMatch(/<|&amp;/);
  });

  it('renders the English footer and lang attribute', () => {
    const mail = renderMail('en', { subject: 'Confirm your address', paragraphs: ['Welcome.'] });
    expect(mail.html).toContain('<html lang="en"');
    expect(mail.html).toContain('You received this e-mail because');
    expect(mail.text).toContain('You received this e-mail because');
    expect(mail.text).toContain(MAIL_SIGNATURE);
    expect(mail.text).not.toContain('Hai ricevuto');
    expect(mail.html).not.toContain('Se il pulsante');
    expect(mail.text.startsWith('Welcome.\n\n-- \n')).toBe(true);
  });

  it('uses a custom footer sentence instead of the standard one', () => {
    const mail = renderMail('it', {
      subject: 'Convocazione',
      paragraphs: ['Testo'],
      footer: 'Hai ricevuto questa e-mail perché sei membro del comitato tecnico-scientifico.',
    });
    expect(mail.text).toContain('sei membro del comitato tecnico-scientifico.');
    expect(mail.text).not.toContain('il tuo indirizzo è registrato');
    expect(mail.html).toContain('sei membro del comitato tecnico-scientifico.');
  });

  it('escapes every interpolated string in the HTML', () => {
    const evil = '<script>alert("x")</script>';
    const mail = renderMail('en', {
      subject: `Subject ${evil}`,
      greeting: `Dear ${evil},`,
      paragraphs: [`Body ${evil}\nsecond line`],
      action: { label: `Go ${evil}`, url: 'https://example.org/?q="><script>' },
      footer: `Footer ${evil}`,
    });
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).not.toContain('q="><');
    expect(mail.html).toContain('Body &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;<br>second line');
    expect(mail.html).toContain('aria-label="Subject &lt;script&gt;');
    expect(mail.html).toContain('href="https://example.org/?q=&quot;&gt;&lt;script&gt;"');
    // The text version is plain text: nothing to escape.
    expect(mail.text).toContain(`Dear ${evil},`);
  });

  it('refuses an action URL that is not absolute http(s)', () => {
    for (const url of ['javascript:alert(1)', '/relative', 'data:text/html,x', 'https://example.org/a b']) {
      expect(() => renderMail('it', { subject: 's', paragraphs: [], action: { label: 'x', url } })).toThrow(TypeError);
    }
  });
});
