import { useAppStore } from '../stores/appStore';
import { useTerminalPrefs } from '../stores/terminalPrefs';
import { departmentsToNotify } from './arrivals';

export function useDepartmentsToNotify(): string[] {
  const status = useAppStore((s) => s.status);
  const chosen = useTerminalPrefs((s) => s.myDepartments);
  return departmentsToNotify(status, chosen);
}

/** The same, read now (from an event listener). */
export const departmentsToNotifyNow = () => departmentsToNotify(useAppStore.getState().status, useTerminalPrefs.getState().myDepartments);
