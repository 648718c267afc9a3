import { describe, expect, it } from 'vitest';
import { cleanHtml, nameStatedIn, parseKnowledgeShare, spinOffName } from './knowledge-share.js';

const entry = (over: Record<string, unknown> = {}) => ({
  id: 101,
  payoff: 'Sensors for <b>precision</b> farming',
  abstract: 'AgriSense develops soil sensors.',
  description: '<p>AgriSense Srl designs wireless soil moisture sensors &amp; irrigation software.</p>',
  categories: [{ id: 1, group: 2, name: 'Field Management' }],
  tags: [{ id: 3, name: 'IoT' }],
  lookingFor: [{ label: 'Industrial partner', value: 'industrial partner' }],
  owners: [{ id: 9, name: 'Università degli Studi di Milano', organizationType: 'research_body' }],
  trl: { label: '6 - …', value: 6 },
  ...over,
});

describe('Knowledge Share format', () => {
  it('turns the source HTML into plain text, entities decoded, headings spaced', () => {
    expect(cleanHtml('<b>Grantspider</b> has developed it.<b>The problem</b>: R&amp\n• D costs')).toBe('Grantspider has developed it. The problem: R&D costs');
    expect(cleanHtml('<ul><li>one</li><li>two</li></ul>')).toBe('• one\n• two');
    expect(cleanHtml('<script>alert(1)</script>safe')).not.toContain('<script>');
    expect(cleanHtml(null)).toBe('');
    expect(cleanHtml('distribution networkMeasurement of water, PlantBit and iPhone')).toBe('distribution network\nMeasurement of water, PlantBit and iPhone');
  });

  it('reads the name the description states, not a generic opening', () => {
    expect(nameStatedIn('Deep Radars designs and develops advanced radars.')).toBe('Deep Radars');
    expect(nameStatedIn('Smart Governance S.r.l. supports Italian SMEs.')).toBe('Smart Governance S.r.l.');
    expect(nameStatedIn("RARA FACTORY's mission is to create compounds.")).toBe('RARA FACTORY');
    expect(nameStatedIn('The startup develops analytical techniques.')).toBeNull();
    expect(nameStatedIn('Innovative Start-up with a Social Vocation operates in plans.')).toBeNull();
  });

  // Hand-written fixtures, each modelled on a way the first extractor failed on the real export.
  describe('the spin-off name from all its texts', () => {
    const name = (texts: Parameters<typeof spinOffName>[0]) => spinOffName(texts);

    it('does not take an ordinary word opening the description for the name (a disease, a material)', () => {
      expect(
        name({
          payoff: 'Dermatrix: calm your skin',
          abstract: 'Dermatrix cream for the care of lesions.',
          description: 'Dermatitis is a chronic disease of the skin. Our cream soothes dermatitis flares in a week.',
        }),
      ).toBe('Dermatrix');
    });

    it('prefers the company to the product it makes', () => {
      expect(
        name({
          payoff: 'NeuroPep protects the ageing brain',
          abstract: 'NEUROX1 is a first-in-class therapy developed by NeuroPep srl, an academic spin-off.',
          description: 'NEUROX1 is a first-in-class therapy that acts on a kinase linked to neuronal death.',
        }),
      ).toBe('NeuroPep srl');
      expect(
        name({
          payoff: 'Measure your soil carbon',
          abstract: 'Agrisoil has developed CARBOX, a system that measures carbon in soils.',
          description: 'CARBOX measures soil organic carbon. CARBOX is a platform for farmers.',
          sections: ['CARBOX is cheaper than sampling.'],
        }),
      ).toBe('Agrisoil');
    });

    it('reads names followed by any verb of the trade, a comma, a legal form in lower case or an apposition', () => {
      expect(name({ payoff: 'Fibre sensors.', abstract: 'Lumenia develops, manufactures and sells fibre sensors.', description: 'Sensors for bridges.' })).toBe('Lumenia');
      expect(name({ payoff: 'Glass reborn', abstract: 'Recycling of glass.', description: 'Vetrix recycles the glass that nobody collects.' })).toBe('Vetrix');
      expect(name({ payoff: 'Drugs to the colon', abstract: 'ABC srl is an innovative start-up developing oral drug carriers.', description: 'Carriers for oral drugs.' })).toBe('ABC srl');
      expect(name({ payoff: 'Paper sensors', abstract: 'Sense2Care, an innovative SME, develops paper sensors for hospitals.', description: 'Sensors on paper.' })).toBe('Sense2Care');
    });

    it('finds a name that only the payoff states', () => {
      expect(name({ payoff: 'Erbatech promotes the regeneration of farm soils', abstract: 'Support to farms for soil regeneration.', description: 'Soil regeneration services.' })).toBe('Erbatech');
      expect(name({ payoff: 'Vitrea: light from glass', abstract: 'Glass that produces energy.', description: 'Windows with solar cells.' })).toBe('Vitrea');
    });

    it('joins an acronym to the name it abbreviates', () => {
      expect(
        name({
          payoff: 'Measure, optimise, accelerate.',
          abstract: 'Blue Water works on membranes.',
          description: 'Blue Water Solutions (BWS) team aims to clean industrial water.',
          sections: ['BWS offers pilot plants.', 'BWS provides analyses.'],
        }),
      ).toBe('Blue Water Solutions');
    });

    it('leaves it to the payoff when no text states a name, whatever clients or competitors are listed', () => {
      expect(
        name({
          payoff: 'Smarter irrigation',
          abstract: 'The startup develops irrigation software.',
          description: 'Development of irrigation software for farms.',
          context: ['Tech4Food Srl, Alfa Srl, Beta S.p.A.', 'Hydrosoft offers a similar product.'],
        }),
      ).toBeNull();
    });
  });

  it('parses a valid entry: name, cleaned texts, TRL, categories, owners', () => {
    const { entries, problems } = parseKnowledgeShare([entry()]);
    expect(problems).toEqual([]);
    expect(entries[0]).toMatchObject({ id: 101, name: 'AgriSense Srl', nameSource: 'description', trl: 6, categories: ['Field Management'], tags: ['IoT'], lookingFor: ['Industrial partner'], lang: 'en' });
    expect(entries[0]!.description).toBe('AgriSense Srl designs wireless soil moisture sensors & irrigation software.');
    expect(entries[0]!.payoff).toBe('Sensors for precision farming');
  });

  it('falls back to the payoff when no sentence states the name', () => {
    const { entries } = parseKnowledgeShare([entry({ abstract: 'The company develops sensors.', description: 'Development of sensors.' })]);
    expect(entries[0]).toMatchObject({ name: 'Sensors for precision farming', nameSource: 'payoff' });
  });

  it('reports every problem of a malformed entry by its id', () => {
    const { entries, problems } = parseKnowledgeShare([entry(), entry({ id: 102, payoff: '', owners: [], trl: { value: 'seven' } }), 'nonsense', entry()]);
    expect(entries.map((e) => e.id)).toEqual([101]);
    expect(problems).toEqual([
      { id: '102', messages: ['payoff is missing', 'owners must name at least one university or research body (id and name)', 'trl.value must be an integer from 1 to 9'] },
      { id: '#3', messages: ['the entry is not an object'] },
      { id: '101', messages: ['id appears more than once in the file'] },
    ]);
    expect(parseKnowledgeShare({}).problems[0]!.id).toBe('(file)');
  });
});
