/// <reference types="vite/client" />
import type { ChannelMap } from './channel';
import { coreContract } from './contract';
import { siteContract } from './siteContract';
import { terminalContract } from './terminalContract';

/** Contracts of every module folder present at build time (modules/<name>/contract.ts). */
const found = import.meta.glob<Record<string, ChannelMap>>('../../modules/*/contract.ts', { eager: true });

const moduleContracts = Object.values(found).flatMap((exports) =>
  Object.values(exports).filter((value): value is ChannelMap => typeof value === 'object' && value !== null),
);
const moduleChannelNames = moduleContracts.flatMap((contract) => Object.keys(contract).filter((name) => name.includes('.')));

/** Every channel the preload exposes and main binds: the core's, a site server's, the terminal's own and each installed module's. */
export const allChannelNames: readonly string[] = [
  ...new Set([...Object.keys(coreContract), ...Object.keys(siteContract), ...Object.keys(terminalContract), ...moduleChannelNames]),
];

/** The channels that change data (a site terminal sends each with an idempotency key). */
export const commandChannelNames: ReadonlySet<string> = new Set(
  [coreContract, siteContract, ...moduleContracts].flatMap((contract) =>
    Object.entries(contract).flatMap(([name, channel]) => ((channel as { kind?: unknown }).kind === 'command' ? [name] : [])),
  ),
);
