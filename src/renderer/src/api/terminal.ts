import type { SiteContract } from '../../../shared/siteContract';
import type { TerminalContract } from '../../../shared/terminalContract';
import { apiFor } from './client';

/** The terminal's own channels (its mode, its connection, enrollment). */
export const terminalApi = apiFor<TerminalContract>();
/** A site server's administration channels (absent in standalone). */
export const siteApi = apiFor<SiteContract>();
