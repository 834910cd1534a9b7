import { Modal, type ModalProps } from '@mantine/core';
import { useEffect, useState, type CSSProperties, type FormEvent, type ReactNode } from 'react';

interface Props extends Pick<ModalProps, 'title' | 'size' | 'onClose'> {
  /** What Enter (or the submit button in `children` or `actions`) does. */
  onSubmit(): void;
  children: ReactNode;
  /**
   * The buttons, kept in view at the foot of the dialog while a tall content (a long list on a
   * short window) scrolls under them. Without it, the buttons are part of `children`.
   */
  actions?: ReactNode;
}

/** Stuck to the bottom of the dialog's scrolling content; where it ends, it takes the body's bottom padding. */
const FOOTER: CSSProperties = {
  position: 'sticky',
  bottom: 0,
  zIndex: 1,
  background: 'var(--mantine-color-body)',
  paddingTop: 'var(--mantine-spacing-md)',
  paddingBottom: 'var(--mb-padding, var(--mantine-spacing-md))',
  marginBottom: 'calc(-1 * var(--mb-padding, var(--mantine-spacing-md)))',
};
/** A field taking the focus is scrolled clear of the footer, not under it. */
const UNDER_FOOTER = { content: { scrollPaddingBottom: '5rem' } };

/**
 * A dialog whose content is one form: Enter confirms through its submit button, Escape or the
 * named close button cancels, and focus goes back to what opened it. Open it by mounting it and
 * close it by unmounting it.
 */
export function FormDialog({ title, size, onClose, onSubmit, children, actions }: Props) {
  useFocusBackOnClose();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit();
  };
  return (
    <Modal opened onClose={onClose} title={title} size={size} centered styles={actions ? UNDER_FOOTER : undefined}>
      <form onSubmit={submit} noValidate>
        {children}
        {actions && <div style={FOOTER}>{actions}</div>}
      </form>
    </Modal>
  );
}

/**
 * Mantine's Modal gives the focus back only when its `opened` turns false; a dialog that closes by
 * being unmounted does it here, to what had the focus when it was mounted (unless something else
 * took the focus meanwhile).
 */
function useFocusBackOnClose() {
  const [opener] = useState(() => document.activeElement);
  useEffect(
    () => () => {
      window.setTimeout(() => {
        const now = document.activeElement;
        if (opener instanceof HTMLElement && opener.isConnected && (!now || now === document.body)) opener.focus({ preventScroll: true });
      }, 10);
    },
    [opener],
  );
}
