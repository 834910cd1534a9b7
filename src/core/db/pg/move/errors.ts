/** The move was refused before anything was written to the target. */
export class MoveRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MoveRefused';
  }
}

/** The move started and failed (or was interrupted); its transaction was rolled back, so the target is as it was. */
export class MoveFailed extends Error {
  /** Lines that say more (the first rows that differ). */
  readonly details: string[];

  constructor(message: string, details: string[] = []) {
    super(message);
    this.name = 'MoveFailed';
    this.details = details;
  }
}

/** Ctrl-C: stopped at the next batch and rolled back. */
export class MoveInterrupted extends MoveFailed {
  constructor() {
    super('Interrupted (Ctrl-C).');
    this.name = 'MoveInterrupted';
  }
}
