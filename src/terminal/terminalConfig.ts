import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/**
 * Keeps the terminal's credential unreadable to other users and programs where the platform can:
 * Electron's safeStorage (the OS keychain / DPAPI / libsecret). The browser harness, a developer's
 * tool, keeps it in a file only its user can read.
 */
export interface CredentialVault {
  kind: 'safeStorage' | 'file-permissions';
  seal(plain: string): string;
  open(sealed: string): string;
}

export const plainFileVault: CredentialVault = { kind: 'file-permissions', seal: (plain) => plain, open: (sealed) => sealed };

const fileSchema = z.object({
  mode: z.enum(['standalone', 'site']),
  server: z.string().nullable().default(null),
  name: z.string().nullable().default(null),
  caPem: z.string().nullable().default(null),
  terminalId: z.string().nullable().default(null),
  /** The credential, sealed by the vault (see CredentialVault.kind). */
  sealedCredential: z.string().nullable().default(null),
  vault: z.enum(['safeStorage', 'file-permissions']).nullable().default(null),
});
export type TerminalFile = z.infer<typeof fileSchema>;

export const TERMINAL_FILE = 'terminal.json';

/** The terminal's own settings (`terminal.json` in its data folder): its mode and, in site mode, its server and credential. */
export function terminalConfig(dataDir: string) {
  const file = join(dataDir, TERMINAL_FILE);
  return {
    file,
    read(): TerminalFile | null {
      if (!existsSync(file)) return null;
      const parsed = fileSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
      if (!parsed.success) throw new Error(`${file} is not a terminal settings file: ${parsed.error.issues[0]?.message}. Fix or delete it.`);
      return parsed.data;
    },
    write(value: TerminalFile): void {
      writeFileSync(`${file}.tmp`, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
      chmodSync(`${file}.tmp`, 0o600);
      renameSync(`${file}.tmp`, file);
    },
  };
}
