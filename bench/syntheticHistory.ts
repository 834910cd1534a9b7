/**
 * Synthetic work items with plausible histories, generated deterministically from a seed.
 * Items are made in creation order (ids grow with time, as in the app); most old items are
 * completed, recent ones are still in the queues.
 */

export type Rng = () => number;

/** mulberry32: small, fast and good enough for test data. */
export function seededRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(rng: Rng, list: readonly T[]): T => list[Math.floor(rng() * list.length)]!;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const FIRST = ['Alex', 'Sam', 'Priya', 'Jonas', 'Maria', 'Chen', 'Fatima', 'Tom', 'Ingrid', 'Kofi', 'Lucia', 'Ravi', 'Hannah', 'Marek', 'Aisha', 'Diego', 'Sofia', 'Liam', 'Yuki', 'Olu'];
const LAST = ['Smith', 'Novak', 'Okafor', 'Larsen', 'Garcia', 'Wang', 'Haddad', 'Brown', 'Schmidt', 'Mensah', 'Rossi', 'Patel', 'Kowalski', 'Dubois', 'Silva', 'Murphy', 'Tanaka', 'Nowak', 'Evans', 'Adeyemi'];
export const PEOPLE = Array.from({ length: 600 }, (_, i) => ({
  id: `user:${String(i + 1).padStart(4, '0')}`,
  name: `${FIRST[i % FIRST.length]} ${LAST[Math.floor(i / FIRST.length) % LAST.length]}`,
}));

const TASKS = ['Replace', 'Inspect', 'Repair', 'Overhaul', 'Test', 'Lubricate', 'Adjust', 'Clean and inspect', 'Borescope', 'Torque check'];
const PARTS = ['hydraulic pump seal', 'pitot probe', 'brake assembly', 'fuel quantity sensor', 'main gear actuator', 'cabin pressure controller', 'APU starter', 'bleed air valve', 'nose wheel steering', 'engine fan blade', 'flap track fairing', 'oxygen mask stowage', 'windshield heat controller', 'ELT battery', 'yaw damper servo', 'cargo door seal'];
const PLACES = ['left main gear', 'right main gear', 'engine 1', 'engine 2', 'forward cargo hold', 'cockpit', 'aft lavatory', 'left wing', 'right wing', 'tail cone', 'avionics bay'];
const FINDINGS = [
  'Found during the A-check walk-round.',
  'Reported by the flight crew in the tech log after the last sector.',
  'Scheduled task from the maintenance programme; card attached.',
  'Corrosion beyond limits per the SRM; engineering disposition required.',
  'Intermittent fault message recorded on the last three flights.',
  'Part has reached its life limit; replacement from stores.',
];
const ATA = ['21 – Air conditioning', '24 – Electrical power', '27 – Flight controls', '28 – Fuel', '29 – Hydraulic power', '32 – Landing gear', '34 – Navigation', '35 – Oxygen', '36 – Pneumatic', '49 – APU', '52 – Doors', '72 – Engine'];
const REJECT_REASONS = ['Torque values not recorded on the task card.', 'Wrong part number fitted; check the IPC.', 'Duplicate inspection signature missing.', 'Photos of the damage are needed before sign-off.', 'Leak check not performed after the repair.'];
const APPROVE_NOTES = ['Checked and signed.', 'Work inspected, no findings.', 'Released.', 'Tested serviceable.'];

/** About 120 aircraft across a few registers. */
export const REGISTRATIONS = Array.from({ length: 120 }, (_, i) => {
  const letters = (n: number, len: number) =>
    Array.from({ length: len }, (_, k) => String.fromCharCode(65 + (Math.floor(n / 26 ** k) % 26))).join('');
  const prefix = ['G-', 'D-', 'EI-', 'N'][i % 4]!;
  return prefix === 'N' ? `N${100 + i * 7}${letters(i, 2)}` : `${prefix}${letters(i * 37 + 11, 4)}`;
});

export interface WorkflowShape {
  workflowId: number;
  steps: string[];
}

export interface SyntheticEvent {
  seq: number;
  action: 'create' | 'submit' | 'approve' | 'reject' | 'cancel';
  actor: { id: string; name: string };
  at: number;
  fromStatus: string | null;
  toStatus: string;
  fromStep: number | null;
  toStep: number | null;
  comment: string | null;
}

export interface SyntheticItem {
  title: string;
  description: string;
  priority: 'normal' | 'urgent';
  status: 'draft' | 'active' | 'completed' | 'cancelled';
  currentStep: number | null;
  workflow: WorkflowShape;
  metadata: Record<string, string>;
  createdBy: { id: string; name: string };
  createdAt: number;
  updatedAt: number;
  stepEnteredAt: number;
  version: number;
  events: SyntheticEvent[];
}

export interface HistoryPlan {
  count: number;
  now: number;
  years: number;
  workflows: WorkflowShape[];
}

/** Item `index` of `plan.count`: created at its place on the timeline, with its events up to now. */
export function syntheticItem(rng: Rng, index: number, plan: HistoryPlan): SyntheticItem {
  const span = plan.years * 365 * DAY;
  const createdAt = Math.floor(plan.now - span + (index / plan.count) * span);
  const recent = plan.now - createdAt < 45 * DAY;
  const roll = rng();
  const target: SyntheticItem['status'] = recent
    ? roll < 0.1 ? 'draft' : roll < 0.8 ? 'active' : roll < 0.95 ? 'completed' : 'cancelled'
    : roll < 0.02 ? 'active' : roll < 0.92 ? 'completed' : 'cancelled';
  const workflow = pick(rng, plan.workflows);
  const creator = pick(rng, PEOPLE);
  const year = new Date(createdAt).getUTCFullYear();

  const events: SyntheticEvent[] = [];
  let at = createdAt;
  let status: string = 'draft';
  let step: number | null = 0;
  let stepEnteredAt = createdAt;
  const push = (e: Omit<SyntheticEvent, 'seq' | 'at' | 'fromStatus' | 'fromStep'>) => {
    events.push({ ...e, seq: events.length + 1, at, fromStatus: events.length ? status : null, fromStep: events.length ? step : null });
    if (e.toStatus !== status || e.toStep !== step) stepEnteredAt = at;
    status = e.toStatus;
    step = e.toStep;
  };
  // Later events must stay before now, so an item's history fits in the time it has had.
  const later = () => {
    const room = plan.now - at;
    at += Math.min(Math.floor(room / 3), Math.floor((0.5 + rng() * 40) * HOUR));
  };

  const submitNow = target !== 'draft' && rng() < 0.5;
  push({ action: 'create', actor: creator, toStatus: submitNow ? 'active' : 'draft', toStep: 0, comment: null });
  if (target !== 'draft') {
    if (!submitNow) {
      later();
      push({ action: 'submit', actor: creator, toStatus: 'active', toStep: 0, comment: null });
    }
    const last = workflow.steps.length - 1;
    // Where an item still in the queue stops, or after how many steps a cancelled one ends.
    const stopAt = Math.floor(rng() * workflow.steps.length);
    let rejections = 0;
    for (;;) {
      const at_ = step ?? 0;
      if ((target === 'active' || target === 'cancelled') && at_ === stopAt && rng() < 0.7) break;
      later();
      const signer = pick(rng, PEOPLE);
      if (at_ > 0 && rejections < 2 && rng() < 0.2) {
        rejections++;
        push({ action: 'reject', actor: signer, toStatus: 'active', toStep: Math.floor(rng() * at_), comment: pick(rng, REJECT_REASONS) });
        continue;
      }
      if (at_ === last) {
        if (target !== 'completed') break;
        push({ action: 'approve', actor: signer, toStatus: 'completed', toStep: null, comment: rng() < 0.2 ? pick(rng, APPROVE_NOTES) : null });
        break;
      }
      push({ action: 'approve', actor: signer, toStatus: 'active', toStep: at_ + 1, comment: rng() < 0.2 ? pick(rng, APPROVE_NOTES) : null });
    }
    if (target === 'cancelled') {
      later();
      push({ action: 'cancel', actor: pick(rng, PEOPLE), toStatus: 'cancelled', toStep: null, comment: 'Deferred to the next heavy check.' });
    }
  }

  const part = pick(rng, PARTS);
  return {
    title: `${pick(rng, TASKS)} ${part} – ${pick(rng, PLACES)}`,
    description: `${pick(rng, FINDINGS)} ${rng() < 0.5 ? `See task card for the ${part}.` : 'Parts ordered; awaiting the slot in the hangar plan.'}`,
    priority: rng() < 0.08 ? 'urgent' : 'normal',
    status: status as SyntheticItem['status'],
    currentStep: step,
    workflow,
    metadata: {
      aircraftRegistration: pick(rng, REGISTRATIONS),
      ataChapter: pick(rng, ATA),
      workOrder: `WO-${year}-${String(index + 1).padStart(7, '0')}`,
    },
    createdBy: creator,
    createdAt,
    updatedAt: at,
    stepEnteredAt,
    version: events.length,
    events,
  };
}
