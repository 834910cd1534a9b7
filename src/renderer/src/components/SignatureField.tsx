import { Alert, PasswordInput } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { asApiError, type ApiError } from '../api/client';

/** What a signing call sends: the PIN when the rules ask for a signature, nothing otherwise. */
export type SignaturePart = { signature: { secret: string } } | Record<string, never>;

/**
 * The e-signature of a confirm dialog: the PIN typed, the one call that signs with it, and the
 * core's answer when it refuses. A refused call clears the PIN and puts the focus back in its
 * field, so the person reads why and types it again.
 */
export function useSignature(required: boolean) {
  const [secret, setSecret] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const field = useRef<HTMLInputElement>(null);

  /** Runs the call with the signature; its answer, or undefined when it was refused (the error is shown). */
  const sign = async <T,>(call: (signature: SignaturePart) => Promise<T>): Promise<T | undefined> => {
    setBusy(true);
    setError(null);
    try {
      return await call(required ? { signature: { secret } } : {});
    } catch (err) {
      setError(asApiError(err));
      setSecret('');
      field.current?.focus();
      return undefined;
    } finally {
      setBusy(false);
    }
  };
  const reset = () => {
    setSecret('');
    setError(null);
  };
  return { required, secret, setSecret, error, busy, sign, reset, field, missing: required && !secret };
}

export type Signature = ReturnType<typeof useSignature>;

interface Props {
  signature: Signature;
  /** What signing means here, under the field ("an electronic signature under your name, for …"). */
  meaning: string;
  /** The title over the core's refusal. */
  errorTitle(error: ApiError): string;
  disabled?: boolean;
}

/** The PIN field (only when the rules ask for a signature) and the core's refusal, if any. */
export function SignatureField({ signature, meaning, errorTitle, disabled }: Props) {
  const { required, secret, setSecret, error, field } = signature;
  // The refusal in view (a tall dialog on a short window scrolls), while the focus waits in the field.
  // In braces: Chromium's scrollIntoView returns a promise, which React would take for a clean-up.
  const shown = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (error) shown.current?.scrollIntoView({ block: 'nearest' });
  }, [error]);
  return (
    <>
      {required && (
        <PasswordInput
          ref={field}
          label="Sign with your PIN or password"
          description={meaning}
          required
          autoComplete="current-password"
          value={secret}
          disabled={disabled}
          onChange={(e) => setSecret(e.currentTarget.value)}
        />
      )}
      {error && (
        <Alert ref={shown} color="red" variant="light" role="alert" title={errorTitle(error)}>
          {error.message}
        </Alert>
      )}
    </>
  );
}
