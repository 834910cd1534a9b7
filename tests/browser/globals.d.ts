import type { AppEvents, WindowApi } from '../../src/shared/windowApi';

// What page.evaluate callbacks see in the app's page.
declare global {
  interface Window {
    api: WindowApi;
    appEvents: AppEvents;
  }
}
