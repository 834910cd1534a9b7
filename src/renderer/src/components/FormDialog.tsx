import { Modal, type ModalProps } from '@mantine/core';
import type { FormEvent, ReactNode } from 'react';

interface Props extends Pick<ModalProps, 'title' | 'size' | 'onClose'> {
  /** What Enter (or the submit button in `children`) does. */
  onSubmit(): void;
  children: ReactNode;
}

/**
 * A dialog whose content is one form: Enter confirms through its submit button, Escape or the
 * named close button cancels, and focus goes back to what opened it (Mantine's Modal).
 */
export function FormDialog({ title, size, onClose, onSubmit, children }: Props) {
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
