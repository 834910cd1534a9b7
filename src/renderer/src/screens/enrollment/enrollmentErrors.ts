import type { ErrorCode } from '../../../../shared/errors';

/** A heading that says what went wrong with enrollment, for each way it can fail; the core's message says the rest. */
export function enrollmentErrorTitle(code: ErrorCode): string {
  switch (code) {
    case 'UNREACHABLE':
      return 'The site server does not answer';
    case 'INCOMPATIBLE':
      return 'Do not connect: this is not the server you checked';
    case 'NOT_ENROLLED':
    case 'FORBIDDEN':
      return 'The enrollment code was not accepted';
    case 'INVALID_TRANSITION':
      return 'Too many tries';
    case 'VALIDATION':
      return 'Check what you typed';
    default:
      return 'Could not connect';
  }
}
