import {
  createTheme,
  Modal,
  Pagination,
  DEFAULT_THEME,
  defaultVariantColorsResolver,
  parseThemeColor,
  type CSSVariablesResolver,
  type MantineColorsTuple,
  type VariantColorsResolver,
} from '@mantine/core';
import { filledPair, mix, readableOn, textOnFilled } from './contrast';

const { colors } = DEFAULT_THEME;

/** Behind the cards: a light grey in light mode, darker than the cards in dark mode. */
const PAGE = { light: colors.gray[0], dark: colors.dark[8] };
/** The lightest background text sits on in dark mode (a hovered row, an input). */
const DARK_SURFACE = colors.dark[6];

/**
 * Mantine's default shades put white text on mid-tone fills (teal 2.55:1, orange 2.57:1, indigo
 * 4.32:1) and grey "dimmed" text at 3.32:1. These variables keep every colour's fill, tinted
 * ("light") and text uses at WCAG AA (4.5:1) in both colour schemes.
 */
function colorVariables(name: string, shades: MantineColorsTuple, scheme: 'light' | 'dark'): Record<string, string> {
  const { shade } = filledPair(shades);
  const filled = shades[shade]!;
  const text = scheme === 'light' ? readableOn(shades[7], PAGE.light) : readableOn(shades[4], DARK_SURFACE);
  return {
    [`--mantine-color-${name}-filled`]: filled,
    [`--mantine-color-${name}-filled-hover`]: shade < 9 ? shades[shade + 1]! : mix(filled, '#000000', 0.15),
    [`--mantine-color-${name}-text`]: text,
    [`--mantine-color-${name}-outline`]: text,
    ...(scheme === 'light' ? { [`--mantine-color-${name}-light-color`]: readableOn(shades[9], shades[2]) } : {}),
  };
}

const schemeVariables = (scheme: 'light' | 'dark') =>
  Object.assign({}, ...Object.entries(colors).map(([name, shades]) => colorVariables(name, shades, scheme))) as Record<string, string>;

const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    ...schemeVariables('light'),
    '--mantine-color-dimmed': readableOn(colors.gray[6], PAGE.light),
    '--mantine-color-anchor': 'var(--mantine-color-indigo-text)',
    // A field's error message and its text while wrong (Mantine's red 6 reads at 3.28:1 on white).
    '--mantine-color-error': 'var(--mantine-color-red-text)',
    '--app-color-page': PAGE.light,
  },
  dark: {
    ...schemeVariables('dark'),
    '--mantine-color-dimmed': readableOn(colors.dark[2], DARK_SURFACE),
    '--mantine-color-anchor': 'var(--mantine-color-indigo-text)',
    '--mantine-color-error': 'var(--mantine-color-red-text)',
    '--app-color-page': PAGE.dark,
  },
});

/** Filled buttons and badges: white or black text, whichever reads on the fill chosen above. */
const variantColorResolver: VariantColorsResolver = (input) => {
  const resolved = defaultVariantColorsResolver(input);
  if (input.variant !== 'filled') return resolved;
  const parsed = parseThemeColor({ color: input.color ?? input.theme.primaryColor, theme: input.theme });
  if (!parsed.isThemeColor) return resolved;
  const shades = input.theme.colors[parsed.color]!;
  const background = shades[parsed.shade ?? filledPair(shades).shade]!;
  return { ...resolved, color: textOnFilled(background) };
};

const PAGE_CONTROL = { first: 'First page', previous: 'Previous page', next: 'Next page', last: 'Last page' } as const;

export const theme = createTheme({
  primaryColor: 'indigo',
  defaultRadius: 'md',
  fontFamily: 'Inter, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  variantColorResolver,
  components: {
    // Every dialog's close button has a name screen readers can say.
    Modal: Modal.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Close dialog' } } }),
    // And every pagination's arrows (the page numbers name themselves).
    Pagination: Pagination.extend({ defaultProps: { getControlProps: (control) => ({ 'aria-label': PAGE_CONTROL[control] }) } }),
  },
});

export { cssVariablesResolver };
