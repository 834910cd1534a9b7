import { describe, expect, it } from 'vitest';
import { cleanText, isCleanText } from '../../src/shared/text';

describe('clean text', () => {
  it('accepts the text people write, in any script', () => {
    for (const s of ['Replace hydraulic pump, system B', 'Überprüfung – Fahrwerk', 'فحص المحرك', '点検 ✈️ 🛠️', "O'Brien \"Bob\" <QC>"]) {
      expect(isCleanText(s), s).toBe(true);
    }
    expect(isCleanText('line one\nline two\ttabbed\r\n', true)).toBe(true);
  });

  it('refuses control characters, direction overrides and lone surrogates', () => {
    for (const s of ['nul\u0000byte', 'bell\u0007', 'esc\u001b[31m', 'c1\u0085', 'evil\u202elana', 'embed\u202atext', 'lone\ud800', 'lone\udc00x']) {
      expect(isCleanText(s), JSON.stringify(s)).toBe(false);
      expect(isCleanText(s, true), JSON.stringify(s)).toBe(false);
    }
    expect(isCleanText('two\nlines')).toBe(false);
  });

  it('says what is wrong', () => {
    const result = cleanText(100).safeParse('Approved by \u202eevil');
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe('Remove the control or direction-override characters from this text');
  });
});
