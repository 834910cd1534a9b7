declare module 'pino-roll' {
  interface RollOptions {
    file: string;
    extension?: string;
    frequency?: 'daily' | 'hourly' | number;
    size?: string | number;
    mkdir?: boolean;
    limit?: { count?: number; removeOtherLogFiles?: boolean };
  }
  /** A rolling file stream (sonic-boom) for pino. */
  export default function build(options: RollOptions): Promise<NodeJS.WritableStream & { end(): void }>;
}
