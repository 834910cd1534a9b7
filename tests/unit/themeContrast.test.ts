import { DEFAULT_THEME, darken } from '@mantine/core';
import { describe, expect, it } from 'vitest';
import { contrastRatio, textOnFilled } from '../../src/renderer/src/theme/contrast';
import { cssVariablesResolver, theme } from '../../src/renderer/src/theme/theme';

/** The theme's colours against what they sit on, in both schemes: text at WCAG AA (4.5:1) everywhere. */
const { colors } = DEFAULT_THEME;
const vars = cssVariablesResolver({ ...DEFAULT_THEME, ...theme } as never);
const PAGE = { light: [colors.gray[0], '#ffffff'], dark: [colors.dark[7], colors.dark[6], colors.dark[8]] };

describe.each(Object.keys(colors))('%s', (name) => {
  it('filled buttons and badges: the text chosen reads on the fill', () => {
    for (const scheme of ['light', 'dark'] as const) {
      const fill = vars[scheme][`--mantine-color-${name}-filled`]!;
      expect(contrastRatio(fill, textOnFilled(fill))).toBeGreaterThanOrEqual(4.5);
    }
  });

  it('coloured text reads on the page and on cards', () => {
    for (const scheme of ['light', 'dark'] as const) {
      for (const background of PAGE[scheme]) {
        expect(contrastRatio(vars[scheme][`--mantine-color-${name}-text`]!, background!)).toBeGreaterThanOrEqual(4.5);
      }
    }
  });

  it('tinted ("light") badges and buttons: the text reads on the tint', () => {
    expect(contrastRatio(vars.light[`--mantine-color-${name}-light-color`]!, colors[name]![1])).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio(colors[name]![0], darken(colors[name]![9], 0.5))).toBeGreaterThanOrEqual(4.5);
  });
});

it('dimmed text reads on the page and on cards in both schemes', () => {
  for (const scheme of ['light', 'dark'] as const) {
    for (const background of PAGE[scheme]) expect(contrastRatio(vars[scheme]['--mantine-color-dimmed']!, background!)).toBeGreaterThanOrEqual(4.5);
  }
});

it("a field's error message and its text while wrong use red text that reads (Mantine's own error red does not)", () => {
  for (const scheme of ['light', 'dark'] as const) expect(vars[scheme]['--mantine-color-error']).toBe('var(--mantine-color-red-text)');
});
