import { Alert, Button, Code, Group, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { Component, type ReactNode } from 'react';

interface Props {
  children: ReactNode;
  /** A change of this value (the location) clears the error: another screen may well work. */
  resetKey?: string;
  /** Where "Go to …" leads, for a boundary around one screen of a window. */
  home?: { href: string; label: string };
}

interface State {
  error: Error | null;
  resetKey?: string;
}

/**
 * A screen that fails to render shows what happened and a way on (reload, or another screen),
 * never a blank window. Data already saved is unaffected: nothing here writes. (main.tsx logs the
 * error as a warning.)
 */
export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: null, resetKey: this.props.resetKey };

  static getDerivedStateFromProps(props: Props, state: State): Partial<State> | null {
    return props.resetKey === state.resetKey ? null : { error: null, resetKey: props.resetKey };
  }

  static getDerivedStateFromError(error: Error): Partial<State> {
    return { error };
  }

  override render() {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} title="This screen could not be shown" role="alert" m="md">
        <Text size="sm">
          Something in it failed to display. Nothing was changed by this. Reload the window to try again, or go to another screen; if it
          happens again, tell your administrator what it says below.
        </Text>
        <Code block mt="sm" style={{ whiteSpace: 'pre-wrap' }}>
          {error.message}
        </Code>
        <Group mt="md">
          <Button color="red" onClick={() => window.location.reload()}>
            Reload
          </Button>
          {this.props.home && (
            <Button variant="default" component="a" href={this.props.home.href}>
              {this.props.home.label}
            </Button>
          )}
        </Group>
      </Alert>
    );
  }
}
