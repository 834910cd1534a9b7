import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import './notifications/notifications.css';
import './theme/focus.css';
import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { ErrorBoundary } from './components/ErrorBoundary';
import { cssVariablesResolver, theme } from './theme/theme';

// A render error an ErrorBoundary shows is expected here, not a fault of the page: a warning, with where it happened.
const onCaughtError = (error: unknown, info: { componentStack?: string }) => console.warn('A screen failed to render:', error, info.componentStack);

createRoot(document.getElementById('root')!, { onCaughtError }).render(
  <StrictMode>
    {/* "auto": light or dark as the operating system is set, and it follows a change. */}
    <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver} defaultColorScheme="auto">
      <Notifications position="top-right" limit={4} />
      <ErrorBoundary>
        <App />
      </ErrorBoundary>
    </MantineProvider>
  </StrictMode>,
);
