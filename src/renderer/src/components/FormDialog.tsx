import { Modal, type ModalProps } from '@mantine/core';
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';

interface Props extends Pick<ModalProps, 'title' | 'size' | 'onClose'> {
  /** What Enter (or the submit button in `children`) does. */
  onSubmit(): void;
  children: ReactNode;
}

/**
 * A dialog whose content is one form: Enter confirms through its submit button, Escape or the
 * named close button cancels, and focus goes back to what opened it. Open it by mounting it and
 * close it by unmounting it.
 */
export function FormDialog({ title, size, onClose, onSubmit, children }: Props) {
  useFocusBackOnClose();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit();
  };
  return (
    <Modal opened onClose={onClose} title={title} size={size} centered>
      <form onSubmit={submit} noValidate>
        {children}
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
