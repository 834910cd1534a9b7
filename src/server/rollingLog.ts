import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import pinoRoll from 'pino-roll';

/**
 * Structured logs to `<dir>/<name>.<n>.log`, a new file each day or past `size`, the last `keep`
 * kept: the site server's. (The desktop app writes its own with electron-log, see src/main/appLog.ts,
 * which keeps pino and its rotation's dependencies out of the installer.)
 */
export async function openRollingLog(dir: string, name: string, options: { size?: string; keep?: number; redact?: string[] } = {}): Promise<pino.Logger> {
  mkdirSync(dir, { recursive: true });
  const stream = await pinoRoll({ file: join(dir, name), extension: '.log', frequency: 'daily', size: options.size ?? '20m', mkdir: true, limit: { count: options.keep ?? 14 } });
  return pino({ level: 'info', ...(options.redact ? { redact: options.redact } : {}) }, stream);
}
