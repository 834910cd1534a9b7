import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import './notifications/notifications.css';
import './theme/focus.css';
import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { StrictMode } from 'react';
import { useHashLocation } from 'wouter/use-hash-location';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { ErrorBoundary } from './components/ErrorBoundary';
import { cssVariablesResolver, theme } from './theme/theme';

// A render error an ErrorBoundary shows is expected here, not a fault of the page: a warning, with where it happened.
const onCaughtError = (error: unknown, info: { componentStack?: string }) => console.warn('A screen failed to render:', error, info.componentStack);

/** Light or dark as the operating system is set ("auto"), following a change; an item's printed record is always on white paper. */
function Themed() {
  const [location] = useHashLocation();
  const onPaper = /^\/items\/\d+\/print$/.test(location);
  return (
    <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver} defaultColorScheme="auto" forceColorScheme={onPaper ? 'light' : undefined}>
      <Notifications position="top-right" limit={4} />
      <ErrorBoundary>
        <App />
      </ErrorBoundary>
    </MantineProvider>
  );
}

createRoot(document.getElementById('root')!, { onCaughtError }).render(
  <StrictMode>
    <Themed />
  </StrictMode>,
);
