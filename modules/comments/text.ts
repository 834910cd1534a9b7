/**
 * How a comment's text is measured, shared by the core handlers and the composer's counter so
 * both count the same way: line endings as one "\n", no spaces at either end, and characters
 * as people see them (an emoji is one, not two UTF-16 units).
 */
export const normalizeCommentText = (text: string): string => text.replace(/\r\n?/g, '\n').trim();

export const commentLength = (text: string): number => [...normalizeCommentText(text)].length;

export const tooLongMessage = (max: number, length: number): string =>
  `A comment can be at most ${max.toLocaleString('en-GB')} characters; this one has ${length.toLocaleString('en-GB')}.`;
