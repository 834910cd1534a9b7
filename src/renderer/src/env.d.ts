/// <reference types="vite/client" />
import type { AppEvents, WindowApi } from '../../shared/windowApi';

declare global {
  interface Window {
    api: WindowApi;
    appEvents: AppEvents;
  }
}
