import { describe, expect, it } from 'vitest';
import { colourClasses, COLOURS, labelColour } from './pages.js';

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

describe('the schematic map', () => {
  it('writes every tile label with at least 4.5:1 contrast (axe cannot measure SVG text)', () => {
    COLOURS.forEach((colour, cls) => expect(contrast(colour, labelColour(cls)), colour).toBeGreaterThanOrEqual(4.5));
  });

  it('splits the counts into at most four classes that cover 1..max without gaps', () => {
    expect(colourClasses([0, 0])).toEqual([]);
    expect(colourClasses([1])).toEqual([{ from: 1, to: 1 }]);
    for (const max of [2, 3, 7, 12, 100, 4999]) {
      const classes = colourClasses([0, max]);
      expect(classes.length).toBeLessThanOrEqual(4);
      expect(classes[0]!.from).toBe(1);
      expect(classes[classes.length - 1]!.to).toBe(max);
      classes.slice(1).forEach((c, i) => expect(c.from).toBe(classes[i]!.to + 1));
    }
  });
});
