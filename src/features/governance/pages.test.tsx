import { renderToString } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import { MotionPage, votingWindowText, type MotionPageProps } from './pages.js';
import type { MotionSummaryDto } from './schemas.js';

// Times in UTC; the page shows them in Europe/Rome (CET in January, UTC+1).
const OPENS = '2027-01-12T08:00:00.000Z'; // 09:00 in Rome
const CLOSES = '2027-01-14T17:00:00.000Z'; // 18:00 in Rome
const BEFORE_CLOSE = new Date('2027-01-13T12:00:00Z');
const AFTER_CLOSE = new Date('2027-01-14T17:05:00Z');

function motion(over: Partial<MotionSummaryDto> = {}): MotionSummaryDto {
  return {
    id: '6f1c2d3e-4a5b-4c6d-8e7f-8091a2b3c4d5',
    agendaItemId: '7a1c2d3e-4a5b-4c6d-8e7f-8091a2b3c4d5',
    type: 'ordinary',
    title: 'Quota associativa 2027',
    text: 'Il Consiglio approva la quota.',
    status: 'voting',
    votingOpensAt: OPENS,
    votingClosesAt: CLOSES,
    votesCast: 2,
    outcome: null,
    ...over,
  };
}

const outcome = (result: 'passed' | 'rejected'): NonNullable<MotionSummaryDto['outcome']> => ({
  result,
  votesFor: result === 'passed' ? 2 : 1,
  votesAgainst: result === 'passed' ? 0 : 2,
  abstentions: 0,
  votingSeats: 3,
  presentSeats: 3,
  quorumRequired: 2,
  majority: 'simple',
  base: 3,
  requiredFor: 2,
  ruleVersionId: '8b1c2d3e-4a5b-4c6d-8e7f-8091a2b3c4d5',
  decidedAt: CLOSES,
});

describe('the voting window line of a motion', () => {
  const cases: [string, MotionSummaryDto, Date, string, string][] = [
    ['open with a window', motion(), BEFORE_CLOSE, 'Votazione aperta dal 12 gennaio 2027 alle ore 09:00 al 14 gennaio 2027 alle ore 18:00', 'Voting open from 12 January 2027 at 09:00 to 14 January 2027 at 18:00'],
    ['open without a window', motion({ votingClosesAt: null }), AFTER_CLOSE, 'Votazione aperta dal 12 gennaio 2027 alle ore 09:00', 'Voting open since 12 January 2027 at 09:00'],
    [
      'ended, awaiting its close',
      motion(),
      AFTER_CLOSE,
      'Votazione online terminata il 14 gennaio 2027 alle ore 18:00 (aperta dal 12 gennaio 2027 alle ore 09:00): in attesa della chiusura e del calcolo dell’esito',
      'Online voting ended on 14 January 2027 at 18:00 (open from 12 January 2027 at 09:00): awaiting closing and the count',
    ],
    [
      'closed and passed',
      motion({ status: 'decided', outcome: outcome('passed') }),
      AFTER_CLOSE,
      'Votazione dal 12 gennaio 2027 alle ore 09:00 al 14 gennaio 2027 alle ore 18:00, chiusa: mozione approvata',
      'Voting from 12 January 2027 at 09:00 to 14 January 2027 at 18:00, closed: motion passed',
    ],
    [
      'closed and rejected',
      motion({ status: 'decided', outcome: outcome('rejected') }),
      AFTER_CLOSE,
      'Votazione dal 12 gennaio 2027 alle ore 09:00 al 14 gennaio 2027 alle ore 18:00, chiusa: mozione respinta',
      'Voting from 12 January 2027 at 09:00 to 14 January 2027 at 18:00, closed: motion rejected',
    ],
    [
      'lapsed',
      motion({ status: 'lapsed' }),
      AFTER_CLOSE,
      'Votazione dal 12 gennaio 2027 alle ore 09:00 al 14 gennaio 2027 alle ore 18:00, chiusa senza quorum: mozione decaduta',
      'Voting from 12 January 2027 at 09:00 to 14 January 2027 at 18:00, closed without a quorum: motion lapsed',
    ],
    ['withdrawn during the vote', motion({ status: 'withdrawn' }), BEFORE_CLOSE, 'Votazione aperta dal 12 gennaio 2027 alle ore 09:00, interrotta: mozione ritirata', 'Voting opened on 12 January 2027 at 09:00, stopped: motion withdrawn'],
  ];

  it.each(cases)('%s', (_name, m, now, it, en) => {
    expect(votingWindowText('it', m, now)).toBe(it);
    expect(votingWindowText('en', m, now)).toBe(en);
  });

  it('says nothing before the vote opens', () => {
    expect(votingWindowText('it', motion({ status: 'draft', votingOpensAt: null, votingClosesAt: null }), BEFORE_CLOSE)).toBeNull();
    expect(votingWindowText('en', motion({ status: 'withdrawn', votingOpensAt: null, votingClosesAt: null }), BEFORE_CLOSE)).toBeNull();
  });
});

describe('the motion page', () => {
  const props = (lang: 'it' | 'en', m: MotionSummaryDto, now: Date): MotionPageProps => ({
    ctx: { lang, url: '/cluster/cosmetica/consiglio', user: { displayName: 'Anna', grants: [] }, csrf: () => 'token' },
    cluster: { slug: 'cosmetica', name: 'Cosmetica' },
    meeting: { id: '9c1c2d3e-4a5b-4c6d-8e7f-8091a2b3c4d5', title: 'Riunione di gennaio', status: 'convened', startsAt: new Date('2027-01-20T09:00:00Z') },
    motion: m,
    agendaItem: '1. Quote',
    applications: [],
    minutesTitle: null,
    ballots: [{ seatId: 'a1c2d3e4-4a5b-4c6d-8e7f-8091a2b3c4d5', via: 'online', holderName: 'Anna', blocked: null, vote: null }],
    isHolder: true,
    seats: [],
    quorum: { votingSeats: 3, present: 2, represented: 0, required: 2, reached: true },
    ruleValidFrom: '2026-01-16',
    perms: { view: true, compose: false, conduct: false, publish: false },
    now,
  });
  const windowOf = (html: string) => /data-testid="voting-window">([^<]*)</.exec(html)?.[1];

  it('shows an open window and the ballot', () => {
    const html = renderToString(MotionPage(props('it', motion(), BEFORE_CLOSE)));
    expect(windowOf(html)).toBe('Votazione aperta dal 12 gennaio 2027 alle ore 09:00 al 14 gennaio 2027 alle ore 18:00');
    expect(html).toContain('/mozioni/6f1c2d3e-4a5b-4c6d-8e7f-8091a2b3c4d5/voto');
  });

  it('shows an ended window as ended, in both languages, and no ballot any more', () => {
    const it = renderToString(MotionPage(props('it', motion(), AFTER_CLOSE)));
    expect(windowOf(it)).toBe('Votazione online terminata il 14 gennaio 2027 alle ore 18:00 (aperta dal 12 gennaio 2027 alle ore 09:00): in attesa della chiusura e del calcolo dell’esito');
    expect(it).not.toContain('Votazione aperta');
    expect(it).not.toContain('/voto"');
    const en = renderToString(MotionPage(props('en', motion(), AFTER_CLOSE)));
    expect(windowOf(en)).toBe('Online voting ended on 14 January 2027 at 18:00 (open from 12 January 2027 at 09:00): awaiting closing and the count');
    expect(en).not.toContain('Voting open');
  });
});
