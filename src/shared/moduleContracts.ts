/// <reference types="vite/client" />
import type { ChannelMap } from './channel';
import { coreContract } from './contract';

/** Contracts of every module folder present at build time (modules/<name>/contract.ts). */
const found = import.meta.glob<Record<string, ChannelMap>>('../../modules/*/contract.ts', { eager: true });

const moduleChannelNames = Object.values(found).flatMap((exports) =>
  Object.values(exports)
    .filter((value): value is ChannelMap => typeof value === 'object' && value !== null)
    .flatMap((contract) => Object.keys(contract).filter((name) => name.includes('.'))),
);

/** Every channel the preload exposes and main binds: the core's and each installed module's. */
export const allChannelNames: readonly string[] = [...new Set([...Object.keys(coreContract), ...moduleChannelNames])];
