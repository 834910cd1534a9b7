import { create } from 'zustand';
import { persist } from 'zustand/middleware';
import type { WorkflowChoice } from '../../../../shared/types';

interface LastTemplates {
  /** The template each person (by actor id; '' without sign-in) last created an item with, at this terminal. */
  byPerson: Record<string, string>;
  remember(person: string, workflowId: string): void;
}

export const useLastTemplates = create<LastTemplates>()(
  persist(
    (set) => ({
      byPerson: {},
      remember: (person, workflowId) => set((s) => ({ byPerson: { ...s.byPerson, [person]: workflowId } })),
    }),
    { name: 'aviation-workflow.last-template', version: 1 },
  ),
);

/** The template a new item starts on: the person's last one while it is still offered, else Standard, else the first. */
export function startingTemplate(choices: WorkflowChoice[], lastUsed: string | undefined): string | null {
  if (lastUsed && choices.some((c) => c.id === lastUsed)) return lastUsed;
  const standard = choices.find((c) => c.id === 'template:standard') ?? choices.find((c) => c.label.toLowerCase() === 'standard');
  return (standard ?? choices[0])?.id ?? null;
}
