import { renderToString } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import type { Lang } from '../../platform/i18n.js';
import { SearchPage } from './pages.js';
import { HIGHLIGHT_FIELDS, type SearchResponseDto } from './schemas.js';

function result(over: Partial<SearchResponseDto>): SearchResponseDto {
  return {
    q: 'sviluppo',
    total: 667,
    items: [],
    facets: { kind: [{ value: 'organisation', label: 'Organizzazioni', count: 667 }], cluster: [], type: [], province: [], size: [], competence: [] },
    approximate: false,
    totalApproximate: false,
    nextCursor: null,
    relaxed: false,
    corrections: [],
    expandedAreas: [],
    ignored: [],
    suggestions: [],
    cached: false,
    ...over,
  } as SearchResponseDto;
}

const render = (lang: Lang, r: SearchResponseDto) =>
  renderToString(
    <SearchPage
      ctx={{ lang, url: '/cerca?q=sviluppo', user: null, csrf: () => 'token' }}
      view={{ params: { q: 'sviluppo', province: 'MI' }, result: r, canonical: '/cerca?q=sviluppo' }}
    />,
  ).replace(/<[^>]+>/g, ' ');

describe('the search page and its counts', () => {
  it('marks a snippet written in the other language with its language, and leaves the page language unmarked', () => {
    const item = (i: number, text: string): SearchResponseDto['items'][number] => ({
      kind: 'organisation' as const, id: `00000000-0000-4000-8000-00000000001${i}`, title: `Org ${i}`, url: `/organizzazioni/${i}`, organisation: null,
      orgType: 'company' as const, city: null, provinceCode: null, countryCode: null, sizeClass: null, clusters: [], description: null,
      competences: [], matchedCompetences: [], score: 1, highlights: [{ field: 'description', text, ranges: [[0, 4]] }],
    });
    const items = [item(1, 'We monitor water with nanostructured sensors for the industry'), item(2, 'Sviluppo di sensoristica avanzata per il monitoraggio delle acque')];
    const html = (lang: Lang) => renderToString(
      <SearchPage ctx={{ lang, url: '/cerca?q=sensori', user: null, csrf: () => 'token' }} view={{ params: { q: 'sensori' }, result: result({ items }), canonical: '/cerca?q=sensori' }} />,
    );
    expect(html('it')).toMatch(/<span lang="en"><mark[^>]*>We m<\/mark>onitor water/);
    expect(html('it')).not.toContain('lang="it"><mark');
    expect(html('en')).toMatch(/<span lang="it"><mark[^>]*>Svil<\/mark>uppo di sensoristica/);
    expect(html('en')).not.toContain('lang="en"><mark');
  });


  it('says "at least" for the total only when the total is a lower bound', () => {
    const exact = render('it', result({}));
    expect(exact).toContain('667 risultati per «sviluppo»');
    expect(exact).not.toContain('≥');
    const facets = render('it', result({ approximate: true }));
    expect(facets).toContain('667 risultati per «sviluppo»');
    expect(facets).not.toContain('Almeno');
    expect(facets).toContain('≥ 667');
    expect(facets).toContain('Il numero dei risultati è esatto');
    const both = render('it', result({ approximate: true, totalApproximate: true }));
    expect(both).toContain('Almeno 667 risultati per «sviluppo»');
    expect(both).toContain('Aggiungi una parola o un filtro');
    expect(render('en', result({ approximate: true }))).toContain('The number of results is exact');
    expect(render('en', result({ approximate: true, totalApproximate: true }))).toContain('At least 667 results');
  });

  it('labels every field a highlight can come from, in both languages', () => {
    // One result highlighting each field (the name is shown as the title, not in the list).
    const fields = HIGHLIGHT_FIELDS.filter((f) => f !== 'name');
    const items: SearchResponseDto['items'] = fields.map((field, i) => ({
      kind: 'organisation' as const,
      id: `00000000-0000-4000-8000-00000000000${i}`,
      title: `Org ${i}`,
      url: `/organizzazioni/${i}`,
      organisation: null,
      orgType: 'company' as const,
      city: null,
      provinceCode: null,
      countryCode: null,
      sizeClass: null,
      clusters: [],
      description: null,
      competences: [],
      matchedCompetences: [],
      score: 1,
      highlights: [{ field, text: 'sviluppo di sensori', ranges: [[0, 8]] }],
    }));
    for (const lang of ['it', 'en'] as const) {
      const html = render(lang, result({ items }));
      expect(html).not.toMatch(/\s:\s+sviluppo/); // a label left empty
      expect(html).toContain(lang === 'it' ? 'Offerte tecnologiche:' : 'Technology offers:');
    }
  });
});
