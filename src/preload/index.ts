import { contextBridge, ipcRenderer } from 'electron';
import { CHANGED_EVENT, type ChangeEvent } from '../shared/events';
import { allChannelNames } from '../shared/moduleContracts';
import type { AppEvents, WindowApi } from '../shared/windowApi';

const api = Object.fromEntries(
  allChannelNames.map((channel) => [channel, (input: unknown) => ipcRenderer.invoke(channel, input)]),
) as WindowApi;

const appEvents: AppEvents = {
  onChanged(listener) {
    const forward = (_event: unknown, event: ChangeEvent) => listener(event);
    ipcRenderer.on(CHANGED_EVENT, forward);
    return () => {
      ipcRenderer.off(CHANGED_EVENT, forward);
    };
  },
};

// Exactly the typed API and the change event; nothing of ipcRenderer or Node leaks through.
contextBridge.exposeInMainWorld('api', api satisfies WindowApi);
contextBridge.exposeInMainWorld('appEvents', appEvents satisfies AppEvents);
