import type { TerminalState } from './terminalContract';
export const PRIORITIES = ['normal', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const ITEM_STATUSES = ['draft', 'active', 'completed', 'cancelled'] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];

export const TRANSITION_ACTIONS = ['create', 'submit', 'approve', 'reject', 'cancel'] as const;
export type TransitionAction = (typeof TRANSITION_ACTIONS)[number];

/** One step of an item's workflow. `ref` ties it to something a module knows (a department code). */
export interface WorkflowStep {
  name: string;
  ref?: string;
  /** Distinct people who must approve before the item moves on (default 1). */
  minSignoffs?: number;
  /** How long an item should wait at this step, for SLA flags. */
  targetHours?: number;
}

/** Where an item's steps came from (a template and its version), kept with the item for good. */
export interface WorkflowSource {
  id: string;
  label: string;
  version?: number;
}

/** A workflow a user may start an item with, offered by a module (e.g. templates). */
export interface WorkflowChoice extends WorkflowSource {
  description?: string;
  steps: WorkflowStep[];
}

export interface Actor {
  id: string;
  name: string;
}

/** Who works at a terminal, as a sign-in module knows them (users); without one, just a name. */
export interface SessionActor extends Actor {
  /** Employee or licence number. */
  number?: string;
  role?: string;
  /** Department names this person belongs to. */
  departments?: string[];
}

export interface WorkItem {
  id: number;
  title: string;
  description: string;
  priority: Priority;
  status: ItemStatus;
  /** Index into `steps` while draft or active; null once completed or cancelled. */
  currentStep: number | null;
  steps: WorkflowStep[];
  workflow: WorkflowSource | null;
  /** Who has approved the current step so far, while it waits for more sign-offs. */
  currentSignoffs: Actor[];
  metadata: Record<string, string>;
  createdBy: Actor;
  createdAt: string;
  updatedAt: string;
  /** When it reached its current step. */
  stepEnteredAt: string;
  /** When the current step's target hours run out; null without a target or when not active. */
  dueAt: string | null;
  /** Active and past the current step's target hours. */
  overdue: boolean;
  version: number;
}

export interface TransitionEvent {
  id: number;
  itemId: number;
  seq: number;
  action: TransitionAction;
  actor: Actor;
  at: string;
  fromStatus: ItemStatus | null;
  toStatus: ItemStatus;
  fromStep: number | null;
  toStep: number | null;
  comment: string | null;
  /**
   * The terminal the transition came from: an enrolled terminal's id on a site server, 'local'
   * (the desktop app), 'browser-harness'; null for events recorded before terminals were. Show it
   * with terminalLabel (shared/terminals.ts).
   */
  terminal?: string | null;
  /** The enrolled terminal's name on a site server (null when the id is not an enrolled terminal's). */
  terminalName?: string | null;
}

/** What the current person may do with an item now, and what each action asks for. */
export interface TransitionHint {
  action: Exclude<TransitionAction, 'create'>;
  /** Why this person cannot do it now (the engine or a module says so); absent when allowed. */
  blocked?: string;
  commentRequired?: boolean;
  /** The action is an e-signature: the person re-enters their PIN or password (signature.secret). */
  signatureRequired?: boolean;
  /** What the signature would say it means ("Approved at Quality Control"), where a sign-in module signs it. */
  signatureMeaning?: string;
  /** Where the item would be after it (the engine's dry run; a reject's is to the first step). */
  outcome?: { status: ItemStatus; step: number | null };
}

/** The hints for one item as it was read (its version): what the person may do with it now. */
export interface ItemHints {
  id: number;
  version: number;
  hints: TransitionHint[];
}

/** The answer to a bulk sign-off: each item approved, or refused with the reason (nothing done for it). */
export interface BulkSignOffResult {
  approved: WorkItem[];
  refused: { id: number; code: string; message: string }[];
}

export interface WorkItemDetail {
  item: WorkItem;
  events: TransitionEvent[];
  hints: TransitionHint[];
}

export interface Page<T> {
  rows: T[];
  /** How many match; with totalIsLowerBound, at least this many (the count stopped there). */
  total: number;
  offset: number;
  limit: number;
  /** More may match than `total` (a search matching very many items is counted only so far): show it as "1,000+". */
  totalIsLowerBound?: boolean;
  /** Set when the rows are not in the asked order but by item number (newest first, or oldest first for "oldest"). */
  sortedBy?: 'item-number';
}

export interface WorkItemCounts {
  byStatus: Record<ItemStatus, number>;
  /** Active items past their current step's target hours. */
  overdue: number;
  /** Active urgent items. */
  urgent: number;
  /** Items completed since the `completedSince` asked for (null when not asked). */
  completedSince: number | null;
  /** Active items per step name (a department, usually), most first. */
  activeByStep: { step: string; count: number }[];
}

export type ModuleState = 'enabled' | 'disabled' | 'failed';

export interface ModuleStatus {
  name: string;
  version: string;
  description: string;
  dependsOn: string[];
  state: ModuleState;
  problem?: string;
}

export interface AppStatus {
  appVersion: string;
  /** Who works at this terminal; null when a sign-in module is on and nobody is signed in. */
  actor: SessionActor | null;
  /** A sign-in module decides who works here (users); otherwise the operator types a name. */
  signIn: boolean;
  /** May open the settings window and change departments, templates, users and modules. */
  canAdminister: boolean;
  dataDir: string;
  settingsPath: string;
  databasePath: string;
  modules: ModuleStatus[];
  /** Module changes were saved and take effect after a restart. */
  restartRequired: boolean;
  /** Whether this host can restart the app core by itself (app.restart). */
  canRestart: boolean;
  /** Whether this host saves PDFs itself (app.printItem); otherwise the print view is a page. */
  canPrintPdf: boolean;
  /** Human-readable problems found at start-up (bad settings, failed modules). Empty when all is well. */
  problems: string[];
  /** Set when the core runs as a site server (its certificate authority, as terminals pin it). */
  site?: { role: 'server'; caFingerprint: string };
  /** How this terminal works (standalone, or a site terminal and its connection); added by the terminal itself. */
  terminal?: TerminalState;
}
